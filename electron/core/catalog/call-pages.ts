import Database, { type Statement } from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Interaction } from '../../../shared/recording.ts';
import { SaidPlans } from '../transcripts/said-plans.ts';
import { filterSql, NO_FILTER, saidText, type CallFilter, type FilterSql } from './call-filter.ts';
import type { CatalogDatabase } from './open-catalog.ts';

/** A call as the list reads it: the documented fields and its recording, if it resolves to one. */
export interface CallRecord extends Interaction {
  /** start_time as unix ms: the list's order, and a keyset cursor's first half. */
  readonly start_ms: number | null;
  readonly recording_key: string | null;
  readonly recording_size: number | null;
  readonly recording_phone: string | null;
  readonly recording_ts: number | null;
  readonly recording_etag: string | null;
}

export const CALL_COLUMNS = `i.interaction_id, i.start_ms, i.customer_name, i.phone, i.status, i.outcome, i.duration, i.start_time,
  i.end_time, i.dispatch_id, r.key AS recording_key, r.size AS recording_size, r.phone AS recording_phone,
  r.ts AS recording_ts, r.etag AS recording_etag`;

/**
 * A row of `SELECT i.rowid, ${CALL_COLUMNS}` read as an array, made into a CallRecord here: objects
 * of one literal shape cost half what better-sqlite3's own row objects do (a list page is mostly this).
 */
function toCallRecord(row: unknown[]): CallRecord {
  return {
    interaction_id: row[1] as string,
    start_ms: row[2] as number | null,
    customer_name: row[3] as string | null,
    phone: row[4] as string | null,
    status: row[5] as string | null,
    outcome: row[6] as string | null,
    duration: row[7] as number | null,
    start_time: row[8] as string | null,
    end_time: row[9] as string | null,
    dispatch_id: row[10] as string | null,
    recording_key: row[11] as string | null,
    recording_size: row[12] as number | null,
    recording_phone: row[13] as string | null,
    recording_ts: row[14] as number | null,
    recording_etag: row[15] as string | null,
  };
}

/** Where a keyset page ended: the last call's place in the order. */
export interface ListCursor {
  readonly startMs: number | null;
  readonly interactionId: string;
}

/** A cursor as an opaque token for URLs. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.startMs, cursor.interactionId])).toString('base64url');
}

/** The cursor in a token, or null when it is not one of ours. */
export function decodeCursor(token: string): ListCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (value[0] === null || Number.isSafeInteger(value[0])) &&
      typeof value[1] === 'string'
    ) {
      return { startMs: value[0] as number | null, interactionId: value[1] };
    }
  } catch {
    // not base64 JSON: answered as an invalid cursor below
  }
  return null;
}

const pagesOf = new WeakMap<CatalogDatabase, CallPages>();

/** One filtered, ordered list of calls, as the rowids of its rows, valid for one catalog state. */
interface CachedView {
  readonly generation: string;
  readonly rowids: Float64Array;
}

/** Pages ending at or before this offset come straight from the order index while a view has not been built. */
export const FIRST_PAGES_END = 1000;
/**
 * Calls said to have said the words from which a first page is read from the order index: a page
 * of them is met within a few thousand calls of it; fewer, and the whole view is as quick.
 */
const SEEK_SAID_CALLS = 200;
/** A background build gives the event loop back at least this often (ms). */
const BUILD_SLICE_MS = 3;

/** A page of the list; `total` is the view's exact size, counted (the view built) only when read. */
export interface CallPage {
  readonly rows: CallRecord[];
  readonly total: number;
}

/** Views kept at once; each costs 8 bytes per call in it (a million-call view: 8 MB). */
const MAX_VIEWS = 12;
const MAX_CACHED_ROWS = 6_000_000;

