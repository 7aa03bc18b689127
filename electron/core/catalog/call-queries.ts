import { parseDispatchId } from '../../../shared/dispatch.ts';
import { downloadFileName } from '../../../shared/download-name.ts';
import type { Waveform } from '../../../shared/contract.ts';
import { CALL_COLUMNS, type CallRecord } from './call-pages.ts';
import { METADATA_GENERATION } from './catalog-store.ts';
import type { CatalogDatabase } from './open-catalog.ts';

/** An interaction with what a download of its recording needs. */
export interface CallRecording {
  readonly interactionId: string;
  readonly key: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly fileName: string;
}

/**
 * What the catalog answers about calls besides their pages (CallPages): the facets the filters
 * offer, a call's recording, and cached waveforms.
 */
export class CallQueries {
  readonly #byId;
  readonly #byDispatch;
  readonly #waveformGet;
  readonly #waveformPut;
  readonly #recordingByKey;
  readonly #statuses;
  readonly #outcomes;
  readonly #metadataGeneration;
  #facets: { generation: string; value: { statuses: string[]; outcomes: string[] } } | null = null;

  constructor(db: CatalogDatabase) {
    this.#metadataGeneration = db
      .prepare<[], string>(`SELECT value FROM catalog_facts WHERE name = '${METADATA_GENERATION}'`)
      .pluck();
    this.#byId = db.prepare<[string], CallRecord>(
      `SELECT ${CALL_COLUMNS} FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id
        WHERE i.interaction_id = ?`,
    );
    // Through the dispatch index (its parsed parts), newest call first.
    this.#byDispatch = db
      .prepare<[string, number, string], string>(
        `SELECT interaction_id FROM interactions
          WHERE dispatch_phone = ? AND dispatch_ts = ? AND dispatch_id = ? ORDER BY start_ms DESC LIMIT 1`,
      )
      .pluck();
    this.#waveformGet = db.prepare<[string], { data: string }>(
      'SELECT data FROM waveforms WHERE recording_key = ?',
    );
    this.#waveformPut = db.prepare<[string, string | null, string, number]>(
      `INSERT INTO waveforms (recording_key, etag, data, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (recording_key) DO UPDATE SET etag = excluded.etag, data = excluded.data, created_at = excluded.created_at`,
    );
    this.#recordingByKey = db.prepare<[string], { key: string; size: number | null; etag: string | null }>(
      'SELECT key, size, etag FROM recordings WHERE key = ?',
    );
    this.#statuses = db.prepare<[], { value: string }>(
      'SELECT DISTINCT status AS value FROM interactions WHERE status IS NOT NULL ORDER BY 1 LIMIT 200',
    );
    this.#outcomes = db.prepare<[], { value: string }>(
      'SELECT DISTINCT outcome AS value FROM interactions WHERE outcome IS NOT NULL ORDER BY 1 LIMIT 200',
    );
  }

  /**
   * Kept until call metadata is written (here or by another process); links to recordings, which a
   * sync changes, do not change them. Reading them scans every call: about a second for a million.
   */
  facets(): { statuses: string[]; outcomes: string[] } {
    const generation = this.#metadataGeneration.get() ?? '0';
    if (this.#facets?.generation !== generation) {
      this.#facets = {
        generation,
        value: {
          statuses: this.#statuses.all().map((row) => row.value),
          outcomes: this.#outcomes.all().map((row) => row.value),
        },
      };
    }
    return this.#facets.value;
  }

  /** The recording an interaction resolves to, with the name its download gets; null if it has none. */
  recordingOf(interactionId: string): CallRecording | null {
    const row = this.#byId.get(interactionId);
    if (!row || row.recording_key === null) return null;
    return {
      interactionId,
      key: row.recording_key,
      size: row.recording_size,
      etag: row.recording_etag,
      fileName: fileNameOf(row),
    };
  }

  /** Whether the catalog has this call (a review must be of a call it knows). */
  hasCall(interactionId: string): boolean {
    return this.#byId.get(interactionId) !== undefined;
  }

  /** The newest call placed by this dispatch, or null. */
  interactionOfDispatch(dispatchId: string): string | null {
    const dispatch = parseDispatchId(dispatchId);
    return dispatch ? (this.#byDispatch.get(dispatch.phone, dispatch.timestamp, dispatchId) ?? null) : null;
  }

  /** A recording the catalog knows (the only ones the player and downloads may open). */
  recordingByKey(key: string): { key: string; size: number | null; etag: string | null } | null {
    return this.#recordingByKey.get(key) ?? null;
  }

  waveform(key: string): Waveform | null {
    const row = this.#waveformGet.get(key);
    return row ? (JSON.parse(row.data) as Waveform) : null;
  }

  saveWaveform(key: string, etag: string | null, waveform: Waveform, now: number): void {
    this.#waveformPut.run(key, etag, JSON.stringify(waveform), now);
  }
}

/** The name a download of a call's recording is saved under. */
export function fileNameOf(row: CallRecord): string {
  return downloadFileName({
    customerName: row.customer_name,
    phone: row.recording_phone ?? row.phone ?? 'unknown',
    timestamp: row.recording_ts ?? 0,
  });
}
