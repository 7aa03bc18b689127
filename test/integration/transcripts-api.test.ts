/**
 * Searching what was said, and a call's transcript, through both doors of the running app (the
 * contract the list and the player call, and the local HTTP API), on the demo library. The
 * transcripts are saved into its catalog directly (TranscriptStore), replacing whatever it had, so
 * these tests know every word in it; every HTTP answer is also held against /openapi.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import {
  CATALOG_FILE_NAME,
  openCatalog,
  type CatalogDatabase,
} from '../../electron/core/catalog/open-catalog.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { demoDataDir } from '../../electron/core/library/demo-data-dir.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { TranscriptStore } from '../../electron/core/transcripts/transcript-store.ts';
import type { Speaker, TranscriptSegment } from '../../electron/core/transcripts/transcript.ts';
import {
  DETAIL_NO_SUCH_CALL,
  DETAIL_NO_TRANSCRIPT,
} from '../../electron/core/transcripts/transcripts-service.ts';
import { contract, type CallRow, type MethodName, type Reply } from '../../shared/contract.ts';
import { INTERACTION_FIELDS } from '../../shared/recording.ts';
import { fetchConforming } from './openapi-conformance.ts';

/** The calls these tests give words to (demo_ava_003 has no recording: its transcript is its own). */
const A = 'demo_ava_007'; // 2025-08-08, COMPLETED: the customer asks to speak to a lawyer
const D = 'demo_ava_003'; // 2025-08-06 21:47, FAILED, no recording: the agent's message names the lawyer
const B = 'demo_ava_001'; // 2025-08-06 15:12, COMPLETED: Contact Lens, with sentiment
const C = 'demo_ava_010'; // no transcript

let dir: string;
let app: TapedeckApp;
let base: string;
let db: CatalogDatabase;
const rows = new Map<string, CallRow>();

async function call<T>(method: MethodName, input: unknown = {}): Promise<Reply<T>> {
  const reply = await app.call(method, input);
  if (reply.ok) contract.methods[method].output.parse(reply.value);
  return reply as Reply<T>;
}

