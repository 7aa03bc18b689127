/**
 * `GET /recordings/{dispatch_id}` before the sync has been through a day folder: the first requests
 * for dispatches in it list the folder once between them (the sync's own folder step, out of turn),
 * and every later request there is a catalog hit. A miss in a folder a sync listed after the
 * recording could have been uploaded asks S3 nothing; a call that just ended is still found.
 * S3 listings are counted by the product's own client (the signer's one-off presign of a probe
 * key sends nothing and is left out).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIdFor, recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { startTapedeck, type TapedeckUnderTest } from './tapedeck-under-test.ts';

const PREFIX = 'egress-recordings/';
const DAY = 86_400;
const MORNING = 1754640000 + 8 * 3600; // 2025-08-08T08:00:00Z
const LIST = 'ListObjectsV2Command';

let s3: S3Client;
const apps: TapedeckUnderTest[] = [];

beforeAll(() => {
  s3 = createEmulatorClient(emulatorEndpoint());
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

afterAll(() => {
  s3?.destroy();
});

interface Call {
  readonly dispatchId: string;
  readonly key: string;
}

/** `n` calls on the day `day` after MORNING, each recorded a few seconds after its dispatch. */
function callsOn(day: number, n: number, phoneBase: number): Call[] {
  return Array.from({ length: n }, (_, i) => {
    const phone = String(phoneBase + i);
    const dispatched = MORNING + day * DAY + i * 120;
    return {
      dispatchId: dispatchIdFor(phone, dispatched),
      key: recordingKeyFor(PREFIX, phone, dispatched + 7),
    };
  });
}

async function bucketWith(calls: readonly Call[]): Promise<string> {
  const bucket = await createTestBucket(s3, 'cold-gets');
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < calls.length) await putTestObject(s3, bucket, calls[next++]!.key, 'x', 'audio/mp4');
    }),
  );
  return bucket;
}

/** The product's S3 listings so far. */
const listings = (app: TapedeckUnderTest) => app.s3Calls.filter((name) => name !== 'GetObjectCommand');

async function start(bucket: string): Promise<TapedeckUnderTest> {
  const app = await startTapedeck({ bucket });
  apps.push(app);
  return app;
}

/** Every GET at once; each answer's s3_key (null for a 404). */
async function getAll(app: TapedeckUnderTest, dispatchIds: readonly string[]): Promise<(string | null)[]> {
  return Promise.all(
    dispatchIds.map(async (id) => {
      const { status, body } = await app.get(`/recordings/${id}`);
      if (status === 404) return null;
      expect(status).toBe(200);
      return (body as { s3_key: string }).s3_key;
    }),
  );
}

describe('GET /recordings/{dispatch_id} before a sync', () => {
  it('lists a day folder once for many concurrent GETs in it; later GETs there are catalog hits', async () => {
    const day = callsOn(0, 60, 15551000000);
    const otherDay = callsOn(3, 5, 15552000000);
    const app = await start(await bucketWith([...day, ...otherDay]));

    const first = day.slice(0, 40);
    expect(
      await getAll(
        app,
        first.map((call) => call.dispatchId),
      ),
    ).toEqual(first.map((call) => call.key));
    // One listing of the folder (under 1,000 keys: one page), not a look-up per id.
    expect(listings(app)).toEqual([LIST]);

    const before = listings(app).length;
    const rest = day.slice(40);
    expect(
      await getAll(
        app,
        rest.map((call) => call.dispatchId),
      ),
    ).toEqual(rest.map((call) => call.key));
    expect(listings(app).slice(before)).toEqual([]);

    // Another day: its own folder, once.
    expect(
      await getAll(
        app,
        otherDay.map((call) => call.dispatchId),
      ),
    ).toEqual(otherDay.map((call) => call.key));
    expect(listings(app).slice(before)).toEqual([LIST]);
  });

  it('a GET while the sync runs shares the folder listing instead of adding one per id', async () => {
    const days = Array.from({ length: 6 }, (_, d) => callsOn(d, 12, 15553000000 + d * 1000));
    const app = await start(await bucketWith(days.flat()));
    const sync = app.core.service.sync();
    const last = days.at(-1)!;
    const answers = await getAll(
      app,
      last.map((call) => call.dispatchId),
    );
    expect(answers).toEqual(last.map((call) => call.key));
    expect((await sync).state).toBe('succeeded');
    // The sync's own listing (72 keys, one page), and at most one out-of-turn listing of the last day.
    expect(listings(app).length).toBeLessThanOrEqual(2);
    expect(listings(app).every((name) => name === LIST)).toBe(true);
  });
});

describe('GET /recordings/{dispatch_id} after a sync', () => {
  it('answers a miss in a folder the sync listed after the recording could be uploaded without asking S3', async () => {
    const day = callsOn(0, 3, 15554000000);
    const app = await start(await bucketWith(day));
    expect((await app.core.service.sync()).state).toBe('succeeded');
    const before = listings(app).length;
    const unrecorded = dispatchIdFor('15554999999', MORNING + 600);
    const nextDay = dispatchIdFor('15554999998', MORNING + 2 * DAY); // no folder at all that day
    expect(await getAll(app, [unrecorded, nextDay, day[1]!.dispatchId])).toEqual([null, null, day[1]!.key]);
    expect(listings(app).slice(before)).toEqual([]);
  });

  it('still finds the recording of a call that ended a moment ago, uploaded after the sync', async () => {
    const now = Math.floor(Date.now() / 1000);
    const phone = '15555000001';
    const dispatched = now - 120;
    const earlier = {
      dispatchId: dispatchIdFor('15555000002', now - 3600),
      key: recordingKeyFor(PREFIX, '15555000002', now - 3590),
    };
    const app = await start(await bucketWith([earlier]));
    expect((await app.core.service.sync()).state).toBe('succeeded');
    const key = recordingKeyFor(PREFIX, phone, dispatched + 20);
    await putTestObject(s3, app.core.storage!.location.bucket, key, 'x', 'audio/mp4');
    const before = listings(app).length;
    expect(await getAll(app, [dispatchIdFor(phone, dispatched)])).toEqual([key]);
    expect(listings(app).slice(before).length).toBeGreaterThan(0); // asked S3: the sync could not have seen it
    // And it is in the catalog now.
    const again = listings(app).length;
    expect(await getAll(app, [dispatchIdFor(phone, dispatched)])).toEqual([key]);
    expect(listings(app).slice(again)).toEqual([]);
  });
});
