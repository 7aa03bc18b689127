import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import {
  DETAIL_NOT_FOUND,
  DETAIL_S3_CONFIG_MISSING,
  type RecordingList,
  type RecordingUrls,
} from '../../shared/recording.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { checkingAnswers, fetchConforming } from './openapi-conformance.ts';
import { startTapedeck as startUnchecked, type TapedeckUnderTest } from './tapedeck-under-test.ts';

/** Every answer these tests receive is also held against /openapi.json. */
const startTapedeck = async (options: Parameters<typeof startUnchecked>[0]) =>
  checkingAnswers(await startUnchecked(options));

const PREFIX = 'egress-recordings/';
const T = 1754653479; // 2025-08-08T11:44:39Z, the spec's example
const AUDIO = readFileSync(new URL('../fixtures/audio/agent-greeting.mp4', import.meta.url));

/** Each scenario uses its own phone number, so they share one bucket without meeting. */
let nextPhone = 15103450000;
function phone(): string {
  nextPhone += 1;
  return String(nextPhone);
}

let s3: S3Client;
let bucket: string;
let app: TapedeckUnderTest;

async function putRecording(
  phoneDigits: string,
  timestamp: number,
  direction: 'outbound' | 'inbound' = 'outbound',
) {
  const key = recordingKeyFor(PREFIX, phoneDigits, timestamp, direction);
  await putTestObject(s3, bucket, key, AUDIO, 'audio/mp4');
  return key;
}

async function getRecording(dispatchId: string, query = '') {
  return app.get(`/recordings/${dispatchId}${query}`) as Promise<{
    status: number;
    body: RecordingUrls;
    headers: Headers;
  }>;
}

beforeAll(async () => {
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3);
  app = await startTapedeck({ bucket });
});

afterAll(async () => {
  await app?.close();
  s3?.destroy();
});

