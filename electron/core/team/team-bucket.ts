/**
 * The S3 requests of the team's sync, counted (the benchmark and the status report them): list a
 * folder after a key, find the reviewers' folders, read an object, write one only if absent.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface TeamRequestCounts {
  list: number;
  get: number;
  put: number;
}

export type PutOutcome = 'written' | 'already-there';

export class TeamBucket {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly counts: TeamRequestCounts = { list: 0, get: 0, put: 0 };

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  /** Every key under `prefix` after `startAfter`, in key order, a page (up to 1,000) per request. */
  async *keysAfter(
    prefix: string,
    startAfter: string | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<string[]> {
    let token: string | undefined;
    do {
      this.counts.list += 1;
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
        }),
        { abortSignal: signal },
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length > 0) yield keys;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * The folders directly under `prefix` (`…/v1/events/` → reviewer ids). A delimiter listing where
   * it is answered; a server whose delimiter listing leaves folders out still shows their keys in a
   * flat listing, so the keys found are used too (a folder only ever holds objects, no subfolders).
   */
  async folders(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const found = new Set<string>();
    let token: string | undefined;
    do {
      this.counts.list += 1;
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: prefix,
          Delimiter: '/',
          ...(token ? { ContinuationToken: token } : {}),
        }),
        { abortSignal: signal },
      );
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(prefix.length).replace(/\/$/, '');
        if (name) found.add(name);
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(prefix.length).split('/')[0];
        if (name && object.Key!.slice(prefix.length).includes('/')) found.add(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...found].sort();
  }

  /** The object's text; null when it is not there. */
  async getText(key: string, signal?: AbortSignal): Promise<string | null> {
    this.counts.get += 1;
    try {
      const answer = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }), {
        abortSignal: signal,
      });
      return (await answer.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (isStatus(error, 404) || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /**
   * Writes the object unless one is there (`If-None-Match: *`): a 412 means an earlier try of the
   * same upload got there, which is success too. `overwrite` is for the writer's own profile.
   */
  async put(
    key: string,
    body: string,
    options: { contentType: string; overwrite?: boolean; signal?: AbortSignal },
  ): Promise<PutOutcome> {
    this.counts.put += 1;
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ...(options.overwrite ? {} : { IfNoneMatch: '*' }),
        }),
        { abortSignal: options.signal },
      );
      return 'written';
    } catch (error) {
      if (!options.overwrite && isStatus(error, 412)) return 'already-there';
      throw error;
    }
  }
}

function isStatus(error: unknown, status: number): boolean {
  const shape = error as { $metadata?: { httpStatusCode?: number } } | null;
  return shape?.$metadata?.httpStatusCode === status;
}
