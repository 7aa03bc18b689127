/**
 * Bringing transcripts into the catalog, for the listing sync and the import alike: which call a
 * transcript belongs to, where its recording starts (to place a LiveKit history's wall-clock times),
 * and saving or forgetting it through the TranscriptStore.
 */
import type { Statement } from 'better-sqlite3';
import { DISPATCH_ID } from '../../../shared/dispatch.ts';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { baseNameOf } from './transcript-keys.ts';
import { TranscriptStore, type TranscriptSource, type TranscriptSubject } from './transcript-store.ts';
import type { ParsedTranscript, TranscriptAlignment, TranscriptReference } from './transcript.ts';

/** A recording's file name without its extension: `outbound-15103455686_1754653479`. */
const RECORDING_BASE = /^(outbound|inbound)-(\d{1,15})_(\d{1,12})$/;

export class TranscriptIngest {
  readonly store: TranscriptStore;
  readonly #startOf: Statement<[string], { started_ms: number | null }>;
  readonly #recordingExists: Statement<[string], { one: number }>;
  readonly #recordingsAt: Statement<[string, string, number], { key: string }>;
  readonly #interactionById: Statement<[string], { interaction_id: string; key: string | null }>;
  readonly #interactionsByDispatch: Statement<
    [string, number],
    { interaction_id: string; key: string | null }
  >;

  constructor(db: CatalogDatabase, store: TranscriptStore = new TranscriptStore(db)) {
    this.store = store;
    this.#startOf = db.prepare('SELECT started_ms FROM recordings WHERE key = ?');
    this.#recordingExists = db.prepare('SELECT 1 AS one FROM recordings WHERE key = ?');
    this.#recordingsAt = db.prepare(
      'SELECT key FROM recordings WHERE phone = ? AND direction = ? AND ts = ? ORDER BY key',
    );
    this.#interactionById = db.prepare(
      `SELECT i.interaction_id, r.key FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id
        WHERE i.interaction_id = ?`,
    );
    this.#interactionsByDispatch = db.prepare(
      `SELECT i.interaction_id, r.key FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id
        WHERE i.dispatch_phone = ? AND i.dispatch_ts = ? ORDER BY i.interaction_id LIMIT 1`,
    );
  }

  /**
   * Where a recording starts in wall-clock time: the Egress manifest's start (given, from a manifest
   * read just now, or as the catalog keeps it), else the unix seconds in its key.
   */
  alignmentFor(
    recording: { readonly key: string; readonly timestamp: number },
    manifestStartMs?: number | null,
  ): TranscriptAlignment {
    const started = manifestStartMs ?? this.#startOf.get(recording.key)?.started_ms ?? null;
    return started !== null
      ? { source: 'manifest', recording_start_ms: started }
      : { source: 'key', recording_start_ms: recording.timestamp * 1000 };
  }

  /** The catalogued recording whose file has this base name (`outbound-…_…`), or null. */
  recordingKeyForBase(baseName: string): string | null {
    const match = RECORDING_BASE.exec(baseName);
    if (!match) return null;
    const keys = this.#recordingsAt.all(match[2]!, match[1]!, Number(match[3]));
    return keys.find((row) => baseNameOf(row.key).endsWith(`/${baseName}`))?.key ?? keys[0]?.key ?? null;
  }

  /**
   * The call a `dispatch_id` / `interaction_id` inside a transcript names: its recording when it has
   * one (the transcript then follows the recording), else the call itself. Null when no call has it.
   */
  subjectForReference(
    reference: TranscriptReference,
  ): { subject: TranscriptSubject; by: keyof TranscriptReference } | null {
    const byId = reference.interaction_id ? this.#interactionById.get(reference.interaction_id) : undefined;
    const dispatch = reference.dispatch_id ? DISPATCH_ID.exec(reference.dispatch_id) : null;
    const byDispatch =
      byId === undefined && dispatch
        ? this.#interactionsByDispatch.get(dispatch[2]!, Number(dispatch[1]))
        : undefined;
    const row = byId ?? byDispatch;
    if (!row) return null;
    return {
      subject: row.key !== null ? { recording_key: row.key } : { interaction_id: row.interaction_id },
      by: byId ? 'interaction_id' : 'dispatch_id',
    };
  }

  sourceOf(recordingKey: string): TranscriptSource | null {
    return this.store.sourceOf({ recording_key: recordingKey });
  }

  save(subject: TranscriptSubject, parsed: ParsedTranscript, source: TranscriptSource): number {
    return this.store.save(subject, parsed, source).segment_count;
  }

  remove(recordingKey: string): boolean {
    return this.store.remove({ recording_key: recordingKey });
  }

  /** Forgets the transcripts of these recordings that the catalog no longer has; returns how many. */
  removeOrphans(recordingKeys: Iterable<string>): number {
    let removed = 0;
    for (const key of recordingKeys) {
      if (this.#recordingExists.get(key) === undefined && this.remove(key)) removed += 1;
    }
    return removed;
  }
}
