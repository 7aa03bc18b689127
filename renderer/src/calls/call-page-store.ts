/**
 * The call list's data: pages of `recordings:list` fetched on demand and cached, so a list of
 * 100k+ calls only ever asks for what is on screen. Lives outside React (components subscribe with
 * useSyncExternalStore) so scrolling never re-renders more than the rows.
 *
 * Rows never wait for a count (issue 14): a new view's first page may come without its total, which
 * `recordings:count` then gives. Until it does, the list is as long as the rows seen so far plus a
 * page to scroll into while the last page seen was full, growing as pages arrive.
 */
import type { CallRow, ContractClient } from '../../../shared/contract.ts';
import { type CallFilter, emptyFilter, filterKey } from './call-query.ts';

export const PAGE_SIZE = 200;
/** Pages kept in memory (LRU); 100 pages is 20,000 rows, a few MB. */
const MAX_CACHED_PAGES = 100;
/** Coalesces the ranges a fast scroll passes through, so only where it stops is fetched. */
const FETCH_DELAY_MS = 40;

export interface CallPagesSnapshot {
  /**
   * How many rows the list has: the exact count when known, else the rows seen so far plus a page
   * to scroll into (see above); null until the first page arrives.
   */
  readonly total: number | null;
  /** The view's exact count; null until it is known. After a refresh it stays until the new one. */
  readonly count: number | null;
  /** A count has been asked for and has not arrived yet. */
  readonly counting: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  /** Changes whenever rows, total or state change: a cheap snapshot identity. */
  readonly version: number;
}

export class CallPageStore {
  private filter: CallFilter = emptyFilter;
  /** Null until the first setFilter, which then fetches the first page. */
  private key: string | null = null;
  /** Bumped by a new filter or a refresh: answers to an older generation are dropped. */
  private generation = 0;
  private pages = new Map<number, CallRow[]>();
  /** Rows from before a refresh, shown until the fresh pages arrive, so nothing flickers. */
  private stalePages = new Map<number, CallRow[]>();
  private inflight = new Set<number>();
  private wanted: [number, number] = [0, 0];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** While the count is not known: where the rows seen end, and whether the last of them filled its page. */
  private seenEnd = 0;
  private seenEndFull = false;
  /** An empty page past the end: the view ends at or before this row. */
  private endAtMost = Infinity;
  /** The generation a count was asked for (one question per generation). */
  private countAskedFor = -1;
  private snapshot: CallPagesSnapshot = {
    total: null,
    count: null,
    counting: false,
    loading: true,
    error: null,
    version: 0,
  };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly client: ContractClient) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CallPagesSnapshot => this.snapshot;

  /** A new search or filter: forget everything and fetch its first page. */
  setFilter(filter: CallFilter): void {
    const key = filterKey(filter);
    if (key === this.key) return;
    this.filter = filter;
    this.key = key;
    this.generation++;
    this.pages = new Map();
    this.stalePages = new Map();
    this.inflight.clear();
    this.forgetEnd();
    this.update({ total: null, count: null, counting: false, loading: true, error: null });
    this.wanted = [0, 0];
    void this.fetchPage(0);
  }

  /** The library changed: fetch what is on screen again, showing the old rows meanwhile. */
  refresh(): void {
    this.generation++;
    this.stalePages = new Map([...this.stalePages, ...this.pages]);
    this.pages = new Map();
    this.inflight.clear();
    // The count shown stays until the fresh one: a sync adding calls must not blink "counting".
    this.forgetEnd();
    this.update({ loading: true, counting: false });
    this.fetchWanted();
  }

  /** The rows the list shows (or is about to): fetch the pages they are on. */
  want(start: number, end: number): void {
    if (start === this.wanted[0] && end === this.wanted[1]) return;
    this.wanted = [start, end];
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetchWanted();
    }, FETCH_DELAY_MS);
  }

  rowAt(index: number): CallRow | undefined {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = this.pages.get(page) ?? this.stalePages.get(page);
    return rows?.[index - page * PAGE_SIZE];
  }

  /** Fetches the page of `index` if needed and resolves with its row (for keys pressed off-screen). */
  async loadRow(index: number): Promise<CallRow | undefined> {
    const page = Math.floor(index / PAGE_SIZE);
    if (!this.pages.has(page)) await this.fetchPage(page);
    return this.rowAt(index);
  }

  private fetchWanted(): void {
    const [start, end] = this.wanted;
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor(Math.max(start, end) / PAGE_SIZE);
    for (let page = first; page <= last; page++) {
      if (!this.pages.has(page)) void this.fetchPage(page);
    }
  }

  private async fetchPage(page: number): Promise<void> {
    if (this.inflight.has(page)) return this.waitFor(page);
    const generation = this.generation;
    this.inflight.add(page);
    const reply = await this.client['recordings:list']({
      ...this.filter,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    if (generation !== this.generation) return;
    this.inflight.delete(page);
    if (!reply.ok) {
      this.update({ loading: this.inflight.size > 0, error: reply.error.message });
      return;
    }
    this.pages.delete(page); // Re-inserted last: Map order is the LRU order.
    this.pages.set(page, reply.value.rows);
    this.stalePages.delete(page);
    while (this.pages.size > MAX_CACHED_PAGES) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
    const { total } = reply.value;
    if (total !== null) {
      this.update({ total, count: total, counting: false, loading: this.inflight.size > 0, error: null });
      return;
    }
    this.see(page, reply.value.rows.length);
    this.update({ total: this.listLength(), loading: this.inflight.size > 0, error: null });
    void this.fetchCount();
  }

  /** Asks `recordings:count` once per filter or refresh; the answer makes the list exact. */
  private async fetchCount(): Promise<void> {
    const generation = this.generation;
    if (this.countAskedFor === generation) return;
    this.countAskedFor = generation;
    this.update({ counting: true });
    const reply = await this.client['recordings:count'](this.filter);
    if (generation !== this.generation) return;
    if (!reply.ok) {
      this.update({ counting: false, error: reply.error.message });
      return;
    }
    const { total } = reply.value;
    this.update({ total, count: total, counting: false });
  }

  /** A page without a total: what it shows of where the view ends. */
  private see(page: number, rows: number): void {
    const start = page * PAGE_SIZE;
    if (rows === 0) {
      if (start > 0) this.endAtMost = Math.min(this.endAtMost, start);
      return;
    }
    if (start + rows >= this.seenEnd) {
      this.seenEnd = start + rows;
      this.seenEndFull = rows === PAGE_SIZE;
    }
  }

  /** The list's length while the count is not known: what the pages seen show, never less than the count shown. */
  private listLength(): number {
    if (this.snapshot.count !== null) return this.snapshot.count;
    const room = this.seenEndFull ? this.seenEnd + PAGE_SIZE : this.seenEnd;
    return Math.max(this.seenEnd, Math.min(room, this.endAtMost));
  }

  private forgetEnd(): void {
    this.seenEnd = 0;
    this.seenEndFull = false;
    this.endAtMost = Infinity;
    this.countAskedFor = -1;
  }

  /** Another caller already asked for this page: resolve when it lands (or the query changes). */
  private waitFor(page: number): Promise<void> {
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe(() => {
        if (!this.inflight.has(page)) {
          unsubscribe();
          resolve();
        }
      });
    });
  }

  private update(patch: Partial<Omit<CallPagesSnapshot, 'version'>>): void {
    this.snapshot = { ...this.snapshot, ...patch, version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }
}
