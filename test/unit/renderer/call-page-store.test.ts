/** The call list's page cache (renderer/src/calls/call-page-store.ts) against a fake `recordings:list`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallRow, ContractClient, MethodInput, MethodOutput, Reply } from '../../../shared/contract.ts';
import { CallPageStore, PAGE_SIZE } from '../../../renderer/src/calls/call-page-store.ts';
import { emptyFilter } from '../../../renderer/src/calls/call-query.ts';

type ListInput = MethodInput<'recordings:list'>;
type ListOutput = MethodOutput<'recordings:list'>;

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

/** A `recordings:list` over `total` rows whose answers the test releases when it wants. */
function fakeServer(total: number) {
  const asked: ListInput[] = [];
  const pending: Array<() => void> = [];
  let tag = '';
  let fail: string | null = null;
  const list = (input: ListInput): Promise<Reply<ListOutput>> => {
    asked.push(input);
    const answer = (): Reply<ListOutput> => {
      if (fail !== null) return { ok: false, error: { code: 'internal', message: fail } };
      const offset = input.offset ?? 0;
      const end = Math.min(total, offset + (input.limit ?? PAGE_SIZE));
      const rows: CallRow[] = [];
      for (let i = offset; i < end; i++) rows.push(row(i, tag));
      return { ok: true, value: { rows, total, offset } };
    };
    return new Promise((resolve) => pending.push(() => resolve(answer())));
  };
  const client = { 'recordings:list': list } as unknown as ContractClient;
  return {
    client,
    asked,
    /** Answers every request made so far. */
    async release() {
      for (const answer of pending.splice(0)) answer();
      // Let the store's awaits run (microtasks only, so fake timers do not get in the way).
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
    retag(next: string) {
      tag = next;
    },
    failWith(message: string | null) {
      fail = message;
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
});
