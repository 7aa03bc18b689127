/**
 * The team's outbox through a crash (issue 12): the real `npm run serve` is killed with SIGKILL while
 * it uploads a batch of review events, then started again on the same data folder. The batch's key
 * was recorded before the upload, so the retry writes the same object: the bucket holds each event
 * exactly once, whether the interrupted upload reached it or not.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_FILE_NAME, openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import type { TeamStatus } from '../../electron/core/team/team-service.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy.ts';
import { EMULATOR_CREDENTIALS, createEmulatorClient, createTestBucket } from '../support/s3-emulator.ts';
import { callContract, killHard, startServe } from '../support/tapedeck-process.ts';
import { DEMO_CALLS_FILE } from '../support/team-members.ts';

const CALL = 'demo_ava_001';
const ALICE_EVENTS = 'tapedeck/v1/events/alice/';
const isEventUpload = (method: string, path: string) => method === 'PUT' && path.includes('/v1/events/');

let dir: string;
let s3: S3Client;
const children = new Set<ChildProcess>();
const proxies: FaultProxy[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-team-crash-'));
  s3 = createEmulatorClient(emulatorEndpoint());
});

afterEach(async () => {
  await Promise.all([...children].map((child) => killHard(child)));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

afterAll(() => {
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function env(bucket: string, endpoint: string, dataDir: string): Record<string, string> {
  return {
    S3_BUCKET: bucket,
    S3_PREFIX: 'recordings/',
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    TAPEDECK_DATA_DIR: dataDir,
    TAPEDECK_REVIEWER: 'alice',
    TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
    INTERACTIONS_FILE: DEMO_CALLS_FILE,
  };
}

/** Each object in alice's folder with the event ids it holds. */
async function aliceObjects(bucket: string): Promise<Map<string, string[]>> {
  const objects = new Map<string, string[]>();
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: ALICE_EVENTS }));
  for (const object of page.Contents ?? []) {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
    const text = await answer.Body!.transformToString();
    objects.set(
      object.Key!,
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { event_id: string }).event_id),
    );
  }
  return objects;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ipc<T>(url: string, method: string, input: unknown = {}): Promise<T> {
  const { reply } = await callContract<T>(url, method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value;
}

describe('kill -9 during an upload of review events', () => {
  const cases: [string, Fault][] = [
    // The upload is held by the network; it may land after the process is gone.
    ['an upload still on its way', { kind: 'delay', ms: 1_500 }],
    // The upload never arrives.
    ['an upload that never arrived', { kind: 'reset' }],
  ];
  it.each(cases)(
    'leaves each event in the bucket once after a restart (%s)',
    async (_name, fault) => {
      const bucket = await createTestBucket(s3, 'team-crash');
      const dataDir = join(dir, bucket);
      const proxy = await startFaultProxy(emulatorEndpoint());
      proxies.push(proxy);
      proxy.inject(
        Array.from({ length: 20 }, () => fault),
        isEventUpload,
      );

      const first = await startServe(env(bucket, proxy.endpoint, dataDir), { home: dir, running: children });
      const response = await fetch(`${first.url}/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          interaction_id: CALL,
          form_version_id: 'general-1',
          answers: [{ question_id: 'greeting', option_id: 'yes' }],
          notes: [{ at_ms: 1000, end_ms: null, lane: 'agent', text: 'greeted at once', question_id: null }],
          tags: ['crash-test'],
          submit: false,
        }),
      });
      expect(response.status).toBe(201);
      await until('the upload to start', () =>
        proxy.seen.some((line) => isEventUpload(...(line.split(' ') as [string, string]))),
      );
      await killHard(first.child);
      proxy.clear();
      if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms + 500));
      const keyBefore = [...(await aliceObjects(bucket)).keys()];

      const second = await startServe(env(bucket, proxy.endpoint, dataDir), { home: dir, running: children });
      expect((await fetch(`${second.url}/sync`, { method: 'POST' })).status).toBe(202);
      const status = await ipc<TeamStatus>(second.url, 'team:status');
      expect(status).toMatchObject({ outbox: 0, error: null });

      const catalog = openCatalog(join(dataDir, CATALOG_FILE_NAME), { readonly: true });
      const local = catalog
        .prepare<[], string>(
          `SELECT event_id FROM review_events WHERE reviewer_id = 'alice' ORDER BY event_id`,
        )
        .pluck()
        .all();
      catalog.close();
      expect(local.length).toBe(4); // started, the answer, the note, the tag

      const objects = await aliceObjects(bucket);
      const inBucket = [...objects.values()].flat().sort();
      expect(inBucket).toEqual(local); // every event, each once
      expect(objects.size).toBe(1); // one batch, under the key chosen before the crash
      if (keyBefore.length > 0) expect([...objects.keys()]).toEqual(keyBefore);
      await killHard(second.child);
    },
    60_000,
  );
});
