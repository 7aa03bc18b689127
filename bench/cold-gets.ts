/**
 * `GET /recordings/{dispatch_id}` in the first seconds after start, while the first sync runs, beside
 * the seed-like path (a live S3 look-up per request; bench/cold-serve.ts has both servers). The bucket
 * is bench/sync-bench.ts's cached one (about 270 recordings a day folder) on s3rver; the GETs rotate
 * over every 4th of its recordings, across all its folders, so most of them land in folders the sync
 * has not reached. Each server starts on an empty catalog and the load starts as soon as it listens.
 *
 *   npx tsx bench/cold-gets.ts [OBJECTS=20000] [SECONDS=5] [all|recent]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createS3Client } from '../electron/core/s3/s3-client.ts';
import { dispatchIdFor, parseRecordingKey } from '../shared/dispatch.ts';
import { EMULATOR_CREDENTIALS, applyEmulatorQuirks, startS3Emulator } from '../test/support/s3-emulator.ts';
import autocannon from 'autocannon';
import type { LoadResult } from './load.ts';
import { startServerChild } from './server-child.ts';
import { CACHE_DIR, PREFIX, keyOf, seedOnce } from './sync-bench.ts';

export const COLD_TARGETS = { timesSeed: 10, p99Ms: 50 } as const;
const CONNECTIONS = 32;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ColdGetsResult {
  readonly objects: number;
  readonly ids: number;
  readonly spread: 'all' | 'recent';
  readonly seconds: number;
  readonly seedLike: LoadResult;
  readonly product: LoadResult;
  /** The product's sync when the load ended (it should still be running). */
  readonly syncAtEnd: string;
}

export async function benchColdGets(options: {
  objects?: number;
  seconds?: number;
  /** Which recordings the GETs ask for (see below). */
  spread?: 'all' | 'recent';
  log?: (line: string) => void;
}): Promise<ColdGetsResult> {
  const spread = options.spread ?? 'all';
  const log = options.log ?? (() => {});
  const n = options.objects ?? 20_000;
  const seconds = options.seconds ?? 5;
  const directory = join(CACHE_DIR, `sync-s3rver-${n}`);
  mkdirSync(directory, { recursive: true });
  const emulator = await startS3Emulator(directory);
  const dataDirs: string[] = [];
  try {
    const env = (dataDir: string): NodeJS.ProcessEnv => ({
      ...Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !/^(AWS_|S3_|TAPEDECK_)/.test(name)),
      ),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      S3_BUCKET: 'sync-bench',
      S3_PREFIX: PREFIX,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: emulator.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      TAPEDECK_HOST: '127.0.0.1',
      TAPEDECK_PORT: '0',
      TAPEDECK_DATA_DIR: dataDir,
    });
    const client = createS3Client(
      {
        bucket: 'sync-bench',
        prefix: PREFIX,
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        forcePathStyle: true,
      },
      { credentials: EMULATOR_CREDENTIALS },
    );
    applyEmulatorQuirks(client);
    try {
      await seedOnce(client, directory, 'sync-bench', n, false, log);
    } finally {
      client.destroy();
    }
    // `all`: every 4th recording, in an order that jumps between all the folders. `recent`: the
    // newest 800 (the last three days), as scripts asking about today's calls do.
    const paths: string[] = [];
    const indexes =
      spread === 'all'
        ? Array.from({ length: Math.ceil(n / 4) }, (_, k) => (k * 4 * 7_919) % n)
        : Array.from({ length: Math.min(800, n) }, (_, k) => n - 1 - ((k * 7_919) % Math.min(800, n)));
    for (const index of indexes) {
      const recording = parseRecordingKey(keyOf(index).key, PREFIX)!;
      paths.push(`/recordings/${dispatchIdFor(recording.phone, recording.timestamp)}`);
    }
    const results: Record<string, LoadResult> = {};
    let syncAtEnd = '';
    for (const kind of ['seed-like', 'product'] as const) {
      const dataDir = mkdtempSync(join(tmpdir(), `tapedeck-cold-${kind}-`));
      dataDirs.push(dataDir);
      const server = await startServerChild(
        ['--import', 'tsx', '--import', join(ROOT, 'test/support/emulator-quirks-preload.ts')],
        join(ROOT, 'bench/cold-serve.ts'),
        [kind],
        env(dataDir),
      );
      try {
        log(`${kind}: ${CONNECTIONS} connections for ${seconds} s from the start…`);
        results[kind] = await coldLoad(server.url, paths, seconds);
        if (kind === 'product') {
          const sync = (await (await fetch(`${server.url}/sync`)).json()) as {
            sync: { state: string; folders_done: number; objects_listed: number };
          };
          syncAtEnd = `${sync.sync.state}, ${sync.sync.folders_done} folders (${sync.sync.objects_listed.toLocaleString('en-US')} objects) listed`;
        }
        const r = results[kind];
        log(
          `  ${Math.round(r.requestsPerSecond)} req/s, p99 ${r.p99Ms.toFixed(1)} ms, ${JSON.stringify(r.statusCounts)}`,
        );
      } finally {
        await server.stop();
      }
    }
    return {
      objects: n,
      spread,
      ids: paths.length,
      seconds,
      seedLike: results['seed-like']!,
      product: results.product!,
      syncAtEnd,
    };
  } finally {
    await emulator.stop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `connections` keep-alive connections from the first moment, each request the next path (as
 * load.ts's runLoad, without its warm-up: what is measured here is the start).
 */
async function coldLoad(url: string, paths: readonly string[], seconds: number): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: { path?: string }) => ({ ...request, path: paths[next++ % paths.length]! }),
      },
    ],
  });
  run.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await run;
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies.length === 0
      ? Number.NaN
      : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) statusCounts[status] = count;
  return {
    requestsPerSecond: latencies.length / result.duration,
    completed: latencies.length,
    p50Ms: at(50),
    p99Ms: at(99),
    statusCounts,
    errors: result.errors,
  };
}

