/**
 * `recordings:list` never waits for a count (issue 14): a new view's first page comes with
 * `total: null` unless the page shows where the view ends, `recordings:count` gives the exact
 * count, and once the view is built the list carries it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallsService } from '../../../../electron/core/calls/calls-service.ts';
import { CallQueries } from '../../../../electron/core/catalog/call-queries.ts';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import { callQuerySchema, type CallQuery } from '../../../../shared/contract.ts';

const CALLS = 500;
let dir: string;
let db: CatalogDatabase;
let calls: CallsService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-list-total-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  const store = new CatalogStore(db);
  store.upsertInteractions(
    Array.from({ length: CALLS }, (_, i) => ({
      interaction_id: `call-${String(i).padStart(4, '0')}`,
      customer_name: `Customer ${i}`,
      phone: '+15550000000',
      status: i % 2 === 0 ? 'COMPLETED' : 'FAILED',
      outcome: null,
      duration: 60,
      start_time: new Date(Date.UTC(2025, 7, 1) + i * 60_000).toISOString(),
      end_time: null,
      dispatch_id: null,
    })),
  );
  const queries = new CallQueries(db);
  calls = new CallsService(() => ({ catalog: db, store, calls: queries, storage: null, where: null }));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function query(change: Partial<CallQuery> = {}): CallQuery {
  return { ...callQuerySchema.parse({}), ...change };
}

describe('recordings:list and recordings:count', () => {
  it('gives a new filter its first rows without a count, then the exact count, then both', () => {
    const completed = query({ status: ['COMPLETED'], limit: 50 });
    const first = calls.list(completed);
    expect(first.rows).toHaveLength(50);
    expect(first.rows.every((row) => row.status === 'COMPLETED')).toBe(true);
    expect(first.total).toBeNull();

    expect(calls.count(completed)).toBe(CALLS / 2);
    // The count built the view: the next page carries it, with the same rows as the first time.
    const again = calls.list(completed);
    expect(again.total).toBe(CALLS / 2);
    expect(again.rows.map((row) => row.interaction_id)).toEqual(first.rows.map((row) => row.interaction_id));
  });

  it('counts a view whose end is on the page, without asking for a count', () => {
    expect(calls.list(query({ status: ['COMPLETED'], limit: 1000 })).total).toBe(CALLS / 2);
    expect(calls.list(query({ status: ['NO_SUCH_STATUS'] })).total).toBe(0);
    // An empty page past the end says nothing about where the end is.
    const past = calls.list(query({ status: ['FAILED'], offset: 900, limit: 50 }));
    expect(past).toEqual({ rows: [], total: null, offset: 900 });
  });
});