describe('GET /recordings/{dispatch_id} resolves the recording', () => {
  it('answers the documented fields for the exact key, with a URL that plays the bytes', async () => {
    const p = phone();
    const key = await putRecording(p, T);
    const { status, body, headers } = await getRecording(`dispatch_${T}_${p}`);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      ['dispatch_id', 'download_url', 'expires_at', 'expires_in', 'recording_url', 's3_key'].sort(),
    );
    expect(body).toMatchObject({ dispatch_id: `dispatch_${T}_${p}`, s3_key: key, expires_in: 3600 });
    expect(headers.get('cache-control')).toBe('no-store');
    const audio = await fetch(body.recording_url);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).equals(AUDIO)).toBe(true);
  });

  it('resolves a dispatch to a recording that started a few seconds late', async () => {
    const p = phone();
    const key = await putRecording(p, T + 7);
    expect((await getRecording(`dispatch_${T}_${p}`)).body.s3_key).toBe(key);
  });

  it('takes the nearest recording within the window, not the earliest listed', async () => {
    const p = phone();
    await putRecording(p, T + 600);
    await putRecording(p, T + 300);
    const nearest = await putRecording(p, T + 40);
    expect((await getRecording(`dispatch_${T}_${p}`)).body.s3_key).toBe(nearest);
  });

  it('resolves to the recording 40 s later, not the one 5 s before', async () => {
    const p = phone();
    await putRecording(p, T - 5);
    const after = await putRecording(p, T + 40);
    expect((await getRecording(`dispatch_${T}_${p}`)).body.s3_key).toBe(after);
  });

  it('does not take a recording made before the dispatch', async () => {
    const p = phone();
    await putRecording(p, T - 5);
    const { status, body } = await getRecording(`dispatch_${T}_${p}`);
    expect(status).toBe(404);
    expect(body).toEqual({ detail: DETAIL_NOT_FOUND });
  });

  it('looks into the next UTC day folder when the window crosses midnight', async () => {
    const p = phone();
    const lateEvening = Date.UTC(2025, 7, 8, 23, 55, 0) / 1000;
    const key = await putRecording(p, lateEvening + 420); // 00:02 on the 9th
    expect(key).toContain('/2025/08/09/');
    const { status, body } = await getRecording(`dispatch_${lateEvening}_${p}`);
    expect(status).toBe(200);
    expect(body.s3_key).toBe(key);
  });

  it('does not take the recording of a longer phone number that starts with the same digits', async () => {
    const p = phone();
    await putRecording(`${p}7`, T + 3);
    expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(404);
    const own = await putRecording(p, T + 9);
    expect((await getRecording(`dispatch_${T}_${p}`)).body.s3_key).toBe(own);
  });

  it('ignores an Egress manifest beside the recording and a non-.mp4 object at the exact key', async () => {
    const p = phone();
    const folder = `${PREFIX}2025/08/08/`;
    await putTestObject(
      s3,
      bucket,
      `${folder}outbound-${p}_${T}.json`,
      '{"egress_id":"EG_1"}',
      'application/json',
    );
    await putTestObject(s3, bucket, `${folder}outbound-${p}_${T}.ogg`, 'not the mp4', 'audio/ogg');
    await putTestObject(s3, bucket, `${folder}outbound-${p}_${T}`, 'no extension');
    const mp4 = await putRecording(p, T + 12);
    await putTestObject(
      s3,
      bucket,
      `${folder}outbound-${p}_${T + 12}.json`,
      '{"egress_id":"EG_2"}',
      'application/json',
    );
    expect((await getRecording(`dispatch_${T}_${p}`)).body.s3_key).toBe(mp4);
  });

  it('answers 404 with the documented detail when the recording is 901 s after the dispatch', async () => {
    const p = phone();
    await putRecording(p, T + 901);
    const { status, body } = await getRecording(`dispatch_${T}_${p}`);
    expect(status).toBe(404);
    expect(body).toEqual({
      detail: 'Recording not found. Call may still be in progress or recording failed.',
    });
  });

  it('does not take an inbound recording for a dispatch', async () => {
    const p = phone();
    await putRecording(p, T, 'inbound');
    expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(404);
  });

  it('finds a recording uploaded after the server started, without a restart or a sync', async () => {
    const p = phone();
    expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(404);
    const key = await putRecording(p, T + 15);
    const { status, body } = await getRecording(`dispatch_${T}_${p}`);
    expect(status).toBe(200);
    expect(body.s3_key).toBe(key);
  });

  it('serves a catalogued recording again without asking S3', async () => {
    const p = phone();
    await putRecording(p, T + 2);
    expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(200);
    const before = app.s3Calls.length;
    for (let i = 0; i < 5; i += 1) expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(200);
    expect(app.s3Calls.slice(before)).toEqual([]);
  });

  it('ignores recordings outside the configured prefix', async () => {
    const p = phone();
    await putTestObject(s3, bucket, recordingKeyFor('other-prefix/', p, T), AUDIO, 'audio/mp4');
    expect((await getRecording(`dispatch_${T}_${p}`)).status).toBe(404);
  });
});

