import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { DEMO_ASSETS_DIR } from '../../electron/core/demo/demo-library.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import {
  contract,
  type CallRow,
  type Download,
  type LibraryStatus,
  type MethodName,
  type Reply,
} from '../../shared/contract.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { EVENTS_HTTP_PATH, IPC_HTTP_PREFIX, MEDIA_HTTP_PREFIX } from '../../shared/transport.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import {
  applyEmulatorQuirks,
  createEmulatorClient,
  createTestBucket,
  EMULATOR_CREDENTIALS,
  putTestObject,
} from '../support/s3-emulator.ts';

const DEMO_CALLS = JSON.parse(readFileSync(join(DEMO_ASSETS_DIR, 'calls.json'), 'utf8')) as {
  interaction_id: string;
}[];
/** The demo's recordings: each belongs to one call of calls.json. */
const DEMO_RECORDINGS = readdirSync(DEMO_ASSETS_DIR).filter((name) => name.endsWith('.mp4'));

let dir: string;
let app: TapedeckApp;
let base: string;

/** Calls a contract method over web mode's HTTP transport, checking the reply against the contract. */
async function call<T>(method: MethodName, input: unknown = {}): Promise<Reply<T>> {
  const response = await fetch(`${base}${IPC_HTTP_PREFIX}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const reply = (await response.json()) as Reply<T>;
  if (reply.ok) contract.methods[method].output.parse(reply.value);
  return reply;
}

async function value<T>(method: MethodName, input: unknown = {}): Promise<T> {
  const reply = await call<T>(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value;
}

/** Collects server-sent events until `until` returns true. */
async function eventsUntil(until: (event: string, data: unknown) => boolean, start: () => Promise<void>) {
  const controller = new AbortController();
  const response = await fetch(`${base}${EVENTS_HTTP_PATH}`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: { event: string; data: unknown }[] = [];
  await start();
  let buffer = '';
  try {
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const parsed = JSON.parse(data) as unknown;
        seen.push({ event, data: parsed });
        if (until(event, parsed)) return seen;
      }
    }
  } finally {
    controller.abort();
  }
  return seen;
}

async function waitForSync(): Promise<LibraryStatus> {
  for (let i = 0; i < 100; i += 1) {
    const status = await value<LibraryStatus>('library:status');
    if (status.sync && status.sync.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sync did not finish');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-app-'));
  app = await startTapedeckApp({
    dataDir: join(dir, 'data'),
    env: { TAPEDECK_PORT: '0', TAPEDECK_DOWNLOADS_DIR: join(dir, 'downloads') },
    ports: headlessPorts(join(dir, 'unused-downloads')),
    log: silentLogger,
    webMode: true,
    demo: 'when-unconfigured',
    createS3Client: (location, credentials) => {
      // Only the emulator's buckets need its quirks; the demo server is the product's own.
      const client = createS3Client(location, { credentials });
      if (location.endpoint === emulatorEndpoint()) applyEmulatorQuirks(client);
      return client;
    },
  });
  base = app.apiUrl!;
  await waitForSync();
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('with nothing configured, the demo library', () => {
  it('opens, labelled as the demo, with every demo call and its recordings synced from the local S3 server', async () => {
    const status = await value<LibraryStatus>('library:status');
    expect(status.mode).toBe('demo');
    expect(status.location).toBe('s3://tapedeck-demo/egress-recordings/');
    expect(status.counts.interactions).toBe(DEMO_CALLS.length);
    expect(status.counts.withRecording).toBe(DEMO_RECORDINGS.length);
    expect(status.counts.recordings).toBe(DEMO_RECORDINGS.length);
    expect(status.credentials.source).toBe('demo');
    expect(status.problem).toBeNull();
    const { rows, total } = await value<{ rows: CallRow[]; total: number }>('recordings:list', {});
    expect(total).toBe(DEMO_CALLS.length);
    expect(rows.map((row) => row.interaction_id).sort()).toEqual(
      DEMO_CALLS.map((c) => c.interaction_id).sort(),
    );
  });

  it('finds Louis Smith by a phone number typed with formatting', async () => {
    const { rows } = await value<{ rows: CallRow[] }>('recordings:list', { search: '(510) 345-5686' });
    expect(rows.map((row) => row.customer_name)).toEqual(['Louis Smith']);
    expect(rows[0]!.recording?.fileName).toBe('Louis Smith_15103455686_2025-08-08_114445.mp4');
  });

  it('streams a recording with Range support, and refuses a key that is not in the catalog', async () => {
    const { rows } = await value<{ rows: CallRow[] }>('recordings:list', { search: 'Louis' });
    const key = rows[0]!.recording!.key;
    const url = `${base}${MEDIA_HTTP_PREFIX}${encodeURIComponent(key)}`;
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.equals(readFileSync(join(DEMO_ASSETS_DIR, key.split('/').at(-1)!)))).toBe(true);

    const part = await fetch(url, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);

    const outside = await fetch(
      `${base}${MEDIA_HTTP_PREFIX}${encodeURIComponent('egress-recordings/../secret.mp4')}`,
    );
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ detail: expect.stringMatching(/not in the catalog/) });
  });

  it('downloads a call to the downloads folder with progress events, under its customer-and-time name', async () => {
    const { rows } = await value<{ rows: CallRow[] }>('recordings:list', { search: 'Ångström' });
    const row = rows[0]!;
    const events = await eventsUntil(
      (event, data) => event === 'downloads:progress' && (data as Download).state === 'finished',
      async () => {
        const started = await value<{ downloads: Download[] }>('downloads:start', {
          interactionIds: [row.interaction_id],
        });
        expect(started.downloads).toHaveLength(1);
      },
    );
    const finished = events.at(-1)!.data as Download;
    expect(finished.fileName).toBe(row.recording!.fileName);
    expect(finished.path).toBe(join(dir, 'downloads', row.recording!.fileName));
    const saved = readFileSync(finished.path);
    const original = readFileSync(join(DEMO_ASSETS_DIR, row.recording!.key.split('/').at(-1)!));
    expect(createHash('sha256').update(saved).digest('hex')).toBe(
      createHash('sha256').update(original).digest('hex'),
    );
    expect(readdirSync(join(dir, 'downloads')).filter((name) => name.endsWith('.tapedeck-part'))).toEqual([]);
    expect((await value<{ shown: boolean }>('downloads:reveal', { id: finished.id })).shown).toBe(false);
  });

  it('caches a waveform once computed, and refuses one for a recording it does not know', async () => {
    const { rows } = await value<{ rows: CallRow[] }>('recordings:list', { hasRecording: true, limit: 1 });
    const key = rows[0]!.recording!.key;
    expect(await value('recordings:waveform', { key })).toBeNull();
    const waveform = {
      channels: [
        [0, 0.5, 1],
        [0.2, 0.1, 0],
      ],
      durationSeconds: 12.5,
    };
    expect(await value('recordings:saveWaveform', { key, waveform })).toEqual({ saved: true });
    expect(await value('recordings:waveform', { key })).toEqual(waveform);
    const unknown = await call('recordings:saveWaveform', { key: 'nope.mp4', waveform });
    expect(unknown).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'That recording is not in the catalog.' },
    });
  });

  it('answers a bad payload over HTTP with a typed error naming the field (the door IPC goes through too)', async () => {
    expect(await call('recordings:list', { limit: 'lots' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^recordings:list: limit: /) },
    });
    const unknown = await fetch(`${base}${IPC_HTTP_PREFIX}fs:readFile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('serves the documented API from the same service', async () => {
    const response = await fetch(`${base}/recordings/dispatch_1754653479_15103455686`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { s3_key: string; recording_url: string };
    expect(body.s3_key).toBe('egress-recordings/2025/08/08/outbound-15103455686_1754653485.mp4');
    expect((await fetch(body.recording_url)).status).toBe(200);
  });
});

describe('settings', () => {
  let s3: S3Client;
  let bucket: string;
  const phone = '15557770001';
  const T = 1754653479;

  beforeAll(async () => {
    s3 = createEmulatorClient(emulatorEndpoint());
    bucket = await createTestBucket(s3);
    await putTestObject(s3, bucket, recordingKeyFor('calls/', phone, T + 5), 'audio', 'audio/mp4');
  });
  afterAll(() => s3.destroy());

  const bucketSettings = () => ({
    bucket,
    prefix: 'calls',
    region: 'us-east-1',
    endpoint: emulatorEndpoint(),
    forcePathStyle: true,
    credentialSource: 'default-chain' as const,
  });

  it('tests a connection without saving it, with a clear message when it fails', async () => {
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
    const ok = await value<{ ok: boolean; message: string }>('settings:testConnection', bucketSettings());
    expect(ok).toEqual({
      ok: true,
      message: expect.stringMatching(/^Connected to s3:\/\/.*\/calls\/.*1 recording/),
    });
    const missing = await value<{ ok: boolean; message: string }>('settings:testConnection', {
      ...bucketSettings(),
      bucket: 'no-such-bucket-at-all',
    });
    expect(missing).toEqual({ ok: false, message: expect.stringMatching(/NoSuchBucket.*check S3_BUCKET/) });
    expect((await value<LibraryStatus>('library:status')).mode).toBe('demo');
  });

  it('switches from the demo to a saved bucket, announcing the change', async () => {
    const events = await eventsUntil(
      (event, data) => event === 'library:changed' && (data as LibraryStatus).mode === 'bucket',
      async () => {
        const saved = await value<{ bucket: string; prefix: string }>('settings:update', bucketSettings());
        expect(saved).toMatchObject({ bucket, prefix: 'calls/' });
      },
    );
    expect((events.at(-1)!.data as LibraryStatus).location).toContain(`s3://${bucket}/calls/`);
    const settingsFile = readFileSync(join(dir, 'data', 'settings.json'), 'utf8');
    expect(JSON.parse(settingsFile)).toMatchObject({ bucket, prefix: 'calls/' });
    const documented = await fetch(`${base}/recordings/dispatch_${T}_${phone}`);
    expect(documented.status).toBe(200);
  });

  it('refuses typed keys in headless mode, saying what to do instead', async () => {
    const reply = await call('settings:update', { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringMatching(/only be stored by the desktop app.*AWS_PROFILE/),
      },
    });
    expect(readFileSync(join(dir, 'data', 'settings.json'), 'utf8')).not.toContain('AKIAEXAMPLE');
  });
});
