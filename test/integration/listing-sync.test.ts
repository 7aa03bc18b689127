/**
 * The listing sync against a real S3 server (s3rver on loopback) and a real SQLite catalog: the
 * prefix listed flat in key order (and, in `folders` mode, date folders found level by level and
 * listed whole), incremental writes, removals (one recording, a whole folder), Egress manifests,
 * cancel and resume, progress, and the background schedule.
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../electron/core/catalog/open-catalog.ts';
import { SyncCheckpointStore } from '../../electron/core/catalog/sync-checkpoint-store.ts';
import type { Logger } from '../../electron/core/logger.ts';
import { RecordingBucket } from '../../electron/core/s3/recording-bucket.ts';
import { ListingSync, type ListingMode, type SyncStatus } from '../../electron/core/sync/listing-sync.ts';
import { SyncScheduler } from '../../electron/core/sync/sync-scheduler.ts';
import { parseRecordingKey, recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';

const PREFIX = 'egress-recordings/';
const DAY = 86_400;
const T = 1754006400; // 2025-08-01T00:00:00Z
const DEMO_MANIFEST = readFileSync(
  new URL('../../electron/core/demo/library/outbound-15103455686_1754653485.json', import.meta.url),
  'utf8',
);

let dir: string;
let s3: S3Client;
const catalogs: CatalogDatabase[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-listing-sync-'));
  s3 = createEmulatorClient(emulatorEndpoint());
});

afterAll(() => {
  for (const db of catalogs) if (db.open) db.close();
  s3?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  readonly bucket: string;
  readonly db: CatalogDatabase;
  readonly store: CatalogStore;
  readonly warnings: string[];
  readonly infos: string[];
  /** A new ListingSync on the same catalog (as a new process would make). */
  sync(options?: {
    onProgress?: (status: SyncStatus) => void;
    folderConcurrency?: number;
    mode?: ListingMode;
  }): ListingSync;
  catalogKeys(): string[];
}

async function harness(name: string): Promise<Harness> {
  const bucket = await createTestBucket(s3, name);
  const db = openCatalog(join(dir, `${bucket}.sqlite`));
  catalogs.push(db);
  const store = new CatalogStore(db);
  const warnings: string[] = [];
  const infos: string[] = [];
  const log: Logger = {
    info: (m) => infos.push(m),
    warn: (m) => warnings.push(m),
    error: (m) => warnings.push(m),
  };
  const location = {
    bucket,
    prefix: PREFIX,
    region: 'us-east-1',
    endpoint: emulatorEndpoint(),
    forcePathStyle: true,
  };
  return {
    bucket,
    db,
    store,
    warnings,
    infos,
    sync: (options = {}) =>
      new ListingSync(new RecordingBucket(s3, location), store, {
        checkpoints: new SyncCheckpointStore(db),
        log,
        ...options,
      }),
    catalogKeys: () =>
      (db.prepare('SELECT key FROM recordings ORDER BY key').all() as { key: string }[]).map(
        (row) => row.key,
      ),
  };
}

/** `count` recordings a day apart from `day`, each a few minutes apart within its day. */
function keysOver(days: number, perDay: number, firstDay = 0, phoneBase = 15550100000): string[] {
  const keys: string[] = [];
  for (let d = 0; d < days; d += 1) {
    for (let i = 0; i < perDay; i += 1) {
      keys.push(recordingKeyFor(PREFIX, String(phoneBase + d * 1000 + i), T + (firstDay + d) * DAY + i * 60));
    }
  }
  return keys;
}

async function putMany(bucket: string, keys: readonly string[], body = 'x', concurrency = 32): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await putTestObject(s3, bucket, key, body, key.endsWith('.json') ? 'application/json' : 'audio/mp4');
      }
    }),
  );
}

async function bucketRecordingKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? [])
      if (object.Key && parseRecordingKey(object.Key, PREFIX)) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

const remove = (bucket: string, keys: readonly string[]) =>
  Promise.all(keys.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));

const manifestOf = (key: string) => key.replace(/\.mp4$/, '.json');

function manifestFacts(db: CatalogDatabase, key: string) {
  return db.prepare('SELECT duration, started_ms, ended_ms FROM recordings WHERE key = ?').get(key) as
    { duration: number | null; started_ms: number | null; ended_ms: number | null } | undefined;
}

