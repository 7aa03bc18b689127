/**
 * `npm run sync` killed with SIGKILL in the middle of a sync of many date folders, then run again:
 * the second run resumes the first (skipping the folders it completed), and the catalog ends exactly
 * as the bucket is, deletions included. Ctrl-C stops it cleanly (exit 130) and keeps the checkpoint;
 * an S3 failure exits 1 with one line saying why.
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { parseRecordingKey, recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import {
  EMULATOR_CREDENTIALS,
  createEmulatorClient,
  createTestBucket,
  putTestObject,
} from '../support/s3-emulator.ts';
import { killHard, runTapedeck, spawnTapedeck, whenExited } from '../support/tapedeck-process.ts';

const PREFIX = 'egress-recordings/';
const SYNC = 'electron/core/cli/sync.ts';
const DAY = 86_400;
const T = 1735689600; // 2025-01-01T00:00:00Z
const DAYS = 300;
const PER_DAY = 4; // 1,200 keys: two pages of a listing (S3 answers 1,000 keys a page)

let dir: string;
let s3: S3Client;
const children = new Set<ChildProcess>();
const proxies: FaultProxy[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-sync-crash-'));
  s3 = createEmulatorClient(emulatorEndpoint());
});

afterEach(async () => {
  await Promise.all([...children].map((child) => killHard(child)));
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  s3?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function env(bucket: string, endpoint: string, dataDir: string): Record<string, string> {
  return {
    S3_BUCKET: bucket,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    TAPEDECK_DATA_DIR: dataDir,
  };
}

const runSync = (environment: Record<string, string>) =>
  runTapedeck(SYNC, [], environment, { home: dir, running: children });

/** A listing page after the first (the sync lists the prefix flat, each page after the last key). */
const isLaterPage = (_method: string, path: string) =>
  path.includes('list-type=2') && path.includes('start-after=');
/** The key a listing request starts after. */
const startAfterOf = (path: string) => new URL(path, 'http://s3').searchParams.get('start-after');

async function seed(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for (let d = 0; d < DAYS; d += 1) {
    for (let i = 0; i < PER_DAY; i += 1) {
      keys.push(recordingKeyFor(PREFIX, String(15550500000 + d * 10 + i), T + d * DAY + i * 600));
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < keys.length) await putTestObject(s3, bucket, keys[next++]!, 'x', 'audio/mp4');
    }),
  );
  return keys;
}

async function bucketRecordingKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key && parseRecordingKey(object.Key, PREFIX)) keys.push(object.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

function readCatalog(dataDir: string) {
  const db = openCatalog(join(dataDir, 'catalog.sqlite'));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      keys: db.prepare('SELECT key FROM recordings ORDER BY key').pluck().all() as string[],
      doneFolders: db.prepare('SELECT folder FROM sync_folders').pluck().all() as string[],
      resumeAfter: db
        .prepare('SELECT resume_after FROM sync_runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1')
        .pluck()
        .get() as string | null | undefined,
    };
  } finally {
    db.close();
  }
}

