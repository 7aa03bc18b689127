import { GetObjectCommand, ListObjectsV2Command, type S3Client, type _Object } from '@aws-sdk/client-s3';
import type { DispatchId } from '../../../shared/dispatch.ts';
import { candidatePrefixesFor, parseRecordingKey } from '../../../shared/dispatch.ts';
import type { ListedRecording } from '../catalog/catalog-store.ts';
import { describeLocation, type S3Location } from '../config.ts';
import { mapConcurrently } from '../sync/concurrency.ts';
import { MAX_MANIFEST_BYTES } from './egress-manifest.ts';
import { ServiceError } from '../service-error.ts';
import { describeS3Failure } from './s3-errors.ts';

export interface ListingPage {
  /** The page's objects that are recordings (manifests and other files are left out). */
  readonly recordings: ListedRecording[];
  /** How many objects the page had in all. */
  readonly objectCount: number;
}

/** An object as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number | null;
  /** Without the quotes S3 puts around it. */
  readonly etag: string | null;
  /** Unix ms. */
  readonly lastModified: number | null;
}

/** The folders a sync lists, found by listing the prefix level by level with a `/` delimiter. */
export interface FolderPlan {
  /** `{prefix}YYYY/MM/DD/` folders, in key order. */
  readonly dateFolders: string[];
  /** Folders that are not part of a `YYYY/MM/DD/` path (e.g. `{prefix}tmp/`), listed whole. */
  readonly otherFolders: string[];
  /** How many objects lie directly in the prefix, a year or a month folder (none are recordings). */
  readonly looseObjects: number;
}

/** A manifest bigger than MAX_MANIFEST_BYTES: not read. */
export class ManifestTooLargeError extends Error {
  override readonly name = 'ManifestTooLargeError';
}

/** How many year or month folders are listed at once while finding the day folders. */
const DISCOVERY_CONCURRENCY = 8;
const YEAR = /^\d{4}\/$/;
const MONTH_OR_DAY = /^\d{2}\/$/;

/** Reads recordings out of the bucket: live look-ups for one dispatch, and paged listings for sync. */
export class RecordingBucket {
  readonly #client: S3Client;
  readonly location: S3Location;
  /** Names the place in error messages, e.g. `s3://calls/egress-recordings/ (http://127.0.0.1:9000)`. */
  readonly where: string;

  constructor(client: S3Client, location: S3Location) {
    this.#client = client;
    this.location = location;
    this.where = describeLocation(location);
  }

  /** Every recording of the dispatch's phone in the date folders its window touches. */
  async findCandidates(dispatch: DispatchId, signal?: AbortSignal): Promise<ListedRecording[]> {
    const prefixes = candidatePrefixesFor(this.location.prefix, dispatch);
    const found = await Promise.all(
      prefixes.map(async (prefix) => {
        const recordings: ListedRecording[] = [];
        for await (const page of this.listPages(prefix, signal)) recordings.push(...page.recordings);
        return recordings;
      }),
    );
    return found.flat();
  }

  /** Pages of the listing under `prefix` (default: the configured prefix), in key order. */
  async *listPages(prefix = this.location.prefix, signal?: AbortSignal): AsyncGenerator<ListingPage> {
    for await (const page of this.#pages(prefix, undefined, signal)) {
      const objects = page.Contents ?? [];
      yield {
        recordings: objects.flatMap((object) => {
          const recording = this.toRecording(toListedObject(object));
          return recording ? [recording] : [];
        }),
        objectCount: objects.length,
      };
    }
  }