describe('presigned URLs', () => {
  it('makes S3 answer the download URL as an attachment with a sensible file name', async () => {
    const p = phone();
    await putRecording(p, T);
    const { body } = await getRecording(`dispatch_${T}_${p}`);
    expect(new URL(body.download_url).searchParams.get('response-content-disposition')).toMatch(
      /^attachment;/,
    );
    const download = await fetch(body.download_url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="${p}_2025-08-08_114439.mp4"`,
    );
    expect(Buffer.from(await download.arrayBuffer()).equals(AUDIO)).toBe(true);
  });

  it('names the download after the customer when the call was imported', async () => {
    const p = phone();
    await putRecording(p, T);
    const file = join(app.dataDir, 'one-call.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ interaction_id: `named-${p}`, customer_name: 'Louis Smith', dispatch_id: `dispatch_${T}_${p}` })}\n`,
    );
    await app.core.service.importInteractions(file);
    const { body } = await getRecording(`dispatch_${T}_${p}`);
    const download = await fetch(body.download_url);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Louis Smith_${p}_2025-08-08_114439.mp4"`,
    );
  });

  it('reports expires_at as the signing time plus expires_in, in ISO-8601 with milliseconds', async () => {
    const p = phone();
    await putRecording(p, T);
    const before = Math.floor(Date.now() / 1000) * 1000;
    const { body } = await getRecording(`dispatch_${T}_${p}`, '?expires_in=86400');
    const after = Date.now();
    expect(body.expires_in).toBe(86400);
    expect(body.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    const expiresAt = Date.parse(body.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 86400_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 86400_000);
    const signed = new URL(body.recording_url).searchParams;
    expect(signed.get('X-Amz-Expires')).toBe('86400');
    const amzDate = signed
      .get('X-Amz-Date')!
      .replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
    expect(expiresAt - Date.parse(amzDate)).toBe(86400_000);
  });

  it('has S3 refuse a URL whose signature was tampered with', async () => {
    const p = phone();
    await putRecording(p, T);
    const { body } = await getRecording(`dispatch_${T}_${p}`);
    const url = new URL(body.recording_url);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    expect((await fetch(url)).status).toBe(403);
    const otherKey = new URL(body.recording_url);
    otherKey.pathname = otherKey.pathname.replace(`_${T}.mp4`, `_${T + 1}.mp4`);
    expect((await fetch(otherKey)).status).toBe(403);
  });

  it('has S3 refuse a URL after it expires', async () => {
    const p = phone();
    await putRecording(p, T);
    const { body } = await getRecording(`dispatch_${T}_${p}`, '?expires_in=1');
    expect(body.expires_in).toBe(1);
    expect((await fetch(body.recording_url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await fetch(body.recording_url)).status).toBe(403);
  });

  it.each([
    ['0', 'greater_than_equal', 'Input should be greater than or equal to 1'],
    ['604801', 'less_than_equal', 'Input should be less than or equal to 604800'],
    ['abc', 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
    ['1.5', 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
    ['-3', 'greater_than_equal', 'Input should be greater than or equal to 1'],
  ])('answers expires_in=%s with 422 and a FastAPI-style detail', async (value, type, msg) => {
    const { status, body } = await app.get(`/recordings/dispatch_${T}_15550000000?expires_in=${value}`);
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [expect.objectContaining({ type, loc: ['query', 'expires_in'], msg, input: value })],
    });
  });

  it('accepts the longest documented expiry, 604800 s', async () => {
    const p = phone();
    await putRecording(p, T);
    const { status, body } = await getRecording(`dispatch_${T}_${p}`, '?expires_in=604800');
    expect(status).toBe(200);
    expect(body.expires_in).toBe(604800);
    expect((await fetch(body.recording_url)).status).toBe(200);
  });

  it('answers a malformed dispatch id with 422 naming the expected pattern', async () => {
    const { status, body } = await app.get('/recordings/not-a-dispatch');
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        expect.objectContaining({
          type: 'string_pattern_mismatch',
          loc: ['path', 'dispatch_id'],
          input: 'not-a-dispatch',
        }),
      ],
    });
  });
});

