import {
  dateFolderOf,
  parseDispatchId,
  pickRecordingFor,
  RESOLUTION_WINDOW_SECONDS,
  type DispatchId,
} from '../../../shared/dispatch.ts';
import { attachmentDisposition, downloadFileName } from '../../../shared/download-name.ts';
import type { RecordingUrls } from '../../../shared/recording.ts';
import { DETAIL_NOT_FOUND } from '../../../shared/recording.ts';
import type { StoredRecording } from '../catalog/catalog-store.ts';
import { requireStorage, type LibraryRef } from '../library/library-ref.ts';
import type { LibraryStorage } from '../library/open-library.ts';
import type { Logger } from '../logger.ts';
import { openRecordingObject } from '../s3/recording-object.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import { ServiceError } from '../service-error.ts';
import type { MediaResponse } from './media-response.ts';

/**
 * The playback domain: what plays a recording. Scripts get presigned URLs for a dispatch
 * (`GET /recordings/{dispatch_id}`); the player streams through main (the desktop's media protocol
 * and web mode's media route both answer `openMedia`), so it never holds a URL that can expire.
 */
export class PlaybackService {
  readonly #library: LibraryRef;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(library: LibraryRef, log: Logger, now: () => number) {
    this.#library = library;
    this.#log = log;
    this.#now = now;
  }

  /** Presigned URLs for the recording a dispatch id resolves to. */
  async getRecording(dispatchId: string, expiresIn: number): Promise<RecordingUrls> {
    const library = this.#library();
    const storage = requireStorage(library);
    const dispatch = parseDispatchId(dispatchId);
    if (!dispatch) {
      throw new ServiceError(
        'invalid_input',
        `"${dispatchId}" is not a dispatch id: expected dispatch_{unix seconds}_{phone digits}.`,
      );
    }
    const recording = library.store.findRecordingFor(dispatch) ?? (await this.#onMiss(storage, dispatch));
    if (!recording) throw new ServiceError('not_found', DETAIL_NOT_FOUND);

    const fileName = downloadFileName({
      customerName: recording.customerName,
      phone: recording.phone,
      timestamp: recording.timestamp,
    });
    let batch;
    try {
      batch = await storage.signer.batch();
    } catch (error) {
      throw describeS3Failure(error, storage.bucket.where);
    }
    const listen = batch.sign(recording.key, expiresIn);
    const download = batch.sign(recording.key, expiresIn, attachmentDisposition(fileName));
    return {
      recording_url: listen.url,
      download_url: download.url,
      dispatch_id: dispatchId,
      s3_key: recording.key,
      expires_in: listen.expiresIn,
      expires_at: listen.expiresAt,
    };
  }

  /**
   * Streams a catalogued recording for the player, passing a Range through to S3 so seeking works.
   * Only keys in the catalog may be opened, so the page cannot read arbitrary objects of the bucket.
   */
  async openMedia(key: string, range: string | undefined): Promise<MediaResponse> {
    const library = this.#library();
    const recording = library.calls.recordingByKey(key);
    if (!recording) return errorResponse(404, 'That recording is not in the catalog. Try "Sync now".');
    if (!library.storage) return errorResponse(500, 'No S3 bucket is configured.');
    const { client, location } = library.storage;
    try {
      const object = await openRecordingObject(client, location.bucket, key, library.where ?? '', { range });
      const headers: Record<string, string> = {
        'content-type': key.endsWith('.mp4')
          ? 'audio/mp4'
          : (object.contentType ?? 'application/octet-stream'),
        'accept-ranges': 'bytes',
        'cache-control': 'private, max-age=3600',
      };
      if (object.contentLength !== null) headers['content-length'] = String(object.contentLength);
      if (object.contentRange !== null) headers['content-range'] = object.contentRange;
      if (object.etag !== null) headers.etag = `"${object.etag}"`;
      return { status: object.status, headers, body: object.body };
    } catch (error) {
      if (error instanceof ServiceError) {
        if ((error.cause as { name?: unknown } | undefined)?.name === 'InvalidRange') {
          const size = recording.size === null ? '*' : String(recording.size);
          return {
            ...errorResponse(416, 'That range is outside the recording.'),
            headers: { 'content-type': 'application/json', 'content-range': `bytes */${size}` },
          };
        }
        return errorResponse(error.code === 's3_refused' ? 502 : 503, error.message);
      }
      throw error;
    }
  }

  /**
   * A dispatch not in the catalog. Per date folder its window touches: one a sync listed after the
   * recording could have been uploaded needs nothing (there is none); one never listed is listed now,
   * whole (the sync's own folder step, shared by every request for it: later GETs there are catalog
   * hits); otherwise (a call that just ended) S3 is asked for that phone's keys there, and what it
   * says is remembered.
   */
  async #onMiss(storage: LibraryStorage, dispatch: DispatchId): Promise<StoredRecording | null> {
    const { store } = this.#library();
    const uploadedBy = (dispatch.timestamp + RESOLUTION_WINDOW_SECONDS + LONGEST_CALL_SECONDS) * 1000;
    const folders = [
      ...new Set(
        [dispatch.timestamp, dispatch.timestamp + RESOLUTION_WINDOW_SECONDS].map(
          (seconds) => storage.location.prefix + dateFolderOf(seconds),
        ),
      ),
    ];
    const unlisted: string[] = [];
    const toAsk: string[] = [];
    for (const folder of folders) {
      const listing = storage.listing.folderListing(folder);
      if (listing.synced !== null && listing.synced >= uploadedBy) continue;
      (listing.listed === null ? unlisted : toAsk).push(folder);
    }
    await Promise.all(unlisted.map((folder) => storage.listing.listFolderNow(folder)));
    if (toAsk.length > 0) {
      const candidates = await storage.bucket.findCandidates(dispatch, undefined, toAsk);
      if (candidates.length > 0) store.upsertRecordings(candidates, this.#now());
      const picked = pickRecordingFor(dispatch, candidates);
      if (picked) this.#log.info(`${dispatch.id} resolved live to ${picked.key}`);
    }
    return unlisted.length + toAsk.length > 0 ? store.findRecordingFor(dispatch) : null;
  }
}

/**
 * How long a call may last: Egress uploads its recording when it ends, so a dispatch's recording is
 * in S3 by its time plus the resolution window plus this. A folder a sync listed after that has no
 * recording for it that the catalog does not have; one for a longer call is found by the next sync.
 */
const LONGEST_CALL_SECONDS = 4 * 3600;

function errorResponse(status: number, detail: string): MediaResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: null,
    errorBody: JSON.stringify({ detail }),
  };
}
