/**
 * The sync against s3rver as it ships, without the delimiter patch the other tests use: its folder
 * (delimiter) listings leave out folders that hold only folders (under `egress-recordings/` it shows
 * no `2025/`). Syncing by folders fails there; the flat listing (StartAfter) does not depend on them:
 * a first sync over more than one page, a second that writes nothing, deletions (a recording, a
 * whole day), and a cancelled run resumed after the last key it wrote.
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../electron/core/catalog/open-catalog.ts';
import { SyncCheckpointStore } from '../../electron/core/catalog/sync-checkpoint-store.ts';
import type { S3Location } from '../../electron/core/config.ts';
import { RecordingBucket } from '../../electron/core/s3/recording-bucket.ts';
import { ListingSync, type ListingMode, type SyncStatus } from '../../electron/core/sync/listing-sync.ts';
import { parseRecordingKey, recordingKeyFor } from '../../shared/dispatch.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';

const PREFIX = 'egress-recordings/';
const DAY = 86_400;
const T = 1754006400; // 2025-08-01T00:00:00Z

let dir: string;
let server: ChildProcess;
let endpoint: string;
let s3: S3Client;
const catalogs: CatalogDatabase[] = [];

/**
 * s3rver as it ships, in a process of its own (its continuation tokens need OpenSSL's legacy
 * provider): the same start as test/support/s3-emulator-process.ts, without the delimiter patch.
 */
const UNPATCHED_S3RVER = `
  import S3rver from '@20minutes/s3rver';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[1] });
  const { port } = await server.run();
  console.log(JSON.stringify({ port }));
  process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
  process.stdin.resume();
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-unpatched-s3rver-'));
  server = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--input-type=module', '-e', UNPATCHED_S3RVER, join(dir, 's3')],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { port: number }).port),
    );
    server.once('exit', (code) => reject(new Error(`s3rver exited (code ${code}) before listening`)));
  });
  endpoint = `http://127.0.0.1:${port}`;
  s3 = createEmulatorClient(endpoint);
});

afterAll(async () => {
  for (const db of catalogs) if (db.open) db.close();
  s3?.destroy();
  if (server && server.exitCode === null) {
    await new Promise((resolve) => {
      server.once('exit', resolve);
      server.stdin!.end();
    });
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A bucket, a catalog, and ListingSyncs over them whose ListObjectsV2 requests are recorded. */
async function harness(name: string) {
  const bucket = await createTestBucket(s3, name);
  const db = openCatalog(join(dir, `${bucket}.sqlite`));
  catalogs.push(db);
  const store = new CatalogStore(db);
  const location: S3Location = {
    bucket,
    prefix: PREFIX,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
  };
  const listings: { startAfter?: string; delimiter?: string; continuationToken?: string }[] = [];
  const client = createEmulatorClient(endpoint);
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'ListObjectsV2Command') {
        const input = args.input as { StartAfter?: string; Delimiter?: string; ContinuationToken?: string };
        listings.push({
          startAfter: input.StartAfter,
          delimiter: input.Delimiter,
          continuationToken: input.ContinuationToken,
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'testListingLog' },
  );
  const infos: string[] = [];
  return {
    bucket,
    db,
    store,
    listings,
    infos,
    sync: (
      options: { mode?: ListingMode; folderConcurrency?: number; onProgress?: (s: SyncStatus) => void } = {},
    ) =>
      new ListingSync(new RecordingBucket(client, location), store, {
        checkpoints: new SyncCheckpointStore(db),
        log: { info: (m) => infos.push(m), warn: () => {}, error: () => {} },
        ...options,
      }),
    catalogKeys: () => db.prepare('SELECT key FROM recordings ORDER BY key').pluck().all() as string[],
    close: () => client.destroy(),
  };
}

function keysOver(days: number, perDay: number, firstDay = 0, phoneBase = 15550100000): string[] {
  const keys: string[] = [];
  for (let d = 0; d < days; d += 1) {
    for (let i = 0; i < perDay; i += 1) {
      keys.push(recordingKeyFor(PREFIX, String(phoneBase + d * 1000 + i), T + (firstDay + d) * DAY + i * 60));
    }
  }
  return keys;
}

async function putMany(bucket: string, keys: readonly string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await putTestObject(s3, bucket, key, 'x', key.endsWith('.json') ? 'application/json' : 'audio/mp4');
      }
    }),
  );
}

/** The bucket's recordings, listed page after page by StartAfter. */
async function bucketRecordingKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, StartAfter: after }),
    );
    const contents = page.Contents ?? [];
    for (const object of contents)
      if (object.Key && parseRecordingKey(object.Key, PREFIX)) keys.push(object.Key);
    if (!page.IsTruncated || contents.length === 0) return keys.sort();
    after = contents.at(-1)!.Key;
  }
}

