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

/** Folder (delimiter) listings that found nothing where a flat listing finds objects. */
export class FolderListingUnlikeS3Error extends ServiceError {
  constructor(where: string) {
    super(
      's3_refused',
      `${where}: listing by folder found nothing, yet the prefix holds objects: this S3 server ` +
        'does not answer folder (delimiter) listings as S3 does. Nothing was removed from the catalog.',
    );
  }
}

/** A manifest bigger than MAX_MANIFEST_BYTES: not read. */
export class ManifestTooLargeError extends Error {
  override readonly name = 'ManifestTooLargeError';
}

/** How many year or month folders are listed at once while finding the day folders. */
const DISCOVERY_CONCURRENCY = 8;
const YEAR = /^\d{4}\/$/;
const MONTH_OR_DAY = /^\d{2}\/$/;
/** `YYYY/MM/DD/` at the start of a key (under the prefix). */
const DATE_FOLDER = /^\d{4}\/\d{2}\/\d{2}\//;

/** A page of a flat listing, with when it was asked for. */
export interface FlatPage {
  readonly objects: ListedObject[];
  /** Unix ms (by the caller's clock) just before the request went out. */
  readonly requestedAt: number;
}

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

  /**
   * Every recording of the dispatch's phone in the date folders its window touches (or in those of
   * them given in `folders`).
   */
  async findCandidates(
    dispatch: DispatchId,
    signal?: AbortSignal,
    folders?: readonly string[],
  ): Promise<ListedRecording[]> {
    const prefixes = candidatePrefixesFor(this.location.prefix, dispatch).filter(
      (prefix) => !folders || folders.some((folder) => prefix.startsWith(folder)),
    );
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
      if ((page.Contents ?? []).length > 0) throw new FolderListingUnlikeS3Error(this.where);
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

  /**
   * Every object under the prefix in key order, page after page, each page asked for with
   * `StartAfter` (the last key of the page before, or `startAfter`). No delimiter and no
   * continuation token: a resumable position any S3-compatible server understands, and the keys'
   * date folders come in date order.
   */
  async *listFlat(
    startAfter: string | undefined,
    signal?: AbortSignal,
    now: () => number = Date.now,
  ): AsyncGenerator<FlatPage> {
    let after = startAfter;
    for (;;) {
      const requestedAt = now();
      let output;
      try {
        output = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: this.location.prefix,
            StartAfter: after,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw describeS3Failure(error, this.where);
      }
      const objects = (output.Contents ?? []).map(toListedObject);
      const last = objects.at(-1)?.key;
      // A page that does not move past StartAfter would repeat (or, cut short, lose) keys, and a
      // listing that stops early makes a sync forget recordings: refuse rather than guess.
      if (
        (after !== undefined && (objects[0]?.key ?? '\u{10FFFF}') <= after) ||
        (output.IsTruncated && !last)
      ) {
        throw new ServiceError(
          's3_refused',
          `${this.where}: this S3 server does not page listings by StartAfter as S3 does ` +
            `(asked for keys after "${after ?? ''}"). Nothing was removed from the catalog.`,
        );
      }
      yield { objects, requestedAt };
      if (!output.IsTruncated || last === undefined) return;
      after = last;
    }
  }

  /** The date folder (`{prefix}YYYY/MM/DD/`) a key lies in, or null. */
  dateFolderOf(key: string): string | null {
    const prefix = this.location.prefix;
    if (!key.startsWith(prefix)) return null;
    const match = DATE_FOLDER.exec(key.slice(prefix.length));
    return match ? prefix + match[0] : null;
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

  /**
   * Pages of a listing. Without a delimiter every key comes back in Contents, so the next page is
   * asked for after the last key (StartAfter), which every S3-compatible server pages by; a
   * delimiter listing follows its continuation token.
   */
  async *#pages(prefix: string, delimiter: string | undefined, signal?: AbortSignal) {
    let continuationToken: string | undefined;
    let startAfter: string | undefined;
    do {
      let output;
      try {
        output = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: prefix,
            Delimiter: delimiter,
            ContinuationToken: continuationToken,
            StartAfter: startAfter,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw describeS3Failure(error, this.where);
      }
      yield output;
      continuationToken = undefined;
      startAfter = undefined;
      if (!output.IsTruncated) return;
      const last = output.Contents?.at(-1)?.Key;
      if (delimiter === undefined && last !== undefined) startAfter = last;
      else continuationToken = output.NextContinuationToken;
    } while (continuationToken !== undefined || startAfter !== undefined);
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
