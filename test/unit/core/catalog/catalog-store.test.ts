import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingKeyFor, parseDispatchId } from '../../../../shared/dispatch.ts';
import type { Interaction } from '../../../../shared/recording.ts';
import Database from 'better-sqlite3';
import { NO_FILTER } from '../../../../electron/core/catalog/call-filter.ts';
import { CatalogStore, type ListedRecording } from '../../../../electron/core/catalog/catalog-store.ts';
import {
  CatalogTooNewError,
  loadMigrations,
  migrate,
  openCatalog,
  type CatalogDatabase,
} from '../../../../electron/core/catalog/open-catalog.ts';

const PREFIX = 'egress-recordings/';

/** A catalog file as a Tapedeck of schema `version` left it. */
function openCatalogAt(file: string, version: number): CatalogDatabase {
  const old = new Database(file);
  old.function('tapedeck_phone_rev', { deterministic: true }, (phone: unknown) =>
    typeof phone === 'string' ? phone.replace(/\D/g, '').split('').reverse().join('') : null,
  );
  old.pragma('journal_mode = WAL');
  migrate(
    old,
    loadMigrations().filter((migration) => migration.version <= version),
  );
  return old;
}
const T = 1754653479;

function listed(
  phone: string,
  timestamp: number,
  direction: 'outbound' | 'inbound' = 'outbound',
): ListedRecording {
  return {
    key: recordingKeyFor(PREFIX, phone, timestamp, direction),
    direction,
    phone,
    timestamp,
    size: 1000,
    etag: 'abc',
    lastModified: timestamp * 1000,
  };
}

function interaction(id: string, dispatchTs: number, phone = '15550001111', startOffset = 0): Interaction {
  return {
    interaction_id: id,
    customer_name: `Customer ${id}`,
    phone: `+${phone}`,
    status: 'COMPLETED',
    outcome: 'PAYMENT_PROMISED',
    duration: 60,
    start_time: new Date((dispatchTs + startOffset) * 1000).toISOString(),
    end_time: null,
    dispatch_id: `dispatch_${dispatchTs}_${phone}`,
  };
}

