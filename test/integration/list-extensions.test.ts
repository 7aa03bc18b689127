/**
 * Tapedeck's documented extensions of the list (`q`, `status`, `outcome`, `from`, `to`,
 * `has_recording`, and `GET /recordings.csv`) over real HTTP, a real SQLite catalog and the real S3
 * server — and that without them the list is still exactly the spec's.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import type { RecordingList } from '../../shared/recording.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { createApiServer, listen } from '../../electron/core/http/api-server.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { checkingAnswers, fetchConforming } from './openapi-conformance.ts';
import { startTapedeck, type TapedeckUnderTest } from './tapedeck-under-test.ts';

const PREFIX = 'egress-recordings/';
const DAY = Date.parse('2025-08-01T00:00:00Z') / 1000;
const STATUSES = ['COMPLETED', 'FAILED', 'NO_ANSWER'] as const;
const OUTCOMES = ['PAYMENT_PROMISED', 'CALLBACK', null] as const;
const NAMES = ['María García', 'Louis Smith', 'Ann Lee', 'Bo Chen', '=HYPERLINK("http://x")'];

interface Call {
  interaction_id: string;
  customer_name: string;
  phone: string;
  status: string;
  outcome: string | null;
  duration: number;
  start_time: string;
  end_time: string;
  dispatch_id: string;
}

/** 40 calls over 8 days, newest last; every third has a recording in S3. */
const CALLS: Call[] = Array.from({ length: 40 }, (_, index) => {
  const ts = DAY + index * 4 * 3600;
  const digits = `1510345${String(5600 + index).padStart(4, '0')}`;
  return {
    interaction_id: `int-${String(index).padStart(3, '0')}`,
    customer_name: NAMES[index % NAMES.length]!,
    phone: `+${digits}`,
    status: STATUSES[index % STATUSES.length]!,
    outcome: OUTCOMES[index % OUTCOMES.length]!,
    duration: 60 + index,
    start_time: new Date(ts * 1000).toISOString(),
    end_time: new Date((ts + 60 + index) * 1000).toISOString(),
    dispatch_id: `dispatch_${ts}_${digits}`,
  };
});
const RECORDED = CALLS.filter((_, index) => index % 3 === 0);
/** A recording no metadata describes: it still shows, as a stand-in. */
const ORPHAN_DIGITS = '14155550100';
const ORPHAN_TS = DAY + 3 * 86400 + 123;

let s3: S3Client;
let bucket: string;
let app: TapedeckUnderTest;

beforeAll(async () => {
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3);
  const audio = Buffer.from('not really audio');
  for (const call of RECORDED) {
    const [, ts, digits] = /^dispatch_(\d+)_(\d+)$/.exec(call.dispatch_id)!;
    await putTestObject(s3, bucket, recordingKeyFor(PREFIX, digits!, Number(ts) + 5), audio, 'audio/mp4');
  }
  await putTestObject(s3, bucket, recordingKeyFor(PREFIX, ORPHAN_DIGITS, ORPHAN_TS), audio, 'audio/mp4');
  app = checkingAnswers(await startTapedeck({ bucket })); // every answer is held against /openapi.json
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-calls-')), 'calls.ndjson');
  writeFileSync(file, CALLS.map((call) => JSON.stringify(call)).join('\n'));
  await app.core.service.importInteractions(file);
  expect((await app.core.service.sync()).state).toBe('succeeded');
});

afterAll(async () => {
  await app?.close();
  s3?.destroy();
});

async function list(query: string): Promise<RecordingList> {
  const { status, body } = await app.get(`/recordings?${query}`);
  expect(status).toBe(200);
  return body as RecordingList;
}

async function ids(query: string): Promise<string[]> {
  return (await list(`limit=100&${query}`)).recordings.map((row) => row.interaction_id);
}

const newestFirst = (calls: Call[]) => calls.map((call) => call.interaction_id).reverse();

