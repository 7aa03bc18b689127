/**
 * The catalog at scale: 1,000,000 interactions imported by the whole `npm run import` process
 * (NDJSON and CSV), a full sync of a 100,000-object listing beside a bare ListObjectsV2 loop, and the
 * HTTP API under load over that catalog (list, filters and search at shallow and deep offsets, GET
 * by dispatch id), with the server's memory and the catalog's bytes per call. Figures are reported,
 * not asserted: `ok` is false only when something went wrong (a non-200, a wrong count or shape).
 *
 * The recordings are those bench/sync-bench.ts seeds into its cached emulator folder
 * (bench/.cache/sync-s3rver-{N/10}); bench/make-calls-file.ts gives every 10th call one of them.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { readConfig } from '../electron/core/config.ts';
import { createS3Client } from '../electron/core/s3/s3-client.ts';
import { CATALOG_FILE_NAME, openLibrary } from '../electron/core/library/open-library.ts';
import type { RecordingList, RecordingUrls } from '../shared/recording.ts';
import { productClientFor } from '../test/integration/tapedeck-under-test.ts';
import { EMULATOR_CREDENTIALS, applyEmulatorQuirks, startS3Emulator } from '../test/support/s3-emulator.ts';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';
import {
  CALLS_PREFIX,
  RECORDING_EVERY,
  callsFile,
  generateCalls,
  type CallsFileFormat,
  type GeneratedCall,
} from './make-calls-file.ts';
import { allOk } from './report.ts';
import { startServerChild, type MemoryUse } from './server-child.ts';
import { newFilterPaths } from './first-page.ts';
import { benchSync } from './sync-bench.ts';

type Cleanup = () => Promise<void> | void;

export interface ScaleOptions {
  /** Interactions in the catalog (default 1,000,000); every 10th has a recording. */
  readonly interactions?: number;
  readonly load?: LoadOptions;
  readonly log?: (line: string) => void;
  /** The caller's cleanups (run if it is interrupted); this adds its own and removes them when done. */
  readonly cleanups?: Cleanup[];
}

export interface ImportFigure {
  readonly format: CallsFileFormat;
  readonly fileBytes: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Peak RSS of the import process (`/usr/bin/time -f %M`), or null without GNU time. */
  readonly peakRssBytes: number | null;
}

export interface LoadCase {
  readonly group: 'list' | 'filter' | 'search' | 'get';
  readonly name: string;
  readonly paths: readonly string[];
  /** The first request of each path (cold: the server builds per-view state on first use). */
  readonly cold: readonly { readonly path: string; readonly ms: number }[];
  /** Under load: several clients at once (p99 is mostly queueing on two cores). */
  readonly load: LoadResult;
  /** One client after another: the latency one person sees. */
  readonly single: LoadResult;
  readonly p99TargetMs: number;
}

