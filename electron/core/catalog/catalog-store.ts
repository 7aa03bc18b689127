import type { DispatchId, Direction, RecordingKey } from '../../../shared/dispatch.ts';
import { RESOLUTION_WINDOW_SECONDS, parseDispatchId } from '../../../shared/dispatch.ts';
import type { Interaction } from '../../../shared/recording.ts';
import type { CatalogDatabase } from './open-catalog.ts';

/** A recording as an S3 listing describes it. */
export interface ListedRecording extends RecordingKey {
  readonly size: number | null;
  readonly etag: string | null;
  /** Unix ms. */
  readonly lastModified: number | null;
  /** What the Egress manifest beside it tells, when one was read. */
  readonly manifest?: RecordingManifestFacts | null;
}

/** The facts Tapedeck keeps from an Egress manifest. */
export interface RecordingManifestFacts {
  readonly durationSeconds: number | null;
  /** Unix ms (the manifest gives nanoseconds). */
  readonly startedMs: number | null;
  readonly endedMs: number | null;
}

export interface StoredRecording {
  readonly id: number;
  readonly key: string;
  readonly direction: Direction;
  readonly phone: string;
  readonly timestamp: number;
  readonly size: number | null;
  /** The customer of the newest call with this dispatch id, when one was imported. */
  readonly customerName: string | null;
}

/** An interaction with the key of the recording it resolves to, as the list shows it. */
export interface InteractionRow extends Interaction {
  readonly recording_key: string | null;
}

export interface InteractionCounts {
  readonly interactions: number;
  readonly withRecording: number;
  readonly recordings: number;
}

const INTERACTION_COLUMNS =
  'i.interaction_id, i.customer_name, i.phone, i.status, i.outcome, i.duration, i.start_time, i.end_time, i.dispatch_id';

/** The dispatch → recording rule in SQL: the phone's nearest outbound recording at or after, within the window. */
const BEST_RECORDING_FOR = (phone: string, ts: string) =>
  `(SELECT r.id FROM recordings r WHERE r.phone = ${phone} AND r.direction = 'outbound'
      AND r.ts BETWEEN ${ts} AND ${ts} + ${RESOLUTION_WINDOW_SECONDS} ORDER BY r.ts LIMIT 1)`;

/**
 * Every read and write of the catalog, as prepared statements. Interactions keep a link to the
 * recording their dispatch resolves to, so the list never resolves anything per row; the link is
 * recomputed for the affected dispatches whenever recordings are added or removed.
 */
export class CatalogStore {
  readonly #db: CatalogDatabase;
  readonly #statements;

  constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#statements = {
      // The customer's name comes along for the download's file name: one query per GET.
      recordingFor: db.prepare<[{ phone: string; from: number; to: number }], StoredRecordingRow>(
        `SELECT id, key, direction, phone, ts, size,
            (SELECT customer_name FROM interactions
              WHERE dispatch_phone = $phone AND dispatch_ts = $from ORDER BY start_ms DESC LIMIT 1)
              AS customer_name
           FROM recordings
          WHERE phone = $phone AND direction = 'outbound' AND ts BETWEEN $from AND $to ORDER BY ts LIMIT 1`,
      ),
      upsertRecording: db.prepare<[ListedRecordingParams]>(
        `INSERT INTO recordings (key, direction, phone, ts, size, etag, last_modified, listed_at)
         VALUES ($key, $direction, $phone, $ts, $size, $etag, $lastModified, $listedAt)
         ON CONFLICT (key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           last_modified = excluded.last_modified, listed_at = excluded.listed_at`,
      ),
      recordingExists: db.prepare<[string], { id: number }>('SELECT id FROM recordings WHERE key = ?'),
      relinkAround: db.prepare<[string, number, number]>(
        `UPDATE interactions SET recording_id = ${BEST_RECORDING_FOR('interactions.dispatch_phone', 'interactions.dispatch_ts')}
          WHERE dispatch_phone = ? AND dispatch_ts BETWEEN ? AND ?`,
      ),
      staleRecordings: db.prepare<
        [{ prefix: string; since: number }],
        { id: number; phone: string; direction: Direction; ts: number }
      >(
        `SELECT id, phone, direction, ts FROM recordings
          WHERE substr(key, 1, length($prefix)) = $prefix AND listed_at < $since`,
      ),
      deleteRecording: db.prepare<[number]>('DELETE FROM recordings WHERE id = ?'),
      upsertInteraction: db.prepare<[InteractionParams]>(
        `INSERT INTO interactions (interaction_id, dispatch_id, customer_name, phone, status, outcome, duration,
           start_time, end_time, start_ms, dispatch_phone, dispatch_ts, recording_id)
         VALUES ($interaction_id, $dispatch_id, $customer_name, $phone, $status, $outcome, $duration,
           $start_time, $end_time, $start_ms, $dispatch_phone, $dispatch_ts,
           ${BEST_RECORDING_FOR('$dispatch_phone', '$dispatch_ts')})
         ON CONFLICT (interaction_id) DO UPDATE SET dispatch_id = excluded.dispatch_id,
           customer_name = excluded.customer_name, phone = excluded.phone, status = excluded.status,
           outcome = excluded.outcome, duration = excluded.duration, start_time = excluded.start_time,
           end_time = excluded.end_time, start_ms = excluded.start_ms, dispatch_phone = excluded.dispatch_phone,
           dispatch_ts = excluded.dispatch_ts, recording_id = excluded.recording_id`,
      ),
      // The page's rows are picked from the ordering index alone (a covering scan), and only those
      // rows are then read and joined: a plain join with OFFSET reads and joins every skipped row,
      // which costs ~40 ms at offset 90,000 (under 1 ms this way). CROSS JOIN keeps that join order.
      listPage: db.prepare<[number, number], InteractionRow>(
        `SELECT ${INTERACTION_COLUMNS}, r.key AS recording_key
           FROM (SELECT rowid AS interaction_rowid FROM interactions
                  ORDER BY start_ms DESC, interaction_id DESC LIMIT ? OFFSET ?) page
           CROSS JOIN interactions i ON i.rowid = page.interaction_rowid
           LEFT JOIN recordings r ON r.id = i.recording_id
          ORDER BY i.start_ms DESC, i.interaction_id DESC`,
      ),
      countInteractions: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM interactions'),
      countLinked: db.prepare<[], { n: number }>(
        'SELECT count(*) AS n FROM interactions WHERE recording_id IS NOT NULL',
      ),
      countRecordings: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM recordings'),
      readFact: db.prepare<[string], { value: string }>('SELECT value FROM catalog_facts WHERE name = ?'),
      writeFact: db.prepare<[string, string]>(
        'INSERT INTO catalog_facts (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  /**
   * Makes sure the cached recordings describe this bucket and prefix; when the configuration
   * changed, recordings of the old location are forgotten (interactions stay).
   */
  useLocation(location: string): void {
    this.#db
      .transaction(() => {
        if (this.#statements.readFact.get('location')?.value === location) return;
        this.#db.exec('DELETE FROM recordings; UPDATE interactions SET recording_id = NULL;');
        this.#statements.writeFact.run('location', location);
      })
      .immediate();
  }

  findRecordingFor(dispatch: DispatchId): StoredRecording | null {
    const row = this.#statements.recordingFor.get({
      phone: dispatch.phone,
      from: dispatch.timestamp,
      to: dispatch.timestamp + RESOLUTION_WINDOW_SECONDS,
    });
    return row ? toStoredRecording(row) : null;
  }

