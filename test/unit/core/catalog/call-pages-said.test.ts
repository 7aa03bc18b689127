/**
 * The list's `said` filter (what was said in a call's transcript) combined with every other filter:
 * the first pages read from the order index (each call looked up in the word index as it is
 * reached, for common words) must be exactly the rows of the whole view (one pass over the word
 * index), at every shallow offset, and both exactly the calls whose transcripts hold the words
 * (worked out here from the words each call was given).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTER, type CallFilter } from '../../../../electron/core/catalog/call-filter.ts';
import { CallPages } from '../../../../electron/core/catalog/call-pages.ts';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import { ServiceError } from '../../../../electron/core/service-error.ts';
import { SaidPlans } from '../../../../electron/core/transcripts/said-plans.ts';
import { FEW_CALLS, TranscriptStore } from '../../../../electron/core/transcripts/transcript-store.ts';
import type { Speaker, TranscriptSegment } from '../../../../electron/core/transcripts/transcript.ts';
import { dispatchIdFor, parseRecordingKey, recordingKeyFor } from '../../../../shared/dispatch.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const PREFIX = 'egress-recordings/';
const T = 1754006400; // 2025-08-01T00:00:00Z
/** More calls say "payment" than a said plan lists (FEW_CALLS): its first pages probe call by call. */
const N = 2600;
const STATUSES = ['COMPLETED', 'NO_ANSWER', 'BUSY', null] as const;
const OUTCOMES = ['PAYMENT_PROMISED', 'CALLBACK', null] as const;
const NAMES = ['María García', 'Mario Rossi', 'John Hall', null, 'Sarah Walker'] as const;

let dir: string;
let db: CatalogDatabase;
let pages: CallPages;

const idOf = (i: number) => `int_${(i * 7919) % 10007}`;
const recorded = (i: number) => i % 4 === 0;

/** Who said what in call i: three turns, agent, customer, agent. */
function turnsOf(i: number): [Speaker, string][] {
  const agent: string[] = ['hello this is the bank'];
  const customer: string[] = ['hi there'];
  if (i % 10 !== 0) (i % 3 === 0 ? customer : agent).push('about your payment'); // most calls
  if (i % 97 === 5) {
    // "speak to a lawyer" in order in half of these; the same words out of order in the others
    customer.push(i % 194 === 5 ? 'I want to speak to a lawyer' : 'a lawyer I will not speak to');
  }
  if (i % 7 === 0) customer.push('I will cancel');
  if (i % 11 === 0) agent.push('the cancellation fee applies');
  if (i === 1234) customer.push('greetings from Zanzíbar');
  return [
    ['agent', agent.join(', ')],
    ['customer', customer.join(', ')],
    ['agent', 'thank you goodbye'],
  ];
}

/** Deterministic calls: every 9th without a start time, every 4th recorded, ties in start times. */
function calls(): Interaction[] {
  return Array.from({ length: N }, (_, i) => {
    const phone = `1555${String(i).padStart(7, '0')}`;
    const start = T + Math.floor(i / 3) * 600; // three calls share each start time
    return {
      interaction_id: idOf(i),
      customer_name: NAMES[i % NAMES.length]!,
      phone: `+${phone}`,
      status: STATUSES[i % STATUSES.length]!,
      outcome: OUTCOMES[i % OUTCOMES.length]!,
      duration: 60,
      start_time: i % 9 === 0 ? null : new Date(start * 1000).toISOString(),
      end_time: null,
      dispatch_id: dispatchIdFor(phone, start),
    };
  });
}

