/**
 * The bulk path of an import (indexes and search triggers dropped, rows staged and upserted in id
 * order, everything rebuilt once) must leave exactly the catalog the row-by-row path would, and a
 * failed bulk import must leave the catalog — schema included — as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../../../electron/core/catalog/call-filter.ts';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const T = 1754653479;
const BULK = 60_000; // above the size from which the bulk path rebuilds the indexes

let dir: string;
let db: CatalogDatabase;
let store: CatalogStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-bulk-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  store = new CatalogStore(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(index: number, change: Partial<Interaction> = {}): Interaction {
  const digits = `1555${String(index).padStart(7, '0')}`;
  return {
    interaction_id: `call-${index}`,
    customer_name: index % 1000 === 7 ? `Zoë Quill ${index}` : `Customer ${index % 50}`,
    phone: `+${digits}`,
    status: index % 2 ? 'COMPLETED' : 'FAILED',
    outcome: null,
    duration: 30,
    start_time: new Date((T + index) * 1000).toISOString(),
    end_time: null,
    dispatch_id: `dispatch_${T + index}_${digits}`,
    ...change,
  };
}

async function* batches(rows: Interaction[], failAfter?: number): AsyncGenerator<Interaction[]> {
  for (let start = 0; start < rows.length; start += 2000) {
    if (failAfter !== undefined && start >= failAfter) throw new Error('bad row in the file');
    yield rows.slice(start, start + 2000);
  }
}

const schema = () =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'interactions' ORDER BY name").all();
const search = (text: string) =>
  store.listCalls({ ...NO_FILTER, search: text }, 100, 0).map((row) => row.interaction_id);

describe('a bulk import', () => {
  it('keeps every row, the last of duplicate ids, and the same schema, search and links', async () => {
    const before = schema();
    store.upsertRecordings(
      [
        {
          key: `egress-recordings/2025/08/08/outbound-15550000123_${T + 123 + 4}.mp4`,
          direction: 'outbound',
          phone: '15550000123',
          timestamp: T + 123 + 4,
          size: 1,
          etag: null,
          lastModified: null,
        },
      ],
      1,
    );
    const rows = Array.from({ length: BULK }, (_, index) => call(index));
    rows.push(call(42, { customer_name: 'Renamed Later', status: 'NO_ANSWER' })); // same id, later row wins
    const result = await store.upsertInteractionsAtomically(batches(rows), { expectedRows: BULK });

    expect(result).toEqual({ rows: BULK + 1, added: BULK });
    expect(schema()).toEqual(before);
    expect(store.counts().interactions).toBe(BULK);
    expect(search('renamed')).toEqual(['call-42']);
    // The old name left the search index: call-42 is no longer among the other "Customer 42"s.
    const customer42 = store.listCalls({ ...NO_FILTER, search: 'customer 42' }, BULK, 0);
    expect(customer42).toHaveLength(BULK / 50 - 1);
    expect(customer42.map((row) => row.interaction_id)).not.toContain('call-42');
    expect(search('zoe quill')).toHaveLength(BULK / 1000);
    expect(search('0000123')).toEqual(['call-123']);
    const linked = store.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 0);
    expect(linked.map((row) => [row.interaction_id, row.recording_key])).toEqual([
      ['call-123', `egress-recordings/2025/08/08/outbound-15550000123_${T + 127}.mp4`],
    ]);
    // Later small imports go through the rebuilt triggers and indexes.
    store.upsertInteractions([call(BULK + 1, { customer_name: 'After Bulk' })]);
    expect(search('after bulk')).toEqual([`call-${BULK + 1}`]);
  });

  it('leaves the catalog, its indexes and its triggers as they were when the file fails half-way', async () => {
    store.upsertInteractions([call(1, { customer_name: 'Kept Before' })]);
    const before = schema();
    const rows = Array.from({ length: BULK }, (_, index) => call(index + 10));
    await expect(
      store.upsertInteractionsAtomically(batches(rows, 40_000), { expectedRows: BULK }),
    ).rejects.toThrow('bad row in the file');
    expect(schema()).toEqual(before);
    expect(store.counts().interactions).toBe(1);
    expect(search('kept')).toEqual(['call-1']);
    store.upsertInteractions([call(2, { customer_name: 'Still Indexed' })]);
    expect(search('still')).toEqual(['call-2']);
  });
});

describe('the list while another process writes', () => {
  it('shows calls another connection imported, in the views already read', async () => {
    store.upsertInteractions([call(1), call(2)]);
    expect(store.listCalls({ ...NO_FILTER, status: ['FAILED'] }, 10, 20_000)).toEqual([]); // the view is built
    expect(store.listCalls({ ...NO_FILTER, status: ['FAILED'] }, 10, 0).map((r) => r.interaction_id)).toEqual(
      ['call-2'],
    );

    const other = openCatalog(join(dir, 'catalog.sqlite')); // as `npm run import` would
    new CatalogStore(other).upsertInteractions([call(4), call(3, { status: 'FAILED' })]);
    other.close();

    expect(store.listCalls({ ...NO_FILTER, status: ['FAILED'] }, 10, 0).map((r) => r.interaction_id)).toEqual(
      ['call-4', 'call-3', 'call-2'],
    );
    expect(store.counts().interactions).toBe(4);
  });
});