describe('without extension parameters the list is the spec list', () => {
  it('answers the documented fields and default page, now including recordings without metadata', async () => {
    const body = await list('');
    expect(Object.keys(body).sort()).toEqual(['limit', 'offset', 'recordings']);
    expect(body.limit).toBe(10);
    expect(body.recordings).toHaveLength(10);
    expect(Object.keys(body.recordings[0]!).sort()).toEqual(
      [
        'customer_name',
        'dispatch_id',
        'duration',
        'end_time',
        'interaction_id',
        'outcome',
        'phone',
        'recording_url',
        'start_time',
        'status',
      ].sort(),
    );
    const all = await ids('');
    expect(all).toHaveLength(CALLS.length + 1);
    const orphanKey = recordingKeyFor(PREFIX, ORPHAN_DIGITS, ORPHAN_TS);
    const standIn = (await list('limit=100')).recordings.find(
      (row) => row.interaction_id === `s3:${orphanKey}`,
    );
    expect(standIn).toMatchObject({
      customer_name: null,
      phone: `+${ORPHAN_DIGITS}`,
      status: null,
      dispatch_id: `dispatch_${ORPHAN_TS}_${ORPHAN_DIGITS}`,
      start_time: new Date(ORPHAN_TS * 1000).toISOString(),
    });
    expect(standIn?.recording_url).toContain(orphanKey);
  });
});

describe('q searches names, phones and ids', () => {
  it('finds names by word prefixes, accents ignored', async () => {
    const marias = newestFirst(CALLS.filter((call) => call.customer_name === 'María García'));
    expect(await ids('q=maria%20garc')).toEqual(marias);
    expect(await ids('q=GARCIA')).toEqual(marias);
  });

  it('finds a phone number typed with formatting, or by its last digits', async () => {
    const call = CALLS[7]!; // +15103455607
    expect(await ids(`q=${encodeURIComponent('(510) 345-5607')}`)).toEqual([call.interaction_id]);
    expect(await ids('q=455607')).toEqual([call.interaction_id]);
    expect(await ids(`q=${encodeURIComponent('+1 510 345 5607')}`)).toEqual([call.interaction_id]);
  });

  it('finds a dispatch id exactly and an interaction id by its start', async () => {
    expect(await ids(`q=${CALLS[12]!.dispatch_id}`)).toEqual([CALLS[12]!.interaction_id]);
    expect(await ids('q=int-01')).toEqual(newestFirst(CALLS.slice(10, 20)));
  });
});