/**
 * Pages of the call list, newest first, for any filter, at any offset, with an exact count.
 *
 * A view (a filter's whole ordered list of matching rowids) makes every page and count of it a
 * slice of an array plus a primary-key read of the page's rows, whatever the offset: SQL's own
 * OFFSET reads every skipped row, which is what makes deep pages slow. Building one costs an index
 * scan (~100 ms for a million calls), so the first pages of a filter without a view yet come
 * straight from the order index (seek and limit, as `pageAfter` does) in a millisecond or two, while
 * the view is built in the background, a few milliseconds at a time, on a read-only connection of
 * its own (a snapshot: the build sees one state of the catalog). A count or a deep page asked for
 * before it is ready builds it at once. A view is dropped as soon as any call changes (by this
 * connection or another process: a counter in the catalog that every write of a call moves), so
 * no page is ever stale, and writes that change no call (sync checkpoints, recordings listed
 * again) leave the views be.
 */
export class CallPages {
  readonly #db: CatalogDatabase;
  readonly #views = new Map<string, CachedView>();
  readonly #byShape = new Map<string, Statement<Record<string, unknown>, number>>();
  readonly #changes;
  readonly #listGeneration;
  readonly #rowsByIdFor = new Map<number, Statement<number[], unknown[]>>();
  readonly #topRowids: Statement<[number, number], number>;
  #saidPlans: SaidPlans | null = null;
  /** The background build going (its view's key), and the one to start after it (the newest asked). */
  #building: string | null = null;
  #nextBuild: { key: string; filter: CallFilter } | null = null;
  #reader: Database.Database | null = null;

  /** One per catalog connection, shared by the desktop list and the HTTP API. */
  static of(db: CatalogDatabase): CallPages {
    let pages = pagesOf.get(db);
    if (!pages) {
      pages = new CallPages(db);
      pagesOf.set(db, pages);
    }
    return pages;
  }