describe('ListingSync', () => {
  it('lists every date folder whole (more than one page too), plus loose objects and other folders', async () => {
    const h = await harness('sync-first');
    const keys = [...keysOver(3, 5), ...keysOver(1, 1005, 10)];
    await putMany(h.bucket, [
      ...keys,
      `${PREFIX}readme.txt`,
      `${PREFIX}tmp/upload.part`,
      `${PREFIX}2025/notes.txt`,
    ]);
    const events: SyncStatus[] = [];
    const status = await h.sync({ onProgress: (s) => events.push(s) }).run();
    expect(status).toMatchObject({
      state: 'succeeded',
      error: null,
      objectsListed: keys.length + 3,
      recordingsAdded: keys.length,
      recordingsRemoved: 0,
      foldersDone: 4, // the date folders (the other objects are counted, not written)
      foldersTotal: 4,
      resumedFrom: null,
    });
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    expect(h.infos[0]).toMatch(/: listing every key under the prefix$/);
    expect(h.infos.at(-1)).toMatch(/^sync done: 4\/4 folders, 1,023 objects listed, 1,020 recordings added/);

    // Folder by folder (delimiter listings, on a server that answers them as S3 does): the same catalog.
    const byFolder = await harness('sync-first-folders');
    await putMany(byFolder.bucket, [...keys.slice(0, 15), `${PREFIX}readme.txt`, `${PREFIX}tmp/upload.part`]);
    expect(await byFolder.sync({ mode: 'folders' }).run()).toMatchObject({
      state: 'succeeded',
      objectsListed: 17,
      recordingsAdded: 15,
      foldersDone: 4, // three date folders and tmp/
      foldersTotal: 4,
    });
    expect(byFolder.infos[0]).toMatch(/: 4 folders to list$/);
    expect(byFolder.catalogKeys()).toEqual(await bucketRecordingKeys(byFolder.bucket));
  }, 60_000);

  it('reports progress after every folder, never going back, ending with foldersDone = foldersTotal', async () => {
    const h = await harness('sync-progress');
    await putMany(h.bucket, keysOver(12, 3));
    const events: SyncStatus[] = [];
    const status = await h.sync({ onProgress: (s) => events.push(s) }).run();
    const running = events.filter((s) => s.state === 'running' && s.foldersTotal > 0);
    expect(running.length).toBeGreaterThanOrEqual(12);
    for (const [i, s] of running.entries()) {
      expect(s.foldersDone).toBeLessThanOrEqual(s.foldersTotal);
      if (i > 0) {
        expect(s.foldersDone).toBeGreaterThanOrEqual(running[i - 1]!.foldersDone);
        expect(s.objectsListed).toBeGreaterThanOrEqual(running[i - 1]!.objectsListed);
      }
    }
    expect(events.at(-1)).toEqual(status);
    expect(status).toMatchObject({
      state: 'succeeded',
      foldersDone: 12,
      foldersTotal: 12,
      objectsListed: 36,
    });
  });

  it('a progress listener that throws is logged and never ends the sync', async () => {
    const h = await harness('sync-bad-listener');
    await putMany(h.bucket, keysOver(3, 2));
    const status = await h
      .sync({
        onProgress: () => {
          throw new Error('the page went away');
        },
      })
      .run();
    expect(status).toMatchObject({ state: 'succeeded', foldersDone: 3, objectsListed: 6 });
    expect(h.catalogKeys()).toHaveLength(6);
    expect(
      h.warnings.some((warning) => /progress listener failed: Error: the page went away/.test(warning)),
    ).toBe(true);
  });

  it('a second run over an unchanged bucket writes nothing and reads no manifest again', async () => {
    const h = await harness('sync-incremental');
    const keys = keysOver(4, 3);
    await putMany(h.bucket, keys);
    await putTestObject(s3, h.bucket, manifestOf(keys[0]!), DEMO_MANIFEST, 'application/json');
    expect(await h.sync().run()).toMatchObject({ state: 'succeeded', recordingsAdded: 12, manifestsRead: 1 });
    const before = h.db.prepare('SELECT key, listed_at FROM recordings ORDER BY key').all();
    // Counts every write to a recording row from here on.
    h.db.exec(`CREATE TEMP TABLE recording_writes (n INTEGER NOT NULL);
      INSERT INTO recording_writes VALUES (0);
      CREATE TEMP TRIGGER count_inserts AFTER INSERT ON recordings BEGIN UPDATE recording_writes SET n = n + 1; END;
      CREATE TEMP TRIGGER count_updates AFTER UPDATE ON recordings BEGIN UPDATE recording_writes SET n = n + 1; END;
      CREATE TEMP TRIGGER count_deletes AFTER DELETE ON recordings BEGIN UPDATE recording_writes SET n = n + 1; END;`);

    const again = await h.sync().run();
    expect(again).toMatchObject({
      state: 'succeeded',
      recordingsAdded: 0,
      recordingsRemoved: 0,
      manifestsRead: 0,
      manifestsSkipped: 0,
      objectsListed: 13,
      foldersDone: 4,
    });
    expect(h.db.prepare('SELECT n FROM recording_writes').pluck().get()).toBe(0);
    expect(h.db.prepare('SELECT key, listed_at FROM recordings ORDER BY key').all()).toEqual(before);
  });

  it('removes a deleted recording and every recording of a folder that is gone, keeping the rest', async () => {
    const h = await harness('sync-deletions');
    const keys = keysOver(4, 3);
    await putMany(h.bucket, keys);
    await h.sync().run();
    const deletedOne = keys[1]!;
    const goneFolder = keys.slice(6, 9); // the whole third day
    await remove(h.bucket, [deletedOne, ...goneFolder]);
    const added = keysOver(1, 2, 20);
    await putMany(h.bucket, added);

    const status = await h.sync().run();
    expect(status).toMatchObject({
      state: 'succeeded',
      recordingsAdded: 2,
      recordingsRemoved: 4,
      foldersTotal: 4,
    });
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    expect(h.catalogKeys()).not.toContain(deletedOne);
  });

  it('reads Egress manifests into duration, start and end; a changed manifest is read again', async () => {
    const h = await harness('sync-manifests');
    const keys = keysOver(2, 2);
    await putMany(h.bucket, keys);
    await putTestObject(s3, h.bucket, manifestOf(keys[0]!), DEMO_MANIFEST, 'application/json');
    await putTestObject(
      s3,
      h.bucket,
      manifestOf(keys[2]!),
      JSON.stringify({ egressId: 'EG_2', startedAt: '1754092800000000000', endedAt: '1754092861500000000' }),
      'application/json',
    );
    expect(await h.sync().run()).toMatchObject({ state: 'succeeded', manifestsRead: 2, manifestsSkipped: 0 });
    expect(manifestFacts(h.db, keys[0]!)).toEqual({
      duration: 14.542,
      started_ms: 1754653485000,
      ended_ms: 1754653499542,
    });
    expect(manifestFacts(h.db, keys[2]!)).toEqual({
      duration: 61.5,
      started_ms: 1754092800000,
      ended_ms: 1754092861500,
    });
    expect(manifestFacts(h.db, keys[1]!)).toEqual({ duration: null, started_ms: null, ended_ms: null });

    await putTestObject(
      s3,
      h.bucket,
      manifestOf(keys[2]!),
      '{"files":[{"duration":90000000000}]}',
      'application/json',
    );
    expect(await h.sync().run()).toMatchObject({ state: 'succeeded', manifestsRead: 1, recordingsAdded: 0 });
    // The new duration; the times the new manifest does not give are kept.
    expect(manifestFacts(h.db, keys[2]!)).toEqual({
      duration: 90,
      started_ms: 1754092800000,
      ended_ms: 1754092861500,
    });
  });

  it('logs and counts a malformed or oversized manifest, and the sync still succeeds', async () => {
    const h = await harness('sync-bad-manifest');
    const keys = keysOver(1, 3);
    await putMany(h.bucket, keys);
    await putTestObject(s3, h.bucket, manifestOf(keys[0]!), '{"started_at": 17546534', 'application/json');
    await putTestObject(s3, h.bucket, manifestOf(keys[1]!), ' '.repeat(1024 * 1024 + 1), 'application/json');
    await putTestObject(s3, h.bucket, manifestOf(keys[2]!), DEMO_MANIFEST, 'application/json');
    const status = await h.sync().run();
    expect(status).toMatchObject({
      state: 'succeeded',
      manifestsRead: 1,
      manifestsSkipped: 2,
      recordingsAdded: 3,
    });
    expect(h.warnings.sort()).toEqual([
      expect.stringMatching(
        new RegExp(`^sync: skipped the Egress manifest ${manifestOf(keys[0]!)}: not valid JSON \\(`),
      ),
      `sync: skipped the Egress manifest ${manifestOf(keys[1]!)}: it is 1,048,577 bytes, more than the 1 MiB a manifest may have`,
    ]);
    expect(h.catalogKeys()).toEqual(keys.slice().sort());
    // Unchanged, they are not read (nor complained about) again.
    expect(await h.sync().run()).toMatchObject({ manifestsRead: 0, manifestsSkipped: 0 });
    expect(h.warnings).toHaveLength(2);
  });

  it('cancel stops the run and keeps its checkpoint; the next run resumes it and completes the catalog', async () => {
    const h = await harness('sync-cancel');
    const keys = keysOver(8, 2);
    await putMany(h.bucket, keys);
    // A folder the catalog has but the bucket lost: a cancelled run must not remove it.
    const stale = keysOver(1, 1, 40, 15559900000);
    h.store.upsertRecordings(
      stale.map((key) => ({ ...parseRecordingKey(key, PREFIX)!, size: 1, etag: 'e', lastModified: 1 })),
      Date.now() - 60_000,
    );

    let sync: ListingSync | null = null;
    sync = h.sync({
      folderConcurrency: 1,
      onProgress: (s) => {
        if (s.foldersDone === 3) sync?.cancel();
      },
    });
    const cancelled = await sync.run();
    expect(cancelled).toMatchObject({ state: 'cancelled', error: null, foldersDone: 3 });
    expect(h.catalogKeys()).toContain(stale[0]);
    // The checkpoint: the three folders, and the last key written (where the listing picks up).
    expect(h.db.prepare('SELECT resume_after FROM sync_runs ORDER BY id DESC LIMIT 1').pluck().get()).toBe(
      keys[5],
    );

    const resumed = await h.sync().run();
    expect(resumed).toMatchObject({
      state: 'succeeded',
      resumedFrom: `${PREFIX}2025/08/04/`,
      foldersDone: 8,
      foldersTotal: 8,
      objectsListed: 10, // only the five folders left
      recordingsAdded: 10,
      recordingsRemoved: 1,
    });
    expect(
      h.infos.some((line) =>
        /resuming the run started .* after egress-recordings\/2025\/08\/03\/outbound-15550102001_1754179260\.mp4; 3 folders already done/.test(
          line,
        ),
      ),
    ).toBe(true);
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    // A completed run is not resumed again.
    expect(await h.sync().run()).toMatchObject({ resumedFrom: null, foldersDone: 8 });
  });

  it('a run that fails on S3 keeps its checkpoint, says what failed, and is resumed', async () => {
    const h = await harness('sync-fail');
    await putMany(h.bucket, keysOver(2, 2));
    const broken = new ListingSync(
      new RecordingBucket(s3, {
        bucket: `${h.bucket}-missing`,
        prefix: PREFIX,
        region: 'us-east-1',
        endpoint: emulatorEndpoint(),
        forcePathStyle: true,
      }),
      h.store,
      { checkpoints: new SyncCheckpointStore(h.db) },
    );
    const failed = await broken.run();
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/NoSuchBucket|does not exist/);
    expect(await h.sync().run()).toMatchObject({ state: 'succeeded', recordingsAdded: 4, resumedFrom: null });
  });

  it('runs in the background on a schedule, one sync after another', async () => {
    const h = await harness('sync-schedule');
    await putMany(h.bucket, keysOver(1, 2));
    const sync = h.sync();
    const ends: SyncStatus[] = [];
    const scheduler = new SyncScheduler({
      intervalMinutes: () => 0.05 / 60, // 50 ms
      run: async () => ends.push(await sync.run()),
    });
    scheduler.start();
    try {
      await expect.poll(() => ends.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    } finally {
      scheduler.stop();
    }
    expect(ends.map((s) => s.state)).toEqual(ends.map(() => 'succeeded'));
    expect(ends[0]!.recordingsAdded).toBe(2);
    expect(ends[1]!.recordingsAdded).toBe(0);
  });
});
