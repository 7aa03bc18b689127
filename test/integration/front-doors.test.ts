/**
 * The two front doors — the contract (IPC, and web mode's HTTP transport of it) and the documented
 * HTTP API — run the same operations of the same domain services: the same sync, the same list.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import type { CallRow, LibraryStatus, MethodName } from '../../shared/contract.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import type { RecordingListItem } from '../../shared/recording.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import {
  applyEmulatorQuirks,
  createEmulatorClient,
  createTestBucket,
  EMULATOR_CREDENTIALS,
  putTestObject,
} from '../support/s3-emulator.ts';

const T = 1754653479;
/** Calls the upstream Recording API answers: some with recordings in the bucket, one not. */
const UPSTREAM_CALLS = [
  { id: 'up-ana', name: 'Ana Lima', phone: '15550000001', at: T, status: 'COMPLETED', recorded: true },
  { id: 'up-ben', name: 'Ben Okafor', phone: '15550000002', at: T + 600, status: 'FAILED', recorded: true },
  { id: 'up-cy', name: 'Cy Tran', phone: '15550000003', at: T + 1200, status: 'COMPLETED', recorded: false },
  { id: 'up-dee', name: 'Dee Ruiz', phone: '15550000004', at: T + 1800, status: 'VOICEMAIL', recorded: true },
];

let dir: string;
let s3: S3Client;
let upstream: Server;
let upstreamRequests = 0;
let app: TapedeckApp;
let base: string;

async function value<T>(method: MethodName, input: unknown = {}): Promise<T> {
  const reply = await app.call(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const current = await read();
    if (done(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const syncIdle = () =>
  until(
    () => value<LibraryStatus>('library:status'),
    (status) => status.sync?.state !== 'running' && status.upstream?.state !== 'running',
    'the sync to end',
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-doors-'));
  s3 = createEmulatorClient(emulatorEndpoint());
  const bucket = await createTestBucket(s3);
  for (const call of UPSTREAM_CALLS.filter((c) => c.recorded)) {
    await putTestObject(s3, bucket, recordingKeyFor('calls/', call.phone, call.at + 4), 'audio', 'audio/mp4');
  }
  upstream = createServer((request, response) => {
    upstreamRequests += 1;
    const url = new URL(request.url ?? '/', 'http://upstream');
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const recordings = UPSTREAM_CALLS.slice(offset, offset + limit).map((call) => ({
      interaction_id: call.id,
      customer_name: call.name,
      phone: `+${call.phone}`,
      status: call.status,
      outcome: null,
      duration: 60,
      start_time: new Date(call.at * 1000).toISOString(),
      end_time: new Date((call.at + 60) * 1000).toISOString(),
      recording_url: null,
      dispatch_id: `dispatch_${call.at}_${call.phone}`,
    }));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ recordings, limit, offset }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  app = await startTapedeckApp({
    dataDir: join(dir, 'data'),
    env: {
      S3_BUCKET: bucket,
      S3_PREFIX: 'calls/',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: emulatorEndpoint(),
      S3_FORCE_PATH_STYLE: 'true',
      TAPEDECK_UPSTREAM_URL: upstreamUrl,
      TAPEDECK_PORT: '0',
      TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
    },
    ports: headlessPorts(join(dir, 'downloads')),
    log: silentLogger,
    demo: 'never',
    // The SDK reads keys from process.env, not from the app's env: hand it the emulator's.
    createS3Client: (location) => {
      const client = createS3Client(location, { credentials: EMULATOR_CREDENTIALS });
      applyEmulatorQuirks(client);
      return client;
    },
  });
  base = app.apiUrl!;
  const status = await syncIdle();
  expect(status.sync?.state).toBe('succeeded');
  expect(status.counts).toMatchObject({ interactions: UPSTREAM_CALLS.length, withRecording: 3 });
});

afterAll(async () => {
  await app?.close();
  upstream?.close();
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sync, through either door', () => {
  it('POST /sync pulls the upstream API as well as listing S3, as "Sync now" does', async () => {
    const before = upstreamRequests;
    const response = await fetch(`${base}/sync`, { method: 'POST' });
    expect(response.status).toBe(202);
    await syncIdle();
    expect(upstreamRequests).toBeGreaterThan(before);

    const afterHttp = upstreamRequests;
    await value('sync:start');
    await syncIdle();
    expect(upstreamRequests).toBeGreaterThan(afterHttp);
  });
});

describe('the list, through either door', () => {
  const views: { name: string; query: Record<string, unknown>; params: string }[] = [
    { name: 'the whole list', query: {}, params: 'limit=10' },
    { name: 'a status', query: { status: ['COMPLETED'] }, params: 'limit=10&status=COMPLETED' },
    { name: 'a name search', query: { search: 'ben' }, params: 'limit=10&q=ben' },
    { name: 'calls with a recording', query: { hasRecording: true }, params: 'limit=10&has_recording=true' },
    { name: 'calls without one', query: { hasRecording: false }, params: 'limit=10&has_recording=false' },
    { name: 'a second page', query: { offset: 1, limit: 2 }, params: 'offset=1&limit=2' },
  ];

  it.each(views)('gives the same calls, in the same order, for $name', async ({ query, params }) => {
    const page = await value<{ rows: CallRow[] }>('recordings:list', { limit: 10, ...query });
    const response = await fetch(`${base}/recordings?${params}`);
    expect(response.status).toBe(200);
    const documented = (await response.json()) as { recordings: RecordingListItem[] };

    expect(page.rows.length).toBeGreaterThan(0);
    expect(
      documented.recordings.map(({ recording_url, ...fields }) => ({ ...fields, recorded: !!recording_url })),
    ).toEqual(page.rows.map(({ recording, ...fields }) => ({ ...fields, recorded: recording !== null })));
  });
});