const ALL = calls();
const INDEX_OF = new Map(ALL.map((call, i) => [call.interaction_id, i]));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-said-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  const store = new CatalogStore(db);
  store.upsertInteractions(ALL);
  const keys = new Map<number, string>();
  store.upsertRecordings(
    ALL.flatMap((call, i) => {
      if (!recorded(i)) return [];
      const phone = call.phone!.slice(1);
      const timestamp = Number(call.dispatch_id!.split('_')[1]) + 5;
      const key = recordingKeyFor(PREFIX, phone, timestamp);
      keys.set(i, key);
      return [{ ...parseRecordingKey(key, PREFIX)!, size: 1, etag: 'e', lastModified: 1 }];
    }),
    Date.now(),
  );
  const transcripts = new TranscriptStore(db);
  ALL.forEach((call, i) => {
    const segments: TranscriptSegment[] = turnsOf(i).map(([speaker, text], turn) => ({
      start_ms: turn * 4000,
      end_ms: turn * 4000 + 3500,
      speaker,
      speaker_label: null,
      text,
    }));
    // A recorded call's transcript is its recording's, but a few are saved under the call's id.
    const subject =
      keys.has(i) && i % 8 !== 0 ? { recording_key: keys.get(i)! } : { interaction_id: call.interaction_id };
    transcripts.save(subject, { format: 'vtt', segments }, { key: `t/${i}.vtt`, etag: null });
  });
  transcripts.optimizeIndex();
  // Reviews, for the review filters: a tag on every 5th call, passed/failed on every 6th.
  const review = db.prepare(
    `INSERT INTO call_reviews (interaction_id, review_status, percentage, review_id, reviews, updated_at)
     VALUES (?, ?, ?, ?, 1, '2025-08-09T00:00:00Z')`,
  );
  const tag = db.prepare('INSERT INTO review_tags (review_id, tag, interaction_id) VALUES (?, ?, ?)');
  ALL.forEach((call, i) => {
    if (i % 6 === 0) review.run(call.interaction_id, i % 12 === 0 ? 'failed' : 'passed', i % 100, `r${i}`);
    if (i % 5 === 0) tag.run(`r${i}`, 'rude', call.interaction_id);
  });
  pages = CallPages.of(db);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const filter = (part: Partial<CallFilter>): CallFilter => ({ ...NO_FILTER, ...part });
const said = (text: string, part: Partial<CallFilter> = {}) => filter({ said: text, ...part });

/** What each call said, per speaker, as words. */
function wordsOf(i: number, speaker: Speaker | null): string {
  return turnsOf(i)
    .filter(([who]) => speaker === null || who === speaker)
    .map(([, text]) => ` ${text.toLowerCase().replace(/[^a-z ]/g, ' ')} `)
    .join('|');
}
const has = (word: string) => (i: number, by: Speaker | null) =>
  wordsOf(i, by).includes(` ${word} `) || (word === 'zanzibar' && wordsOf(i, by).includes(' zanz'));

/** Every said filter with the calls it must keep (by who said it, when narrowed). */
const SAID: [string, string, (i: number, by: Speaker | null) => boolean][] = [
  ['a common word', 'payment', has('payment')],
  ['a rare word, accents and case ignored', 'ZANZIBAR', (i, by) => i === 1234 && by !== 'agent'],
  ['a phrase (in order only)', '"speak to a lawyer"', (i, by) => i % 194 === 5 && by !== 'agent'],
  ['a prefix', 'canc*', (i, by) => has('cancel')(i, by) || has('cancellation')(i, by)],
  ['two words, both required', 'payment cancel', (i, by) => has('payment')(i, by) && has('cancel')(i, by)],
  ['either word', 'lawyer OR cancellation', (i, by) => has('lawyer')(i, by) || has('cancellation')(i, by)],
];

/** The other filters, as filter parts and as predicates over call i. */
const OTHERS: [string, Partial<CallFilter>, (i: number) => boolean][] = [
  ['alone', {}, () => true],
  ['a status', { status: ['NO_ANSWER', 'BUSY'] }, (i) => [1, 2].includes(i % 4)],
  ['an outcome', { outcome: ['CALLBACK'] }, (i) => i % 3 === 1],
  [
    'dates',
    {
      from: new Date((T + 60_000) * 1000).toISOString(),
      to: new Date((T + 400_000) * 1000).toISOString(),
    },
    (i) => {
      const start = T + Math.floor(i / 3) * 600;
      return i % 9 !== 0 && start >= T + 60_000 && start <= T + 400_000;
    },
  ],
  ['a recording', { hasRecording: true }, recorded],
  ['no recording', { hasRecording: false }, (i) => !recorded(i)],
  ['a name search', { search: 'mar' }, (i) => i % 5 === 0 || i % 5 === 1],
  ['a review status', { review: ['failed'] }, (i) => i % 12 === 0],
  ['unreviewed', { review: ['unreviewed'] }, (i) => i % 6 !== 0],
  ['a review tag', { reviewTag: 'rude' }, (i) => i % 5 === 0],
  ['a score range', { scoreMin: 40, scoreMax: 80 }, (i) => i % 6 === 0 && i % 100 >= 40 && i % 100 <= 80],
  [
    'a status, an outcome and a recording',
    { status: ['COMPLETED'], outcome: ['PAYMENT_PROMISED'], hasRecording: true },
    (i) => i % 4 === 0 && i % 3 === 0,
  ],
];

/** Every call, in the list's order (newest first, undated last). */
let ORDER: number[] | null = null;
function expected(keep: (i: number) => boolean): string[] {
  ORDER ??= [...pages.batches(NO_FILTER, 500)].flat().map((row) => INDEX_OF.get(row.interaction_id)!);
  return ORDER.filter(keep).map(idOf);
}

