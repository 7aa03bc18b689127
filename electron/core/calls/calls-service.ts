import type { Readable } from 'node:stream';
import type { CallQuery, CallRow, Waveform } from '../../../shared/contract.ts';
import type { Interaction, RecordingList, RecordingListItem } from '../../../shared/recording.ts';
import { NO_FILTER, type CallFilter } from '../catalog/call-filter.ts';
import {
  CallPages,
  decodeCursor,
  encodeCursor,
  type CallRecord,
  type ListCursor,
} from '../catalog/call-pages.ts';
import { fileNameOf } from '../catalog/call-queries.ts';
import { callsCsvStream, writeCallsCsv } from '../export/calls-csv.ts';
import { requireStorage, type LibraryRef } from '../library/library-ref.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import { ServiceError } from '../service-error.ts';
import { saidHitsOf } from '../transcripts/said-hits.ts';
import type { SaidHit } from '../transcripts/transcript-store.ts';

/** How a page is asked for: by offset (the spec's paging) or after a keyset cursor (`after`). */
export type CallPaging =
  | { readonly limit: number; readonly offset: number; readonly after?: undefined }
  | { readonly limit: number; readonly after: string; readonly offset?: undefined };

export interface CallPage {
  readonly rows: CallRecord[];
  /** How many calls the view holds, when it was asked for (the desktop list shows it). */
  readonly total: number | null;
  /** Keyset paging only: the cursor of the next page, null at the end. */
  readonly next: string | null;
}

/**
 * The calls domain: the list (filtered, searched, paged), its export and the waveforms of its
 * recordings. `recordings:list` and `GET /recordings` both read their rows through `page`, so the
 * two doors give the same calls in the same order for the same filter.
 */
export class CallsService {
  readonly #library: LibraryRef;

  constructor(library: LibraryRef) {
    this.#library = library;
  }

  /** The one query path of the list. */
  page(filter: CallFilter, paging: CallPaging, options: { total: boolean }): CallPage {
    const { store, catalog } = this.#library();
    if (paging.after === undefined) {
      if (options.total) {
        const { rows, total } = CallPages.of(catalog).page(filter, paging.offset, paging.limit);
        return { rows, total, next: null };
      }
      return { rows: store.listCalls(filter, paging.limit, paging.offset), total: null, next: null };
    }
    const cursor: ListCursor | null = paging.after === '' ? null : decodeCursor(paging.after);
    if (paging.after !== '' && cursor === null) {
      throw new ServiceError(
        'invalid_input',
        'after is not a cursor of this list: pass the next_after of the previous page, or an empty after= for the first.',
      );
    }
    const { rows, next } = store.listCallsAfter(filter, cursor, paging.limit);
    return { rows, total: null, next: next && encodeCursor(next) };
  }