async function value<T>(method: MethodName, input: unknown = {}): Promise<T> {
  const reply = await call<T>(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value;
}

/** GET over HTTP, the answer held against the document the server serves. */
async function get(path: string) {
  return fetchConforming(openApiDocument, base, path);
}

interface Item {
  interaction_id: string;
  said?: { start_ms: number; speaker: Speaker; snippet: string }[];
}
const ids = (body: unknown) => (body as { recordings: Item[] }).recordings.map((item) => item.interaction_id);

const turn = (start_s: number, speaker: Speaker, text: string, extra: Partial<TranscriptSegment> = {}) => ({
  start_ms: start_s * 1000,
  end_ms: start_s * 1000 + 2500,
  speaker,
  speaker_label: null,
  text,
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-transcripts-'));
  app = await startTapedeckApp({
    dataDir: dir,
    env: { TAPEDECK_PORT: '0', TAPEDECK_SYNC_INTERVAL_MINUTES: '0' },
    ports: headlessPorts(join(dir, 'downloads')),
    log: silentLogger,
    demo: 'force',
  });
  base = app.apiUrl!;
  for (let i = 0; i < 200; i += 1) {
    const status = await value<{ sync: { state: string } | null }>('library:status');
    if (status.sync?.state === 'succeeded') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const row of (await value<{ rows: CallRow[] }>('recordings:list', { limit: 100 })).rows) {
    rows.set(row.interaction_id, row);
  }
  // Another connection to the app's catalog, as an import would write it.
  db = openCatalog(join(demoDataDir(dir), CATALOG_FILE_NAME));
  const store = new TranscriptStore(db);
  const existing = db
    .prepare<[], { recording_key: string | null; interaction_id: string | null }>(
      'SELECT recording_key, interaction_id FROM transcripts',
    )
    .all();
  for (const row of existing) {
    store.remove(
      row.recording_key !== null
        ? { recording_key: row.recording_key }
        : { interaction_id: row.interaction_id! },
    );
  }
  const keyOf = (id: string) => rows.get(id)!.recording!.key;
  store.save(
    { recording_key: keyOf(A) },
    {
      format: 'vtt',
      segments: [
        turn(0, 'agent', 'Hello, this is Ava from Northwind about your balance.'),
        turn(4, 'customer', 'Before I pay anything I want to speak to a lawyer.'),
        turn(9, 'agent', 'Of course. Your lawyer can call us on this number.'),
      ],
    },
    { key: keyOf(A).replace(/\.mp4$/, '.vtt'), etag: '"a1"' },
  );
  store.save(
    { recording_key: keyOf(B) },
    {
      format: 'contact-lens',
      segments: [
        turn(0, 'agent', 'Hi, is this a good time?', { sentiment: 'NEUTRAL' }),
        turn(3, 'customer', 'My lawyer told me to cancel the card.', { sentiment: 'NEGATIVE' }),
      ],
    },
    { key: keyOf(B).replace(/\.mp4$/, '.transcript.json'), etag: '"b1"' },
  );
  store.save(
    { interaction_id: D },
    {
      format: 'srt',
      segments: [turn(1, 'agent', 'Leaving a message about the letter from our lawyer.')],
    },
    { key: '/imports/demo_ava_003.srt', etag: null },
  );
});

afterAll(async () => {
  db?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /recordings?said=', () => {
  it('lists the calls in which the words were said, newest first, each with its hits', async () => {
    const { status, body } = await get('/recordings?said=lawyer');
    expect(status).toBe(200);
    expect(ids(body)).toEqual([A, D, B]);
    const [a, d, b] = (body as { recordings: Item[] }).recordings;
    expect(a!.said).toEqual([
      {
        start_ms: 4000,
        speaker: 'customer',
        snippet: 'Before I pay anything I want to speak to a «lawyer».',
      },
      { start_ms: 9000, speaker: 'agent', snippet: 'Of course. Your «lawyer» can call us on this number.' },
    ]);
    expect(d!.said).toEqual([
      { start_ms: 1000, speaker: 'agent', snippet: 'Leaving a message about the letter from our «lawyer».' },
    ]);
    expect(b!.said).toEqual([
      { start_ms: 3000, speaker: 'customer', snippet: 'My «lawyer» told me to cancel the card.' },
    ]);
  });

  it('keeps the spec answer unchanged without said: no said field on any item', async () => {
    const { body } = await get('/recordings?limit=50');
    const items = (body as { recordings: Item[] }).recordings;
    expect(items.length).toBeGreaterThan(3);
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual([...INTERACTION_FIELDS, 'recording_url'].sort());
  });

  it('narrows to one side with said_by, and finds phrases (in order) and prefixes', async () => {
    expect(ids((await get('/recordings?said=lawyer&said_by=customer')).body)).toEqual([A, B]);
    expect(ids((await get('/recordings?said=lawyer&said_by=AGENT')).body)).toEqual([A, D]);
    const phrase = await get(`/recordings?said=${encodeURIComponent('"speak to a lawyer"')}`);
    expect(ids(phrase.body)).toEqual([A]);
    expect((phrase.body as { recordings: Item[] }).recordings[0]!.said![0]).toMatchObject({
      start_ms: 4000,
      snippet: 'Before I pay anything I want to «speak to a lawyer».',
    });
    expect(ids((await get(`/recordings?said=${encodeURIComponent('"lawyer to speak"')}`)).body)).toEqual([]);
    expect(ids((await get('/recordings?said=lawy*')).body)).toEqual([A, D, B]);
    // Two words: both in the call; the hits are the turns with either, best (both) first.
    expect(ids((await get('/recordings?said=lawyer%20cancel')).body)).toEqual([B]);
    expect(ids((await get('/recordings?said=cancel%20OR%20balance')).body)).toEqual([A, B]);
    // Best hits first: the turn with both words before the earlier one with one of them.
    const best = await get('/recordings?said=lawyer%20number');
    expect((best.body as { recordings: Item[] }).recordings[0]!.said!.map((hit) => hit.start_ms)).toEqual([
      9000, 4000,
    ]);
  });

  it('combines with the other filters: status, dates, q, recording, paging', async () => {
    expect(ids((await get('/recordings?said=lawyer&status=failed')).body)).toEqual([D]);
    expect(ids((await get('/recordings?said=lawyer&from=2025-08-07')).body)).toEqual([A]);
    expect(ids((await get('/recordings?said=lawyer&to=2025-08-06&has_recording=true')).body)).toEqual([B]);
    expect(ids((await get('/recordings?said=lawyer&q=demo_ava_00')).body)).toEqual([A, D, B]);
    expect(ids((await get('/recordings?said=lawyer&limit=1&offset=1')).body)).toEqual([D]);
    const first = await get('/recordings?said=lawyer&limit=2&after=');
    expect(ids(first.body)).toEqual([A, D]);
    const next = (first.body as { next_after: string }).next_after;
    expect(ids((await get(`/recordings?said=lawyer&limit=2&after=${next}`)).body)).toEqual([B]);
  });

  it('exports the same view as CSV', async () => {
    const { status, text } = await get('/recordings.csv?said=lawyer&said_by=customer');
    expect(status).toBe(200);
    const lines = text.trim().split(/\r?\n/);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([A, B]);
  });

  it('refuses a query it cannot search, FastAPI-style, saying what was wrong', async () => {
    const { status, body } = await get('/recordings?said=c*&said_by=agent');
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        {
          type: 'value_error',
          loc: ['query', 'said'],
          msg: 'Value error, said: c* is too short a prefix: give at least 2 letters or digits before the * (as in canc*).',
          input: 'c*',
        },
      ],
    });
    const side = await get('/recordings?said=lawyer&said_by=caller');
    expect(side.status).toBe(422);
    expect((side.body as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['query', 'said_by']);
  });
});