/** The result as rows of the bench report's table: case, figure, target, met. */
export function coldGetsRows(result: ColdGetsResult): string[][] {
  const { product, seedLike } = result;
  const times = product.requestsPerSecond / seedLike.requestsPerSecond;
  const met = (yes: boolean) => (yes ? 'yes' : '**no**');
  return [
    [
      `\`GET /recordings/{dispatch_id}\` in the first ${result.seconds} s after start, while the first sync runs (${result.ids.toLocaleString('en-US')} ids ${result.spread === 'all' ? 'spread over every folder' : 'of the last three days'} of ${result.objects.toLocaleString('en-US')} recordings, ${CONNECTIONS} connections; sync at the end: ${result.syncAtEnd})`,
      `${Math.round(product.requestsPerSecond).toLocaleString('en-US')} req/s = ${times.toFixed(1)}× the seed-like path (${Math.round(seedLike.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${seedLike.p99Ms.toFixed(1)} ms); p99 ${product.p99Ms.toFixed(1)} ms; answers ${JSON.stringify(product.statusCounts)}`,
      `≥ ${COLD_TARGETS.timesSeed}× the seed-like path, p99 < ${COLD_TARGETS.p99Ms} ms`,
      `${met(times >= COLD_TARGETS.timesSeed)}; ${met(product.p99Ms < COLD_TARGETS.p99Ms)}`,
    ],
  ];
}

const SECTION_HEADING = '## Cold start (issue 14)';

/** Puts the cold-start section into `file` (replacing an earlier one), laid out by Prettier; returns it. */
export async function appendColdSection(file: string, results: readonly ColdGetsResult[]): Promise<string> {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = before.indexOf(`\n${SECTION_HEADING}`);
  const end = at >= 0 ? before.indexOf('\n## ', at + 1) : -1;
  const kept = at >= 0 ? before.slice(0, at) + (end >= 0 ? before.slice(end) : '') : before;
  const section = [
    SECTION_HEADING,
    '',
    'Each server on an empty catalog, the load from the moment it listens (bench/cold-gets.ts): the product (its first sync started at once, as `serve` does) beside the seed-like path (a live S3 look-up per GET). s3rver reads every object a listing returns, so listing a whole day folder costs it as much as 270 one-key look-ups (real S3 answers either in about one round trip).',
    '',
    '| case | figure | target | met? |',
    '| --- | --- | --- | --- |',
    ...results
      .flatMap(coldGetsRows)
      .map((row) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`),
    '',
  ].join('\n');
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(`${kept.trimEnd()}\n\n${section}`, { ...options, parser: 'markdown' }));
  return format(section, { ...options, parser: 'markdown' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const result = await benchColdGets({
    objects: Number(process.argv[2] ?? 20_000),
    seconds: Number(process.argv[3] ?? 5),
    spread: process.argv[4] === 'recent' ? 'recent' : 'all',
    log: (line) => process.stderr.write(`${line}\n`),
  });
  for (const row of coldGetsRows(result)) process.stdout.write(`| ${row.join(' | ')} |\n`);
}
