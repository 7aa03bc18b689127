import { parseDispatchId, pickRecordingFor } from '../../shared/dispatch.ts';
import { attachmentDisposition, downloadFileName } from '../../shared/download-name.ts';
import type { RecordingList, RecordingListItem, RecordingUrls } from '../../shared/recording.ts';
import { DETAIL_NOT_FOUND, DETAIL_S3_CONFIG_MISSING } from '../../shared/recording.ts';
import { NO_FILTER, type CallFilter } from './catalog/call-filter.ts';
import { decodeCursor, encodeCursor, type ListCursor } from './catalog/call-pages.ts';
import type { CatalogStore, InteractionCounts, StoredRecording } from './catalog/catalog-store.ts';
import type { Readable } from 'node:stream';
import { callsCsvStream, writeCallsCsv } from './export/calls-csv.ts';
import type { ImportSummary } from './import/import-interactions.ts';
import { importInteractionsFile } from './import/import-interactions.ts';
import type { Logger } from './logger.ts';
import type { RecordingBucket } from './s3/recording-bucket.ts';
import type { RecordingUrlSigner } from './s3/recording-url-signer.ts';
import { describeS3Failure } from './s3/s3-errors.ts';
import { ServiceError } from './service-error.ts';
import type { ListingSync, SyncStatus } from './sync/listing-sync.ts';

/** What the service needs of S3; absent when no bucket is configured. */
export interface RecordingStorage {
  readonly bucket: RecordingBucket;
  readonly signer: RecordingUrlSigner;
  readonly sync: ListingSync;
}

export interface ListQuery {
  readonly limit: number;
  readonly offset: number;
  /** Tapedeck's extensions (`q`, `status`, `outcome`, `from`, `to`, `has_recording`); none: the spec's list. */
  readonly filter?: CallFilter;
  /** Keyset paging (`after`): '' for the first page, else the `next_after` of the previous one. */
  readonly after?: string;
}

/**
 * The application service: everything a person (over IPC) or a script (over HTTP) can ask of
 * Tapedeck goes through here, so the two cannot drift apart. Inputs are assumed validated by the
 * caller's schema; errors are ServiceErrors whose message is for a person.
 */
export class RecordingService {
  readonly #store: CatalogStore;
  readonly #storage: RecordingStorage | null;
  readonly #log: Logger;

  constructor(store: CatalogStore, storage: RecordingStorage | null, log: Logger) {
    this.#store = store;
    this.#storage = storage;
    this.#log = log;
  }

  /** Presigned URLs for the recording a dispatch id resolves to (`GET /recordings/{dispatch_id}`). */
  async getRecording(dispatchId: string, expiresIn: number): Promise<RecordingUrls> {
    const storage = this.#requireStorage();
    const dispatch = parseDispatchId(dispatchId);
    if (!dispatch) {
      throw new ServiceError(
        'invalid_input',
        `"${dispatchId}" is not a dispatch id: expected dispatch_{unix seconds}_{phone digits}.`,
      );
    }
    const recording = this.#store.findRecordingFor(dispatch) ?? (await this.#lookUpLive(storage, dispatchId));
    if (!recording) throw new ServiceError('not_found', DETAIL_NOT_FOUND);

    const fileName = downloadFileName({
      customerName: recording.customerName,
      phone: recording.phone,
      timestamp: recording.timestamp,
    });
    const batch = await this.#signingBatch(storage);
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

  /** A page of interactions, newest first, each with a playable URL when it has a recording. */
  async listRecordings(
    query: ListQuery,
    expiresIn: number,
  ): Promise<RecordingList & { next_after?: string | null }> {
    const storage = this.#requireStorage();
    let rows;
    let next: ListCursor | null = null;
    if (query.after === undefined) {
      rows = this.#store.listCalls(query.filter ?? NO_FILTER, query.limit, query.offset);
    } else {
      const cursor = query.after === '' ? null : decodeCursor(query.after);
      if (query.after !== '' && cursor === null) {
        throw new ServiceError(
          'invalid_input',
          'after is not a cursor of this list: pass the next_after of the previous page, or an empty after= for the first.',
        );
      }
      ({ rows, next } = this.#store.listCallsAfter(query.filter ?? NO_FILTER, cursor, query.limit));
    }
    const batch = rows.some((row) => row.recording_key !== null) ? await this.#signingBatch(storage) : null;
    const recordings = rows.map(({ recording_key, ...interaction }): RecordingListItem => ({
      interaction_id: interaction.interaction_id,
      customer_name: interaction.customer_name,
      phone: interaction.phone,
      status: interaction.status,
      outcome: interaction.outcome,
      duration: interaction.duration,
      start_time: interaction.start_time,
      end_time: interaction.end_time,
      recording_url: recording_key !== null && batch ? batch.sign(recording_key, expiresIn).url : null,
      dispatch_id: interaction.dispatch_id,
    }));
    const list = { recordings, limit: query.limit, offset: query.offset };
    // Only a keyset request gets the extra field: the spec's answer stays exactly the spec's.
    return query.after === undefined ? list : { ...list, next_after: next && encodeCursor(next) };
  }

  /** A view of the list as CSV, streamed (`GET /recordings.csv`); works without a bucket too. */
  exportCsv(filter: CallFilter): Readable {
    return callsCsvStream(this.#store.callBatches(filter));
  }

  /** Writes a view of the list as a CSV file, atomically, never over another file; says where and how many. */
  exportCsvFile(filter: CallFilter, file: string): Promise<{ path: string; rows: number }> {
    return writeCallsCsv(file, this.#store.callBatches(filter));
  }

  importInteractions(file: string): Promise<ImportSummary> {
    return importInteractionsFile(this.#store, file);
  }

  /** Starts a sync of the S3 listing (or joins the one running); resolves when it ends. */
  sync(): Promise<SyncStatus> {
    return this.#requireStorage().sync.run();
  }

  syncStatus(): SyncStatus | null {
    return this.#storage?.sync.status() ?? null;
  }

  counts(): InteractionCounts {
    return this.#store.counts();
  }

  /** A dispatch not in the catalog: ask S3 now (a call that just ended), and remember what it says. */
  async #lookUpLive(storage: RecordingStorage, dispatchId: string): Promise<StoredRecording | null> {
    const dispatch = parseDispatchId(dispatchId)!;
    const candidates = await storage.bucket.findCandidates(dispatch);
    if (candidates.length > 0) this.#store.upsertRecordings(candidates, Date.now());
    const picked = pickRecordingFor(dispatch, candidates);
    if (picked) this.#log.info(`${dispatchId} resolved live to ${picked.key}`);
    return picked && this.#store.findRecordingFor(dispatch);
  }

  async #signingBatch(storage: RecordingStorage) {
    try {
      return await storage.signer.batch();
    } catch (error) {
      throw describeS3Failure(error, storage.bucket.where);
    }
  }

  #requireStorage(): RecordingStorage {
    if (!this.#storage) throw new ServiceError('s3_config_missing', DETAIL_S3_CONFIG_MISSING);
    return this.#storage;
  }
}
