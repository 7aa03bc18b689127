import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import type {
  ParsedTranscript,
  TranscriptSegment,
} from '../../../../electron/core/transcripts/transcript.ts';
import {
  FEW_CALLS,
  saidFilterSql,
  TranscriptStore,
  type SaidFilterSql,
} from '../../../../electron/core/transcripts/transcript-store.ts';
import { recordingKeyFor } from '../../../../shared/dispatch.ts';

const PREFIX = 'egress-recordings/';
const T = 1754653479;

function turn(start_s: number, speaker: TranscriptSegment['speaker'], text: string): TranscriptSegment {
  return { start_ms: start_s * 1000, end_ms: start_s * 1000 + 2000, speaker, speaker_label: null, text };
}

function transcript(...segments: TranscriptSegment[]): ParsedTranscript {
  return { format: 'vtt', segments };
}

let dir: string;
let db: CatalogDatabase;
let store: TranscriptStore;
let catalog: CatalogStore;

/** A call (interaction + its recording) numbered n, n × 1000 s apart, newest last. */
function addCall(n: number): string {
  const phone = `1555000${String(n).padStart(4, '0')}`;
  const key = recordingKeyFor(PREFIX, phone, T + n * 1000 + 5);
  catalog.upsertRecordings(
    [{ key, direction: 'outbound', phone, timestamp: T + n * 1000 + 5, size: 1, etag: 'e', lastModified: 0 }],
    0,
  );
  catalog.upsertInteractions([
    {
      interaction_id: `int-${n}`,
      customer_name: `Customer ${n}`,
      phone: `+${phone}`,
      status: 'COMPLETED',
      outcome: n % 2 === 0 ? 'Sale' : 'Callback',
      duration: 60,
      start_time: new Date((T + n * 1000) * 1000).toISOString(),
      end_time: null,
      dispatch_id: `dispatch_${T + n * 1000}_${phone}`,
    },
  ]);
  return key;
}