export interface ScaleResult {
  readonly date: Date;
  readonly machine: string;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly interactions: number;
  readonly recordings: number;
  readonly load: LoadOptions;
  readonly imports: readonly ImportFigure[];
  readonly sync: {
    readonly objects: number;
    readonly bareSeconds: number;
    readonly syncSeconds: number;
    /** bareSeconds / syncSeconds (a throughput ratio); target ≥ 0.8. */
    readonly ratio: number;
    readonly withRecording: number;
  };
  readonly cases: readonly LoadCase[];
  readonly memoryBeforeLoad: MemoryUse;
  readonly memory: MemoryUse;
  /** Catalog bytes (main file after a TRUNCATE checkpoint) of the NDJSON-imported catalog. */
  readonly catalogBytesAfterImport: number;
  readonly catalogBytesAfterSync: number;
  readonly seconds: number;
  /** What went wrong (non-200s, wrong counts); empty when all is right. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const DEFAULT_LOAD: LoadOptions = { connections: 8, warmupSeconds: 1, durationSeconds: 6 };
/** The same paths for one client at a time: latency without queueing behind other clients. */
const SINGLE_CLIENT: LoadOptions = { connections: 1, warmupSeconds: 1, durationSeconds: 3 };
const LIST_OFFSETS = [0, 1_000, 10_000, 100_000, 500_000, 900_000, 999_950];
const GET_IDS = 1000;
const PAGE = 50;
export const TARGETS = {
  importRowsPerSecond: 200_000,
  listP99Ms: 10,
  getP99Ms: 5,
  rssBytes: 300 * 1024 * 1024,
  syncRatio: 0.8,
} as const;

/** A row as both the generated data and the API's list items can describe it. */
interface Row {
  readonly interaction_id: string;
  readonly customer_name: string | null;
  readonly phone: string | null;
  readonly status: string | null;
  readonly outcome: string | null;
  readonly startMs: number;
  readonly dispatch_id: string | null;
  readonly recorded: boolean;
}

interface View {
  readonly group: 'filter' | 'search';
  readonly name: string;
  readonly query: string;
  readonly matches: (row: Row) => boolean;
  total: number;
}

export async function benchScale(options: ScaleOptions = {}): Promise<ScaleResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const n = options.interactions ?? 1_000_000;
  const loadOptions = options.load ?? DEFAULT_LOAD;
  const recordings = Math.ceil(n / RECORDING_EVERY);
  const problems: string[] = [];
  const loadAverageBefore = loadavg();
  const mine: Cleanup[] = [];
  const defer = (cleanup: Cleanup) => {
    mine.push(cleanup);
    options.cleanups?.push(cleanup);
  };

