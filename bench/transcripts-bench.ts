/**
 * Transcripts at scale: `npx tsx bench/transcripts-bench.ts [calls]` (default 100,000).
 *
 * Builds a catalog of `calls` linked calls (bench-catalog's made-up year) and gives each a transcript
 * of about 450 words in ~24 turns, saved one call at a time through TranscriptStore.save (as a sync
 * saves them). Prints the indexing time, the catalog bytes the transcripts add per call, and p99
 * times of a `said` search's first page for a common word, a rare word, a phrase and a prefix, alone
 * and with the speaker or a list filter:
 * - `search`: TranscriptStore.searchSaid (50 calls with their hits), driven by the word index;
 * - `list`: the call list's first page through the one query path (CallsService.page, as
 *   `GET /recordings?said=` and `recordings:list` read it: the said plan, the first page or the
 *   view, LIMIT 50) plus the hits of those calls (saidHitsOf), for a filter not seen before (the
 *   list's generation is moved before each run, so no plan or view is reused);
 * - `count`: the same filter's exact count (CallsService.count: its whole view), also cold.
 * Plain Node, no Electron; the catalog lives in a temp folder, removed at the end.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogStore } from '../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../electron/core/catalog/open-catalog.ts';
import type { TranscriptSegment } from '../electron/core/transcripts/transcript.ts';
import { TranscriptStore, type SaidOptions } from '../electron/core/transcripts/transcript-store.ts';
import { CallsService } from '../electron/core/calls/calls-service.ts';
import { NO_FILTER, type CallFilter } from '../electron/core/catalog/call-filter.ts';
import { CallQueries } from '../electron/core/catalog/call-queries.ts';
import { saidHitsOf } from '../electron/core/transcripts/said-hits.ts';
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

function p99(run: () => void, before?: () => void): { p50: number; p99: number } {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    before?.();
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p99: times[Math.floor(RUNS * 0.99)]! };
}

/** The catalog: `count` linked calls, each with a transcript saved as a sync saves one. */
function build(db: CatalogDatabase, catalog: CatalogStore, store: TranscriptStore, count: number): void {
  const calls = makeCalls(count, PREFIX, 1_000_000);
  catalog.upsertRecordings(
    calls.map((call) => call.recording),
    Date.now(),
  );
  catalog.upsertInteractions(calls.map((call) => call.interaction));
  const before = bytesOf(db);
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
}

function main(): void {
  const count = Number(process.argv[2] ?? 100_000);
  // KEEP=folder: the catalog is built there once and kept; later runs with the same KEEP only query.
  const kept = process.env.KEEP;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'tapedeck-transcripts-bench-'));
  const reuse = kept !== undefined && existsSync(join(dir, 'catalog.sqlite'));
  try {
    const db = openCatalog(join(dir, 'catalog.sqlite'));
    const catalog = new CatalogStore(db);
    const store = new TranscriptStore(db);
    if (reuse) console.log(`the catalog in ${dir} (built before)`);
    else build(db, catalog, store, count);

    const service = new CallsService(() => ({
      catalog: db,
      store: catalog,
      calls: new CallQueries(db),
      storage: null,
      where: null,
    }));
    const moveGeneration = db.prepare('UPDATE interactions_generation SET n = n + 1 WHERE id = 1');
    /** p50/p99 of `run`, each run on a list no plan or view of which is kept (as after a sync). */
    const cold = (run: () => void) =>
      p99(
        () => run(),
        () => moveGeneration.run(),
      );
    const listPage = (filter: CallFilter) => {
      const { rows } = service.page(filter, { offset: 0, limit: PAGE }, { total: false });
      return { rows: rows.length, hits: saidHitsOf(db, filter, rows)!.flat().length };
    };

    const cases: [string, string][] = [
      ['common word', 'payment'],
      ['rare word', RARE_WORD],
      ['phrase', `"${PHRASE}"`],
      ['prefix', 'bala*'],
    ];
    const filterOf = (query: string, options: SaidOptions, outcome: boolean): CallFilter => ({
      ...NO_FILTER,
      said: query,
      saidBy: options.speaker === 'customer' ? 'customer' : null,
      outcome: outcome ? ['Sale'] : [],
    });
    for (const [name, query] of cases) {
      for (const [variant, options, outcome] of [
        ['alone', {}, false],
        ['by customer', { speaker: 'customer' }, false],
        ['+ outcome filter', {}, true],
      ] as const) {
        const filter = filterOf(query, options, outcome);
        const found = store.searchSaid(query, { ...options, limit: PAGE }).length;
        const search = outcome ? null : p99(() => store.searchSaid(query, { ...options, limit: PAGE }));
        moveGeneration.run();
        const first = listPage(filter);
        const paged = cold(() => listPage(filter));
        const total = service.count(filter);
        const counted = cold(() => service.count(filter));
        console.log(
          `${`${name} ${query} ${variant}`.padEnd(44)} ` +
            (search
              ? `search p50 ${search.p50.toFixed(1)} p99 ${search.p99.toFixed(1)} ms (${found}); `
              : '') +
            `list p50 ${paged.p50.toFixed(1)} p99 ${paged.p99.toFixed(1)} ms (${first.rows} calls, ${first.hits} hits); ` +
            `count p50 ${counted.p50.toFixed(1)} p99 ${counted.p99.toFixed(1)} ms (${total})`,
        );
      }
    }
    db.close();
  } finally {
    if (kept === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main();