describe('GET /recordings lists interactions', () => {
  const listPhone = '15550009999';
  let listed: TapedeckUnderTest;
  // 25 calls 1000 s apart (so no window reaches the next call); the odd ones have a recording in the bucket.
  const calls = Array.from({ length: 25 }, (_, i) => ({
    interaction_id: `call-${String(i).padStart(2, '0')}`,
    customer_name: `Customer ${i}`,
    phone: `+${listPhone}`,
    status: i % 5 === 0 ? 'FAILED' : 'COMPLETED',
    outcome: 'PAYMENT_PROMISED',
    duration: 100 + i,
    start_time: new Date((T + i * 1000) * 1000).toISOString(),
    end_time: new Date((T + i * 1000 + 100 + i) * 1000).toISOString(),
    dispatch_id: `dispatch_${T + i * 1000}_${listPhone}`,
  }));

  beforeAll(async () => {
    const listBucket = await createTestBucket(s3);
    for (let i = 1; i < calls.length; i += 2) {
      await putTestObject(
        s3,
        listBucket,
        recordingKeyFor(PREFIX, listPhone, T + i * 1000 + 4),
        AUDIO,
        'audio/mp4',
      );
    }
    listed = await startTapedeck({ bucket: listBucket });
    const file = join(listed.dataDir, 'calls.ndjson');
    writeFileSync(file, calls.map((call) => JSON.stringify(call)).join('\n'));
    await listed.core.service.importInteractions(file);
    await listed.core.service.sync();
  });

  afterAll(async () => {
    await listed?.close();
  });

  const list = (query = '') =>
    listed.get(`/recordings${query}`) as Promise<{ status: number; body: RecordingList }>;

  it('answers 10 recordings, newest first, with limit 10 and offset 0 by default', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.limit).toBe(10);
    expect(body.offset).toBe(0);
    expect(body.recordings.map((r) => r.interaction_id)).toEqual(
      calls
        .slice(15)
        .reverse()
        .map((call) => call.interaction_id),
    );
  });

  it('answers the documented fields of each call, with recording_url null for a call without a recording', async () => {
    const { body } = await list('?limit=2&offset=0');
    const [newest, second] = body.recordings;
    expect(Object.keys(newest!)).toEqual([
      'interaction_id',
      'customer_name',
      'phone',
      'status',
      'outcome',
      'duration',
      'start_time',
      'end_time',
      'recording_url',
      'dispatch_id',
    ]);
    expect(newest).toEqual({ ...calls[24]!, recording_url: null });
    expect(second).toEqual({ ...calls[23]!, recording_url: expect.stringContaining('X-Amz-Signature=') });
    expect(typeof second!.duration).toBe('number');
    const audio = await fetch(second!.recording_url!);
    expect(audio.status).toBe(200);
  });

  it('pages with limit and offset', async () => {
    const { body } = await list('?limit=5&offset=10');
    expect(body).toMatchObject({ limit: 5, offset: 10 });
    expect(body.recordings.map((r) => r.interaction_id)).toEqual([
      'call-14',
      'call-13',
      'call-12',
      'call-11',
      'call-10',
    ]);
  });

  it('answers an empty page past the end and for limit=0', async () => {
    expect((await list('?offset=25')).body.recordings).toEqual([]);
    expect((await list('?limit=0')).body).toEqual({ recordings: [], limit: 0, offset: 0 });
  });

  it('caps limit at 1000 and says so in the answer', async () => {
    const { status, body } = await list('?limit=5000');
    expect(status).toBe(200);
    expect(body.limit).toBe(1000);
    expect(body.recordings).toHaveLength(25);
  });

  it.each([
    ['limit=abc', 'limit', 'int_parsing'],
    ['limit=-1', 'limit', 'greater_than_equal'],
    ['offset=-5', 'offset', 'greater_than_equal'],
    ['offset=2.5', 'offset', 'int_parsing'],
    ['limit=', 'limit', 'int_parsing'],
  ])('answers %s with 422 naming the parameter', async (query, name, type) => {
    const { status, body } = await listed.get(`/recordings?${query}`);
    expect(status).toBe(422);
    expect(body).toEqual({ detail: [expect.objectContaining({ loc: ['query', name], type })] });
  });

  it('reports every bad parameter at once', async () => {
    const { body } = await listed.get('/recordings?limit=x&offset=-1');
    expect((body as { detail: { loc: string[] }[] }).detail.map((issue) => issue.loc[1])).toEqual([
      'limit',
      'offset',
    ]);
  });

  it('lists from the catalog without an S3 call per item', async () => {
    const before = listed.s3Calls.length;
    await list('?limit=25');
    expect(listed.s3Calls.slice(before)).toEqual([]);
  });
});