let dir: string;
let db: CatalogDatabase;
let store: CatalogStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-catalog-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  store = new CatalogStore(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the catalog file', () => {
  it('is in WAL mode with every migration applied', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
  });

  it('refuses a catalog written by a newer Tapedeck instead of touching it', () => {
    db.pragma('user_version = 999');
    expect(() => migrate(db, loadMigrations())).toThrow(CatalogTooNewError);
    expect(() => migrate(db, loadMigrations())).toThrow(/newer Tapedeck \(schema 999/);
  });

  it('brings a catalog of the previous schema up to date, its calls searchable by name and phone', () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    old.function('tapedeck_phone_rev', () => null); // not needed below version 4
    migrate(
      old,
      loadMigrations().filter((migration) => migration.version <= 3),
    );
    old
      .prepare(
        `INSERT INTO interactions (interaction_id, customer_name, phone, start_time, start_ms)
         VALUES ('kept', 'Zoë Ångström', '+1 (510) 345-5686', '2025-08-08T11:44:39.000Z', 1754653479000)`,
      )
      .run();
    old.close();

    const upgraded = openCatalog(file);
    const calls = new CatalogStore(upgraded);
    const found = (search: string) =>
      calls.listCalls({ ...NO_FILTER, search }, 10, 0).map((row) => row.interaction_id);
    expect(found('zoe ang')).toEqual(['kept']);
    expect(found('3455686')).toEqual(['kept']);
    expect(calls.counts().interactions).toBe(1);
    upgraded.close();
  });

  it('moves a catalog of schema 6 to a droppable id index, keeping calls, links and name search', () => {
    const file = join(dir, 'v6.sqlite');
    const old = openCatalogAt(file, 6);
    const v6 = new CatalogStore(old);
    v6.upsertRecordings([listed('15550001111', T + 4)], 1);
    v6.upsertInteractions([
      interaction('a', T),
      { ...interaction('b', T - 5000), customer_name: 'Zoë Quill' },
    ]);
    const rowids = old.prepare('SELECT rowid, interaction_id FROM interactions ORDER BY rowid').all();
    old.close();

    const upgraded = openCatalog(file);
    const calls = new CatalogStore(upgraded);
    const found = (search: string) =>
      calls.listCalls({ ...NO_FILTER, search }, 10, 0).map((row) => row.interaction_id);
    expect(upgraded.prepare('SELECT rowid, interaction_id FROM interactions ORDER BY rowid').all()).toEqual(
      rowids,
    );
    expect(found('zoe')).toEqual(['b']);
    expect(
      calls.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 0).map((row) => row.interaction_id),
    ).toEqual(['a']);
    // The index still keeps ids unique, and a renamed or removed call leaves the name index.
    calls.upsertInteractions([{ ...interaction('b', T - 5000), customer_name: 'Ada Lovelace' }]);
    expect(calls.counts().interactions).toBe(2);
    expect(found('zoe')).toEqual([]);
    expect(found('ada')).toEqual(['b']);
    upgraded.prepare("DELETE FROM interactions WHERE interaction_id = 'b'").run();
    expect(found('ada')).toEqual([]);
    expect(upgraded.pragma('integrity_check', { simple: true })).toBe('ok');
    // FTS5 throws SQLITE_CORRUPT_VTAB when its index and what it was told disagree.
    const checkSearchIndex =
      "INSERT INTO interactions_search (interactions_search) VALUES ('integrity-check')";
    expect(() => upgraded.prepare(checkSearchIndex).run()).not.toThrow();
    upgraded.close();
  });

  it('applies numbered migrations in order, each once', () => {
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    writeFileSync(join(migrations, '001-a.sql'), 'CREATE TABLE a (x);');
    writeFileSync(join(migrations, '002-b.sql'), 'CREATE TABLE b (x);');
    writeFileSync(join(migrations, 'notes.txt'), 'not a migration');
    const other = openCatalog(':memory:');
    other.pragma('user_version = 0');
    other.exec('DROP TABLE recordings; DROP TABLE interactions; DROP TABLE catalog_facts;');
    migrate(other, loadMigrations(migrations));
    migrate(other, loadMigrations(migrations));
    expect(other.pragma('user_version', { simple: true })).toBe(2);
    other.close();
  });
});

describe('resolving from the catalog', () => {
  it('finds the nearest outbound recording at or after the dispatch within 900 s', () => {
    store.upsertRecordings([listed('1555', T - 5), listed('1555', T + 300), listed('1555', T + 40)], 1);
    expect(store.findRecordingFor(parseDispatchId(`dispatch_${T}_1555`)!)?.timestamp).toBe(T + 40);
  });

  it('does not take an inbound recording, a longer phone, or one 901 s late', () => {
    store.upsertRecordings(
      [listed('1555', T + 1, 'inbound'), listed('15557', T + 1), listed('1555', T + 901)],
      1,
    );
    expect(store.findRecordingFor(parseDispatchId(`dispatch_${T}_1555`)!)).toBeNull();
  });

  it('counts a recording listed twice once', () => {
    expect(store.upsertRecordings([listed('1555', T)], 1)).toBe(1);
    expect(store.upsertRecordings([listed('1555', T)], 2)).toBe(0);
    expect(store.counts().recordings).toBe(1);
  });
});