describe('filters combine, and every page of a view fits with the next', () => {
  it('takes statuses repeated or comma-separated, and outcomes', async () => {
    const expected = newestFirst(CALLS.filter((call) => call.status !== 'NO_ANSWER'));
    expect(await ids('status=COMPLETED&status=FAILED')).toEqual(expected);
    expect(await ids('status=COMPLETED,FAILED')).toEqual(expected);
    expect(await ids('outcome=CALLBACK')).toEqual(
      newestFirst(CALLS.filter((call) => call.outcome === 'CALLBACK')),
    );
  });

  it('takes from/to as whole days or exact times, inclusive', async () => {
    const day2 = CALLS.filter((call) => call.start_time.startsWith('2025-08-02'));
    expect(await ids('from=2025-08-02&to=2025-08-02')).toEqual(newestFirst(day2));
    expect(await ids(`from=${encodeURIComponent(day2[1]!.start_time)}&to=2025-08-02`)).toEqual(
      newestFirst(day2.slice(1)),
    );
  });

  it('narrows by has_recording, stand-ins counting as recorded', async () => {
    const recorded = await ids('has_recording=true');
    expect(recorded).toHaveLength(RECORDED.length + 1);
    expect(await ids('has_recording=false')).toEqual(
      newestFirst(CALLS.filter((call) => !RECORDED.includes(call))),
    );
  });

  it('combines q, status, dates and has_recording: all must hold', async () => {
    const expected = CALLS.filter(
      (call, index) =>
        call.customer_name === 'Louis Smith' &&
        call.status === 'COMPLETED' &&
        index % 3 === 0 &&
        call.start_time >= '2025-08-02',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(await ids('q=louis&status=COMPLETED&from=2025-08-02&has_recording=true')).toEqual(
      newestFirst(expected),
    );
  });

  it('pages a filtered view with limit and offset, no call twice or missing', async () => {
    const whole = await ids('status=COMPLETED,NO_ANSWER');
    const paged: string[] = [];
    for (let offset = 0; offset < whole.length + 7; offset += 7) {
      paged.push(
        ...(await list(`status=COMPLETED,NO_ANSWER&limit=7&offset=${offset}`)).recordings.map(
          (r) => r.interaction_id,
        ),
      );
    }
    expect(paged).toEqual(whole);
  });

  it('refuses a bad date or flag with a 422 naming the parameter', async () => {
    const bad = await app.get('/recordings?from=yesterday&has_recording=maybe');
    expect(bad.status).toBe(422);
    const detail = (bad.body as { detail: { loc: string[]; msg: string }[] }).detail;
    expect(detail.map((issue) => issue.loc)).toEqual([
      ['query', 'from'],
      ['query', 'has_recording'],
    ]);
    expect(detail[0]!.msg).toMatch(/valid date/);
  });
});

describe('keyset pages (after)', () => {
  it('walks a filtered view with after=, each page seeking where the last ended', async () => {
    const whole = await ids('status=COMPLETED,FAILED');
    const walked: string[] = [];
    let after = '';
    for (let page = 0; page < 20; page += 1) {
      const body = (await list(`status=COMPLETED,FAILED&limit=6&after=${after}`)) as RecordingList & {
        next_after: string | null;
      };
      walked.push(...body.recordings.map((row) => row.interaction_id));
      if (body.next_after === null) break;
      after = body.next_after;
    }
    expect(walked).toEqual(whole);
  });

  it('does not repeat a call when newer calls arrive between pages', async () => {
    const first = (await list('q=louis&limit=3&after=')) as RecordingList & { next_after: string };
    const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-newer-')), 'newer.ndjson');
    writeFileSync(
      file,
      JSON.stringify({
        interaction_id: 'louis-newest',
        customer_name: 'Louis Newest',
        start_time: '2026-01-01T00:00:00Z',
      }),
    );
    await app.core.service.importInteractions(file);
    const second = await list(`q=louis&limit=3&after=${first.next_after}`);
    const seen = [...first.recordings, ...second.recordings].map((row) => row.interaction_id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain('louis-newest');
    expect((await ids('q=louis'))[0]).toBe('louis-newest');
  });

  it('keeps the spec answer unchanged without after, and refuses a cursor it did not make', async () => {
    expect(Object.keys(await list('limit=2'))).not.toContain('next_after');
    const bad = await app.get('/recordings?after=not-a-cursor');
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: { loc: string[]; msg: string }[] }).detail).toEqual([
      expect.objectContaining({
        loc: ['query', 'after'],
        msg: expect.stringMatching(/next_after of the previous page/),
      }),
    ]);
  });

  it('refuses after with an offset, saying to drop one, instead of ignoring the offset', async () => {
    const bad = await app.get('/recordings?after=&offset=3');
    expect(bad.status).toBe(422);
    const [issue, ...rest] = (bad.body as { detail: { loc: string[]; msg: string }[] }).detail;
    expect(rest).toEqual([]);
    expect(issue!.loc).toEqual(['query', 'offset']);
    expect(issue!.msg).toMatch(/offset cannot be combined with after.*Drop offset, or drop after/);
    expect((await app.get('/recordings?after=&offset=0&limit=2')).status).toBe(200);
  });

  it('refuses after with limit=0, whose next_after could only wrongly say the list has ended', async () => {
    const bad = await app.get('/recordings?after=&limit=0');
    expect(bad.status).toBe(422);
    const detail = (bad.body as { detail: { loc: string[]; msg: string }[] }).detail;
    expect(detail.map((issue) => issue.loc)).toEqual([['query', 'limit']]);
    expect(detail[0]!.msg).toMatch(/limit must be 1 or more with after/);
    // Without after, limit=0 is the spec's empty page.
    expect((await list('limit=0')).recordings).toEqual([]);
  });
});