  private constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#changes = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.#topRowids = db
      .prepare<[number, number], number>(
        'SELECT rowid FROM interactions ORDER BY start_ms DESC, interaction_id DESC LIMIT ? OFFSET ?',
      )
      .pluck();
    this.#listGeneration = db
      .prepare<[], number>('SELECT n FROM interactions_generation WHERE id = 1')
      .pluck();
  }

  /**
   * A page of calls matching the filter, newest first, and how many match in all. Without a view
   * yet, a first page of a filter (status, outcome, dates, has a recording) is read from the order
   * index and the view is built in the background; `total` is counted when it is read (then, and
   * for a deep page or a search, the view is built at once).
   */
  page(filter: CallFilter, offset: number, limit: number): CallPage {
    const ready = this.#readyView(filter);
    if (ready === null && offset + limit <= FIRST_PAGES_END && this.#seeksWell(filter)) {
      const rows = this.firstPage(filter, offset, limit);
      this.#buildInBackground(filter);
      const total = () => this.#view(filter).rowids.length;
      return {
        rows,
        get total() {
          return total();
        },
      };
    }
    const view = ready ?? this.#view(filter);
    const end = Math.min(offset + limit, view.rowids.length);
    const rowids = offset >= end ? [] : Array.from(view.rowids.subarray(offset, end));
    return { rows: this.rowsById(rowids), total: view.rowids.length };
  }

  /** How many calls match the filter, if known without counting (its view is built); else null. */
  readyTotal(filter: CallFilter): number | null {
    return this.#readyView(filter)?.rowids.length ?? null;
  }

  /**
   * A page near the top of a view, from the order index alone: the keyset query `pageAfter` uses,
   * from the top, skipping `offset` rows (so for shallow offsets only). The same rows as the view's.
   */
  firstPage(filter: CallFilter, offset: number, limit: number): CallRecord[] {
    const { where, params } = this.#seekSql(filter);
    const and = where === '' ? 'WHERE' : `${where} AND`;
    const order = 'ORDER BY i.start_ms DESC, i.interaction_id DESC LIMIT $limit OFFSET $offset';
    const rowids = this.#statement(
      `SELECT i.rowid FROM interactions i ${and} i.start_ms IS NOT NULL ${order}`,
    ).all({
      ...params,
      limit,
      offset,
    });
    if (rowids.length < limit) {
      // Calls without a start time come last; skip what the dated part did not cover.
      const dated = rowids.length > 0 ? offset + rowids.length : this.#countDated(where, params, offset);
      rowids.push(
        ...this.#statement(`SELECT i.rowid FROM interactions i ${and} i.start_ms IS NULL ${order}`).all({
          ...params,
          limit: limit - rowids.length,
          offset: Math.max(0, offset - dated),
        }),
      );
    }
    return this.rowsById(rowids);
  }

  /** How many dated calls match, up to `atMost` (a page past them all needs to know how many to skip). */
  #countDated(where: string, params: Record<string, string | number>, atMost: number): number {
    if (atMost === 0) return 0;
    const and = where === '' ? 'WHERE' : `${where} AND`;
    return this.#statement(
      `SELECT count(*) FROM (SELECT 1 FROM interactions i ${and} i.start_ms IS NOT NULL LIMIT $atMost)`,
    ).get({ ...params, atMost })!;
  }

  /**
   * A page near the top of the whole list, without its count: the page's rowids are picked from
   * the order index alone (a covering scan) and only those rows are read. No view is built, so the
   * spec's plain `GET /recordings` costs nothing extra after a sync changes the catalog; SQL's
   * OFFSET makes this slower with depth, so callers use it for shallow pages only.
   */
  top(offset: number, limit: number): CallRecord[] {
    return this.rowsById(this.#topRowids.all(limit, offset));
  }

  /**
   * Keyset paging: the calls that come after `cursor` in the view (from the top when null), found
   * by seeking the order index, so a page is as fast at the millionth row as at the first and never
   * repeats or skips a call when calls are added meanwhile. Returns the cursor of the page's end.
   */
  pageAfter(
    filter: CallFilter,
    cursor: ListCursor | null,
    limit: number,
  ): { rows: CallRecord[]; next: ListCursor | null } {
    const { where, params } = this.#seekSql(filter);
    const and = where === '' ? 'WHERE' : `${where} AND`;
    const order = 'ORDER BY i.start_ms DESC, i.interaction_id DESC LIMIT $limit';
    const rowids: number[] = [];
    // Calls without a start time come last (NULL sorts lowest): a second, plain part of the order.
    if (cursor === null || cursor.startMs !== null) {
      const after =
        cursor === null ? 'i.start_ms IS NOT NULL' : '(i.start_ms, i.interaction_id) < ($afterMs, $afterId)';
      rowids.push(
        ...this.#statement(`SELECT i.rowid FROM interactions i ${and} ${after} ${order}`).all({
          ...params,
          ...(cursor ? { afterMs: cursor.startMs, afterId: cursor.interactionId } : {}),
          limit,
        }),
      );
    }
    if (rowids.length < limit) {
      const after = cursor?.startMs === null ? 'AND i.interaction_id < $afterId' : '';
      rowids.push(
        ...this.#statement(
          `SELECT i.rowid FROM interactions i ${and} i.start_ms IS NULL ${after} ${order}`,
        ).all({
          ...params,
          ...(cursor?.startMs === null ? { afterId: cursor.interactionId } : {}),
          limit: limit - rowids.length,
        }),
      );
    }
    const rows = this.rowsById(rowids);
    const last = rows.at(-1);
    return {
      rows,
      next:
        rows.length === limit && last ? { startMs: last.start_ms, interactionId: last.interaction_id } : null,
    };
  }

  /** Every call matching the filter, newest first, a batch at a time (for export). */
  *batches(filter: CallFilter, size = 1000): Generator<CallRecord[]> {
    const { rowids } = this.#view(filter); // a snapshot: later changes do not disturb the export
    for (let start = 0; start < rowids.length; start += size) {
      yield this.rowsById(Array.from(rowids.subarray(start, start + size)));
    }
  }

  /**
   * The calls with these rowids, in this order: one `rowid IN (…)` lookup (40 % cheaper than
   * joining a JSON array), its statement prepared once per page size.
   */
  rowsById(rowids: readonly number[]): CallRecord[] {
    if (rowids.length === 0) return [];
    let statement = this.#rowsByIdFor.get(rowids.length);
    if (!statement) {
      if (this.#rowsByIdFor.size >= 32) this.#rowsByIdFor.clear(); // page sizes are few
      statement = this.#db
        .prepare<number[], unknown[]>(
          `SELECT i.rowid, ${CALL_COLUMNS} FROM interactions i
             LEFT JOIN recordings r ON r.id = i.recording_id
            WHERE i.rowid IN (${rowids.map(() => '?').join(', ')})`,
        )
        .raw();
      this.#rowsByIdFor.set(rowids.length, statement);
    }
    const byRowid = new Map<number, CallRecord>();
    for (const row of statement.all(...rowids)) byRowid.set(row[0] as number, toCallRecord(row));
    return rowids.flatMap((rowid) => byRowid.get(rowid) ?? []); // a row deleted meanwhile is left out
  }

  /** The filter for a page read in the list's order with a LIMIT (said: see SaidPlans.seek). */
  #seekSql(filter: CallFilter): FilterSql {
    return filterSql(filter, saidText(filter) === null ? null : this.#said().seek(filter));
  }

  /** Made when a said filter is first read (a catalog older than its tables never reads one). */
  #said(): SaidPlans {
    this.#saidPlans ??= SaidPlans.of(this.#db);
    return this.#saidPlans;
  }

  /**
   * Whether the order index finds a first page of this filter fast (see seeksWell); with said, when
   * the words are common (the calls that said a rare word are few: their view is as quick).
   */
  #seeksWell(filter: CallFilter): boolean {
    if (!seeksWell({ ...filter, said: null })) return false;
    if (saidText(filter) === null) return true;
    const plan = this.#said().seek(filter)!;
    return plan.reach === 'many' || (plan.calls ?? 0) >= SEEK_SAID_CALLS;
  }

  #viewKey(filter: CallFilter): { key: string; where: string; params: Record<string, string | number> } {
    const { where, params } = filterSql(
      filter,
      saidText(filter) === null ? null : this.#said().whole(filter),
    );
    return { key: `${where}\n${JSON.stringify(params)}`, where, params };
  }

  /** The filter's view if it is built and current (most recently used from now on); else null. */
  #readyView(filter: CallFilter): CachedView | null {
    const { key } = this.#viewKey(filter);
    const cached = this.#views.get(key);
    if (cached?.generation !== String(this.#listGeneration.get())) return null;
    this.#views.delete(key); // most recently used last
    this.#views.set(key, cached);
    return cached;
  }

  #view(filter: CallFilter): CachedView {
    const ready = this.#readyView(filter);
    if (ready) return ready;
    const { key, where, params } = this.#viewKey(filter);
    const generation = String(this.#listGeneration.get());
    const ids = this.#statement(
      `SELECT i.rowid FROM interactions i ${where} ORDER BY i.start_ms DESC, i.interaction_id DESC`,
    ).all(params);
    return this.#keep(key, { generation, rowids: Float64Array.from(ids) });
  }

  #keep(key: string, view: CachedView): CachedView {
    this.#views.delete(key);
    this.#views.set(key, view);
    this.#evict();
    return view;
  }

  /**
   * Builds the filter's view without holding the event loop: on a read-only connection of its own,
   * in one read transaction (a snapshot), a few milliseconds of rows at a time. One build at a time;
   * of those asked for meanwhile, only the newest waits (typing a search asks for one per key).
   */
  #buildInBackground(filter: CallFilter): void {
    const { key } = this.#viewKey(filter);
    if (this.#building === key) return;
    if (this.#building !== null) {
      this.#nextBuild = { key, filter };
      return;
    }
    const reader = this.#readerConnection();
    if (reader === null) return; // an in-memory catalog: built when first needed
    this.#building = key;
    void this.#build(reader, filter, key)
      .catch(() => {}) // a failed build leaves no view: the next request that needs it builds it
      .finally(() => {
        this.#building = null;
        const next = this.#nextBuild;
        this.#nextBuild = null;
        if (next && this.#db.open) this.#buildInBackground(next.filter);
      });
  }

  async #build(reader: Database.Database, filter: CallFilter, key: string): Promise<void> {
    await nextTurn(); // after the answer that asked for it
    if (this.#readyView(filter) || !this.#db.open) return;
    const { where, params } = this.#viewKey(filter);
    const ids: number[] = [];
    let generation: string;
    reader.exec('BEGIN');
    try {
      generation = String(reader.prepare('SELECT n FROM interactions_generation WHERE id = 1').pluck().get());
      const rows = reader
        .prepare(
          `SELECT i.rowid FROM interactions i ${where} ORDER BY i.start_ms DESC, i.interaction_id DESC`,
        )
        .pluck()
        .iterate(params) as IterableIterator<number>;
      try {
        let sliceStart = performance.now();
        for (const rowid of rows) {
          ids.push(rowid);
          if ((ids.length & 1023) === 0 && performance.now() - sliceStart > BUILD_SLICE_MS) {
            await nextTurn();
            // Superseded (built meanwhile, or the catalog changed): stop here.
            if (
              !this.#db.open ||
              String(this.#listGeneration.get()) !== generation ||
              this.#readyView(filter)
            )
              return;
            sliceStart = performance.now();
          }
        }
      } finally {
        rows.return?.();
      }
    } finally {
      if (reader.inTransaction) reader.exec('COMMIT');
    }
    if (this.#db.open && String(this.#listGeneration.get()) === generation && !this.#readyView(filter)) {
      this.#keep(key, { generation, rowids: Float64Array.from(ids) });
    }
  }

  /** The background builds' own read-only connection to the catalog file; null for an in-memory catalog. */
  #readerConnection(): Database.Database | null {
    if (this.#reader?.open) return this.#reader;
    if (this.#db.memory || this.#db.name === '' || this.#db.name === ':memory:') return null;
    const reader = new Database(this.#db.name, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 5000');
    this.#reader = reader;
    closeWith(this.#db, reader);
    return reader;
  }

  /**
   * Which state of the catalog this is: changes committed by another connection bump
   * data_version, this connection's own bump total_changes.
   */
  generation(): string {
    return `${this.#db.pragma('data_version', { simple: true }) as number}/${this.#changes.get()!}`;
  }

  #evict(): void {
    let rows = 0;
    for (const view of this.#views.values()) rows += view.rowids.length;
    for (const [key, view] of this.#views) {
      if (this.#views.size <= MAX_VIEWS && rows <= MAX_CACHED_ROWS) break;
      if (this.#views.size === 1) break;
      this.#views.delete(key);
      rows -= view.rowids.length;
    }
  }

  #statement(sql: string): Statement<Record<string, unknown>, number> {
    let statement = this.#byShape.get(sql);
    if (!statement) {
      if (this.#byShape.size >= 64) this.#byShape.clear(); // shapes are few; this only bounds the map
      statement = this.#db.prepare<Record<string, unknown>, number>(sql).pluck();
      this.#byShape.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Whether the order index finds a first page of this filter fast: it narrows only by what the
 * index holds or most calls have (status, outcome, dates, a recording). A search, or a review
 * filter, matches few calls found through other indexes, which the view needs as well: walking
 * the order index for them can read every call (with a million, the first page of the search
 * `mar` cost as much as its whole view), so their first page comes from the view, built at once.
 */
function seeksWell(filter: CallFilter): boolean {
  const { status, outcome, from, to, hasRecording } = filter;
  return (
    filterSql(filter).where === filterSql({ ...NO_FILTER, status, outcome, from, to, hasRecording }).where
  );
}

/** Closes `reader` when `db` closes (better-sqlite3 has no close event: its close is wrapped, once). */
function closeWith(db: CatalogDatabase, reader: Database.Database): void {
  const close = db.close.bind(db);
  db.close = () => {
    if (reader.open) reader.close();
    db.close = close;
    return close();
  };
}