describe('GET /recordings/{dispatch_id}/transcript', () => {
  const dispatchOf = (id: string) => rows.get(id)!.dispatch_id!;

  it("answers the call's turns, where it came from and its format", async () => {
    const { status, body } = await get(`/recordings/${dispatchOf(A)}/transcript`);
    expect(status).toBe(200);
    expect(body).toEqual({
      source: expect.stringMatching(/^s3:\/\/[^/]+\/.*outbound-15103455686_\d+\.vtt$/) as unknown,
      format: 'vtt',
      segments: [
        {
          start_ms: 0,
          end_ms: 2500,
          speaker: 'agent',
          text: 'Hello, this is Ava from Northwind about your balance.',
        },
        {
          start_ms: 4000,
          end_ms: 6500,
          speaker: 'customer',
          text: 'Before I pay anything I want to speak to a lawyer.',
        },
        {
          start_ms: 9000,
          end_ms: 11500,
          speaker: 'agent',
          text: 'Of course. Your lawyer can call us on this number.',
        },
      ],
    });
  });

  it('gives sentiment where the source has it, and a call without a recording its own transcript', async () => {
    const b = await get(`/recordings/${dispatchOf(B)}/transcript`);
    expect((b.body as { segments: { sentiment?: string }[] }).segments.map((s) => s.sentiment)).toEqual([
      'NEUTRAL',
      'NEGATIVE',
    ]);
    const d = await get(`/recordings/${dispatchOf(D)}/transcript`);
    expect(d.body).toMatchObject({ source: '/imports/demo_ava_003.srt', format: 'srt' });
  });

  it('is a 404 when the call has no transcript, or no call has the dispatch id; a 422 for a malformed one', async () => {
    expect(await get(`/recordings/${dispatchOf(C)}/transcript`)).toMatchObject({
      status: 404,
      body: { detail: DETAIL_NO_TRANSCRIPT },
    });
    expect(await get('/recordings/dispatch_1700000000_15550000000/transcript')).toMatchObject({
      status: 404,
      body: { detail: DETAIL_NO_SUCH_CALL },
    });
    const bad = await get('/recordings/not-a-dispatch/transcript');
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['path', 'dispatch_id']);
    const post = await fetch(`${base}/recordings/${dispatchOf(A)}/transcript`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('the contract: the list and the player panel', () => {
  it('recordings:list rows carry their hits with said, and only then', async () => {
    const { rows: found, total } = await value<{ rows: CallRow[]; total: number | null }>('recordings:list', {
      said: 'lawyer',
      saidBy: 'customer',
    });
    expect(found.map((row) => row.interaction_id)).toEqual([A, B]);
    expect(total === null || total === 2).toBe(true);
    expect(found[0]!.said).toEqual([
      { startMs: 4000, speaker: 'customer', snippet: 'Before I pay anything I want to speak to a «lawyer».' },
    ]);
    const plain = await value<{ rows: CallRow[] }>('recordings:list', { limit: 5 });
    expect(plain.rows.every((row) => !('said' in row))).toBe(true);
    expect(await value<{ total: number }>('recordings:count', { said: 'lawyer' })).toEqual({ total: 3 });
  });

  it('refuses a said query it cannot search with invalid_input and the reason', async () => {
    const reply = await call('recordings:list', { said: 'OR' });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'said: OR needs a word on each side, as in: lawyer OR attorney.',
      },
    });
  });

  it('transcripts:get answers the panel its turns (null for a call without one)', async () => {
    const view = await value<{ interactionId: string; format: string; segments: unknown[] }>(
      'transcripts:get',
      {
        interactionId: B,
      },
    );
    expect(view).toMatchObject({ interactionId: B, format: 'contact-lens', alignment: null });
    expect(view.segments[1]).toEqual({
      startMs: 3000,
      endMs: 5500,
      speaker: 'customer',
      speakerLabel: null,
      text: 'My lawyer told me to cancel the card.',
      sentiment: 'NEGATIVE',
    });
    expect(await value('transcripts:get', { interactionId: C })).toBeNull();
    expect(await value('transcripts:get', { interactionId: 'no_such_call' })).toBeNull();
  });
});
