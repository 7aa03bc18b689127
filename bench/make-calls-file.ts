/**
 * A deterministic metadata file of N calls (default 1,000,000) for the catalog-at-scale benchmark,
 * as NDJSON or CSV (header row, fields quoted only when needed). Generated files are cached under
 * bench/.cache/ (gitignored), keyed by N and format.
 *
 * Every 10th call has a recording, and its key is the one bench/sync-bench.ts seeds for its index
 * (`{prefix}YYYY/MM/DD/outbound-1555{index, 7 digits}_{FIRST + index × 317}.mp4`), so the bucket
 * sync-bench caches for N / 10 objects holds exactly the recordings of these calls; no other call
 * has a 555 area code, so nothing else can resolve to them.
 *
 * `npx tsx bench/make-calls-file.ts [N] [ndjson|csv]` prints the cached file's path.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordingKeyFor } from '../shared/dispatch.ts';
import { INTERACTION_FIELDS } from '../shared/recording.ts';

export type CallsFileFormat = 'ndjson' | 'csv';

export interface GeneratedCall {
  readonly interaction_id: string;
  readonly customer_name: string;
  readonly phone: string;
  readonly status: string;
  readonly outcome: string;
  readonly duration: number;
  readonly start_time: string;
  readonly end_time: string;
  readonly dispatch_id: string;
  /** Unix ms of start_time. */
  readonly startMs: number;
  /** The key of its recording in the bucket, or null (nine calls in ten). */
  readonly recordingKey: string | null;
}

export const CALLS_PREFIX = 'egress-recordings/';
/** The recorded calls' key timestamps, as bench/sync-bench.ts seeds them. */
export const FIRST_RECORDING = 1_735_689_600; // 2025-01-01T00:00:00Z
export const SECONDS_APART = 317;
export const RECORDING_EVERY = 10;

const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));
const FIELDS = INTERACTION_FIELDS;

const FIRST_NAMES = [
  'María',
  'Maria',
  'Mario',
  'Marco',
  'Marta',
  'Martín',
  'José',
  'Zoë',
  'Chloé',
  'Renée',
  'James',
  'John',
  'Robert',
  'Michael',
  'William',
  'David',
  'Richard',
  'Joseph',
  'Thomas',
  'Charles',
  'Mary',
  'Patricia',
  'Jennifer',
  'Linda',
  'Elizabeth',
  'Barbara',
  'Susan',
  'Jessica',
  'Sarah',
  'Karen',
  'Wei',
  'Aiko',
  'Priya',
  'Olusegun',
  'Fatima',
  'Ahmed',
  'Noémie',
  'Björn',
  'Inés',
  'Luca',
];
const LAST_NAMES = [
  'García',
  'Martínez',
  'Rodríguez',
  'López',
  'Hernández',
  'González',
  'Pérez',
  'Sánchez',
  'Müller',
  'Núñez',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Young',
  "O'Brien",
  'Nguyen',
  'Kim',
  'Patel',
  'Chen',
  'Okafor',
  'Dubois',
  'Lefèvre',
  'Marín',
  'Smith-Jones',
];
/** Values with their weights (skewed, as real call outcomes are). */
const STATUSES: readonly (readonly [string, number])[] = [
  ['COMPLETED', 60],
  ['NO_ANSWER', 20],
  ['VOICEMAIL', 10],
  ['BUSY', 6],
  ['FAILED', 4],
];
const OUTCOMES: readonly (readonly [string, number])[] = [
  ['NO_OUTCOME', 30],
  ['CALLBACK_REQUESTED', 20],
  ['PAYMENT_PROMISED', 15],
  ['NOT_INTERESTED', 12],
  ['PAID_IN_FULL', 10],
  ['WRONG_NUMBER', 6],
  ['DISPUTE', 4],
  ['DO_NOT_CALL', 3],
];

