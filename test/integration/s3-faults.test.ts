import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import type { CallRow, Download, LibraryStatus, Reply } from '../../shared/contract.ts';
import { RESOLUTION_WINDOW_SECONDS, recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import {
  applyEmulatorQuirks,
  createEmulatorClient,
  createTestBucket,
  EMULATOR_CREDENTIALS,
  putTestObject,
} from '../support/s3-emulator.ts';

/**
 * Calls that just ended: a miss for them asks S3 live (issue 14: a folder a sync listed after an
 * old call's recording could have been uploaded needs no lookup, and these tests are of lookups).
 */
const T = Math.floor(Date.now() / 1000) - 120;
const AUDIO = readFileSync(new URL('../fixtures/audio/two-party-call.mp4', import.meta.url));
/** The recordings' listing (not the team's, which every sync also lists under `tapedeck/`). */
const isListing = (_method: string, path: string) =>
  path.includes('list-type=2') && !decodeURIComponent(path).includes('tapedeck/');
/** The live lookup of one phone's recordings (its listing names the phone in its prefix). */
const isLookupOf = (phone: string) => (_method: string, path: string) =>
  path.includes('list-type=2') && path.includes(`outbound-${phone}_`);
const isObjectGet = (method: string, path: string) => method === 'GET' && path.includes('.mp4');

let s3: S3Client;
let bucket: string;
let proxy: FaultProxy;
let dir: string;
let app: TapedeckApp;
let nextPhone = 15550100000;

async function putRecording(): Promise<{ phone: string; key: string }> {
  nextPhone += 1;
  const phone = String(nextPhone);
  const key = recordingKeyFor('egress-recordings/', phone, T + 4);
  await putTestObject(s3, bucket, key, AUDIO, 'audio/mp4');
  return { phone, key };
}

async function value<T>(method: string, input: unknown = {}): Promise<T> {
  const reply = (await app.call(method, input)) as Reply<T>;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}

beforeAll(async () => {
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3);
  proxy = await startFaultProxy(emulatorEndpoint());
  // The start-up sync lists the folders these calls fall in, so a miss there is a lookup by phone.
  for (const at of [T, T + RESOLUTION_WINDOW_SECONDS]) {
    await putTestObject(
      s3,
      bucket,
      recordingKeyFor('egress-recordings/', '15550000000', at),
      AUDIO,
      'audio/mp4',
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-faults-'));
  app = await startTapedeckApp({
    dataDir: join(dir, 'data'),
    env: {
      S3_BUCKET: bucket,
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      TAPEDECK_PORT: '0',
      TAPEDECK_DOWNLOADS_DIR: join(dir, 'downloads'),
    },
    ports: headlessPorts(join(dir, 'unused')),
    log: silentLogger,
    demo: 'never',
    createS3Client: (location) => {
      // Short timeouts so a test of "S3 does not answer" takes seconds, not minutes.
      const client = createS3Client(location, {
        credentials: EMULATOR_CREDENTIALS,
        timeouts: { connection: 1000, request: 1000 },
      });
      applyEmulatorQuirks(client);
      return client;
    },
  });
  await waitForSyncEnd(); // the start-up sync must not meet the faults meant for the tests
});

afterEach(() => {
  proxy.clear(); // nothing carries over from one test to the next
});

afterAll(async () => {
  await app?.close();
  await proxy?.close();
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${app.apiUrl}${path}`);

describe('when S3 misbehaves, a lookup', () => {
  it('retries throttling (503 SlowDown twice) with backoff and answers 200', async () => {
    const { phone, key } = await putRecording();
    const before = proxy.injected.length;
    proxy.inject([{ kind: 'slow-down' }, { kind: 'slow-down' }], isLookupOf(phone));
    const response = await get(`/recordings/dispatch_${T}_${phone}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { s3_key: string }).s3_key).toBe(key);
    expect(proxy.injected.length - before).toBe(2);
  });

  it('answers 503 naming the throttling when S3 keeps refusing, after its retries', async () => {
    const { phone } = await putRecording();
    proxy.inject([{ kind: 'slow-down' }, { kind: 'slow-down' }, { kind: 'slow-down' }], isLookupOf(phone));
    const response = await get(`/recordings/dispatch_${T}_${phone}`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      detail: expect.stringMatching(
        /^S3 is unavailable right now at s3:\/\/.*\(SlowDown, HTTP 503\)\. Try again shortly\.$/,
      ),
    });
  });

  it('retries a connection reset and a 500', async () => {
    const { phone } = await putRecording();
    proxy.inject([{ kind: 'reset' }, { kind: 'internal-error' }], isLookupOf(phone));
    expect((await get(`/recordings/dispatch_${T}_${phone}`)).status).toBe(200);
  });

  it('gives up on an S3 that does not answer, in seconds, with a 503 that says so', async () => {
    const { phone } = await putRecording();
    proxy.inject(
      [
        { kind: 'delay', ms: 3000 },
        { kind: 'delay', ms: 3000 },
        { kind: 'delay', ms: 3000 },
      ],
      isLookupOf(phone),
    );
    const started = Date.now();
    const response = await get(`/recordings/dispatch_${T}_${phone}`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /did not answer in time|unreachable/,
    );
  });
});

