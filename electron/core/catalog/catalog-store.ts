import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { DispatchId, Direction, RecordingKey } from '../../../shared/dispatch.ts';
import { RESOLUTION_WINDOW_SECONDS } from '../../../shared/dispatch.ts';
import type { Interaction } from '../../../shared/recording.ts';
import type { CatalogDatabase } from './open-catalog.ts';
import { isUnfiltered, type CallFilter } from './call-filter.ts';
import { CallPages, type CallRecord, type ListCursor } from './call-pages.ts';
import {
  interactionColumns,
  InteractionRowWriter,
  WRITE_COLUMNS,
  type InteractionColumns,
  type InteractionSource,
} from './interaction-columns.ts';
import { readCatalogUser } from './catalog-in-use.ts';
import { StandIns } from './stand-ins.ts';

export type { InteractionSource } from './interaction-columns.ts';

/** Unfiltered pages ending before this offset are read straight from the order index. */
const SHALLOW_PAGE_END = 10_000;
/** Imports at least this big (and at least as big as the catalog) rebuild the indexes once instead. */
const REBUILD_INDEXES_FROM = 50_000;
/** The catalog fact that counts writes of call metadata (see CallQueries.facets). */
export const METADATA_GENERATION = 'metadata_generation';
/** The unique index on interaction_id that upserts rely on (migration 007). */
const ID_INDEX = 'interactions_by_id';

const UPSERT_UPDATE = `ON CONFLICT (interaction_id) DO UPDATE SET dispatch_id = excluded.dispatch_id,
  customer_name = excluded.customer_name, phone = excluded.phone, status = excluded.status,
  outcome = excluded.outcome, duration = excluded.duration, start_time = excluded.start_time,
  end_time = excluded.end_time, start_ms = excluded.start_ms, dispatch_phone = excluded.dispatch_phone,
  dispatch_ts = excluded.dispatch_ts, phone_rev = excluded.phone_rev, source = excluded.source`;

/** Told as each step of a bulk load ends (for profiling: bench/import-profile.ts). */
export type BulkPhaseListener = (phase: string) => void;

/** How a bulk load into an empty catalog writes (the defaults measured best; see docs/performance.md). */
export interface BulkLoadTuning {
  /** 'rollback': a rollback journal for the load when the catalog allows it; 'wal': always the WAL. */
  readonly journal: 'rollback' | 'wal';
  /** PRAGMA synchronous during a rollback-journal load. */
  readonly synchronous: 'OFF' | 'NORMAL' | 'FULL';
}

