import { readdirSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * s3rver (the demo library's and the tests' S3 server) answers `ListObjectsV2` with `Delimiter: '/'`
 * without the folders that hold only other folders: under `egress-recordings/` it shows no
 * `2025/`, because the walk that would find an object inside it stops at the folder itself. Real S3
 * (and MinIO, R2…) shows every folder with an object somewhere beneath it, and the sync discovers
 * date folders that way, so this adds the missing common prefixes to s3rver's answer. Objects,
 * truncation and continuation stay s3rver's own.
 */

interface ListOptions {
  readonly delimiter?: string;
  readonly startAfter?: string;
  readonly prefix?: string;
  readonly maxKeys?: number;
}

interface ListResult {
  readonly objects: readonly { readonly key: string }[];
  commonPrefixes: string[];
  readonly isTruncated: boolean;
}

interface FilesystemStorePrototype {
  getBucketPath(bucket: string): string;
  listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
  [FIXED]?: true;
}

const FIXED = Symbol.for('tapedeck.s3rverDelimiterFix');
const OBJECT_SUFFIX = '._S3rver_object';

export function fixS3rverDelimiterListing(): void {
  const require = createRequire(import.meta.url);
  const FilesystemStore = require('@20minutes/s3rver/lib/stores/filesystem.js') as {
    prototype: FilesystemStorePrototype;
  };
  const proto = FilesystemStore.prototype;
  if (proto[FIXED]) return;
  const listObjects = proto.listObjects;
  proto.listObjects = async function listObjectsWithAllFolders(bucket, options) {
    const result = await listObjects.call(this, bucket, options);
    if (options.delimiter !== '/') return result;
    const prefix = options.prefix ?? '';
    const startAfter = options.startAfter ?? '';
    const lastKey = result.isTruncated ? result.objects.at(-1)?.key : undefined;
    const found = new Set(result.commonPrefixes);
    for (const folder of foldersUnder(this.getBucketPath(bucket), prefix)) {
      // Within this page only: after startAfter and, when the page is cut short, before its end.
      if (folder <= startAfter || (lastKey !== undefined && folder > lastKey)) continue;
      found.add(folder);
    }
    result.commonPrefixes = [...found].sort();
    return result;
  };
  proto[FIXED] = true;
}

/** The folders (`{prefix}{name}/`) right under `prefix` that hold at least one object. */
function foldersUnder(bucketPath: string, prefix: string): string[] {
  const cut = prefix.lastIndexOf('/') + 1;
  const parentKey = prefix.slice(0, cut);
  const namePart = prefix.slice(cut);
  const parentPath = join(bucketPath, ...parentKey.split('/').filter(Boolean));
  return entries(parentPath)
    .filter((entry) => entry.isDirectory() && entry.name.startsWith(namePart))
    .filter((entry) => holdsAnObject(join(parentPath, entry.name)))
    .map((entry) => `${parentKey}${entry.name}/`);
}

function holdsAnObject(path: string): boolean {
  return entries(path).some((entry) =>
    entry.isDirectory() ? holdsAnObject(join(path, entry.name)) : entry.name.endsWith(OBJECT_SUFFIX),
  );
}

function entries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return []; // no such folder: nothing under it
  }
}