describe('interactions and their recordings', () => {
  it('links an imported interaction to a recording already listed', () => {
    store.upsertRecordings([listed('15550001111', T + 12)], 1);
    store.upsertInteractions([interaction('a', T)]);
    expect(store.listInteractions(10, 0)[0]?.recording_key).toBe(
      recordingKeyFor(PREFIX, '15550001111', T + 12),
    );
  });

  it('links an interaction when its recording is listed after the import', () => {
    store.upsertInteractions([interaction('a', T)]);
    expect(store.listInteractions(10, 0)[0]?.recording_key).toBeNull();
    store.upsertRecordings([listed('15550001111', T + 30)], 1);
    expect(store.listInteractions(10, 0)[0]?.recording_key).toBe(
      recordingKeyFor(PREFIX, '15550001111', T + 30),
    );
  });

  it('moves the link to a nearer recording listed later, and back when that one is removed', () => {
    store.upsertRecordings([listed('15550001111', T + 300)], 1);
    store.upsertInteractions([interaction('a', T)]);
    store.upsertRecordings([listed('15550001111', T + 20)], 5);
    const linkOfA = () =>
      store.listInteractions(10, 0).find((row) => row.interaction_id === 'a')?.recording_key;
    expect(linkOfA()).toContain(`_${T + 20}.mp4`);
    // A complete listing started at 3 saw only the T+300 one again.
    store.upsertRecordings([listed('15550001111', T + 300)], 3);
    db.prepare('UPDATE recordings SET listed_at = 2 WHERE ts = ?').run(T + 20);
    expect(store.removeRecordingsNotListedSince(PREFIX, 3)).toBe(1);
    expect(linkOfA()).toContain(`_${T + 300}.mp4`);
  });

  it('upserts by interaction_id: a second import replaces the fields', () => {
    store.upsertInteractions([interaction('a', T)]);
    store.upsertInteractions([{ ...interaction('a', T), status: 'FAILED' }]);
    expect(store.counts().interactions).toBe(1);
    expect(store.listInteractions(10, 0)[0]?.status).toBe('FAILED');
  });

  it('lists newest first by start_time, ties in a stable order, with offset', () => {
    store.upsertInteractions([
      interaction('old', T - 1000),
      interaction('new', T + 1000),
      interaction('mid-b', T),
      interaction('mid-a', T),
    ]);
    expect(store.listInteractions(10, 0).map((row) => row.interaction_id)).toEqual([
      'new',
      'mid-b',
      'mid-a',
      'old',
    ]);
    expect(store.listInteractions(2, 1).map((row) => row.interaction_id)).toEqual(['mid-b', 'mid-a']);
  });

  it('keeps nothing of an import whose input fails half-way', async () => {
    store.upsertInteractions([interaction('kept', T)]);
    async function* batches() {
      yield [interaction('b1', T + 1)];
      throw new Error('bad row on line 3');
    }
    await expect(store.upsertInteractionsAtomically(batches())).rejects.toThrow('bad row on line 3');
    expect(store.listInteractions(10, 0).map((row) => row.interaction_id)).toEqual(['kept']);
    expect(db.inTransaction).toBe(false);
  });

  it('forgets recordings of another bucket when the location changes, keeping interactions', () => {
    store.useLocation('["aws","bucket-a","egress-recordings/"]');
    store.upsertRecordings([listed('15550001111', T)], 1);
    store.upsertInteractions([interaction('a', T)]);
    store.useLocation('["aws","bucket-a","egress-recordings/"]');
    expect(store.counts()).toEqual({ interactions: 1, withRecording: 1, recordings: 1 });
    store.useLocation('["aws","bucket-b","egress-recordings/"]');
    expect(store.counts()).toEqual({ interactions: 1, withRecording: 0, recordings: 0 });
  });
});

describe('the list views, kept until a call changes', () => {
  const linked = () =>
    store.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 20_000).length + // builds the view
    store.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 0).length;
  const generation = () => db.prepare('SELECT n FROM interactions_generation').pluck().get();

  it('follow every change of a call: a link made or undone, a stand-in, an import, a bucket switch', async () => {
    store.upsertInteractions([interaction('a', T), interaction('b', T + 5000, '15550002222')]);
    expect(linked()).toBe(0);
    store.upsertRecordings([listed('15550001111', T + 3)], 1); // links a
    expect(linked()).toBe(1);
    store.upsertRecordings([listed('15550009999', T)], 1); // no call: a stand-in, which has a recording
    expect(linked()).toBe(2);
    store.removeRecordingsNotListedSince(`${PREFIX}`, 2); // both gone: the link undone, the stand-in removed
    expect(linked()).toBe(0);
    store.upsertRecordings([listed('15550002222', T + 5002)], 3);
    expect(linked()).toBe(1);
    await store.upsertInteractionsAtomically(
      (async function* () {
        yield [{ ...interaction('b', T + 5000, '15550002222'), dispatch_id: null }]; // b loses its dispatch
      })(),
    );
    expect(linked()).toBe(1); // b's recording is a stand-in again
    expect(store.listCalls({ ...NO_FILTER, hasRecording: true }, 10, 0)[0]?.interaction_id).toMatch(/^s3:/);
    store.useLocation('["aws","elsewhere","egress-recordings/"]');
    expect(linked()).toBe(0);
  });

  it('stay as they are when a sync lists the same recordings again', () => {
    store.upsertInteractions([interaction('a', T)]);
    store.upsertRecordings([listed('15550001111', T + 3), listed('15550009999', T)], 1);
    const before = generation();
    store.upsertRecordings([listed('15550001111', T + 3), listed('15550009999', T)], 2);
    expect(generation()).toBe(before);
  });
});