  try {
    // 1. Data files, and what the API should answer about them.
    const files = { ndjson: callsFile(n, 'ndjson', log), csv: callsFile(n, 'csv', log) };
    log(`reading back the ${n.toLocaleString('en-US')} generated calls for the expected answers…`);
    const expected = expectations(n);

    // 2. Import, each format into a fresh data dir, as the whole `npm run import` process.
    const imports: ImportFigure[] = [];
    const dataDirs: Partial<Record<CallsFileFormat, string>> = {};
    for (const format of ['ndjson', 'csv'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), `tapedeck-scale-${format}-`));
      defer(() => rmSync(dataDir, { recursive: true, force: true }));
      dataDirs[format] = dataDir;
      log(`import: ${format} (${(statSync(files[format]).size / 1e6).toFixed(0)} MB) with npm run import…`);
      const figure = await timeImport(files[format], format, dataDir, n, problems);
      log(
        `  ${figure.seconds.toFixed(2)} s, ${Math.round(figure.rowsPerSecond).toLocaleString('en-US')} rows/s`,
      );
      imports.push(figure);
    }
    rmSync(dataDirs.csv!, { recursive: true, force: true });
    const catalogFile = join(dataDirs.ndjson!, CATALOG_FILE_NAME);
    const catalogBytesAfterImport = catalogBytes(catalogFile);

    // 3. Sync: the bucket sync-bench.ts seeds and caches, beside a bare ListObjectsV2 loop.
    const emulatorDir = join(CACHE_DIR, `sync-s3rver-${recordings}`);
    const marker = join(emulatorDir, 'sync-bench.seeded.json');
    if (!existsSync(marker) || (JSON.parse(readFileSync(marker, 'utf8')) as { n: number }).n !== recordings) {
      log(`seeding the cached bucket with bench/sync-bench.ts (once; this takes minutes)…`);
      await benchSync({ objects: recordings, manifests: false, log: (line) => log(`  sync-bench: ${line}`) });
    }
    log('starting the S3 emulator on the cached bucket');
    const emulator = await startS3Emulator(emulatorDir);
    defer(() => emulator.stop());
    const productEnv: NodeJS.ProcessEnv = {
      ...withoutConfiguration(process.env),
      S3_BUCKET: 'sync-bench',
      S3_PREFIX: CALLS_PREFIX,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: emulator.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      TAPEDECK_HOST: '127.0.0.1',
      TAPEDECK_PORT: '0',
      TAPEDECK_DATA_DIR: dataDirs.ndjson!,
    };
    const config = readConfig(productEnv);
    const bareClient = createS3Client(config.s3!, { credentials: EMULATOR_CREDENTIALS });
    applyEmulatorQuirks(bareClient);
    defer(() => bareClient.destroy());
    log(
      `sync: bare ListObjectsV2 loop over ${recordings.toLocaleString('en-US')} objects (twice, the faster counts)…`,
    );
    const bareSeconds = Math.min(
      await timeBareLoop(bareClient, 'sync-bench', recordings),
      await timeBareLoop(bareClient, 'sync-bench', recordings),
    );
    log(`  ${bareSeconds.toFixed(2)} s`);
    log('sync: full sync into the imported catalog (openLibrary, its listing sync)…');
    const core = openLibrary(config, { createS3Client: (location) => productClientFor(location) });
    let syncSeconds: number;
    let withRecording: number;
    try {
      const syncStarted = performance.now();
      const status = await core.storage!.listing.run();
      syncSeconds = (performance.now() - syncStarted) / 1000;
      if (status.state !== 'succeeded') problems.push(`the sync ${status.state}: ${status.error}`);
      const counts = core.store.counts();
      withRecording = counts.withRecording;
      if (counts.interactions !== n) {
        problems.push(`after the sync the catalog has ${counts.interactions} interactions, expected ${n}`);
      }
      if (withRecording !== recordings) {
        problems.push(
          `after the sync ${withRecording} interactions have a recording, expected ${recordings}`,
        );
      }
    } finally {
      core.close();
    }
    log(
      `  ${syncSeconds.toFixed(2)} s; ${withRecording.toLocaleString('en-US')} interactions with a recording`,
    );
    const catalogBytesAfterSync = catalogBytes(catalogFile);

    // 4. The product server on that catalog, under load.
    log('starting the product server on the catalog');
    const product = await startServerChild(
      ['--import', 'tsx', '--import', join(ROOT, 'test/support/emulator-quirks-preload.ts')],
      join(ROOT, 'bench/serve-under-load.ts'),
      [],
      productEnv,
    );
    defer(() => product.stop());
    const memoryBeforeLoad = await product.memory();

    const cases: LoadCase[] = [];
    const runCase = async (
      group: LoadCase['group'],
      name: string,
      paths: readonly string[],
      check: (path: string, body: unknown) => string | null,
      p99TargetMs: number,
    ) => {
      log(`load: ${name}`);
      const cold: { path: string; ms: number }[] = [];
      for (const path of paths) {
        const t0 = performance.now();
        const response = await fetch(`${product.url}${path}`);
        const text = await response.text();
        const ms = performance.now() - t0;
        if (cold.length < 12) cold.push({ path, ms });
        const wrong =
          response.status !== 200
            ? `answered ${response.status} ${text.slice(0, 200)}`
            : check(path, JSON.parse(text));
        if (wrong) problems.push(`${path}: ${wrong}`);
      }
      const load = await runLoad(product.url, paths, loadOptions);
      const single = await runLoad(product.url, paths, SINGLE_CLIENT);
      for (const result of [load, single]) {
        if (!allOk(result)) {
          problems.push(
            `${name}: under load ${JSON.stringify(result.statusCounts)}, ${result.errors} errors`,
          );
        }
      }
      log(
        `  p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms, ${Math.round(load.requestsPerSecond)} req/s; ` +
          `one client: p99 ${single.p99Ms.toFixed(2)} ms`,
      );
      cases.push({ group, name, paths, cold, load, single, p99TargetMs });
    };

    await runCase(
      'list',
      `list, offsets ${LIST_OFFSETS.map(thousands).join(', ')}`,
      LIST_OFFSETS.map((offset) => `/recordings?limit=${PAGE}&offset=${offset}`),
      (path, body) => checkPage(path, body, n, () => true),
      TARGETS.listP99Ms,
    );
    for (const view of expected.views) {
      const offsets = view.total > 200 ? [0, Math.floor(view.total * 0.9)] : [0];
      await runCase(
        view.group,
        `${view.name}, ${view.total.toLocaleString('en-US')} calls, offsets ${offsets.map(thousands).join(', ')}`,
        offsets.map((offset) => `/recordings?${view.query}&limit=${PAGE}&offset=${offset}`),
        (path, body) => checkPage(path, body, view.total, view.matches),
        TARGETS.listP99Ms,
      );
    }
    // Issue 14: first pages of filters the server has no view of (1,460 in turn, 12 views kept).
    await runCase(
      'filter',
      'first page of a new filter (a week of 2025 × a status choice: 1,460 filters in turn)',
      newFilterPaths(),
      (_path, body) => (Array.isArray((body as RecordingList).recordings) ? null : 'no recordings array'),
      TARGETS.listP99Ms,
    );
    await runCase(
      'get',
      `GET /recordings/{dispatch_id}, ${expected.recorded.length.toLocaleString('en-US')} recorded calls in turn`,
      expected.recorded.map((call) => `/recordings/${call.dispatch_id}`),
      (path, body) => {
        const answer = body as RecordingUrls;
        const call = expected.recorded.find((c) => path.endsWith(c.dispatch_id))!;
        return answer.s3_key === call.recordingKey && !!answer.recording_url && !!answer.download_url
          ? null
          : `s3_key ${answer.s3_key}, expected ${call.recordingKey}`;
      },
      TARGETS.getP99Ms,
    );
    const memory = await product.memory();
    await product.stop();

    const result: ScaleResult = {
      date: new Date(),
      machine: machine(),
      loadAverageBefore,
      loadAverageAfter: loadavg(),
      interactions: n,
      recordings,
      load: loadOptions,
      imports,
      sync: {
        objects: recordings,
        bareSeconds,
        syncSeconds,
        ratio: bareSeconds / syncSeconds,
        withRecording,
      },
      cases,
      memoryBeforeLoad,
      memory,
      catalogBytesAfterImport,
      catalogBytesAfterSync,
      seconds: (performance.now() - started) / 1000,
      problems,
      ok: problems.length === 0,
    };
    log(
      `catalog at scale done in ${result.seconds.toFixed(0)} s${problems.length ? `; ${problems.length} problems` : ''}`,
    );
    return result;
  } finally {
    for (const cleanup of mine.reverse()) {
      const index = options.cleanups?.indexOf(cleanup) ?? -1;
      if (index >= 0) options.cleanups!.splice(index, 1);
      try {
        await cleanup();
      } catch (error) {
        log(`while cleaning up: ${String(error)}`);
      }
    }
  }
}