export const DEFAULT_BULK_TUNING: BulkLoadTuning = { journal: 'rollback', synchronous: 'FULL' };

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
  readonly #standIns: StandIns;
  readonly #pages: CallPages;
  #counts: { generation: string; value: InteractionCounts } | null = null;

  constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#standIns = new StandIns(db);
    this.#pages = CallPages.of(db);
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
        `INSERT INTO recordings (key, direction, phone, ts, size, etag, last_modified, listed_at,
           duration, started_ms, ended_ms)
         VALUES ($key, $direction, $phone, $ts, $size, $etag, $lastModified, $listedAt,
           $duration, $startedMs, $endedMs)
         ON CONFLICT (key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           last_modified = excluded.last_modified, listed_at = excluded.listed_at,
           duration = coalesce(excluded.duration, duration),
           started_ms = coalesce(excluded.started_ms, started_ms),
           ended_ms = coalesce(excluded.ended_ms, ended_ms)`,
      ),
      recordingExists: db.prepare<[string], { id: number }>('SELECT id FROM recordings WHERE key = ?'),
      // A call already linked right is left alone: a write moves the list's order index entry too.
      relinkAround: db.prepare<[string, number, number]>(
        `UPDATE interactions SET recording_id = ${BEST_RECORDING_FOR('interactions.dispatch_phone', 'interactions.dispatch_ts')}
          WHERE dispatch_phone = ? AND dispatch_ts BETWEEN ? AND ?
            AND recording_id IS NOT ${BEST_RECORDING_FOR('interactions.dispatch_phone', 'interactions.dispatch_ts')}`,
      ),
      staleRecordings: db.prepare<
        [{ prefix: string; since: number }],
        { id: number; phone: string; direction: Direction; ts: number }
      >(
        `SELECT id, phone, direction, ts FROM recordings
          WHERE substr(key, 1, length($prefix)) = $prefix AND listed_at < $since`,
      ),
      deleteRecording: db.prepare<[number]>('DELETE FROM recordings WHERE id = ?'),
      upsertInteraction: db.prepare<[InteractionColumns]>(
        `INSERT INTO interactions (${WRITE_COLUMNS.join(', ')}, recording_id)
         VALUES (${WRITE_COLUMNS.map((column) => `$${column}`).join(', ')},
           ${BEST_RECORDING_FOR('$dispatch_phone', '$dispatch_ts')})
         ${UPSERT_UPDATE}, recording_id = excluded.recording_id`,
      ),
      dispatchPhoneOf: db.prepare<[string], { dispatch_phone: string | null }>(
        'SELECT dispatch_phone FROM interactions WHERE interaction_id = ?',
      ),
      // Bulk: links are left for one pass at the end (a changed dispatch drops its old link).
      linkUnlinked: db.prepare(
        `UPDATE interactions SET recording_id = ${BEST_RECORDING_FOR('interactions.dispatch_phone', 'interactions.dispatch_ts')}
          WHERE recording_id IS NULL
            AND dispatch_phone IN (SELECT phone FROM recordings WHERE direction = 'outbound')`,
      ),
      // Secondary indexes and the search triggers: what a bulk load drops and builds again once.
      interactionIndexes: db.prepare<[], { type: string; name: string; sql: string }>(
        `SELECT type, name, sql FROM sqlite_master
          WHERE type IN ('index', 'trigger') AND tbl_name = 'interactions' AND sql IS NOT NULL`,
      ),
      // The page's rows are picked from the ordering index alone (a covering scan), and only those
      // rows are then read and joined: a plain join with OFFSET reads and joins every skipped row,
      // which costs ~40 ms at offset 90,000 (under 1 ms this way). CROSS JOIN keeps that join order.
      // Read as arrays and made into objects by toInteractionRow (half the cost of row objects).
      listPage: db
        .prepare<[number, number], unknown[]>(
          `SELECT ${INTERACTION_COLUMNS}, r.key AS recording_key
             FROM (SELECT rowid AS interaction_rowid FROM interactions
                    ORDER BY start_ms DESC, interaction_id DESC LIMIT ? OFFSET ?) page
             CROSS JOIN interactions i ON i.rowid = page.interaction_rowid
             LEFT JOIN recordings r ON r.id = i.recording_id
            ORDER BY i.start_ms DESC, i.interaction_id DESC`,
        )
        .raw(),
      // Stand-ins are not calls with metadata: they are counted (through their small index) and left out.
      countInteractions: db.prepare<[], { n: number }>(
        `SELECT (SELECT count(*) FROM interactions)
           - (SELECT count(*) FROM interactions WHERE source = 'recording' AND recording_id IS NOT NULL) AS n`,
      ),
      countLinked: db.prepare<[], { n: number }>(
        `SELECT (SELECT count(*) FROM interactions WHERE recording_id IS NOT NULL)
           - (SELECT count(*) FROM interactions WHERE source = 'recording' AND recording_id IS NOT NULL) AS n`,
      ),
      hasMetadataCalls: db.prepare<[], { yes: number }>(
        "SELECT EXISTS (SELECT 1 FROM interactions WHERE source != 'recording') AS yes",
      ),
      // The list's views and counts hold while this counter stands still (see CallPages). Every write
      // here that changes a call moves it, once per transaction: a trigger did it once per ROW,
      // which made a sync's hundred thousand links 2.4 s slower.
      bumpCallsGeneration: db.prepare('UPDATE interactions_generation SET n = n + 1 WHERE id = 1'),
      // Moved only when call metadata is written (not links): what the filters offer can change.
      bumpMetadataGeneration: db.prepare(
        `INSERT INTO catalog_facts (name, value) VALUES ('${METADATA_GENERATION}', '1')
         ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
      ),
      countRecordings: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM recordings'),
      attach: db.prepare<[string, string]>('ATTACH DATABASE ? AS ?'),
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
        this.#db.exec(
          // Only linked calls are rewritten (a million calls, 100,000 linked: 1.6 s instead of 4).
          `DELETE FROM interactions WHERE source = 'recording'; DELETE FROM recordings;
           UPDATE interactions SET recording_id = NULL WHERE recording_id IS NOT NULL;`,
        );
        this.#statements.writeFact.run('location', location);
        this.#statements.bumpCallsGeneration.run();
      })
      .immediate();
  }

  /** The folder of the catalog file (scratch files of an import go beside it); null in memory. */
  get folder(): string | null {
    return this.#db.memory || this.#db.name === '' ? null : dirname(this.#db.name);
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
        let callsChanged = 0;
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
            duration: recording.manifest?.durationSeconds ?? null,
            startedMs: recording.manifest?.startedMs ?? null,
            endedMs: recording.manifest?.endedMs ?? null,
          });
          if (isNew) {
            added += 1;
            callsChanged += this.#relink(recording.direction, recording.phone, recording.timestamp);
          }
        }
        callsChanged += this.#standIns.reconcile(recordings.map((recording) => recording.phone));
        if (callsChanged > 0) this.#statements.bumpCallsGeneration.run();
        return added;
      })
      .immediate();
  }

  /** Forgets recordings under `keyPrefix` that a complete listing started at `listedSince` did not see. */
  removeRecordingsNotListedSince(keyPrefix: string, listedSince: number): number {
    return this.#db
      .transaction(() => {
        const stale = this.#statements.staleRecordings.all({ prefix: keyPrefix, since: listedSince });
        let callsChanged = 0;
        for (const recording of stale) {
          callsChanged += this.#standIns.removeFor(recording.id);
          this.#statements.deleteRecording.run(recording.id);
          callsChanged += this.#relink(recording.direction, recording.phone, recording.ts);
        }
        callsChanged += this.#standIns.reconcile(stale.map((recording) => recording.phone));
        if (callsChanged > 0) this.#statements.bumpCallsGeneration.run();
        return stale.length;
      })
      .immediate();
  }

  /** Upserts a batch of interactions by `interaction_id`, linking each to its recording. */
  upsertInteractions(interactions: readonly Interaction[], source: InteractionSource = 'file'): void {
    this.#db
      .transaction(() => {
        const upsert = this.#statements.upsertInteraction;
        // Recordings of these phones may change hands: the new dispatches', and the old ones' of
        // calls whose dispatch changed (their recording may be left with no call: a stand-in again).
        const phones = new Set<string>();
        for (const interaction of interactions) {
          const before = this.#statements.dispatchPhoneOf.get(interaction.interaction_id);
          if (before?.dispatch_phone) phones.add(before.dispatch_phone);
          const params = interactionColumns(interaction, source);
          upsert.run(params);
          if (params.dispatch_phone !== null) phones.add(params.dispatch_phone);
        }
        this.#standIns.reconcile(phones);
        if (interactions.length > 0) {
          this.#statements.bumpCallsGeneration.run();
          this.#statements.bumpMetadataGeneration.run();
        }
      })
      .immediate();
  }

  /**
   * Upserts every batch in ONE transaction: if reading the batches fails half-way (a bad row in a
   * file), nothing of them is kept. Returns the rows read and how many interactions are new.
   *
   * Built for a million rows: 64 rows per statement; links to recordings and stand-ins settled in
   * one pass at the end; and when the import is at least as big as the catalog, the secondary
   * indexes are dropped and built again once (sorting once beats a million random index inserts).
   * Into a catalog with no calls yet (stand-ins aside), rows go straight into the table with every
   * index dropped, the id index included.
   */
  async upsertInteractionsAtomically(
    batches: AsyncIterable<readonly Interaction[]>,
    options: { source?: InteractionSource; expectedRows?: number } = {},
  ): Promise<{ rows: number; added: number }> {
    const source = options.source ?? 'file';
    const { before, ...plan } = this.#bulkPlan(options.expectedRows ?? 0);
    let rows = 0;
    return this.#bulkTransaction(plan, async (target) => {
      const writer = new InteractionRowWriter(this.#db, target, source);
      for await (const batch of batches) writer.add(batch);
      rows = writer.finish();
    }).then(() => ({ rows, added: this.#statements.countInteractions.get()!.n - before }));
  }

  /**
   * The same as upsertInteractionsAtomically, for rows already read into staging files (SQLite
   * files with a `rows` table of the WRITE_COLUMNS, in file order, as import workers write them):
   * they are copied in by SQLite itself, file after file, in one transaction.
   */
  async loadStagedInteractions(
    stagingFiles: readonly string[],
    rows: number,
    options: { onPhase?: BulkPhaseListener; tuning?: Partial<BulkLoadTuning> } = {},
  ): Promise<{ rows: number; added: number }> {
    const { before, ...plan } = this.#bulkPlan(rows);
    const onPhase = options.onPhase ?? (() => {});
    const schemas = stagingFiles.map((_, index) => `staged_${index}`);
    // ATTACH and DETACH cannot run inside a transaction.
    const attached: string[] = [];
    try {
      stagingFiles.forEach((file, index) => {
        this.#statements.attach.run(file, schemas[index]!);
        attached.push(schemas[index]!);
      });
      await this.#bulkTransaction(
        plan,
        (target) => {
          const columns = WRITE_COLUMNS.join(', ');
          for (const schema of schemas) {
            this.#db.exec(
              `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${schema}.rows ORDER BY rowid`,
            );
          }
          return Promise.resolve();
        },
        onPhase,
        { ...DEFAULT_BULK_TUNING, ...options.tuning },
      );
    } finally {
      for (const schema of attached) this.#db.exec(`DETACH DATABASE ${schema}`);
    }
    return { rows, added: this.#statements.countInteractions.get()!.n - before };
  }

  /**
   * How a load of about `rows` rows goes: indexes rebuilt once when it is at least as big as the
   * catalog; straight into the table when the catalog has no calls yet (stand-ins aside).
   */
  #bulkPlan(rows: number): { before: number; rebuild: boolean; intoEmpty: boolean } {
    const before = this.#statements.countInteractions.get()!.n;
    const rebuild = rows >= Math.max(REBUILD_INDEXES_FROM, before);
    return { before, rebuild, intoEmpty: rebuild && this.#statements.hasMetadataCalls.get()!.yes === 0 };
  }

  /**
   * The one transaction of a bulk load. `fill` writes the rows into the table it is given: the
   * interactions themselves when loading into an empty catalog (every index dropped first), else a
   * staging table that is then upserted in interaction_id order — a million random-order inserts
   * into the id index cost 5 s; the same inserts sorted cost about 2.
   */
  async #bulkTransaction(
    plan: { rebuild: boolean; intoEmpty: boolean },
    fill: (target: string) => Promise<void>,
    onPhase: BulkPhaseListener = () => {},
    tuning: BulkLoadTuning = DEFAULT_BULK_TUNING,
  ): Promise<void> {
    const cacheSize = this.#db.pragma('cache_size', { simple: true }) as number;
    const threads = this.#db.pragma('threads', { simple: true }) as number;
    if (!plan.intoEmpty) {
      this.#db.exec(
        `CREATE TEMP TABLE IF NOT EXISTS import_staging (${WRITE_COLUMNS.join(', ')}); DELETE FROM temp.import_staging;`,
      );
    }
    const restoreJournal = plan.intoEmpty ? this.#leaveWalForBulkLoad(tuning) : null;
    // Random inserts into a million-key index thrash SQLite's default page cache.
    this.#db.pragma('cache_size = -131072');
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      // The id index stays unless the table is empty: the upsert needs it.
      const indexes = plan.rebuild
        ? this.#statements.interactionIndexes
            .all()
            .filter((index) => plan.intoEmpty || index.name !== ID_INDEX)
        : [];
      for (const index of indexes) this.#db.exec(`DROP ${index.type.toUpperCase()} ${index.name}`);
      // Stand-ins are all there is: they go (with the triggers gone, nothing else notices) and the
      // reconcile below brings back those the new calls do not claim.
      if (plan.intoEmpty) this.#db.exec('DELETE FROM interactions');
      onPhase('prepare');
      await fill(plan.intoEmpty ? 'interactions' : 'temp.import_staging');
      onPhase('copy');
      if (!plan.intoEmpty) {
        this.#db.exec(
          `INSERT INTO interactions (${WRITE_COLUMNS.join(', ')})
           SELECT ${WRITE_COLUMNS.join(', ')} FROM temp.import_staging WHERE true ORDER BY interaction_id, rowid
           ${UPSERT_UPDATE},
             recording_id = CASE WHEN excluded.dispatch_id IS interactions.dispatch_id THEN interactions.recording_id END;
           DELETE FROM temp.import_staging;`,
        );
        onPhase('upsert');
      }
      if (plan.rebuild) {
        // Indexes are built by sorting; with a small page cache SQLite's sorter spills sorted runs
        // and merges them on worker threads (about 40 % faster here than one thread in memory).
        this.#db.pragma('cache_size = -2000');
        this.#db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
        for (const index of indexes.filter((each) => each.type === 'index')) {
          this.#createIndex(index);
          onPhase(`index ${index.name}`);
        }
        // The search index is filled in one statement too (per-row triggers cost ~7 s a million).
        this.#db.exec(`INSERT INTO interactions_search (interactions_search) VALUES ('delete-all');
          INSERT INTO interactions_search (rowid, name)
            SELECT rowid, customer_name FROM interactions WHERE customer_name IS NOT NULL;`);
        onPhase('search index');
        for (const trigger of indexes.filter((each) => each.type === 'trigger')) this.#db.exec(trigger.sql);
        this.#db.pragma('cache_size = -131072'); // the link pass below reads all over the table
      }
      this.#statements.linkUnlinked.run();
      this.#standIns.reconcile(null);
      this.#statements.bumpCallsGeneration.run();
      this.#statements.bumpMetadataGeneration.run();
      onPhase('links and stand-ins');
      this.#db.exec('COMMIT');
      onPhase('commit');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#db.pragma(`cache_size = ${cacheSize}`);
      this.#db.pragma(`threads = ${threads}`);
      if (!plan.intoEmpty) this.#db.exec('DROP TABLE IF EXISTS temp.import_staging');
      restoreJournal?.();
      onPhase('journal');
    }
  }

  /**
   * A bulk load into an empty catalog that no one else has open runs with a rollback journal
   * instead of the WAL: pages past the file's end before the load are never journaled, so the rows
   * and indexes are written to the catalog once (the WAL writes them twice: to the log, then back
   * at the checkpoint). Still all or nothing: a load killed half-way leaves a journal of the few
   * pages it changed, which SQLite rolls back when the catalog is next opened. Leaving WAL needs
   * sole access (SQLite refuses while another connection has the file open), and a catalog a
   * running app has claimed is not touched either: their loads keep the WAL. Returns what puts
   * the WAL back, or null when the load keeps it.
   */
  #leaveWalForBulkLoad(tuning: BulkLoadTuning): (() => void) | null {
    const folder = this.folder;
    if (tuning.journal === 'wal' || folder === null || this.#db.inTransaction) return null;
    if ((this.#db.pragma('main.journal_mode', { simple: true }) as string) !== 'wal') return null;
    const user = readCatalogUser(folder);
    if (user !== null && user.pid !== process.pid) return null;
    const busyTimeout = this.#db.pragma('busy_timeout', { simple: true }) as number;
    const synchronous = this.#db.pragma('main.synchronous', { simple: true }) as number;
    this.#db.pragma('busy_timeout = 0'); // another connection: keep the WAL at once, do not wait
    try {
      this.#db.pragma('main.journal_mode = DELETE');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      return null;
    } finally {
      this.#db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    this.#db.pragma(`main.synchronous = ${tuning.synchronous}`);
    return () => {
      this.#db.pragma(`main.synchronous = ${synchronous}`);
      try {
        this.#db.pragma('main.journal_mode = WAL');
      } catch (error) {
        // Someone opened the catalog during the load: the next openCatalog puts the WAL back.
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      }
    };
  }

  /**
   * Builds a dropped index again. Rows loaded straight into an empty table may repeat an id (a
   * file that corrects an earlier line): the last one wins, as an upsert would have it.
   */
  #createIndex(index: { name: string; sql: string }): void {
    try {
      this.#db.exec(index.sql);
    } catch (error) {
      if (index.name !== ID_INDEX || (error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE')
        throw error;
      this.#db.exec(
        'DELETE FROM interactions WHERE rowid NOT IN (SELECT max(rowid) FROM interactions GROUP BY interaction_id)',
      );
      this.#db.exec(index.sql);
    }
  }

  listInteractions(limit: number, offset: number): InteractionRow[] {
    return this.#statements.listPage.all(limit, offset).map(toInteractionRow);
  }

  /** Every call of a view, newest first, a batch at a time (CSV export). */
  callBatches(filter: CallFilter): Generator<CallRecord[]> {
    return this.#pages.batches(filter);
  }

  /** A keyset page of the list (`after`), and the cursor of its end (null on the last page). */
  listCallsAfter(
    filter: CallFilter,
    cursor: ListCursor | null,
    limit: number,
  ): { rows: CallRecord[]; next: ListCursor | null } {
    return this.#pages.pageAfter(filter, cursor, limit);
  }

  /**
   * A page of the list for a filter, without its count. The spec's unfiltered list near its top
   * reads the order index directly (no cost after a change); deeper pages and filtered lists come
   * from the view CallPages keeps.
   */
  listCalls(filter: CallFilter, limit: number, offset: number): CallRecord[] {
    if (offset + limit <= SHALLOW_PAGE_END && isUnfiltered(filter)) return this.#pages.top(offset, limit);
    return this.#pages.page(filter, offset, limit).rows;
  }

  /** Calls with metadata, how many of them have a recording, and recordings; kept until the catalog changes. */
  counts(): InteractionCounts {
    const generation = this.#pages.generation();
    if (this.#counts?.generation !== generation) {
      this.#counts = {
        generation,
        value: {
          interactions: this.#statements.countInteractions.get()!.n,
          withRecording: this.#statements.countLinked.get()!.n,
          recordings: this.#statements.countRecordings.get()!.n,
        },
      };
    }
    return this.#counts.value;
  }

  readFact(name: string): string | null {
    return this.#statements.readFact.get(name)?.value ?? null;
  }

  writeFact(name: string, value: string): void {
    this.#statements.writeFact.run(name, value);
  }

  /** Recomputes the link of every dispatch whose window contains this recording's timestamp. */
  #relink(direction: Direction, phone: string, timestamp: number): number {
    if (direction !== 'outbound') return 0;
    return this.#statements.relinkAround.run(phone, timestamp - RESOLUTION_WINDOW_SECONDS, timestamp).changes;
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
  duration: number | null;
  startedMs: number | null;
  endedMs: number | null;
}

/** A listPage row (INTERACTION_COLUMNS, then the recording's key), in one object shape. */
function toInteractionRow(row: unknown[]): InteractionRow {
  return {
    interaction_id: row[0] as string,
    customer_name: row[1] as string | null,
    phone: row[2] as string | null,
    status: row[3] as string | null,
    outcome: row[4] as string | null,
    duration: row[5] as number | null,
    start_time: row[6] as string | null,
    end_time: row[7] as string | null,
    dispatch_id: row[8] as string | null,
    recording_key: row[9] as string | null,
  };
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
