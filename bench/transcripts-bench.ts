/**
 * Transcripts at scale: `npx tsx bench/transcripts-bench.ts [calls]` (default 100,000).
 *
 * Builds a catalog of `calls` linked calls (bench-catalog's made-up year) and gives each a transcript
 * of about 450 words in ~24 turns, saved one call at a time through TranscriptStore.save (as a sync
 * saves them). Prints the indexing time, the catalog bytes the transcripts add per call, and p99
 * times of a `said` search's first page for a common word, a rare word and a phrase, alone and with
 * the speaker or a list filter:
 * - `search`: TranscriptStore.searchSaid (50 calls with their hits), driven by the word index;
 * - `page`: the call list's first page: TranscriptStore.saidFilter's condition ANDed into a keyset
 *   page of interactions newest first (as CallPages.pageAfter reads it), LIMIT 50, then the hits
 *   of those calls (hitsFor);
 * - `count`: every matching call in the list's order (the view CallPages.page keeps, with its
 *   exact count), through the index-driven saidFilterSql.
 * Plain Node, no Electron; the catalog lives in a temp folder, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogStore } from '../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../electron/core/catalog/open-catalog.ts';
import type { TranscriptSegment } from '../electron/core/transcripts/transcript.ts';
import {
  saidFilterSql,
  TranscriptStore,
  type SaidOptions,
  type TranscriptSubject,
} from '../electron/core/transcripts/transcript-store.ts';
import { makeCalls } from './bench-catalog.ts';

const PREFIX = 'egress-recordings/';
const WORDS_PER_CALL = 450;
const TURNS_PER_CALL = 24;
const RUNS = Number(process.env.RUNS ?? 100);
const PAGE = 50;

// The head of English speech, then a long tail of made-up words (a Zipf-like vocabulary).
const COMMON = (
  'the i you to and a that it of is yes so we in my your for this have on do be with can what ' +
  'just not no okay are me was but all get about like will if one payment account thank today ' +
  'right would know there call help please time card number balance bill could need month'
).split(' ');
const TAIL = Array.from({ length: 20_000 }, (_, index) => `w${index.toString(36)}x`);
const RARE_WORD = 'zanzibar'; // said in 20 calls
const PHRASE = 'speak to a lawyer'; // said in 1 % of the calls

/** Deterministic pseudo-random numbers (mulberry32), so runs compare. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function transcriptOf(call: number, next: () => number): TranscriptSegment[] {
  const words: string[] = [];
  for (let index = 0; index < WORDS_PER_CALL; index += 1) {
    const r = next();
    words.push(
      r < 0.7
        ? COMMON[Math.floor(next() ** 2 * COMMON.length)]!
        : TAIL[Math.floor(next() ** 3 * TAIL.length)]!,
    );
  }
  if (call % 100 === 7) words.splice(200, 0, ...PHRASE.split(' '));
  if (call % 5000 === 11) words.splice(300, 0, RARE_WORD);
  const perTurn = Math.ceil(words.length / TURNS_PER_CALL);
  const turnMs = 180_000 / TURNS_PER_CALL;
  return Array.from({ length: TURNS_PER_CALL }, (_, turn) => ({
    start_ms: turn * turnMs,
    end_ms: (turn + 1) * turnMs - 300,
    speaker: turn % 2 === 0 ? 'agent' : 'customer',
    speaker_label: turn % 2 === 0 ? 'ch_0' : 'ch_1',
    text: words.slice(turn * perTurn, (turn + 1) * perTurn).join(' '),
  }));
}

function bytesOf(db: CatalogDatabase): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return (
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number)
  );
}

function p99(run: () => void): { p50: number; p99: number } {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p99: times[Math.floor(RUNS * 0.99)]! };
}

function main(): void {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-transcripts-bench-'));
  try {
    const db = openCatalog(join(dir, 'catalog.sqlite'));
    const calls = makeCalls(count, PREFIX, 1_000_000);
    const catalog = new CatalogStore(db);
    catalog.upsertRecordings(
      calls.map((call) => call.recording),
      Date.now(),
    );
    catalog.upsertInteractions(calls.map((call) => call.interaction));
    const before = bytesOf(db);

    const store = new TranscriptStore(db);
    const next = random(42);
    const started = performance.now();
    calls.forEach((call, index) => {
      store.save(
        { recording_key: call.recording.key },
        { format: 'transcribe', segments: transcriptOf(index, next) },
        { key: call.recording.key.replace(/\.mp4$/, '.transcript.json'), etag: `"${index}"` },
      );
    });
    const indexSeconds = (performance.now() - started) / 1000;
    const optimizing = performance.now();
    store.optimizeIndex();
    const optimizeSeconds = (performance.now() - optimizing) / 1000;
    const after = bytesOf(db);

    console.log(`calls: ${count}, ~${WORDS_PER_CALL} words in ${TURNS_PER_CALL} turns each`);
    console.log(
      `indexing: ${indexSeconds.toFixed(1)} s (${((indexSeconds * 1e6) / count).toFixed(0)} µs a call), ` +
        `${Math.round((after - before) / count)} catalog bytes a call; index optimized in ${optimizeSeconds.toFixed(1)} s`,
    );

    const subjectOf = (row: { interaction_id: string; recording_key: string | null }): TranscriptSubject =>
      row.recording_key !== null
        ? { recording_key: row.recording_key }
        : { interaction_id: row.interaction_id };
    const page = (query: string, options: SaidOptions, extra: string) => {
      const said = store.saidFilter(query, options)!;
      const rows = db
        .prepare<Record<string, string>, { interaction_id: string; recording_key: string | null }>(
          `SELECT i.interaction_id, r.key AS recording_key FROM interactions i
             LEFT JOIN recordings r ON r.id = i.recording_id
            WHERE ${said.condition} ${extra} AND i.start_ms IS NOT NULL
            ORDER BY i.start_ms DESC, i.interaction_id DESC LIMIT ${PAGE}`,
        )
        .all(said.params);
      return {
        reach: said.reach,
        rows: rows.length,
        hits: store.hitsFor(query, rows.map(subjectOf), options),
      };
    };
    const countAll = (query: string, options: SaidOptions, extra: string) => {
      const said = saidFilterSql(query, options)!;
      return db
        .prepare<Record<string, string>, number>(
          `SELECT i.rowid FROM interactions i WHERE ${said.condition} ${extra}
            ORDER BY i.start_ms DESC, i.interaction_id DESC`,
        )
        .pluck()
        .all(said.params).length;
    };

    const cases: [string, string][] = [
      ['common word', 'payment'],
      ['rare word', RARE_WORD],
      ['phrase', `"${PHRASE}"`],
      ['prefix', 'bala*'],
    ];
    for (const [name, query] of cases) {
      for (const [variant, options, extra] of [
        ['alone', {}, ''],
        ['by customer', { speaker: 'customer' }, ''],
        ['+ outcome filter', {}, "AND i.outcome = 'Sale'"],
      ] as const) {
        const found = store.searchSaid(query, { ...options, limit: PAGE }).length;
        const search =
          variant === '+ outcome filter'
            ? null
            : p99(() => store.searchSaid(query, { ...options, limit: PAGE }));
        const first = page(query, options, extra);
        const paged = p99(() => page(query, options, extra));
        const total = countAll(query, options, extra);
        const counted = p99(() => countAll(query, options, extra));
        console.log(
          `${`${name} ${query} ${variant}`.padEnd(44)} ` +
            (search
              ? `search p50 ${search.p50.toFixed(1)} p99 ${search.p99.toFixed(1)} ms (${found}); `
              : '') +
            `page p50 ${paged.p50.toFixed(1)} p99 ${paged.p99.toFixed(1)} ms (${first.rows}, ${first.reach}); ` +
            `count p50 ${counted.p50.toFixed(1)} p99 ${counted.p99.toFixed(1)} ms (${total})`,
        );
      }
    }
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
