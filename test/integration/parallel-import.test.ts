/**
 * A large metadata file is read by worker threads, a part each, into staging files that the
 * catalog copies in. The outcome must be exactly what reading the file on one thread gives — the
 * same calls, search, links and stand-ins — and a bad row anywhere must be named by its line in
 * the FILE, leave the catalog as it was, and leave no scratch file behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTER } from '../../electron/core/catalog/call-filter.ts';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../electron/core/catalog/open-catalog.ts';
import { importInteractionsFile } from '../../electron/core/import/import-interactions.ts';
import { ImportRowError } from '../../electron/core/import/interaction-row.ts';
import { STAGE_WORKER_ENTRY, type ImportWorkers } from '../../electron/core/import/parallel-staging.ts';

const T = 1754653479;
const FIELDS = [
  'interaction_id',
  'customer_name',
  'phone',
  'status',
  'duration',
  'start_time',
  'dispatch_id',
];

let dir: string;
const opened: CatalogDatabase[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-parallel-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

// Three parts whatever this machine's core count (the default would skip workers on one core).
const workers: ImportWorkers = { entry: STAGE_WORKER_ENTRY, count: 3 };
const parallel = { workers, parallelFromBytes: 0 };
const oneThread = { workers: null };

function catalog(name: string): { db: CatalogDatabase; store: CatalogStore } {
  mkdirSync(join(dir, name), { recursive: true });
  const db = openCatalog(join(dir, name, 'catalog.sqlite'));
  opened.push(db);
  return { db, store: new CatalogStore(db) };
}

interface Row {
  interaction_id: string;
  customer_name: string | null;
  phone: string;
  status: string;
  duration: number;
  start_time: string;
  dispatch_id: string;
}

function call(index: number, change: Partial<Row> = {}): Row {
  const digits = `1555${String(index % 5000).padStart(7, '0')}`;
  return {
    interaction_id: `call-${String(index).padStart(6, '0')}`,
    customer_name: index % 97 === 0 ? `Zoë Ångström ${index}` : `Customer "${index % 40}", Jr.`,
    phone: `+${digits}`,
    status: index % 3 ? 'COMPLETED' : 'NO_ANSWER',
    duration: index % 600,
    start_time: new Date((T + index * 60) * 1000).toISOString(),
    dispatch_id: `dispatch_${T + index * 60}_${digits}`,
    ...change,
  };
}

function ndjson(name: string, rows: readonly (Row | string)[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n',
  );
  return path;
}

function csv(name: string, rows: readonly Row[]): string {
  const quote = (value: unknown) => {
    const text = value === null ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = rows.map((row) => FIELDS.map((field) => quote(row[field as keyof Row])).join(','));
  const path = join(dir, name);
  writeFileSync(path, `${FIELDS.join(',')}\r\n${lines.join('\r\n')}\r\n`);
  return path;
}

/** Everything a reviewer could see of the catalog's calls. */
function contents(db: CatalogDatabase) {
  return db
    .prepare(
      `SELECT i.interaction_id, i.customer_name, i.phone, i.status, i.duration, i.start_time, i.dispatch_id, r.key AS recording, i.source
         FROM interactions i LEFT JOIN recordings r ON r.id = i.recording_id ORDER BY i.interaction_id`,
    )
    .all();
}

function withRecordings(store: CatalogStore): void {
  // Calls 10 and 20 have recordings a few seconds after their dispatch; one recording has no call.
  const recording = (index: number, delay: number) => {
    const digits = `1555${String(index).padStart(7, '0')}`;
    const ts = T + index * 60 + delay;
    return {
      key: `egress-recordings/2025/08/08/outbound-${digits}_${ts}.mp4`,
      direction: 'outbound' as const,
      phone: digits,
      timestamp: ts,
      size: 100,
      etag: null,
      lastModified: null,
    };
  };
  store.upsertRecordings([recording(10, 3), recording(20, 5), recording(4999, 2)], 1);
}

const rows = Array.from({ length: 3000 }, (_, index) => call(index));

