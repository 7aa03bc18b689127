import S3rver from '@20minutes/s3rver';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { EVENTS_HTTP_PATH } from '../../shared/transport.ts';
import { fixS3rverDelimiterListing } from '../../electron/core/demo/s3rver-delimiter-fix.ts';
import { applyEmulatorQuirks } from '../support/s3-emulator.ts';
import { callContract, runTapedeck, startServe } from '../support/tapedeck-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AUDIO = readFileSync(join(ROOT, 'test/fixtures/audio/agent-greeting.mp4'));
const T = 1754653479;
const PHONE = '15103455686';

// The planted credentials: distinctive strings that must never show up anywhere but in S3's requests.
const KEY_ID = 'AKIAPLANTEDKEY000001';
const SECRET = 'pLaNtEd/SeCrEt+0123456789abcdefGHIJKLmnop';
const TOKEN = 'PlantedSessionToken//FwoGZXIvYXdzEXAMPLE+TOKEN=';
const WRONG_SECRET = 'wRoNg/SeCrEt+0123456789abcdefGHIJKLmnopq';

let dir: string;
let server: S3rver;
let endpoint: string;
const outputs: string[] = [];
const rendererSaw: string[] = [];
const scriptsSaw: string[] = [];

/** The real `serve`, with only the environment given; everything it prints is kept for the search. */
const serve = (env: Record<string, string>) => startServe(env, { home: dir, output: outputs });

/** A contract call as the page makes it; what the page received is kept for the search. */
async function ipc(url: string, method: string, input: unknown = {}): Promise<void> {
  rendererSaw.push((await callContract(url, method, input)).text);
}

/** Every byte of every file under `root` (the catalog and its WAL, settings, journals, downloads). */
function filesUnder(root: string): { path: string; bytes: Buffer }[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-secrets-'));
  // An S3 server (in this process) that knows the planted key, so the product signs with it for real.
  const Account = createRequire(import.meta.url)('@20minutes/s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  Account.DUMMY_ACCOUNT.createKeyPair(KEY_ID, SECRET);
  fixS3rverDelimiterListing(); // folders holding only folders, as real S3 lists them (the sync needs it)
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3') });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  const setup = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  applyEmulatorQuirks(setup);
  await setup.send(new CreateBucketCommand({ Bucket: 'calls' }));
  const key = recordingKeyFor('egress-recordings/', PHONE, T + 4);
  await setup.send(
    new PutObjectCommand({ Bucket: 'calls', Key: key, Body: AUDIO, ContentType: 'audio/mp4' }),
  );
  setup.destroy();
  mkdirSync(join(dir, 'downloads'));
  writeFileSync(
    join(dir, 'calls.ndjson'),
    JSON.stringify({
      interaction_id: 'louis',
      customer_name: 'Louis Smith',
      dispatch_id: `dispatch_${T}_${PHONE}`,
    }),
  );

  const env = {
    S3_BUCKET: 'calls',
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    TAPEDECK_DATA_DIR: join(dir, 'data'),
    TAPEDECK_DOWNLOADS_DIR: join(dir, 'downloads'),
    INTERACTIONS_FILE: join(dir, 'calls.ndjson'),
  };
  const app = await serve(env);
  try {
    const events = new AbortController();
    const sse = fetch(`${app.url}${EVENTS_HTTP_PATH}`, { signal: events.signal }).then(async (response) => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        rendererSaw.push(value);
      }
    });
    for (const path of [
      `/recordings/dispatch_${T}_${PHONE}`,
      '/recordings/dispatch_1_1',
      '/recordings/nope',
      '/recordings?limit=5',
      '/openapi.json',
      '/sync',
    ]) {
      scriptsSaw.push(await (await fetch(`${app.url}${path}`)).text());
    }
    for (const method of [
      'library:status',
      'recordings:list',
      'settings:get',
      'downloads:list',
      'sync:start',
    ]) {
      await ipc(app.url, method);
    }
    await ipc(app.url, 'settings:testConnection', {});
    await ipc(app.url, 'settings:testConnection', { bucket: 'no-such-bucket' });
    await ipc(app.url, 'downloads:start', { interactionIds: ['louis'] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await ipc(app.url, 'downloads:list');
    events.abort();
    await sse.catch(() => {});
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
  }

  // The same with a wrong secret: S3 refuses, and error paths are where secrets leak.
  const refused = await serve({
    ...env,
    AWS_SECRET_ACCESS_KEY: WRONG_SECRET,
    TAPEDECK_DATA_DIR: join(dir, 'data-2'),
  });
  try {
    scriptsSaw.push(await (await fetch(`${refused.url}/recordings/dispatch_${T + 100}_${PHONE}`)).text());
    await ipc(refused.url, 'settings:testConnection', {});
    await ipc(refused.url, 'library:status');
  } finally {
    refused.child.kill('SIGTERM');
    await refused.exited;
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('planted credentials', () => {
  it('really were used: the download and the signed answer worked, and the wrong secret was refused', () => {
    expect(readdirSync(join(dir, 'downloads'))).toEqual(['Louis Smith_15103455686_2025-08-08_114443.mp4']);
    expect(scriptsSaw[0]).toContain(`X-Amz-Credential=${KEY_ID}`);
    expect(scriptsSaw.at(-1)).toMatch(/SignatureDoesNotMatch/);
  });

  it.each([
    ['the secret access key', SECRET],
    ['the wrong secret access key', WRONG_SECRET],
    ['the session token', TOKEN],
  ])(
    '%s is in no log line, no file in the data or downloads folders, and nothing the page received',
    (_name, planted) => {
      expect(outputs.join('\n')).not.toContain(planted);
      expect(rendererSaw.join('\n')).not.toContain(planted);
      expect(rendererSaw.join('\n')).not.toContain(encodeURIComponent(planted));
      for (const file of [
        ...filesUnder(join(dir, 'data')),
        ...filesUnder(join(dir, 'data-2')),
        ...filesUnder(join(dir, 'downloads')),
      ]) {
        expect(file.bytes.includes(planted), file.path).toBe(false);
        expect(file.bytes.includes(encodeURIComponent(planted)), file.path).toBe(false);
      }
    },
  );

  it('the secret key is in no answer to scripts either (presigned URLs carry only the key id and token)', () => {
    for (const planted of [SECRET, WRONG_SECRET]) {
      expect(scriptsSaw.join('\n')).not.toContain(planted);
      expect(scriptsSaw.join('\n')).not.toContain(encodeURIComponent(planted));
    }
  });

  it('a crash prints no credential either', async () => {
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const { code, output } = await runTapedeck(
      'electron/core/cli/serve.ts',
      [],
      {
        TAPEDECK_PORT: '0',
        S3_BUCKET: 'calls',
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: TOKEN,
        TAPEDECK_DATA_DIR: join(dir, 'not-a-folder', 'data'),
      },
      { home: dir, preload: false },
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/^tapedeck: ENOTDIR: not a directory, mkdir '.*not-a-folder\/data'$/m);
    expect(output).not.toMatch(/\n\s+at /); // a file-system error a person can fix is one line, not a stack
    for (const planted of [SECRET, TOKEN]) expect(output).not.toContain(planted);
  });
});