  /**
   * `recordings:list`: a page of calls with what the player and downloads need, at once: a new
   * view's first pages come from the order index, and `total` is null until the view's count is
   * ready (the renderer then asks `recordings:count`), unless the page itself shows where the view ends.
   */
  list(query: CallQuery): { rows: CallRow[]; total: number | null; offset: number } {
    const pages = CallPages.of(this.#library().catalog);
    const { rows } = pages.page(query, query.offset, query.limit); // its `total` would count: not read
    const total = pages.readyTotal(query) ?? endOfView(query.offset, query.limit, rows.length);
    const said = saidHitsOf(this.#library().catalog, query, rows);
    return {
      rows: rows.map((row, index) => {
        const call = toCallRow(row);
        const hits = said?.[index];
        // Only with a said filter: each row then carries its hits (none when its transcript went meanwhile).
        return hits === undefined
          ? call
          : {
              ...call,
              said: hits.map((hit) => ({
                startMs: hit.start_ms,
                speaker: hit.speaker,
                snippet: hit.snippet,
              })),
            };
      }),
      total,
      offset: query.offset,
    };
  }

  /** `recordings:count`: the view's exact size (builds the view's ordered ids when it is new). */
  count(filter: CallFilter): number {
    return CallPages.of(this.#library().catalog).page(filter, 0, 1).total;
  }

  /** `GET /recordings`: a page of the list as the spec answers it, each with a playable URL. */
  async listRecordings(
    filter: CallFilter | undefined,
    paging: CallPaging,
    expiresIn: number,
  ): Promise<RecordingList & { next_after?: string | null }> {
    const storage = requireStorage(this.#library());
    const { rows, next } = this.page(filter ?? NO_FILTER, paging, { total: false });
    let batch = null;
    if (rows.some((row) => row.recording_key !== null)) {
      try {
        batch = await storage.signer.batch();
      } catch (error) {
        throw describeS3Failure(error, storage.bucket.where);
      }
    }
    const said = saidHitsOf(this.#library().catalog, filter ?? NO_FILTER, rows);
    const recordings = rows.map((row, index): RecordingListItem & { said?: readonly SaidHit[] } => ({
      interaction_id: row.interaction_id,
      customer_name: row.customer_name,
      phone: row.phone,
      status: row.status,
      outcome: row.outcome,
      duration: row.duration,
      start_time: row.start_time,
      end_time: row.end_time,
      recording_url:
        row.recording_key !== null && batch ? batch.sign(row.recording_key, expiresIn).url : null,
      dispatch_id: row.dispatch_id,
      // Tapedeck extension, only with said=: the spec's answer is otherwise unchanged.
      ...(said ? { said: said[index] ?? [] } : {}),
    }));
    const list = { recordings, limit: paging.limit, offset: paging.offset ?? 0 };
    // Only a keyset request gets the extra field: the spec's answer stays exactly the spec's.
    return paging.after === undefined ? list : { ...list, next_after: next };
  }

  /** A view of the list as CSV, streamed (`GET /recordings.csv`); works without a bucket too. */
  exportCsv(filter: CallFilter): Readable {
    return callsCsvStream(this.#library().store.callBatches(filter));
  }

  /** Writes a view as a CSV file, atomically, never over another file; says where and how many. */
  exportCsvFile(filter: CallFilter, file: string): Promise<{ path: string; rows: number }> {
    return writeCallsCsv(file, this.#library().store.callBatches(filter));
  }

  /** The newest call placed by a dispatch, or null. */
  interactionOfDispatch(dispatchId: string): string | null {
    return this.#library().calls.interactionOfDispatch(dispatchId);
  }

  waveform(key: string): Waveform | null {
    return this.#library().calls.waveform(key);
  }

  /** Keeps the peaks the player computed, for this version (ETag) of the recording. */
  saveWaveform(key: string, waveform: Waveform, now: number): void {
    const { calls } = this.#library();
    const recording = calls.recordingByKey(key);
    if (!recording) throw new ServiceError('not_found', 'That recording is not in the catalog.');
    calls.saveWaveform(key, recording.etag, waveform, now);
  }
}

/** The view's size when a page shows it (a short page that is not past the end); else null. */
function endOfView(offset: number, limit: number, rows: number): number | null {
  return rows < limit && (rows > 0 || offset === 0) ? offset + rows : null;
}

/** The documented fields of a call, in the spec's order, and nothing else. */
function documentedFields(row: CallRecord): Interaction {
  return {
    interaction_id: row.interaction_id,
    customer_name: row.customer_name,
    phone: row.phone,
    status: row.status,
    outcome: row.outcome,
    duration: row.duration,
    start_time: row.start_time,
    end_time: row.end_time,
    dispatch_id: row.dispatch_id,
  };
}

function toCallRow(row: CallRecord): CallRow {
  return {
    ...documentedFields(row),
    recording:
      row.recording_key === null
        ? null
        : { key: row.recording_key, size: row.recording_size, fileName: fileNameOf(row) },
  };
}
