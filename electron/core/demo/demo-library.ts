import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_S3_PREFIX, dateFolderOf } from '../../../shared/dispatch.ts';
import type { S3Location } from '../config.ts';
import { fixS3rverDelimiterListing } from './s3rver-delimiter-fix.ts';

/** Where the demo's recordings and calls.json are (shipped with the app, see library/README.md). */
export const DEMO_ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'library');
export const DEMO_BUCKET = 'tapedeck-demo';
/** s3rver's built-in account: the demo server accepts only it. */
export const DEMO_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
/** A recording, its Egress manifest or its transcript, named as they lie beside each other in the bucket. */
const LIBRARY_FILE =
  /^(outbound|inbound)-(\d{1,15})_(\d{1,12})(\.mp4|\.json|\.transcript\.json|\.vtt|\.srt)$/;
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'audio/mp4',
  '.json': 'application/json',
  '.transcript.json': 'application/json',
  '.vtt': 'text/vtt',
  '.srt': 'application/x-subrip',
};

export interface DemoLibrary {
  readonly location: S3Location;
  /** The demo's metadata file, imported into the demo catalog like any other. */
  readonly callsFile: string;
  close(): Promise<void>;
}

/**
 * The built-in demo: a real S3-compatible server (s3rver) on loopback holding a handful of short
 * recordings (with an Egress manifest and their transcripts beside them), so the demo goes through
 * exactly the S3 code path a real bucket does: its first sync catalogues the transcripts too. It accepts
 * requests signed with the demo key even where SDK v3 and s3rver disagree on a bucket path's
 * trailing slash; it holds nothing but the demo files and listens only on 127.0.0.1.
 */
export async function startDemoLibrary(dataDir: string, assetsDir = DEMO_ASSETS_DIR): Promise<DemoLibrary> {
  const directory = join(dataDir, 's3');
  rmSync(directory, { recursive: true, force: true }); // rebuilt from the shipped files at each start
  mkdirSync(directory, { recursive: true });
  // Loaded only when the demo opens: s3rver and its web stack (Koa, winston, lodash) are a fifth
  // of a second and megabytes that a bucket's start-up does not need.
  const { default: S3rver } = await import('@20minutes/s3rver');
  fixS3rverDelimiterListing(); // the sync discovers date folders as real S3 lists them
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
  });
  const { port } = await server.run();
  const location: S3Location = {
    bucket: DEMO_BUCKET,
    prefix: DEFAULT_S3_PREFIX,
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
  };
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: location.endpoint,
    forcePathStyle: true,
    credentials: DEMO_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
    for (const name of readdirSync(assetsDir)) {
      const match = LIBRARY_FILE.exec(name);
      if (!match) continue;
      await client.send(
        new PutObjectCommand({
          Bucket: DEMO_BUCKET,
          Key: `${location.prefix}${dateFolderOf(Number(match[3]))}${name}`,
          Body: readFileSync(join(assetsDir, name)),
          ContentType: CONTENT_TYPES[match[4]!],
        }),
      );
    }
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    location,
    callsFile: join(assetsDir, 'calls.json'),
    async close() {
      await server.close();
    },
  };
}