/** The deep path: the whole view, built at once, read in order. */
function wholeView(f: CallFilter): string[] {
  return [...pages.batches(f, 100)].flat().map((row) => row.interaction_id);
}

describe('the said filter with every other filter', () => {
  it('has common words probed call by call and rare ones listed (both kinds are tested below)', () => {
    expect(SaidPlans.of(db).seek(said('payment'))!.reach).toBe('many');
    expect(SaidPlans.of(db).seek(said('zanzibar'))!.reach).toBe('few');
    expect(ALL.filter((_, i) => has('payment')(i, null)).length).toBeGreaterThan(FEW_CALLS);
  });

  const cases = SAID.flatMap(([saidName, text, keeps]) =>
    OTHERS.flatMap(([otherName, part, other]) =>
      ([null, 'customer', 'agent'] as const)
        .filter((by) => by === null || otherName === 'alone' || otherName === 'a status')
        .map(
          (by) =>
            [
              `${saidName} (${text})${by ? ` said by the ${by}` : ''}, ${otherName}`,
              said(text, { ...part, saidBy: by }),
              (i: number) => keeps(i, by) && other(i),
            ] as const,
        ),
    ),
  );

  it.each(cases)('%s: the right calls, the same on the first pages and the whole view', (_name, f, keep) => {
    const whole = wholeView(f);
    expect(whole).toEqual(expected(keep));
    const size = whole.length;
    for (const offset of [0, 1, 30, size - 5, size].filter((o) => o >= 0)) {
      for (const limit of [1, 50]) {
        const first = pages.firstPage(f, offset, limit).map((row) => row.interaction_id);
        expect(first, `offset ${offset}, limit ${limit}`).toEqual(whole.slice(offset, offset + limit));
      }
    }
    // The keyset pages (after=) walk the same list.
    const walked: string[] = [];
    let cursor = null;
    do {
      const page = pages.pageAfter(f, cursor, 97);
      walked.push(...page.rows.map((row) => row.interaction_id));
      cursor = page.next;
    } while (cursor !== null);
    expect(walked).toEqual(whole);
    // And the list's own page (first pages while no view is built, counted when asked).
    const listed = pages.page(f, 0, 50);
    expect(listed.rows.map((row) => row.interaction_id)).toEqual(whole.slice(0, 50));
    expect(listed.total).toBe(size);
  });

  it('finds most words in some calls (the cases above are not all empty)', () => {
    expect(wholeView(said('payment')).length).toBeGreaterThan(2000);
    expect(wholeView(said('"speak to a lawyer"')).length).toBe(ALL.filter((_, i) => i % 194 === 5).length);
    expect(wholeView(said('zanzibar'))).toEqual([idOf(1234)]);
  });

  it('a blank said is no filter; a query that cannot be searched is refused saying why', () => {
    expect(wholeView(said('  '))).toEqual(wholeView(NO_FILTER));
    const refusal = (text: string) => {
      try {
        pages.page(said(text), 0, 10);
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceError);
        expect((error as ServiceError).code).toBe('invalid_input');
        return (error as Error).message;
      }
      throw new Error(`said=${text} was not refused`);
    };
    expect(refusal('?!')).toMatch(/^said: it has no word to search for/);
    expect(refusal('c*')).toBe(
      'said: c* is too short a prefix: give at least 2 letters or digits before the * (as in canc*).',
    );
    expect(refusal('lawyer OR')).toMatch(/OR needs a word on each side/);
    expect(refusal('OR lawyer')).toMatch(/OR needs a word on each side/);
    expect(() => pages.pageAfter(said('*'), null, 10)).toThrow(/no word to search for/);
    expect(() => [...pages.batches(said('"!"'), 10)]).toThrow(/no word to search for/);
  });

  it('sees a transcript saved after the first search (the plan and the view are dropped)', () => {
    expect(wholeView(said('kumquat'))).toEqual([]);
    const store = new TranscriptStore(db);
    store.save(
      { interaction_id: idOf(3) },
      {
        format: 'vtt',
        segments: [{ start_ms: 0, end_ms: 1, speaker: 'customer', speaker_label: null, text: 'a kumquat' }],
      },
      { key: 'k.vtt', etag: null },
    );
    expect(pages.firstPage(said('kumquat'), 0, 10).map((row) => row.interaction_id)).toEqual([idOf(3)]);
    expect(wholeView(said('kumquat'))).toEqual([idOf(3)]);
    store.remove({ interaction_id: idOf(3) });
    expect(wholeView(said('kumquat'))).toEqual([]);
  });
});