describe('when S3 is not configured or not reachable', () => {
  it('answers 500 with the documented detail on both routes when S3_BUCKET is missing', async () => {
    const unconfigured = await startTapedeck({ bucket: null });
    try {
      for (const path of [
        '/recordings/dispatch_1754653479_15103455686',
        '/recordings',
        '/recordings?limit=5',
      ]) {
        const { status, body } = await unconfigured.get(path);
        expect(status).toBe(500);
        expect(body).toEqual({ detail: DETAIL_S3_CONFIG_MISSING });
      }
    } finally {
      await unconfigured.close();
    }
  });

  it('answers 502 naming the bucket when it does not exist', async () => {
    const missing = await startTapedeck({ bucket: 'no-such-bucket-here' });
    try {
      const { status, body } = await missing.get(`/recordings/dispatch_${T}_15550000001`);
      expect(status).toBe(502);
      expect((body as { detail: string }).detail).toMatch(
        /NoSuchBucket.*s3:\/\/no-such-bucket-here\/.*check S3_BUCKET/,
      );
    } finally {
      await missing.close();
    }
  });

  it('answers 503 saying S3 is unreachable when nothing listens at the endpoint', async () => {
    const unreachable = await startTapedeck({ bucket: 'any', endpoint: 'http://127.0.0.1:9' });
    try {
      const { status, body } = await unreachable.get(`/recordings/dispatch_${T}_15550000001`);
      expect(status).toBe(503);
      expect((body as { detail: string }).detail).toMatch(
        /S3 is unreachable at .*127\.0\.0\.1:9.*ECONNREFUSED/,
      );
    } finally {
      await unreachable.close();
    }
  });
});

describe('the rest of the HTTP surface', () => {
  it('describes both documented routes in /openapi.json', async () => {
    const { status, body } = await app.get('/openapi.json');
    expect(status).toBe(200);
    const doc = body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/recordings/{dispatch_id}', '/recordings']),
    );
  });

  it('answers GET and POST /sync in snake_case, like the rest of the API', async () => {
    const started = await fetchConforming(openApiDocument, app.url, '/sync', { method: 'POST' });
    expect(started.status).toBe(202);
    const fields = [
      'error',
      'finished_at',
      'folders_done',
      'folders_total',
      'manifests_read',
      'manifests_skipped',
      'objects_listed',
      'recordings_added',
      'recordings_removed',
      'resumed_from',
      'started_at',
      'state',
      'transcripts_read',
      'transcripts_skipped',
    ];
    expect(Object.keys((started.body as { sync: object }).sync).sort()).toEqual(fields);
    await app.core.service.sync();
    const { status, body } = await app.get('/sync');
    expect(status).toBe(200);
    const sync = (body as { sync: Record<string, unknown> }).sync;
    expect(Object.keys(sync).sort()).toEqual(fields);
    expect(sync).toMatchObject({ state: 'succeeded', error: null });
    expect(Date.parse(sync.finished_at as string)).toBeGreaterThanOrEqual(
      Date.parse(sync.started_at as string),
    );
    expect(sync.objects_listed).toBeGreaterThan(0);
  });

  it('answers GET /sync with null and POST /sync with a 500 saying why when there is no bucket', async () => {
    const unconfigured = await startTapedeck({ bucket: null });
    try {
      expect(await unconfigured.get('/sync')).toMatchObject({ status: 200, body: { sync: null } });
      const refused = await fetchConforming(openApiDocument, unconfigured.url, '/sync', { method: 'POST' });
      expect(refused.status).toBe(500);
      expect((refused.body as { detail: string }).detail).toMatch(/No S3 bucket is configured.*S3_BUCKET/);
    } finally {
      await unconfigured.close();
    }
  });

  it('answers an unknown path with 404 and a wrong method with 405, both as JSON detail', async () => {
    const unknown = await fetch(`${app.url}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'Not Found' });
    const response = await fetch(`${app.url}/recordings`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({ detail: 'Method Not Allowed' });
  });
});