/** The filter and search views with their totals, and the recorded calls the GET load rotates over. */
function expectations(n: number): { views: View[]; recorded: GeneratedCall[] } {
  // Search targets come from calls known to exist, whatever N is.
  const pick = (k: number) => Math.min(n - 1, k);
  const targets = new Map<number, GeneratedCall>();
  const wanted = new Set([pick(123_457), pick(4_242 * RECORDING_EVERY)]);
  const recordedEvery = Math.max(1, Math.floor(Math.ceil(n / RECORDING_EVERY) / GET_IDS));
  const recorded: GeneratedCall[] = [];
  let index = 0;
  let recordedIndex = 0;
  for (const call of generateCalls(n)) {
    if (wanted.has(index)) targets.set(index, call);
    if (call.recordingKey !== null) {
      if (recordedIndex % recordedEvery === 0 && recorded.length < GET_IDS) recorded.push(call);
      recordedIndex += 1;
    }
    index += 1;
  }
  const phoneCall = targets.get(pick(123_457))!;
  const dispatchCall = targets.get(pick(4_242 * RECORDING_EVERY))!;
  const digits = phoneCall.phone.replace(/\D/g, '');
  const formatted = `(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
  const search = (name: string, q: string): View => ({
    group: 'search',
    name: `search q=${q} (${name})`,
    query: `q=${encodeURIComponent(q)}`,
    matches: searchMatcher(q),
    total: 0,
  });
  const month = { from: Date.parse('2025-03-01T00:00:00.000Z'), to: Date.parse('2025-03-31T23:59:59.999Z') };
  const views: View[] = [
    {
      group: 'filter',
      name: 'filter status=NO_ANSWER',
      query: 'status=NO_ANSWER',
      matches: (row) => row.status === 'NO_ANSWER',
      total: 0,
    },
    {
      group: 'filter',
      name: 'filter status=COMPLETED&outcome=PAYMENT_PROMISED',
      query: 'status=COMPLETED&outcome=PAYMENT_PROMISED',
      matches: (row) => row.status === 'COMPLETED' && row.outcome === 'PAYMENT_PROMISED',
      total: 0,
    },
    {
      group: 'filter',
      name: 'filter from=2025-03-01&to=2025-03-31',
      query: 'from=2025-03-01&to=2025-03-31',
      matches: (row) => row.startMs >= month.from && row.startMs <= month.to,
      total: 0,
    },
    {
      group: 'filter',
      name: 'filter has_recording=true',
      query: 'has_recording=true',
      matches: (row) => row.recorded,
      total: 0,
    },
    search('full name', 'maria garcia'),
    search('first-name prefix', 'mar'),
    search('formatted phone', formatted),
    search('last 4 digits', digits.slice(-4)),
    search('interaction id prefix', 'int_0a'),
    search('dispatch id', dispatchCall.dispatch_id),
  ];
  for (const call of generateCalls(n)) {
    const row = rowOfCall(call);
    for (const view of views) if (view.matches(row)) view.total += 1;
  }
  return { views, recorded };
}

function rowOfCall(call: GeneratedCall): Row {
  return { ...call, recorded: call.recordingKey !== null };
}

/** The product's search (electron/core/catalog/call-filter.ts), restated over a row. */
function searchMatcher(q: string): (row: Row) => boolean {
  const search = q.trim();
  const byId = (row: Row) => row.interaction_id.startsWith(search);
  if (/^dispatch_\d{1,12}_\d{1,15}$/.test(search)) return (row) => row.dispatch_id === search || byId(row);
  const digits = search.replace(/\D/g, '');
  if (/^[\d\s()+.\-/]+$/.test(search) && digits.length >= 3) {
    return (row) => (row.phone ?? '').replace(/\D/g, '').endsWith(digits) || byId(row);
  }
  const words = fold(search);
  return (row) => {
    if (byId(row)) return true;
    const tokens = fold(row.customer_name ?? '');
    return words.length > 0 && words.every((word) => tokens.some((token) => token.startsWith(word)));
  };
}

function fold(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** A list page: the right number of items for its offset, each matching the view. */
function checkPage(
  path: string,
  body: unknown,
  total: number,
  matches: (row: Row) => boolean,
): string | null {
  const page = body as RecordingList;
  const offset = Number(new URLSearchParams(path.split('?')[1]).get('offset'));
  const want = Math.max(0, Math.min(PAGE, total - offset));
  if (!Array.isArray(page.recordings) || page.recordings.length !== want) {
    return `${page.recordings?.length} items, expected ${want} (of ${total})`;
  }
  const wrong = page.recordings.find(
    (item) =>
      !matches({
        ...item,
        startMs: item.start_time === null ? Number.NaN : Date.parse(item.start_time),
        recorded: item.recording_url !== null,
      }),
  );
  return wrong ? `item ${wrong.interaction_id} does not match the view` : null;
}

/** Spawns the import as `npm run import -- FILE` would run it, timed from spawn to exit. */
async function timeImport(
  file: string,
  format: CallsFileFormat,
  dataDir: string,
  n: number,
  problems: string[],
): Promise<ImportFigure> {
  const nodeArgs = ['--import', 'tsx', join(ROOT, 'electron/core/cli/import.ts'), file];
  const withTime = existsSync(GNU_TIME);
  const [command, args] = withTime
    ? [GNU_TIME, ['-f', 'TAPEDECK_BENCH_MAXRSS_KB=%M', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const env = { ...withoutConfiguration(process.env), TAPEDECK_DATA_DIR: dataDir };
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /TAPEDECK_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
  const summary = /^Catalog .*: ([\d,]+) interactions/m.exec(stdout);
  const imported = summary ? Number(summary[1]!.replaceAll(',', '')) : null;
  if (code !== 0) problems.push(`import of ${format} exited ${code}: ${stderr.slice(-500)}`);
  else if (imported !== n)
    problems.push(`import of ${format} says ${summary?.[0] ?? stdout.trim()}, expected ${n}`);
  return {
    format,
    fileBytes: statSync(file).size,
    seconds,
    rowsPerSecond: n / seconds,
    peakRssBytes: rss ? Number(rss[1]) * 1024 : null,
  };
}

/** The catalog's bytes on disk, its WAL folded into the main file first (on a connection of its own). */
function catalogBytes(file: string): number {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/** As bench/sync-bench.ts times it: sequential pages of 1000 over the prefix. */
async function timeBareLoop(client: S3Client, bucket: string, expected: number): Promise<number> {
  const started = performance.now();
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: CALLS_PREFIX,
        MaxKeys: 1000,
        ContinuationToken: token,
      }),
    );
    count += page.Contents?.length ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const seconds = (performance.now() - started) / 1000;
  if (count !== expected) throw new Error(`the bare loop listed ${count} objects, expected ${expected}`);
  return seconds;
}

/** The environment without any Tapedeck, S3 or AWS setting of the person running the benchmark (as in run.ts). */
function withoutConfiguration(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(
    ([name]) => !/^(AWS_|S3_|TAPEDECK_|INTERACTIONS_FILE$|PORT$)/.test(name),
  );
  return { ...Object.fromEntries(kept), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${platform()} ${release()}`;
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

const SECTION_HEADING = '## Catalog at scale';

/** The section as Markdown (not yet laid out by Prettier). */
export function scaleMarkdown(result: ScaleResult): string {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const met = (yes: boolean) => (yes ? 'yes' : '**no**');
  const avg = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(', ');
  const rows: string[][] = [];
  for (const figure of result.imports) {
    rows.push([
      `import, ${figure.format.toUpperCase()} (${mb(figure.fileBytes)} file), whole \`npm run import\` process`,
      `${thousands(Math.round(figure.rowsPerSecond))} rows/s (${figure.seconds.toFixed(2)} s wall; peak RSS ${
        figure.peakRssBytes === null ? 'not measured: no GNU time' : mb(figure.peakRssBytes)
      })`,
      `≥ ${thousands(TARGETS.importRowsPerSecond)} rows/s`,
      met(figure.rowsPerSecond >= TARGETS.importRowsPerSecond),
    ]);
  }
  const sync = result.sync;
  rows.push([
    `sync of ${thousands(sync.objects)} objects into the ${thousands(result.interactions)}-call catalog`,
    `ratio ${sync.ratio.toFixed(2)} (bare loop ${sync.bareSeconds.toFixed(2)} s, ${thousands(
      Math.round(sync.objects / sync.bareSeconds),
    )} objects/s; sync ${sync.syncSeconds.toFixed(2)} s, ${thousands(
      Math.round(sync.objects / sync.syncSeconds),
    )} objects/s); ${thousands(sync.withRecording)} calls with a recording after it`,
    `≥ ${TARGETS.syncRatio} of the bare loop's throughput`,
    met(sync.ratio >= TARGETS.syncRatio),
  ]);
  for (const c of result.cases) {
    const cold = c.cold
      .slice(0, 7)
      .map((entry) => {
        const offset = new URLSearchParams(entry.path.split('?')[1] ?? '').get('offset');
        return `${offset === null ? '' : `@${thousands(Number(offset))} `}${entry.ms.toFixed(0)}`;
      })
      .join(', ');
    rows.push([
      c.group === 'get' ? c.name : `\`GET /recordings\` ${c.name}`,
      `one client: p99 ${ms(c.single.p99Ms)}, p50 ${ms(c.single.p50Ms)}; ${result.load.connections} clients: p99 ${ms(c.load.p99Ms)}, p50 ${ms(c.load.p50Ms)}, ${thousands(Math.round(c.load.requestsPerSecond))} req/s; cold first request${
        c.group === 'get' ? 's (first 7)' : ''
      } ms: ${cold}`,
      `p99 < ${c.p99TargetMs} ms`,
      `one client: ${met(c.single.p99Ms < c.p99TargetMs)}; ${result.load.connections} clients: ${met(c.load.p99Ms < c.p99TargetMs)}`,
    ]);
  }
  rows.push([
    `server RSS after the load (${mb(result.memoryBeforeLoad.rss)} before it)`,
    `${mb(result.memory.rss)} (peak ${mb(result.memory.maxRss)})`,
    `< ${mb(TARGETS.rssBytes)}`,
    met(result.memory.rss < TARGETS.rssBytes),
  ]);
  rows.push([
    'catalog bytes per call (NDJSON-imported catalog)',
    `${thousands(Math.round(result.catalogBytesAfterImport / result.interactions))} B after the import (${mb(
      result.catalogBytesAfterImport,
    )}); ${thousands(Math.round(result.catalogBytesAfterSync / result.interactions))} B after the sync (${mb(
      result.catalogBytesAfterSync,
    )})`,
    '(reported)',
    '',
  ]);
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    `${SECTION_HEADING} (${thousands(result.interactions)} calls, ${thousands(result.recordings)} recordings)`,
    '',
    `Measured ${result.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${result.machine}; load average ${avg(
      result.loadAverageBefore,
    )} before, ${avg(result.loadAverageAfter)} after (other work was running on the machine). The part took ${result.seconds.toFixed(0)} s.`,
    '',
    `- Data: bench/make-calls-file.ts (deterministic), every ${RECORDING_EVERY}th call with a recording in the S3 emulator (s3rver, bucket cached by bench/sync-bench.ts).`,
    '- Import: `node --import tsx electron/core/cli/import.ts FILE` into a fresh data dir, timed from spawn to exit.',
    '- Sync: `openLibrary(…).storage.listing.run()` into the NDJSON-imported catalog, beside the faster of two bare sequential ListObjectsV2 loops (MaxKeys 1000) with the product’s S3 client.',
    `- Load: the product server (bench/serve-under-load.ts) on that catalog; autocannon, ${result.load.connections} connections, ${result.load.warmupSeconds} s warm-up then ${result.load.durationSeconds} s per case, paths in turn. Each path was first requested once and checked (200, right number of items, each matching the view); “cold” is that first request’s time, in ms, by offset.`,
    '',
    '| case | figure | target | met? |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    result.problems.length === 0
      ? 'Every answer was a 200 of the expected shape and every count was right.'
      : `Problems:\n\n${result.problems.map((problem) => `- ${problem}`).join('\n')}`,
    '',
  ].join('\n');
}

/** Puts the section at the end of `file` (replacing an earlier one), laid out by Prettier; returns the section. */
export async function appendScaleSection(file: string, result: ScaleResult): Promise<string> {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = before.indexOf(`\n${SECTION_HEADING}`);
  const kept = (at >= 0 ? before.slice(0, at) : before).trimEnd();
  const section = scaleMarkdown(result);
  const options = (await resolveConfig(file)) ?? {};
  const text = await format(kept === '' ? section : `${kept}\n\n${section}`, {
    ...options,
    parser: 'markdown',
  });
  writeFileSync(file, text);
  return format(section, { ...options, parser: 'markdown' });
}