/** Interaction ids the list keeps with a said condition (and optionally more), newest first. */
function listed(said: SaidFilterSql | null, extra = '', limit = -1): string[] {
  if (said === null) throw new Error('no said condition');
  return db
    .prepare<Record<string, string>, string>(
      `SELECT i.interaction_id FROM interactions i WHERE ${said.condition} ${extra}
        ORDER BY i.start_ms DESC, i.interaction_id DESC LIMIT ${limit}`,
    )
    .pluck()
    .all(said.params);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-transcripts-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  store = new TranscriptStore(db, () => 1_800_000_000_000);
  catalog = new CatalogStore(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('saving and reading a transcript', () => {
  it('reads back the turns in time order with their source, format and alignment', () => {
    const key = addCall(1);
    store.save(
      { recording_key: key },
      {
        format: 'livekit',
        alignment: { source: 'manifest', recording_start_ms: 1_754_653_480_250 },
        segments: [
          turn(0, 'agent', 'Hello there.'),
          { ...turn(3, 'customer', 'I was charged twice.'), sentiment: 'NEGATIVE', speaker_label: 'user' },
        ],
      },
      { key: key.replace('.mp4', '.transcript.json'), etag: '"v1"' },
    );
    expect(store.transcriptOf(key)).toEqual({
      subject: { recording_key: key },
      source_key: key.replace('.mp4', '.transcript.json'),
      etag: '"v1"',
      format: 'livekit',
      alignment: { source: 'manifest', recording_start_ms: 1_754_653_480_250 },
      saved_at: 1_800_000_000_000,
      segments: [
        { start_ms: 0, end_ms: 2000, speaker: 'agent', speaker_label: null, text: 'Hello there.' },
        {
          start_ms: 3000,
          end_ms: 5000,
          speaker: 'customer',
          speaker_label: 'user',
          text: 'I was charged twice.',
          sentiment: 'NEGATIVE',
        },
      ],
    });
    expect(store.sourceOf({ recording_key: key })).toEqual({
      key: key.replace('.mp4', '.transcript.json'),
      etag: '"v1"',
    });
    expect(store.transcriptOf('no-such-key.mp4')).toBeNull();
  });

  it('replaces an older version whole: its words are no longer found', () => {
    const key = addCall(1);
    store.save({ recording_key: key }, transcript(turn(0, 'agent', 'old words about a refund')), {
      key: 'a.vtt',
      etag: '1',
    });
    store.save({ recording_key: key }, transcript(turn(0, 'agent', 'new words about a lawyer')), {
      key: 'a.vtt',
      etag: '2',
    });
    expect(store.transcriptOf(key)!.segments.map((s) => s.text)).toEqual(['new words about a lawyer']);
    expect(store.searchSaid('refund')).toEqual([]);
    expect(store.searchSaid('lawyer').map((m) => m.subject)).toEqual([{ recording_key: key }]);
    expect(db.prepare('SELECT count(*) FROM transcript_segments').pluck().get()).toBe(1);
  });

  it('keeps the old version when saving the new one fails half-way', () => {
    const key = addCall(1);
    store.save({ recording_key: key }, transcript(turn(0, 'agent', 'the first version')), {
      key: 'a',
      etag: '1',
    });
    const broken = transcript(turn(0, 'agent', 'fine'), {
      ...turn(1, 'agent', 'bad'),
      speaker: 'nobody' as TranscriptSegment['speaker'],
    });
    expect(() => store.save({ recording_key: key }, broken, { key: 'a', etag: '2' })).toThrow(/CHECK/);
    expect(store.transcriptOf(key)!.segments.map((s) => s.text)).toEqual(['the first version']);
    expect(store.sourceOf({ recording_key: key })!.etag).toBe('1');
    expect(store.searchSaid('fine')).toEqual([]);
  });

  it('keeps a transcript of a call without a recording, by interaction id', () => {
    addCall(1);
    store.save({ interaction_id: 'int-1' }, transcript(turn(4, 'customer', 'please cancel')), {
      key: '/tmp/int-1.srt',
      etag: null,
    });
    expect(store.transcriptOf({ interaction_id: 'int-1' })!.segments[0]!.start_ms).toBe(4000);
    expect(listed(saidFilterSql('cancel'))).toEqual(['int-1']);
    expect(listed(store.saidFilter('cancel'))).toEqual(['int-1']);
    expect(store.remove({ interaction_id: 'int-1' })).toBe(true);
    expect(store.searchSaid('cancel')).toEqual([]);
  });

  it('moves the list generation, so the call list drops views a said filter built', () => {
    const generation = () => db.prepare('SELECT n FROM interactions_generation').pluck().get() as number;
    const before = generation();
    store.save({ recording_key: 'k.mp4' }, transcript(turn(0, 'agent', 'x')), { key: 'k.vtt', etag: null });
    expect(generation()).toBe(before + 1);
    store.remove({ recording_key: 'k.mp4' });
    expect(generation()).toBe(before + 2);
  });
});

describe('searching what was said', () => {
  let keys: string[];
  beforeEach(() => {
    keys = [1, 2, 3].map(addCall);
    store.save(
      { recording_key: keys[0]! },
      transcript(
        turn(0, 'agent', 'Hello, how can I help?'),
        turn(3, 'customer', 'I want to speak to a lawyer about this bill.'),
      ),
      { key: 'a', etag: null },
    );
    store.save(
      { recording_key: keys[1]! },
      transcript(
        turn(0, 'agent', 'You can always speak to a lawyer, or cancel.'),
        turn(5, 'customer', 'Cancellation it is. Café au lait.'),
      ),
      { key: 'b', etag: null },
    );
    store.save({ recording_key: keys[2]! }, transcript(turn(0, 'customer', 'A lawyer? To speak? No.')), {
      key: 'c',
      etag: null,
    });
  });

  const found = (query: string, speaker?: 'agent' | 'customer') =>
    store
      .searchSaid(query, { speaker })
      .map((match) => ('recording_key' in match.subject ? keys.indexOf(match.subject.recording_key) : -1));

  it('finds a word, newest transcript first, with the hit’s time, speaker and marked snippet', () => {
    expect(found('lawyer')).toEqual([2, 1, 0]);
    const [, second] = store.searchSaid('lawyer');
    expect(second!.hits).toEqual([
      { start_ms: 0, speaker: 'agent', snippet: 'You can always speak to a «lawyer», or cancel.' },
    ]);
  });

  it('finds a phrase only with its words in order', () => {
    expect(found('"speak to a lawyer"')).toEqual([1, 0]);
    expect(store.searchSaid('"speak to a lawyer"')[1]!.hits[0]!.snippet).toBe(
      'I want to «speak to a lawyer» about this bill.',
    );
  });

  it('finds words by prefix, accents and case ignored', () => {
    expect(found('CANC*')).toEqual([1]);
    expect(store.searchSaid('canc*')[0]!.hits.map((hit) => hit.snippet)).toEqual([
      'You can always speak to a lawyer, or «cancel».',
      '«Cancellation» it is. Café au lait.',
    ]);
    expect(found('cafe')).toEqual([1]);
  });

  it('finds only what one side said', () => {
    expect(found('lawyer', 'customer')).toEqual([2, 0]);
    expect(found('lawyer', 'agent')).toEqual([1]);
    expect(store.searchSaid('lawyer', { speaker: 'customer' })[1]!.hits[0]!.speaker).toBe('customer');
  });

  it('wants every term somewhere in the call, and either term around OR', () => {
    expect(found('bill hello')).toEqual([0]); // in two different turns of one call
    expect(found('bill cancel')).toEqual([]);
    expect(found('bill OR cancel')).toEqual([1, 0]);
  });

  it('reads nothing typed as FTS5 syntax and answers nothing for a query without words', () => {
    expect(found('lawyer NEAR/2 speak')).toEqual([]); // "near" and "2" are just words here
    expect(found('text:lawyer')).toEqual([]);
    expect(found('"unclosed lawyer')).toEqual([]);
    expect(found('***')).toEqual([]);
    expect(saidFilterSql('!!')).toBeNull();
  });

  it('gives the hits of a page of calls in the page’s order', () => {
    const hits = store.hitsFor(
      'lawyer',
      [{ recording_key: keys[0]! }, { recording_key: 'unknown.mp4' }, { recording_key: keys[2]! }],
      { hitsPerCall: 1 },
    );
    expect(hits.map((h) => h.map((hit) => hit.start_ms))).toEqual([[3000], [], [0]]);
  });

  it('filters the call list, alone or with other conditions, in both forms of the condition', () => {
    expect(listed(saidFilterSql('"speak to a lawyer"'))).toEqual(['int-2', 'int-1']);
    expect(listed(saidFilterSql('lawyer', { speaker: 'agent' }))).toEqual(['int-2']);
    expect(listed(saidFilterSql('lawyer'), "AND i.outcome = 'Sale'")).toEqual(['int-2']);
    const plan = store.saidFilter('lawyer');
    expect(plan!.reach).toBe('few');
    expect(listed(plan)).toEqual(['int-3', 'int-2', 'int-1']);
    expect(listed(store.saidFilter('canc*'))).toEqual(['int-2']);
    expect(listed(store.saidFilter('bill hello'))).toEqual(['int-1']);
  });

  it('looks a word said in many calls up call by call, with the same answer', () => {
    const many = Array.from({ length: FEW_CALLS + 5 }, (_, n) => n + 10);
    db.transaction(() => {
      for (const n of many) {
        const key = addCall(n);
        const speaker = n % 3 === 0 ? 'agent' : 'customer';
        store.save({ recording_key: key }, transcript(turn(0, speaker, 'payment due')), {
          key: 'x',
          etag: null,
        });
      }
    })();
    const plan = store.saidFilter('payment')!;
    expect(plan.reach).toBe('many');
    const newest = many.map((n) => `int-${n}`).reverse();
    expect(listed(plan, '', 5)).toEqual(newest.slice(0, 5));
    // Every required term is looked up in each call, and other conditions still apply.
    const both = store.saidFilter('payment due', { speaker: 'agent' })!;
    const agents = many.filter((n) => n % 3 === 0 && n % 2 === 0).map((n) => `int-${n}`);
    expect(listed(both, "AND i.outcome = 'Sale'")).toEqual(agents.reverse());
    expect(listed(saidFilterSql('payment'))).toHaveLength(many.length);
  });
});