describe('when S3 misbehaves, a sync', () => {
  it('fails with a clear reason and removes nothing it had', async () => {
    await value('sync:start');
    await waitForSyncEnd();
    const before = (await value<LibraryStatus>('library:status')).counts.recordings;
    expect(before).toBeGreaterThan(0);
    proxy.inject(
      [{ kind: 'internal-error' }, { kind: 'internal-error' }, { kind: 'internal-error' }],
      isListing,
    );
    await value('sync:start');
    const status = await waitForSyncEnd();
    expect(status.sync).toMatchObject({ state: 'failed', error: expect.stringMatching(/InternalError/) });
    expect(status.problem).toMatch(/InternalError/);
    expect(status.counts.recordings).toBe(before);
  });
});

describe('when the connection drops during a download', () => {
  it('resumes with a Range where it stopped, and saves exactly the recording', async () => {
    const { phone } = await putRecording();
    // Let the lookup and sync see it, then make the first two object GETs stop part-way.
    expect((await get(`/recordings/dispatch_${T}_${phone}`)).status).toBe(200);
    const row = await callOf(phone);
    proxy.inject(
      [
        { kind: 'truncate', bytes: 10_000 },
        { kind: 'truncate', bytes: 5_000 },
      ],
      isObjectGet,
    );
    const seenBefore = proxy.seen.length;
    const download = await downloadOf(row);
    expect(download.state).toBe('finished');
    expect(readFileSync(download.path).equals(AUDIO)).toBe(true);
    const gets = proxy.seen
      .slice(seenBefore)
      .filter((line) => line.startsWith('GET') && line.includes('.mp4'));
    expect(gets).toHaveLength(3);
    expect(readdirSync(join(dir, 'downloads')).filter((name) => name.endsWith('.tapedeck-part'))).toEqual([]);
  });

  it('gives up after its attempts with a clear message, leaving no partial file', async () => {
    const { phone } = await putRecording();
    expect((await get(`/recordings/dispatch_${T}_${phone}`)).status).toBe(200);
    const row = await callOf(phone);
    proxy.inject(
      // Every attempt of the download (4), each with the SDK's own retries (3), is cut off.
      Array.from({ length: 12 }, () => ({ kind: 'reset' as const })),
      isObjectGet,
    );
    const download = await downloadOf(row);
    expect(download.state).toBe('failed');
    expect(download.error).toMatch(
      /^S3 is unreachable at s3:\/\/.*\(ECONNRESET\)\. Check AWS_ENDPOINT_URL_S3, the network, or try again\.$/,
    );
    expect(readdirSync(join(dir, 'downloads')).filter((name) => name.endsWith('.tapedeck-part'))).toEqual([]);
  });
});

async function callOf(phone: string): Promise<CallRow> {
  // A lookup catalogues the recording; an interaction gives the list a row to download from.
  const file = join(dir, `call-${phone}.ndjson`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    file,
    JSON.stringify({ interaction_id: `call-${phone}`, dispatch_id: `dispatch_${T}_${phone}` }),
  );
  const reply = await app.call('recordings:list', { search: `call-${phone}` });
  if (reply.ok && (reply.value as { rows: CallRow[] }).rows.length > 0)
    return (reply.value as { rows: CallRow[] }).rows[0]!;
  await importFile(file);
  const { rows } = await value<{ rows: CallRow[] }>('recordings:list', { search: `call-${phone}` });
  expect(rows[0]?.recording).not.toBeNull();
  return rows[0]!;
}

async function importFile(file: string): Promise<void> {
  const { importInteractionsFile } = await import('../../electron/core/import/import-interactions.ts');
  const { CatalogStore } = await import('../../electron/core/catalog/catalog-store.ts');
  const { openCatalog } = await import('../../electron/core/catalog/open-catalog.ts');
  const db = openCatalog(join(dir, 'data', 'catalog.sqlite'));
  try {
    await importInteractionsFile(new CatalogStore(db), file);
  } finally {
    db.close();
  }
}

async function downloadOf(row: CallRow): Promise<Download> {
  const { downloads } = await value<{ downloads: Download[] }>('downloads:start', {
    interactionIds: [row.interaction_id],
  });
  const id = downloads[0]!.id;
  for (let i = 0; i < 200; i += 1) {
    const current = (await value<Download[]>('downloads:list')).find((d) => d.id === id)!;
    if (current.state === 'finished' || current.state === 'failed') return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the download did not end');
}

async function waitForSyncEnd(): Promise<LibraryStatus> {
  for (let i = 0; i < 200; i += 1) {
    const status = await value<LibraryStatus>('library:status');
    if (status.sync && status.sync.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sync did not end');
}