  /**
   * Finds the folders to sync: the years under the prefix, their months, and those months' days,
   * each level with `Delimiter: '/'` (a few requests instead of listing every object). Anything
   * else that is a folder is returned in `otherFolders`.
   */
  async planFolders(signal?: AbortSignal): Promise<FolderPlan> {
    const otherFolders: string[] = [];
    let looseObjects = 0;
    const level = async (prefix: string, wanted: RegExp): Promise<string[]> => {
      const { folders, objects } = await this.#listLevel(prefix, signal);
      looseObjects += objects;
      const matching: string[] = [];
      for (const folder of folders) {
        (wanted.test(folder.slice(prefix.length)) ? matching : otherFolders).push(folder);
      }
      return matching;
    };
    const years = await level(this.location.prefix, YEAR);
    const months = (
      await mapConcurrently(years, DISCOVERY_CONCURRENCY, (year) => level(year, MONTH_OR_DAY))
    ).flat();
    const days = (
      await mapConcurrently(months, DISCOVERY_CONCURRENCY, (month) => level(month, MONTH_OR_DAY))
    ).flat();
    if (days.length === 0 && otherFolders.length === 0 && looseObjects === 0) await this.#checkEmpty(signal);
    return { dateFolders: days.sort(), otherFolders: otherFolders.sort(), looseObjects };
  }

  /**
   * A folder listing that finds nothing makes a complete sync forget every recording; make sure
   * the prefix really is empty, and not a server that lists folders unlike S3 (it has happened).
   */
  async #checkEmpty(signal?: AbortSignal): Promise<void> {
    for await (const page of this.#pages(this.location.prefix, undefined, signal)) {
      if ((page.Contents ?? []).length > 0) {
        throw new ServiceError(
          's3_refused',
          `${this.where}: listing by folder found nothing, yet the prefix holds objects: this S3 server ` +
            'does not answer folder (delimiter) listings as S3 does. Nothing was removed from the catalog.',
        );
      }
      return;
    }
  }

  /** Every object under `prefix` (no delimiter), page after page. */
  async listAll(prefix: string, signal?: AbortSignal): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    for await (const page of this.#pages(prefix, undefined, signal)) {
      for (const object of page.Contents ?? []) objects.push(toListedObject(object));
    }
    return objects;
  }

  /** The listed object as a recording, or null when its key is not a recording's. */
  toRecording(object: ListedObject): ListedRecording | null {
    const parsed = parseRecordingKey(object.key, this.location.prefix);
    if (!parsed) return null;
    return { ...parsed, size: object.size, etag: object.etag, lastModified: object.lastModified };
  }

  /**
   * The text of a (small) object such as an Egress manifest. Throws ManifestTooLargeError past
   * MAX_MANIFEST_BYTES (checked on the answer's length and on what actually arrives), and a
   * ServiceError when S3 fails.
   */
  async readManifest(key: string, signal?: AbortSignal): Promise<string> {
    let output;
    try {
      output = await this.#client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }), {
        abortSignal: signal,
      });
    } catch (error) {
      throw describeS3Failure(error, this.where);
    }
    const body = output.Body;
    if (!body) return '';
    const tooLarge = () =>
      new ManifestTooLargeError(`it is larger than ${MAX_MANIFEST_BYTES.toLocaleString('en-US')} bytes`);
    if ((output.ContentLength ?? 0) > MAX_MANIFEST_BYTES) {
      (body as { destroy?: () => void }).destroy?.();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        if (received > MAX_MANIFEST_BYTES) {
          (body as { destroy?: () => void }).destroy?.();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof ManifestTooLargeError) throw error;
      throw describeS3Failure(error, this.where);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** One delimiter level under `prefix`: the folders right under it, and how many objects. */
  async #listLevel(prefix: string, signal?: AbortSignal): Promise<{ folders: string[]; objects: number }> {
    const folders: string[] = [];
    let objects = 0;
    for await (const page of this.#pages(prefix, '/', signal)) {
      objects += page.Contents?.length ?? 0;
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
    }
    return { folders, objects };
  }

  async *#pages(prefix: string, delimiter: string | undefined, signal?: AbortSignal) {
    let continuationToken: string | undefined;
    do {
      let output;
      try {
        output = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: prefix,
            Delimiter: delimiter,
            ContinuationToken: continuationToken,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw describeS3Failure(error, this.where);
      }
      yield output;
      continuationToken = output.IsTruncated ? output.NextContinuationToken : undefined;
    } while (continuationToken);
  }
}

function toListedObject(object: _Object): ListedObject {
  return {
    key: object.Key ?? '',
    size: object.Size ?? null,
    etag: object.ETag?.replaceAll('"', '') ?? null,
    lastModified: object.LastModified?.getTime() ?? null,
  };
}
