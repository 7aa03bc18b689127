/**
 * What is open: from the demo to your own bucket without a restart, back to the demo in one call,
 * the saved bucket at the next start, and an import by another process announced to the page.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { readCatalogUser } from '../../electron/core/catalog/catalog-in-use.ts';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import type { DemoPolicy } from '../../electron/core/library/library-session.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import type { CallRow, Download, LibraryStatus, MethodName, SettingsView } from '../../shared/contract.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import {
  applyEmulatorQuirks,
  createEmulatorClient,
  createTestBucket,
  EMULATOR_CREDENTIALS,
  putTestObject,
} from '../support/s3-emulator.ts';

const T = 1754653479;
const PHONES = ['15557770011', '15557770012'];

let dir: string;
let s3: S3Client;
let bucket: string;
const running: TapedeckApp[] = [];

function start(dataDir: string, demo: DemoPolicy, env: Record<string, string> = {}): Promise<TapedeckApp> {
  return startTapedeckApp({
    dataDir,
    env: { TAPEDECK_PORT: '0', TAPEDECK_SYNC_INTERVAL_MINUTES: '0', ...env },
    ports: headlessPorts(join(dir, 'downloads')),
    log: silentLogger,
    demo,
    createS3Client: (location, credentials) => {
      // The emulator's bucket gets its keys and quirks; the demo's own server passes its keys.
      const emulator = location.endpoint === emulatorEndpoint();
      const client = createS3Client(location, { credentials: emulator ? EMULATOR_CREDENTIALS : credentials });
      if (emulator) applyEmulatorQuirks(client);
      return client;
    },
  }).then((app) => {
    running.push(app);
    return app;
  });
}

async function value<T>(app: TapedeckApp, method: MethodName, input: unknown = {}): Promise<T> {
  const reply = await app.call(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

async function settled(app: TapedeckApp): Promise<LibraryStatus> {
  for (let i = 0; i < 200; i += 1) {
    const status = await value<LibraryStatus>(app, 'library:status');
    if (status.sync?.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sync did not end');
}

const bucketSettings = () => ({
  bucket,
  prefix: 'team-calls',
  region: 'us-east-1',
  endpoint: emulatorEndpoint(),
  forcePathStyle: true,
  credentialSource: 'default-chain' as const,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-session-'));
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3);
  for (const [index, phone] of PHONES.entries()) {
    await putTestObject(
      s3,
      bucket,
      recordingKeyFor('team-calls/', phone, T + index * 60),
      'audio',
      'audio/mp4',
    );
  }
});

afterEach(async () => {
  for (const app of running.splice(0)) await app.close();
});

afterAll(() => {
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('from the demo to your own bucket', () => {
  it('opens a saved bucket at once, keeps the demo one call away, and opens the bucket at the next start', async () => {
    const dataDir = join(dir, 'journey');
    const app = await start(dataDir, 'force');
    const demo = await settled(app);
    expect(demo).toMatchObject({ mode: 'demo', bucketConfigured: false });
    expect(await app.call('library:open', { source: 'settings' })).toEqual({
      ok: false,
      error: { code: 'config_invalid', message: expect.stringMatching(/No S3 bucket is configured yet/) },
    });

    const changed: LibraryStatus[] = [];
    app.onEvent((event, payload) => {
      if (event === 'library:changed') changed.push(payload as LibraryStatus);
    });
    await value<SettingsView>(app, 'settings:update', bucketSettings());
    const opened = await settled(app);
    expect(opened).toMatchObject({ mode: 'bucket', bucketConfigured: true, problem: null });
    expect(opened.location).toContain(`s3://${bucket}/team-calls/`);
    expect(changed.some((status) => status.mode === 'bucket')).toBe(true);
    const { rows } = await value<{ rows: CallRow[] }>(app, 'recordings:list', {});
    expect(rows.map((row) => row.phone)).toEqual(expect.arrayContaining(PHONES.map((phone) => `+${phone}`)));

    expect((await value<LibraryStatus>(app, 'library:open', { source: 'demo' })).mode).toBe('demo');
    expect((await value<LibraryStatus>(app, 'library:open', { source: 'settings' })).mode).toBe('bucket');
    await app.close();
    running.splice(0);

    const restarted = await start(dataDir, 'force');
    expect((await settled(restarted)).mode).toBe('bucket');
  });

  it('the desktop app, unconfigured, does the same', async () => {
    const app = await start(join(dir, 'desktop'), 'when-unconfigured');
    expect((await settled(app)).mode).toBe('demo');
    await value(app, 'settings:update', bucketSettings());
    expect((await settled(app)).mode).toBe('bucket');
  });
});

describe('what Settings can and cannot change here', () => {
  it('says which variable pins a setting', async () => {
    const app = await start(join(dir, 'pinned'), 'never', { S3_BUCKET: bucket, TAPEDECK_DOWNLOADS_DIR: dir });
    const view = await value<SettingsView>(app, 'settings:get');
    expect(view.pinnedByEnvironment).toEqual(
      expect.arrayContaining([
        { setting: 'bucket', variable: 'S3_BUCKET' },
        { setting: 'downloadsDir', variable: 'TAPEDECK_DOWNLOADS_DIR' },
      ]),
    );
    expect(view.lockedByEnvironment).toEqual(expect.arrayContaining(['bucket', 'downloadsDir']));
  });

  it('says before anything is typed that keys cannot be stored without a keychain, and what to use', async () => {
    const app = await start(join(dir, 'no-keychain'), 'force');
    const view = await value<SettingsView>(app, 'settings:get');
    expect(view.storedKeys).toEqual({
      available: false,
      reason: expect.stringMatching(/desktop app.*AWS profile.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/),
    });
  });
});

describe('exports', () => {
  it('are listed with the downloads, with their number of calls', async () => {
    const app = await start(join(dir, 'exports'), 'force', { TAPEDECK_DOWNLOADS_DIR: join(dir, 'exported') });
    await settled(app);
    const written = await value<{ path: string; rows: number }>(app, 'recordings:export', {});
    expect(written.rows).toBeGreaterThan(0);
    const listed = await value<Download[]>(app, 'downloads:list');
    expect(listed).toContainEqual(
      expect.objectContaining({ kind: 'export', path: written.path, rows: written.rows, state: 'finished' }),
    );
  });
});

describe('who has a catalog open', () => {
  it('is told beside the catalog while the app runs (for npm run import), and no longer after it stops', async () => {
    const dataDir = join(dir, 'claimed');
    const app = await start(dataDir, 'force');
    await settled(app);
    expect(readCatalogUser(join(dataDir, 'demo'))).toEqual({
      pid: process.pid,
      url: app.apiUrl,
      mode: 'desktop',
    });
    await app.close();
    running.splice(0);
    expect(readCatalogUser(join(dataDir, 'demo'))).toBeNull();
  });
});

describe('another process writing the catalog', () => {
  it('is announced to the page within a few seconds (an import while the app runs)', async () => {
    const dataDir = join(dir, 'import');
    const app = await start(dataDir, 'never');
    await settled(app);
    const announced = new Promise<LibraryStatus>((resolve) => {
      app.onEvent((event, payload) => {
        const status = payload as LibraryStatus;
        if (event === 'library:changed' && status.counts.interactions === 1) resolve(status);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the watcher has read the catalog once
    const other = openCatalog(join(dataDir, 'catalog.sqlite'));
    new CatalogStore(other).upsertInteractions([
      {
        interaction_id: 'imported-elsewhere',
        customer_name: 'Ines Park',
        phone: '+15550001111',
        status: 'COMPLETED',
        outcome: null,
        duration: 30,
        start_time: '2025-08-08T10:00:00.000Z',
        end_time: '2025-08-08T10:00:30.000Z',
        dispatch_id: null,
      },
    ]);
    other.close();
    const status = await Promise.race([
      announced,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 6000)),
    ]);
    expect(status?.counts.interactions).toBe(1);
  });
});
