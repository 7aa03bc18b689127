/**
 * A large import into a catalog with no calls yet writes through a rollback journal instead of the
 * WAL (rows written once, not twice). It must answer exactly as the WAL path does, keep the WAL
 * when anyone else has the catalog open or a running app has claimed it, and stay all or nothing:
 * killed at any step, the catalog opens again holding what it held before.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTER, type CallFilter } from '../../electron/core/catalog/call-filter.ts';
import { markCatalogInUse } from '../../electron/core/catalog/catalog-in-use.ts';
import { CatalogStore, type BulkLoadTuning } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../electron/core/catalog/open-catalog.ts';
import { importInteractionsFile } from '../../electron/core/import/import-interactions.ts';
import { STAGE_WORKER_ENTRY } from '../../electron/core/import/parallel-staging.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const T = 1754653479;
/** Enough rows for the bulk path (an import of at least 50,000 rows rebuilds the indexes once). */
const ROWS = 60_000;

let dir: string;
let callsFile: string;
const opened: CatalogDatabase[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-bulk-journal-'));
  const lines: string[] = [];
  for (let index = 0; index < ROWS; index += 1) {
    const digits = `1555${String(index % 5000).padStart(7, '0')}`;
    lines.push(
      JSON.stringify({
        interaction_id: `call-${String((index * 7919) % ROWS).padStart(6, '0')}`, // not in file order
        customer_name: index % 97 === 0 ? `Zoë Ångström ${index}` : `Customer ${index % 40}`,
        phone: `+${digits}`,
        status: index % 3 ? 'COMPLETED' : 'NO_ANSWER',
        outcome: index % 5 ? 'NO_OUTCOME' : 'PAID_IN_FULL',
        duration: index % 600,
        start_time: new Date((T + index * 60) * 1000).toISOString(),
        dispatch_id: `dispatch_${T + index * 60}_${digits}`,
      }),
    );
  }
  callsFile = join(dir, 'calls.ndjson');
  writeFileSync(callsFile, `${lines.join('\n')}\n`);
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parallel = { workers: { entry: STAGE_WORKER_ENTRY, count: 2 }, parallelFromBytes: 0 };

/** A catalog with recordings and no calls yet (their stand-ins aside): what a first import finds. */
function catalog(name: string): { file: string; db: CatalogDatabase; store: CatalogStore } {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, 'catalog.sqlite');
  const db = openCatalog(file);
  opened.push(db);
  const store = new CatalogStore(db);
  const recording = (digits: string, ts: number) => ({
    key: `egress-recordings/2025/08/08/outbound-${digits}_${ts}.mp4`,
    direction: 'outbound' as const,
    phone: digits,
    timestamp: ts,
    size: 1,
    etag: null,
    lastModified: null,
  });
  // Calls 10 and 20 will claim theirs; no call has the third one's phone: it stays a stand-in.
  store.upsertRecordings(
    [
      recording('15550000010', T + 10 * 60 + 3),
      recording('15550000020', T + 20 * 60 + 5),
      recording('15559999999', T + 7),
    ],
    1,
  );
  store.writeFact('kept', 'yes');
  return { file, db, store };
}

/** The import, noting the catalog's journal mode while its rows are written. */
async function load(
  target: { db: CatalogDatabase; store: CatalogStore },
  tuning: Partial<BulkLoadTuning> = {},
): Promise<string> {
  let during = '';
  const summary = await importInteractionsFile(target.store, callsFile, {
    ...parallel,
    tuning,
    onPhase: (phase) => {
      if (phase === 'copy') during = String(target.db.pragma('journal_mode', { simple: true }));
    },
  });
  expect(summary).toMatchObject({ rows: ROWS, added: ROWS });
  return during;
}

/** What the list, search and filters answer: first and deep pages, and counts. */
function answers(store: CatalogStore) {
  const filters: Partial<CallFilter>[] = [
    {},
    { search: 'zoe ang' },
    { search: '4999' },
    { search: 'call-0001' },
    { status: ['NO_ANSWER'] },
    { status: ['COMPLETED'], outcome: ['PAID_IN_FULL'] },
    { hasRecording: true },
    {
      from: new Date((T + 1000 * 60) * 1000).toISOString(),
      to: new Date((T + 1500 * 60) * 1000).toISOString(),
    },
  ];
  return {
    pages: filters.map((filter) =>
      [0, 20_000].map((offset) =>
        store
          .listCalls({ ...NO_FILTER, ...filter }, 50, offset)
          .map((row) => [row.interaction_id, row.recording_key]),
      ),
    ),
    counts: store.counts(),
  };
}

describe('a bulk load into a catalog with no calls', () => {
  it('writes through a rollback journal and answers exactly as the WAL path does', async () => {
    const rollback = catalog('rollback');
    const wal = catalog('wal');
    expect(await load(rollback)).toBe('delete');
    expect(await load(wal, { journal: 'wal' })).toBe('wal');

    expect(rollback.db.pragma('journal_mode', { simple: true })).toBe('wal'); // back for the app
    expect(existsSync(`${rollback.file}-journal`)).toBe(false);
    const expected = answers(wal.store);
    expect(expected.counts).toEqual({ interactions: ROWS, withRecording: 2, recordings: 3 });
    expect(expected.pages[1]![0]).toHaveLength(50); // the searches find something to compare
    expect(answers(rollback.store)).toEqual(expected);
    expect(rollback.store.readFact('kept')).toBe('yes');
    expect(rollback.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps the WAL while another connection has the catalog open', async () => {
    const target = catalog('shared');
    const reader = openCatalog(target.file);
    opened.push(reader);
    expect(await load(target)).toBe('wal');
    expect(reader.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: ROWS + 1 });
  });

  it('keeps the WAL when a running app has claimed the catalog', async () => {
    const target = catalog('claimed');
    // Another live process (this test's parent) says it has the catalog open.
    const release = markCatalogInUse(join(dir, 'claimed'), { pid: process.ppid, url: null, mode: 'serve' });
    try {
      expect(await load(target)).toBe('wal');
    } finally {
      release();
    }
  });

  it.each(['copy', 'index interactions_newest_first', 'links and stand-ins'])(
    'killed at "%s", leaves the catalog as it was, and a second import then works',
    async (step) => {
      const name = `killed-${step.replaceAll(' ', '-')}`;
      const target = catalog(name);
      const before = answers(target.store);
      target.db.close();
      opened.splice(opened.indexOf(target.db), 1);

      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'test/integration/bulk-load-child.ts'), target.file, callsFile, step],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await expect.poll(() => output, { timeout: 60_000, interval: 50 }).toMatch(/^at |finished|Error/m);
      expect(output).toContain(`at ${step} (journal delete)`);
      expect(existsSync(`${target.file}-journal`)).toBe(true); // the load was under way
      child.kill('SIGKILL');
      await exited;

      const reopened = openCatalog(target.file);
      opened.push(reopened);
      const store = new CatalogStore(reopened);
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(answers(store)).toEqual(before);
      expect(store.readFact('kept')).toBe('yes');
      expect(await load({ db: reopened, store })).toBe('delete');
      expect(store.counts()).toEqual({ interactions: ROWS, withRecording: 2, recordings: 3 });
    },
    90_000,
  );
});