/** mulberry32: small, fast and good enough for test data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(values: readonly (readonly [string, number])[]): (r: number) => string {
  const total = values.reduce((sum, [, weight]) => sum + weight, 0);
  return (r) => {
    let left = r * total;
    for (const [value, weight] of values) {
      left -= weight;
      if (left < 0) return value;
    }
    return values[values.length - 1]![0];
  };
}

/** The N calls, in file order (oldest first, roughly), the same on every run. */
export function* generateCalls(n: number, seed = 20_251_125): Generator<GeneratedCall> {
  const random = prng(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pickStatus = weighted(STATUSES);
  const pickOutcome = weighted(OUTCOMES);
  for (let k = 0; k < n; k += 1) {
    const block = Math.floor(k / RECORDING_EVERY);
    const recorded = k % RECORDING_EVERY === 0;
    let phoneDigits: string;
    let dispatchTs: number;
    let recordingKey: string | null = null;
    if (recorded) {
      phoneDigits = `1555${String(block).padStart(7, '0')}`;
      const keyTs = FIRST_RECORDING + block * SECONDS_APART;
      dispatchTs = keyTs - int(3, 20);
      recordingKey = recordingKeyFor(CALLS_PREFIX, phoneDigits, keyTs);
    } else {
      let area = int(201, 989);
      if (area === 555) area = 556;
      phoneDigits = `1${area}${String(int(0, 9_999_999)).padStart(7, '0')}`;
      dispatchTs = FIRST_RECORDING + block * SECONDS_APART + (k % RECORDING_EVERY) * 31 + int(0, 20) - 10;
    }
    const startMs = (dispatchTs + int(1, 8)) * 1000 + int(0, 999);
    const duration = int(0, 600);
    const status = pickStatus(random());
    // Interaction ids: an odd multiplier is a bijection modulo 2^32, so they are unique and unordered.
    const idNumber = Math.imul(k + 1, 0x9e3779b1) >>> 0;
    yield {
      interaction_id: `int_${idNumber.toString(36).padStart(7, '0')}`,
      customer_name: `${FIRST_NAMES[int(0, FIRST_NAMES.length - 1)]!} ${LAST_NAMES[int(0, LAST_NAMES.length - 1)]!}`,
      phone: `+${phoneDigits}`,
      status,
      outcome:
        status === 'COMPLETED'
          ? pickOutcome(random())
          : random() < 0.8
            ? 'NO_OUTCOME'
            : pickOutcome(random()),
      duration,
      start_time: new Date(startMs).toISOString(),
      end_time: new Date(startMs + duration * 1000).toISOString(),
      dispatch_id: `dispatch_${dispatchTs}_${phoneDigits}`,
      startMs,
      recordingKey,
    };
  }
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function lineOf(call: GeneratedCall, format: CallsFileFormat): string {
  if (format === 'csv') return FIELDS.map((field) => csvField(call[field])).join(',');
  const row: Record<string, string | number> = {};
  for (const field of FIELDS) row[field] = call[field];
  return JSON.stringify(row);
}

/** The cached file of `n` calls in `format`, written first if it is not there yet. */
export function callsFile(
  n: number,
  format: CallsFileFormat,
  log: (line: string) => void = () => {},
): string {
  const file = join(CACHE_DIR, `calls-${n}.${format}`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  log(`writing ${n.toLocaleString('en-US')} calls as ${format} to ${file} (cached for reruns)…`);
  const partial = `${file}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let chunk: string[] = format === 'csv' ? [FIELDS.join(',')] : [];
    for (const call of generateCalls(n)) {
      chunk.push(lineOf(call, format));
      if (chunk.length >= 10_000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const format = process.argv[3] ?? 'ndjson';
  if (!Number.isInteger(n) || n < 1 || (format !== 'ndjson' && format !== 'csv')) {
    process.stderr.write(
      'Usage: npx tsx bench/make-calls-file.ts [N] [ndjson|csv]   (default 1000000 ndjson)\n',
    );
    process.exit(2);
  }
  process.stdout.write(`${callsFile(n, format, (line) => process.stderr.write(`${line}\n`))}\n`);
}