describe('filter values, as the README documents them', () => {
  it.each(['from=2025-02-30', 'from=2025-02-29', 'to=2025-02-30', 'from=2025-08-32', 'to=2025-04-31'])(
    'refuses the impossible date in %s with a 422 naming the parameter',
    async (query) => {
      for (const path of [`/recordings?${query}`, `/recordings.csv?${query}`]) {
        const bad = await fetchConforming(openApiDocument, app.url, path);
        expect(bad.status).toBe(422);
        const detail = (bad.body as { detail: { loc: string[]; msg: string }[] }).detail;
        expect(detail).toHaveLength(1);
        expect(detail[0]!.loc).toEqual(['query', query.split('=')[0]]);
        expect(detail[0]!.msg).toMatch(/day value is outside expected range/);
      }
    },
  );

  it('matches statuses and outcomes ignoring case', async () => {
    const completed = await ids('status=COMPLETED');
    expect(completed.length).toBeGreaterThan(0);
    expect(await ids('status=completed')).toEqual(completed);
    expect(await ids('status=Completed')).toEqual(completed);
    expect(await ids('outcome=callback')).toEqual(await ids('outcome=CALLBACK'));
  });

  it('answers an empty list for a status no call has: any value is accepted, as documented', async () => {
    expect(await ids('status=BOGUS')).toEqual([]);
    const csv = await fetchConforming(openApiDocument, app.url, '/recordings.csv?status=BOGUS');
    expect(csv.status).toBe(200);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1);
  });

  it.each(['yes', '1', 'no', '0', 'on'])('refuses has_recording=%s: only true or false', async (value) => {
    const bad = await app.get(`/recordings?has_recording=${value}`);
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: unknown }).detail).toEqual([
      {
        type: 'bool_parsing',
        loc: ['query', 'has_recording'],
        msg: 'Input should be true or false',
        input: value,
      },
    ]);
  });

  it("finds statuses stored in any case once the server knows the catalog's values", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-case-')), 'case.ndjson');
    writeFileSync(
      file,
      ['Voicemail', 'VOICEMAIL', 'voicemail']
        .map((status, index) =>
          JSON.stringify({ interaction_id: `case-${index}`, status, start_time: '2024-01-01T00:00:00Z' }),
        )
        .join('\n'),
    );
    await app.core.service.importInteractions(file);
    const server = createApiServer({ ...app.services, facets: () => app.core.calls.facets() }, silentLogger);
    const url = await listen(server, '127.0.0.1', 0);
    try {
      for (const spelling of ['voicemail', 'VOICEMAIL', 'VoiceMail']) {
        const answer = await fetchConforming(openApiDocument, url, `/recordings?limit=10&status=${spelling}`);
        expect((answer.body as RecordingList).recordings.map((row) => row.interaction_id).sort()).toEqual([
          'case-0',
          'case-1',
          'case-2',
        ]);
      }
    } finally {
      await server.close();
    }
  });
});

describe('GET /recordings.csv exports the same view', () => {
  it('streams every matching call as CSV, in list order, with the same filters', async () => {
    const response = await fetchConforming(openApiDocument, app.url, '/recordings.csv?status=FAILED&q=ann');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'interaction_id,customer_name,phone,status,outcome,duration,start_time,end_time,dispatch_id,s3_key',
    );
    const expected = newestFirst(
      CALLS.filter((call) => call.status === 'FAILED' && call.customer_name === 'Ann Lee'),
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(expected);
    expect(lines[1]).toContain(',+1510345'); // a phone number is not mistaken for a formula
  });

  it('defuses a customer name a spreadsheet would run as a formula', async () => {
    const { text } = await fetchConforming(openApiDocument, app.url, '/recordings.csv?q=hyperlink');
    const rows = text.trimEnd().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('answers just the header for a view with no calls', async () => {
    const { text } = await fetchConforming(openApiDocument, app.url, '/recordings.csv?q=nobody%20here');
    expect(text).toBe(
      'interaction_id,customer_name,phone,status,outcome,duration,start_time,end_time,dispatch_id,s3_key\r\n',
    );
  });
});

describe('a stand-in gives way to metadata', () => {
  it('disappears once an imported call resolves to its recording', async () => {
    const orphanKey = recordingKeyFor(PREFIX, ORPHAN_DIGITS, ORPHAN_TS);
    const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-late-')), 'late.ndjson');
    writeFileSync(
      file,
      JSON.stringify({
        interaction_id: 'late-metadata',
        customer_name: 'Late Larry',
        phone: `+${ORPHAN_DIGITS}`,
        start_time: new Date((ORPHAN_TS - 4) * 1000).toISOString(),
        dispatch_id: `dispatch_${ORPHAN_TS - 4}_${ORPHAN_DIGITS}`,
      }),
    );
    await app.core.service.importInteractions(file);
    const all = await ids('limit=100');
    expect(all).toContain('late-metadata');
    expect(all).not.toContain(`s3:${orphanKey}`);
    const row = (await list('q=larry')).recordings[0];
    expect(row?.recording_url).toContain(orphanKey);
  });
});