describe('recordings without metadata (stand-ins)', () => {
  const standIns = () => store.listInteractions(100, 0).filter((row) => row.interaction_id.startsWith('s3:'));

  it('lists an unclaimed recording with what its key and manifest tell', () => {
    const recording = listed('15550002222', T);
    store.upsertRecordings(
      [
        {
          ...recording,
          manifest: { durationSeconds: 42.5, startedMs: T * 1000 + 250, endedMs: T * 1000 + 42_750 },
        },
      ],
      1,
    );
    expect(standIns()).toEqual([
      {
        interaction_id: `s3:${recording.key}`,
        customer_name: null,
        phone: '+15550002222',
        status: null,
        outcome: null,
        duration: 42.5,
        start_time: new Date(T * 1000 + 250).toISOString(),
        end_time: new Date(T * 1000 + 42_750).toISOString(),
        dispatch_id: `dispatch_${T}_15550002222`,
        recording_key: recording.key,
      },
    ]);
    expect(store.counts()).toEqual({ interactions: 0, withRecording: 0, recordings: 1 });
  });

  it('takes a manifest read later, and goes when metadata claims the recording or S3 drops it', () => {
    const recording = listed('15550002222', T);
    store.upsertRecordings([recording], 1);
    expect(standIns()[0]).toMatchObject({ duration: null, start_time: new Date(T * 1000).toISOString() });
    store.upsertRecordings(
      [{ ...recording, manifest: { durationSeconds: 9, startedMs: null, endedMs: null } }],
      2,
    );
    expect(standIns()[0]?.duration).toBe(9);

    store.upsertInteractions([interaction('claims-it', T - 3, '15550002222')]);
    expect(standIns()).toEqual([]);
    expect(store.counts()).toEqual({ interactions: 1, withRecording: 1, recordings: 1 });

    // The metadata moves to another dispatch: the recording is unclaimed again.
    store.upsertInteractions([interaction('claims-it', T - 5000, '15550002222')]);
    expect(standIns().map((row) => row.recording_key)).toEqual([recording.key]);

    // Claimed again, then the call turns out to be another phone's: the recording is alone again.
    store.upsertInteractions([interaction('claims-it', T - 3, '15550002222')]);
    expect(standIns()).toEqual([]);
    store.upsertInteractions([interaction('claims-it', T - 3, '15550009999')]);
    expect(standIns().map((row) => row.recording_key)).toEqual([recording.key]);

    db.prepare('UPDATE recordings SET listed_at = 0').run();
    store.removeRecordingsNotListedSince(PREFIX, 5);
    expect(standIns()).toEqual([]);
  });

  it('gives an inbound recording no dispatch id, and never lets it claim a dispatch', () => {
    store.upsertRecordings([listed('15550003333', T, 'inbound')], 1);
    expect(standIns()).toMatchObject([{ dispatch_id: null, phone: '+15550003333' }]);
    store.upsertInteractions([interaction('outbound-call', T - 2, '15550003333')]);
    const call = store.listInteractions(100, 0).find((row) => row.interaction_id === 'outbound-call');
    expect(call?.recording_key).toBeNull();
    expect(standIns()).toHaveLength(1);
  });
});