const remove = (bucket: string, keys: readonly string[]) =>
  Promise.all(keys.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));

describe('sync against s3rver without the delimiter patch', () => {
  it('is the server the issue describes: no year folder in a delimiter listing, and syncing by folders refuses', async () => {
    const h = await harness('unpatched-premise');
    await putMany(h.bucket, keysOver(2, 2));
    const level = await s3.send(
      new ListObjectsV2Command({ Bucket: h.bucket, Prefix: PREFIX, Delimiter: '/' }),
    );
    expect(level.CommonPrefixes ?? []).toEqual([]);
    expect(level.Contents ?? []).toEqual([]);
    const byFolder = await h.sync({ mode: 'folders' }).run();
    expect(byFolder.state).toBe('failed');
    expect(byFolder.error).toMatch(
      /does not answer folder \(delimiter\) listings as S3 does\. Nothing was removed/,
    );
    expect(h.catalogKeys()).toEqual([]);

    // The default: flat, and complete.
    expect(await h.sync().run()).toMatchObject({ state: 'succeeded', recordingsAdded: 4, foldersDone: 2 });
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    h.close();
  });

  it('syncs every page, then only changes: nothing on a second run, deletions (one recording, a whole day) removed', async () => {
    const h = await harness('unpatched-flat');
    const keys = [...keysOver(3, 4), ...keysOver(1, 1010, 10)];
    await putMany(h.bucket, [
      ...keys,
      `${PREFIX}readme.txt`,
      `${PREFIX}tmp/upload.part`,
      `${PREFIX}2025/notes.txt`,
    ]);

    const first = await h.sync().run();
    expect(first).toMatchObject({
      state: 'succeeded',
      error: null,
      objectsListed: keys.length + 3,
      recordingsAdded: keys.length,
      foldersDone: 4,
      foldersTotal: 4,
    });
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    // Two pages, the second after the first's last key; no delimiter, no continuation token.
    expect(h.listings).toHaveLength(2);
    expect(h.listings[0]).toEqual({
      startAfter: undefined,
      delimiter: undefined,
      continuationToken: undefined,
    });
    expect(h.listings[1]!.startAfter).toMatch(/^egress-recordings\/2025\/08\/11\/outbound-\d+_\d+\.mp4$/);
    expect(h.listings.every((l) => l.delimiter === undefined && l.continuationToken === undefined)).toBe(
      true,
    );

    const again = await h.sync().run();
    expect(again).toMatchObject({
      state: 'succeeded',
      recordingsAdded: 0,
      recordingsRemoved: 0,
      foldersDone: 4,
    });

    const deletedOne = keys[1]!;
    const goneDay = keys.slice(4, 8); // the whole second day
    await remove(h.bucket, [deletedOne, ...goneDay]);
    const added = keysOver(1, 2, 20);
    await putMany(h.bucket, added);
    const third = await h.sync().run();
    expect(third).toMatchObject({
      state: 'succeeded',
      recordingsAdded: 2,
      recordingsRemoved: 5,
      foldersDone: 4,
    });
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    expect(h.catalogKeys()).not.toContain(deletedOne);
    h.close();
  }, 90_000);

  it('a cancelled run is resumed after the last key it wrote; a day gone from the bucket is removed only when the run completes', async () => {
    const h = await harness('unpatched-resume');
    const keys = keysOver(6, 3);
    await putMany(h.bucket, keys);
    await h.sync().run();
    // The bucket changes: the fifth day goes, a recording of the second is deleted.
    await remove(h.bucket, [...keys.slice(12, 15), keys[4]!]);

    let sync: ListingSync | null = null;
    sync = h.sync({
      folderConcurrency: 1,
      onProgress: (s) => {
        if (s.foldersDone === 2) sync?.cancel();
      },
    });
    const cancelled = await sync.run();
    expect(cancelled).toMatchObject({ state: 'cancelled', foldersDone: 2, recordingsRemoved: 1 });
    expect(h.catalogKeys()).toContain(keys[12]); // not removed by a run that did not complete

    const listedBefore = h.listings.length;
    const resumed = await h.sync().run();
    expect(resumed).toMatchObject({
      state: 'succeeded',
      resumedFrom: `${PREFIX}2025/08/03/`,
      foldersDone: 5,
      foldersTotal: 5,
      objectsListed: 9, // days 3, 4 and 6 only
      recordingsAdded: 0,
      recordingsRemoved: 3,
    });
    expect(h.listings.slice(listedBefore)).toEqual([
      { startAfter: keys[5], delimiter: undefined, continuationToken: undefined },
    ]);
    expect(h.infos.some((line) => line.includes(`after ${keys[5]}; 2 folders already done`))).toBe(true);
    expect(h.catalogKeys()).toEqual(await bucketRecordingKeys(h.bucket));
    h.close();
  }, 60_000);
});