  /** Adds or refreshes listed recordings; returns how many were new. */
  upsertRecordings(recordings: readonly ListedRecording[], listedAt: number): number {
    return this.#db
      .transaction(() => {
        let added = 0;
        for (const recording of recordings) {
          const isNew = this.#statements.recordingExists.get(recording.key) === undefined;
          this.#statements.upsertRecording.run({
            key: recording.key,
            direction: recording.direction,
            phone: recording.phone,
            ts: recording.timestamp,
            size: recording.size,
            etag: recording.etag,
            lastModified: recording.lastModified,
            listedAt,
          });
          if (isNew) {
            added += 1;
            this.#relink(recording.direction, recording.phone, recording.timestamp);
          }
        }
        return added;
      })
      .immediate();
  }

  /** Forgets recordings under `keyPrefix` that a complete listing started at `listedSince` did not see. */
  removeRecordingsNotListedSince(keyPrefix: string, listedSince: number): number {
    return this.#db
      .transaction(() => {
        const stale = this.#statements.staleRecordings.all({ prefix: keyPrefix, since: listedSince });
        for (const recording of stale) {
          this.#statements.deleteRecording.run(recording.id);
          this.#relink(recording.direction, recording.phone, recording.ts);
        }
        return stale.length;
      })
      .immediate();
  }

  /** Upserts a batch of interactions by `interaction_id`, linking each to its recording. */
  upsertInteractions(interactions: readonly Interaction[]): void {
    this.#db.transaction(() => this.#upsertInteractions(interactions))();
  }

  /**
   * Upserts every batch in ONE transaction: if reading the batches fails half-way (a bad row in a
   * file), nothing of them is kept. Returns the rows read and how many interactions are new.
   */
  async upsertInteractionsAtomically(
    batches: AsyncIterable<readonly Interaction[]>,
  ): Promise<{ rows: number; added: number }> {
    const before = this.#statements.countInteractions.get()!.n;
    let rows = 0;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for await (const batch of batches) {
        this.#upsertInteractions(batch);
        rows += batch.length;
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
    return { rows, added: this.#statements.countInteractions.get()!.n - before };
  }

  #upsertInteractions(interactions: readonly Interaction[]): void {
    const upsert = this.#statements.upsertInteraction;
    for (const interaction of interactions) upsert.run(toInteractionParams(interaction));
  }

  listInteractions(limit: number, offset: number): InteractionRow[] {
    return this.#statements.listPage.all(limit, offset);
  }

  counts(): InteractionCounts {
    return {
      interactions: this.#statements.countInteractions.get()!.n,
      withRecording: this.#statements.countLinked.get()!.n,
      recordings: this.#statements.countRecordings.get()!.n,
    };
  }

  readFact(name: string): string | null {
    return this.#statements.readFact.get(name)?.value ?? null;
  }

  writeFact(name: string, value: string): void {
    this.#statements.writeFact.run(name, value);
  }

  /** Recomputes the link of every dispatch whose window contains this recording's timestamp. */
  #relink(direction: Direction, phone: string, timestamp: number): void {
    if (direction !== 'outbound') return;
    this.#statements.relinkAround.run(phone, timestamp - RESOLUTION_WINDOW_SECONDS, timestamp);
  }
}

interface StoredRecordingRow {
  id: number;
  key: string;
  direction: Direction;
  phone: string;
  ts: number;
  size: number | null;
  customer_name: string | null;
}

interface ListedRecordingParams {
  key: string;
  direction: Direction;
  phone: string;
  ts: number;
  size: number | null;
  etag: string | null;
  lastModified: number | null;
  listedAt: number;
}

interface InteractionParams extends Interaction {
  start_ms: number | null;
  dispatch_phone: string | null;
  dispatch_ts: number | null;
}

function toStoredRecording(row: StoredRecordingRow): StoredRecording {
  return {
    id: row.id,
    key: row.key,
    direction: row.direction,
    phone: row.phone,
    timestamp: row.ts,
    size: row.size,
    customerName: row.customer_name,
  };
}

function toInteractionParams(interaction: Interaction): InteractionParams {
  const dispatch = interaction.dispatch_id === null ? null : parseDispatchId(interaction.dispatch_id);
  const startMs = interaction.start_time === null ? null : Date.parse(interaction.start_time);
  return {
    interaction_id: interaction.interaction_id,
    dispatch_id: interaction.dispatch_id,
    customer_name: interaction.customer_name,
    phone: interaction.phone,
    status: interaction.status,
    outcome: interaction.outcome,
    duration: interaction.duration,
    start_time: interaction.start_time,
    end_time: interaction.end_time,
    start_ms: Number.isNaN(startMs) ? null : startMs,
    dispatch_phone: dispatch?.phone ?? null,
    dispatch_ts: dispatch?.timestamp ?? null,
  };
}
