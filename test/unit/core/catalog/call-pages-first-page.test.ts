/**
 * The first pages of a new view come straight from the order index (seek and limit) while the view
 * itself is built in the background: they must be exactly the rows the view gives, for every kind of
 * filter, at every shallow offset (calls without a start time, which come last, included); the count
 * is the view's; and the background build ends with the same view a synchronous one makes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTER, type CallFilter } from '../../../../electron/core/catalog/call-filter.ts';
import { CallPages } from '../../../../electron/core/catalog/call-pages.ts';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import { dispatchIdFor, parseRecordingKey, recordingKeyFor } from '../../../../shared/dispatch.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const PREFIX = 'egress-recordings/';
const T = 1754006400; // 2025-08-01T00:00:00Z
const N = 600;
const STATUSES = ['COMPLETED', 'NO_ANSWER', 'BUSY', null] as const;
const OUTCOMES = ['PAYMENT_PROMISED', 'CALLBACK', null] as const;
const NAMES = ['María García', 'Mario Rossi', 'John Hall', null, 'Sarah Walker'] as const;

let dir: string;
let db: CatalogDatabase;
let pages: CallPages;

/** Deterministic calls: every 9th without a start time, every 4th recorded, ties in start times. */
function calls(): Interaction[] {
  return Array.from({ length: N }, (_, i) => {
    const phone = `1555010${String(i).padStart(4, '0')}`;
    const start = T + Math.floor(i / 3) * 600; // three calls share each start time
    return {
      interaction_id: `int_${(i * 7919) % 10007}`,
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

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-first-page-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  const store = new CatalogStore(db);
  const all = calls();
  store.upsertInteractions(all);
  const recorded = all.filter((_, i) => i % 4 === 0);
  store.upsertRecordings(
    recorded.map((call) => {
      const { phone, timestamp } = {
        phone: call.phone!.slice(1),
        timestamp: Number(call.dispatch_id!.split('_')[1]),
      };
      return {
        ...parseRecordingKey(recordingKeyFor(PREFIX, phone, timestamp + 5), PREFIX)!,
        size: 1,
        etag: 'e',
        lastModified: 1,
      };
    }),
    Date.now(),
  );
  pages = CallPages.of(db);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const filter = (part: Partial<CallFilter>): CallFilter => ({ ...NO_FILTER, ...part });

/** One filter of every kind the list has, and some together. */
const FILTERS: [string, CallFilter][] = [
  ['no filter', NO_FILTER],
  ['status', filter({ status: ['NO_ANSWER'] })],
  ['two statuses', filter({ status: ['BUSY', 'COMPLETED'] })],
  ['outcome', filter({ outcome: ['CALLBACK'] })],
  ['status and outcome', filter({ status: ['COMPLETED'], outcome: ['PAYMENT_PROMISED'] })],
  ['from', filter({ from: new Date((T + 30_000) * 1000).toISOString() })],
  ['to', filter({ to: new Date((T + 30_000) * 1000).toISOString() })],
  [
    'from and to',
    filter({
      from: new Date((T + 10_000) * 1000).toISOString(),
      to: new Date((T + 50_000) * 1000).toISOString(),
    }),
  ],
  ['has a recording', filter({ hasRecording: true })],
  ['has no recording', filter({ hasRecording: false })],
  [
    'recorded, a status, dates',
    filter({ hasRecording: true, status: ['COMPLETED', 'BUSY'], from: new Date(T * 1000).toISOString() }),
  ],
  ['matching nothing', filter({ status: ['NO_SUCH_STATUS'] })],
  ['search: name words', filter({ search: 'mar gar' })],
  ['search: phone digits', filter({ search: '0104' })],
  ['search: interaction id prefix', filter({ search: 'int_1' })],
  ['search: dispatch id', filter({ search: dispatchIdFor('15550100012', T + 4 * 600) })],
  ['search and a status', filter({ search: 'john', status: ['BUSY'] })],
  ['review tag', filter({ reviewTag: 'rude' })],
];

/** The deep path: the whole view, built at once, read in order. */
function wholeView(f: CallFilter): string[] {
  return [...pages.batches(f, 100)].flat().map((row) => row.interaction_id);
}

describe('the first pages of a new view', () => {
  it.each(FILTERS)('%s: the same rows as the view, at every shallow offset', (_name, f) => {
    const whole = wholeView(f);
    const size = whole.length;
    const offsets = [0, 1, 7, 25, 50, 66, 130, size - 10, size - 1, size, size + 5].filter((o) => o >= 0);
    for (const offset of offsets) {
      for (const limit of [1, 10, 50]) {
        const first = pages.firstPage(f, offset, limit).map((row) => row.interaction_id);
        expect(first, `offset ${offset}, limit ${limit}`).toEqual(whole.slice(offset, offset + limit));
      }
    }
  });

  it('reaches the calls without a start time after the dated ones, as the view orders them', () => {
    const whole = wholeView(NO_FILTER);
    const undated = whole.filter((id) => calls().find((c) => c.interaction_id === id)!.start_time === null);
    expect(undated.length).toBeGreaterThan(50);
    expect(whole.slice(-undated.length)).toEqual(undated); // last, in the view
    const firstUndated = whole.length - undated.length;
    expect(pages.firstPage(NO_FILTER, firstUndated - 3, 10).map((r) => r.interaction_id)).toEqual(
      whole.slice(firstUndated - 3, firstUndated + 7),
    );
  });

  it('answers a first page before the view exists, counts when asked, and builds the view in the background', async () => {
    db.prepare('UPDATE interactions_generation SET n = n + 1 WHERE id = 1').run(); // every view is stale now
    const f = filter({ status: ['COMPLETED', 'NO_ANSWER'] });
    expect(pages.readyTotal(f)).toBeNull();
    const page = pages.page(f, 0, 50);
    expect(pages.readyTotal(f)).toBeNull(); // the rows came without a count
    const expected = wholeView(f);
    expect(page.rows.map((row) => row.interaction_id)).toEqual(expected.slice(0, 50));

    const g = filter({ outcome: ['CALLBACK'], hasRecording: false });
    pages.page(g, 0, 20);
    for (let turn = 0; turn < 200 && pages.readyTotal(g) === null; turn += 1) await nextTurn();
    expect(pages.readyTotal(g)).toBe(wholeView(g).length);
    // A search's first page comes from its view, built at once (its count is known with the rows).
    const search = filter({ search: 'mar', status: ['COMPLETED'] });
    const searched = pages.page(search, 0, 10).rows.map((row) => row.interaction_id);
    const known = pages.readyTotal(search);
    expect(known).toBe(wholeView(search).length);
    expect(searched).toEqual(wholeView(search).slice(0, 10));
    // A count read off a first page is exact (the view is built then, if it was not).
    const h = filter({ status: ['BUSY'], outcome: ['CALLBACK'] });
    expect(pages.page(h, 0, 5).total).toBe(wholeView(h).length);
  });
});