/** Polls the checkpoint (read-only, as the sync itself writes) until `n` folders are done. */
async function foldersDone(dataDir: string, n: number, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const db = openCatalog(join(dataDir, 'catalog.sqlite'), { readonly: true });
      try {
        const done = db.prepare('SELECT count(*) FROM sync_folders').pluck().get() as number;
        if (done >= n) return;
      } finally {
        db.close();
      }
    } catch {
      // not created yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} folders to be done`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A proxy in front of the emulator: every run on one catalog goes through it (same endpoint, same location). */
async function proxy(): Promise<FaultProxy> {
  const started = await startFaultProxy(emulatorEndpoint());
  proxies.push(started);
  return started;
}

/** The second page of the listing waits 3 s: the first page's folders are written, the kill lands before the rest. */
function slowDown(through: FaultProxy): void {
  through.inject([{ kind: 'delay', ms: 3000 }], isLaterPage);
}

describe('kill -9 during `npm run sync`', () => {
  it('the next `npm run sync` resumes it, lists only the folders left, and the catalog ends as the bucket is', async () => {
    const bucket = await createTestBucket(s3, 'sync-crash');
    const keys = await seed(bucket);
    const dataDir = join(dir, 'crash');
    const through = await proxy();
    // A complete first sync, then the bucket changes: a recording and a whole day are deleted.
    const first = await runSync(env(bucket, through.endpoint, dataDir));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^Synced: ${DAYS}/${DAYS} folders, 1,200 objects listed, 1,200 recordings added`),
    );
    const deleted = [keys[5]!, ...keys.slice(100 * PER_DAY, 101 * PER_DAY)];
    await Promise.all(deleted.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));

    slowDown(through);
    const killed = spawnTapedeck(SYNC, [], env(bucket, through.endpoint, dataDir), {
      home: dir,
      running: children,
    });
    await foldersDone(dataDir, 20);
    await killHard(killed);
    expect(killed.signalCode).toBe('SIGKILL');

    const afterKill = readCatalog(dataDir);
    expect(afterKill.integrity).toBe('ok');
    expect(afterKill.resumeAfter).toMatch(/\.mp4$/);
    const doneBeforeKill = afterKill.doneFolders.length;
    expect(doneBeforeKill).toBeGreaterThanOrEqual(20);
    expect(doneBeforeKill).toBeLessThan(DAYS - 1);

    through.clear();
    const seenBefore = through.requests.length;
    const second = await runSync(env(bucket, through.endpoint, dataDir));
    expect(second.code).toBe(0);
    // Only what comes after the last key the killed run wrote is listed again.
    const left = (await bucketRecordingKeys(bucket)).filter((key) => key > afterKill.resumeAfter!);
    expect(left.length).toBeGreaterThan(0);
    expect(second.stdout).toMatch(
      new RegExp(
        `^Synced \\(resumed from ${PREFIX}2025/\\d\\d/\\d\\d/\\): ${DAYS - 1}/${DAYS - 1} folders, ${left.length.toLocaleString('en-US')} objects listed`,
      ),
    );
    expect(second.stderr).toMatch(new RegExp(`; ${doneBeforeKill} folders already done`));
    const listings = through.requests.slice(seenBefore).filter((r) => r.path.includes('list-type=2'));
    expect(startAfterOf(listings[0]!.path)).toBe(afterKill.resumeAfter);

    const final = readCatalog(dataDir);
    expect(final.integrity).toBe('ok');
    expect(final.keys).toEqual(await bucketRecordingKeys(bucket));
    expect(final.keys).toHaveLength(keys.length - deleted.length);
    expect(final.doneFolders).toEqual([]); // the run completed: nothing left to resume

    const third = await runSync(env(bucket, through.endpoint, dataDir));
    expect(third.stdout).toMatch(
      new RegExp(
        `^Synced: ${DAYS - 1}/${DAYS - 1} folders, 1,195 objects listed, 0 recordings added, 0 removed`,
      ),
    );
  }, 90_000);
});

describe('`npm run sync` stopped or failing', () => {
  it('Ctrl-C stops it cleanly with exit code 130, and the next run resumes', async () => {
    const bucket = await createTestBucket(s3, 'sync-sigint');
    await seed(bucket);
    const dataDir = join(dir, 'sigint');
    const through = await proxy();
    slowDown(through);
    const child = spawnTapedeck(SYNC, [], env(bucket, through.endpoint, dataDir), {
      home: dir,
      running: children,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await foldersDone(dataDir, 10);
    child.kill('SIGINT');
    expect((await whenExited(child)).code).toBe(130);
    expect(stdout).toMatch(/^Sync cancelled: \d+\/\d+ folders/);
    expect(stderr).toMatch(/Ctrl-C: stopping the sync \(the next `npm run sync` resumes it\)/);
    expect(stderr).toMatch(/sync cancelled \(the next sync resumes it\)/);

    through.clear();
    const again = await runSync(env(bucket, through.endpoint, dataDir));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Synced \(resumed from egress-recordings\/20\d\d\/\d\d\/\d\d\/\): 300\/300 folders/,
    );
    expect(readCatalog(dataDir).keys).toEqual(await bucketRecordingKeys(bucket));
  }, 60_000);

  it('exits 1 with one line saying what failed when S3 refuses', async () => {
    const result = await runSync(env('no-such-bucket-here', emulatorEndpoint(), join(dir, 'fail')));
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('tapedeck: '));
    expect(lines).toEqual([
      expect.stringMatching(
        /^tapedeck: sync failed: S3 refused the request \(NoSuchBucket\) at s3:\/\/no-such-bucket-here\/egress-recordings\/ .*Run `npm run sync` again to resume\.$/,
      ),
    ]);
  });
});
