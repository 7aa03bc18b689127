import { ListObjectsV2Command, type S3Client, type _Object } from '@aws-sdk/client-s3';
import type { DispatchId } from '../../../shared/dispatch.ts';
import { candidatePrefixesFor, parseRecordingKey } from '../../../shared/dispatch.ts';
import type { ListedRecording } from '../catalog/catalog-store.ts';
import type { S3Location } from '../config.ts';
import { describeS3Failure } from './s3-errors.ts';

export interface ListingPage {
  /** The page's objects that are recordings (manifests and other files are left out). */
  readonly recordings: ListedRecording[];
  /** How many objects the page had in all. */
  readonly objectCount: number;
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
    this.where = `s3://${location.bucket}/${location.prefix}${location.endpoint ? ` (${location.endpoint})` : ''}`;
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
    let continuationToken: string | undefined;
    do {
      let output;
      try {
        output = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: prefix,
            ContinuationToken: continuationToken,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw describeS3Failure(error, this.where);
      }
      const objects = output.Contents ?? [];
      yield {
        recordings: objects.flatMap((object) => this.#toRecording(object)),
        objectCount: objects.length,
      };
      continuationToken = output.IsTruncated ? output.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  #toRecording(object: _Object): ListedRecording[] {
    const parsed = object.Key === undefined ? null : parseRecordingKey(object.Key, this.location.prefix);
    if (!parsed) return [];
    return [
      {
        ...parsed,
        size: object.Size ?? null,
        etag: object.ETag?.replaceAll('"', '') ?? null,
        lastModified: object.LastModified?.getTime() ?? null,
      },
    ];
  }
}
