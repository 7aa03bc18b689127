/** The call list's page cache (renderer/src/calls/call-page-store.ts) against a fake `recordings:list`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallRow, ContractClient, MethodInput, MethodOutput, Reply } from '../../../shared/contract.ts';
import { CallPageStore, PAGE_SIZE } from '../../../renderer/src/calls/call-page-store.ts';
import { emptyFilter } from '../../../renderer/src/calls/call-query.ts';

type ListInput = MethodInput<'recordings:list'>;
type ListOutput = MethodOutput<'recordings:list'>;
type CountInput = MethodInput<'recordings:count'>;
type CountOutput = MethodOutput<'recordings:count'>;

function row(i: number, tag = ''): CallRow {
  return {
    interaction_id: `call-${i}${tag}`,
    customer_name: `Caller ${i}`,
    phone: null,
    status: null,
    outcome: null,
    duration: null,
    start_time: null,
    end_time: null,
    dispatch_id: null,
    recording: null,
  };
}

/**
 * A `recordings:list` over `total` rows whose answers the test releases when it wants. `countless`
 * answers as the server does for a view whose count is not ready: a full page without its total
 * (a short page shows where the view ends, so it has it); `recordings:count` then gives it.
 */
function fakeServer(total: number, options: { countless?: boolean } = {}) {
  const asked: ListInput[] = [];
  const counted: CountInput[] = [];
  const pending: Array<() => void> = [];
  const pendingCounts: Array<() => void> = [];
  let tag = '';
  let fail: string | null = null;
  let failCount: string | null = null;
  const list = (input: ListInput): Promise<Reply<ListOutput>> => {
    asked.push(input);
    const answer = (): Reply<ListOutput> => {
      if (fail !== null) return { ok: false, error: { code: 'internal', message: fail } };
      const offset = input.offset ?? 0;
      const end = Math.min(total, offset + (input.limit ?? PAGE_SIZE));
      const rows: CallRow[] = [];
      for (let i = offset; i < end; i++) rows.push(row(i, tag));
      const limit = input.limit ?? PAGE_SIZE;
      const shows = rows.length < limit && (rows.length > 0 || offset === 0);
      return { ok: true, value: { rows, total: options.countless && !shows ? null : total, offset } };
    };
    return new Promise((resolve) => pending.push(() => resolve(answer())));
  };
  const count = (input: CountInput): Promise<Reply<CountOutput>> => {
    counted.push(input);
    const answer = (): Reply<CountOutput> =>
      failCount !== null
        ? { ok: false, error: { code: 'internal', message: failCount } }
        : { ok: true, value: { total } };
    return new Promise((resolve) => pendingCounts.push(() => resolve(answer())));
  };
  const settle = async () => {
    // Let the store's awaits run (microtasks only, so fake timers do not get in the way).
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const client = { 'recordings:list': list, 'recordings:count': count } as unknown as ContractClient;
  return {
    client,
    asked,
    counted,
    /** Answers every request made so far. */
    async release() {
      for (const answer of [...pending.splice(0), ...pendingCounts.splice(0)]) answer();
      await settle();
    },
    /** Answers the pages asked for so far, not the counts. */
    async releasePages() {
      for (const answer of pending.splice(0)) answer();
      await settle();
    },
    /** Answers the counts asked for so far. */
    async releaseCounts() {
      for (const answer of pendingCounts.splice(0)) answer();
      await settle();
    },
    retag(next: string) {
      tag = next;
    },
    failWith(message: string | null) {
      fail = message;
    },
    failCountWith(message: string | null) {
      failCount = message;
    },
    setTotal(next: number) {
      total = next;
    },
  };
}

const query = (filter = emptyFilter) => ({ ...filter });

afterEach(() => {
  vi.useRealTimers();
});

describe('CallPageStore', () => {
  it('fetches the first page of a filter, then reports its total', async () => {
    const server = fakeServer(450);
    const store = new CallPageStore(server.client);
    store.setFilter(query());
    expect(store.getSnapshot()).toMatchObject({ total: null, loading: true });
    expect(server.asked).toEqual([{ ...emptyFilter, offset: 0, limit: PAGE_SIZE }]);
    await server.release();
    expect(store.getSnapshot()).toMatchObject({ total: 450, loading: false, error: null });
    expect(store.rowAt(0)?.interaction_id).toBe('call-0');
    expect(store.rowAt(PAGE_SIZE)).toBeUndefined(); // the second page was not asked for
  });

  it('asks only for the pages on screen, once scrolling pauses', async () => {
    vi.useFakeTimers();
    const server = fakeServer(1000);
    const store = new CallPageStore(server.client);
    store.setFilter(query());
    await vi.runAllTimersAsync();
    await server.release();
    server.asked.length = 0;

    store.want(100, 130); // passed through on the way…
    store.want(610, 640); // …to here
    await vi.advanceTimersByTimeAsync(50);
    expect(server.asked.map((input) => input.offset)).toEqual([600]);
    await server.release();
    expect(store.rowAt(615)?.interaction_id).toBe('call-615');
  });

  it('answers loadRow for an off-screen row by fetching its page once, however many ask', async () => {
    const server = fakeServer(1000);
    const store = new CallPageStore(server.client);
    store.setFilter(query());
    await server.release();
    server.asked.length = 0;
    const both = Promise.all([store.loadRow(805), store.loadRow(810)]);
    await server.release();
    const [a, b] = await both;
    expect([a?.interaction_id, b?.interaction_id]).toEqual(['call-805', 'call-810']);
    expect(server.asked.map((input) => input.offset)).toEqual([800]);
  });

  it('drops answers to an older filter, and the same filter twice is one query', async () => {
    const server = fakeServer(30);
    const store = new CallPageStore(server.client);
    store.setFilter(query());
    store.setFilter(query({ ...emptyFilter, search: 'smith' }));
    store.setFilter(query({ ...emptyFilter, search: ' smith ' })); // same query once trimmed
    expect(server.asked.map((input) => input.search)).toEqual(['', 'smith']);
    await server.release();
    expect(store.getSnapshot().total).toBe(30);
  });

  it('keeps showing the old rows while a refresh fetches new ones, then shows the new', async () => {
    const server = fakeServer(10);
    const store = new CallPageStore(server.client);
    store.setFilter(query());
    await server.release();
    server.retag('-new');
    store.refresh();
    expect(store.rowAt(3)?.interaction_id).toBe('call-3'); // no flicker to empty
    expect(store.getSnapshot().loading).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await server.release();
    expect(store.rowAt(3)?.interaction_id).toBe('call-3-new');
  });

  it('says what went wrong when a page cannot be fetched, and notifies subscribers', async () => {
    const server = fakeServer(10);
    const store = new CallPageStore(server.client);
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().version));
    server.failWith('Tapedeck’s server is not answering.');
    store.setFilter(query());
    await server.release();
    expect(store.getSnapshot()).toMatchObject({
      error: 'Tapedeck’s server is not answering.',
      loading: false,
    });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  describe('rows before their count', () => {
    it('shows the first page at once with room to scroll, asks for the count, then is exact', async () => {
      const server = fakeServer(1000, { countless: true });
      const store = new CallPageStore(server.client);
      const filter = query({ ...emptyFilter, status: ['COMPLETED'] });
      store.setFilter(filter);
      await server.release();
      expect(store.rowAt(0)?.interaction_id).toBe('call-0');
      // The rows are there; the list has one more page to scroll into; the count is on its way.
      expect(store.getSnapshot()).toMatchObject({ total: 2 * PAGE_SIZE, count: null, counting: true });
      expect(server.counted).toEqual([filter]);
      await server.release();
      expect(store.getSnapshot()).toMatchObject({ total: 1000, count: 1000, counting: false, error: null });
      expect(server.counted).toHaveLength(1);
    });

    it('grows the list as pages arrive while the count is still coming', async () => {
      vi.useFakeTimers();
      const server = fakeServer(1000, { countless: true });
      const store = new CallPageStore(server.client);
      store.setFilter(query());
      await server.releasePages();
      expect(store.getSnapshot().total).toBe(2 * PAGE_SIZE);
      store.want(380, 399); // scrolled into the room below the first page
      await vi.advanceTimersByTimeAsync(50);
      expect(server.asked.map((input) => input.offset)).toEqual([0, PAGE_SIZE]);
      await server.releasePages();
      expect(store.rowAt(390)?.interaction_id).toBe('call-390');
      expect(store.getSnapshot()).toMatchObject({ total: 3 * PAGE_SIZE, count: null, counting: true });
      expect(server.counted).toHaveLength(1); // asked once for the filter, not per page
      await server.releaseCounts();
      expect(store.getSnapshot()).toMatchObject({ total: 1000, count: 1000, counting: false });
    });

    it('shrinks the room to the end when a page past it comes back empty', async () => {
      vi.useFakeTimers();
      const server = fakeServer(PAGE_SIZE, { countless: true }); // exactly one full page
      const store = new CallPageStore(server.client);
      store.setFilter(query());
      await server.releasePages();
      expect(store.getSnapshot().total).toBe(2 * PAGE_SIZE);
      store.want(PAGE_SIZE + 5, PAGE_SIZE + 20);
      await vi.advanceTimersByTimeAsync(50);
      await server.releasePages();
      expect(store.getSnapshot()).toMatchObject({ total: PAGE_SIZE, count: null });
      expect(store.rowAt(PAGE_SIZE)).toBeUndefined();
    });

    it('keeps the count it shows while a refresh counts again, then shows the new one', async () => {
      const server = fakeServer(1000, { countless: true });
      const store = new CallPageStore(server.client);
      store.setFilter(query());
      await server.releasePages();
      await server.releaseCounts();
      expect(store.getSnapshot().count).toBe(1000);
      server.setTotal(1200);
      store.refresh();
      await server.releasePages();
      expect(store.getSnapshot()).toMatchObject({ count: 1000, total: 1000, counting: true });
      await server.releaseCounts();
      expect(store.getSnapshot()).toMatchObject({ count: 1200, total: 1200, counting: false });
      expect(server.counted).toHaveLength(2);
    });

    it('drops the count of a filter left meanwhile', async () => {
      const server = fakeServer(1000, { countless: true });
      const store = new CallPageStore(server.client);
      store.setFilter(query());
      await server.releasePages();
      store.setFilter(query({ ...emptyFilter, search: 'smith' }));
      await server.releaseCounts(); // the first filter's count: too late
      expect(store.getSnapshot()).toMatchObject({ total: null, count: null, counting: false });
      await server.releasePages();
      expect(store.getSnapshot()).toMatchObject({ total: 2 * PAGE_SIZE, counting: true });
    });

    it('says what went wrong when the count cannot be had, and keeps the rows', async () => {
      const server = fakeServer(1000, { countless: true });
      const store = new CallPageStore(server.client);
      store.setFilter(query());
      server.failCountWith('The catalog is busy.');
      await server.release();
      await server.release();
      expect(store.getSnapshot()).toMatchObject({
        total: 2 * PAGE_SIZE,
        count: null,
        counting: false,
        error: 'The catalog is busy.',
      });
      expect(store.rowAt(10)?.interaction_id).toBe('call-10');
    });
  });
});