describe('a large file read by worker threads', () => {
  it.each(['ndjson', 'csv'] as const)(
    'gives the same catalog as one thread: calls, search, links and stand-ins (%s)',
    async (format) => {
      const withDuplicate = [...rows, call(1500, { customer_name: 'Renamed Later', status: 'FAILED' })];
      const path = format === 'csv' ? csv('calls.csv', withDuplicate) : ndjson('calls.ndjson', withDuplicate);
      const one = catalog('one');
      const many = catalog('many');
      withRecordings(one.store);
      withRecordings(many.store);

      const fromOne = await importInteractionsFile(one.store, path, oneThread);
      const fromMany = await importInteractionsFile(many.store, path, parallel);

      expect(fromMany).toMatchObject({ rows: 3001, added: 3000, updated: 1 });
      expect(fromOne).toMatchObject({ rows: 3001, added: 3000, updated: 1 });
      expect(contents(many.db)).toEqual(contents(one.db));
      const found = (store: CatalogStore, search: string) =>
        store.listCalls({ ...NO_FILTER, search }, 50, 0).map((row) => row.interaction_id);
      expect(found(many.store, 'renamed')).toEqual(['call-001500']);
      expect(found(many.store, 'zoe ang')).toHaveLength(31);
      expect(found(many.store, 'zoe ang')).toEqual(found(one.store, 'zoe ang'));
      const linked = many.store.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 0);
      expect(linked.map((row) => row.interaction_id)).toEqual([
        `s3:egress-recordings/2025/08/08/outbound-15550004999_${T + 4999 * 60 + 2}.mp4`, // no call: a stand-in
        'call-000020',
        'call-000010',
      ]);
      expect(many.store.counts()).toEqual(one.store.counts());
      expect(leftovers()).toEqual([]);
    },
  );

  it('upserts into a catalog that already has calls, the later rows winning', async () => {
    const { db, store } = catalog('filled');
    const reference = catalog('reference');
    for (const target of [store, reference.store]) {
      await importInteractionsFile(target, ndjson('first.ndjson', rows.slice(0, 2000)), oneThread);
    }
    const second = [...rows.slice(1000), call(5, { customer_name: 'Corrected' })];
    const path = ndjson('second.ndjson', second);
    const result = await importInteractionsFile(store, path, parallel);
    await importInteractionsFile(reference.store, path, oneThread);

    expect(result).toMatchObject({ rows: 2001, added: 1000, updated: 1001 });
    expect(contents(db)).toEqual(contents(reference.db));
    expect(
      store.listCalls({ ...NO_FILTER, search: 'corrected' }, 10, 0).map((row) => row.interaction_id),
    ).toEqual(['call-000005']);
  });
});

describe('a bad row in a file read in parts', () => {
  async function failure(path: string, store: CatalogStore): Promise<ImportRowError> {
    const error = await importInteractionsFile(store, path, parallel).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportRowError);
    return error as ImportRowError;
  }

  it('is named by its line in the file, even in the last part, and nothing is written', async () => {
    const { store } = catalog('c');
    await importInteractionsFile(
      store,
      ndjson('kept.ndjson', [call(1, { customer_name: 'Kept Before' })]),
      oneThread,
    );
    const lines: (Row | string)[] = [...rows];
    lines.splice(2900, 0, '{"interaction_id":"bad","duration":"long"}');
    const error = await failure(ndjson('bad.ndjson', lines), store);
    expect(error.message).toBe(
      'bad.ndjson, line 2901, field "duration": expected a number of seconds (0 or more), got "long". Nothing from this file was imported.',
    );
    expect(store.counts().interactions).toBe(1);
    expect(store.listCalls({ ...NO_FILTER, search: 'kept' }, 10, 0)).toHaveLength(1);
    expect(leftovers()).toEqual([]);
  });

  it('is the first one of the file when several parts have one', async () => {
    const { store } = catalog('c');
    const lines: (Row | string)[] = [...rows];
    lines.splice(2500, 0, '{"interaction_id":');
    lines.splice(700, 0, '{"interaction_id":"x","start_time":"yesterday"}');
    const error = await failure(ndjson('two-bad.ndjson', lines), store);
    expect(error).toMatchObject({ file: 'two-bad.ndjson', line: 701, field: 'start_time' });
  });

  it('counts CSV lines across quoted line breaks in earlier parts', async () => {
    const { store } = catalog('c');
    const multiline = rows.map((row, index) =>
      index < 1500 ? { ...row, customer_name: `${row.customer_name}\nsecond line` } : row,
    );
    const bad = [...multiline];
    bad.splice(2800, 0, { ...call(9999), interaction_id: '' });
    const error = await failure(csv('bad.csv', bad), store);
    // 1 header line, 1,500 rows of two lines, 1,300 of one: the bad row starts on line 4,302.
    expect(error).toMatchObject({ line: 1 + 1500 * 2 + 1300 + 1, field: 'interaction_id' });
  });
});

describe('scratch files', () => {
  it('are left by a killed import only until the next one, which removes them', async () => {
    const { store } = catalog('c');
    const abandoned = join(dir, 'c', '.tapedeck-import-999999999-abc');
    mkdirSync(abandoned);
    writeFileSync(join(abandoned, 'part-0.sqlite'), 'x');
    await importInteractionsFile(store, ndjson('calls.ndjson', rows.slice(0, 10)), parallel);
    expect(existsSync(abandoned)).toBe(false);
  });
});

function leftovers(): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((entry) =>
    entry.includes('.tapedeck-import-'),
  );
}
