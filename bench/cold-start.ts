/**
 * `npm run serve` measured from outside, as a user starts it (issue 14): the time from starting the
 * command to the log line saying it listens, and the resident memory of its whole process tree (npm
 * stays resident while its script runs, with the shell it started) and of the server alone. The
 * library: 5,000 calls, each with its recording in S3 (s3rver in a process of its own); the memory
 * is read once the start-up sync has finished and the list and a few GETs have been answered.
 *
 * Ways of starting the same server: `npm run serve`; `node build/launch.mjs serve` (what that
 * script runs, without npm); the same with a smaller young generation (`--max-semi-space-size=2`,
 * a memory option not taken yet: its cost under load is not measured); and, for comparison, the
 * TypeScript source under tsx, as the script was before (the tsx CLI runs the server in a child
 * process of its own).
 *
 *   npx tsx bench/cold-start.ts [RUNS=5]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { readConfig } from '../electron/core/config.ts';
import { staleReason } from '../build/launch.mjs';
import { createEmulatorClient, EMULATOR_CREDENTIALS } from '../test/support/s3-emulator.ts';
import { makeCalls, writeCatalog } from './bench-catalog.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = join(ROOT, 'bench/.cache');
const PREFIX = 'egress-recordings/';
const BUCKET = 'cold-start';
export const COLD_START_CALLS = 5_000;
export const COLD_START_TARGETS = { startMs: 500, treeRssBytes: 150 * 1024 * 1024 } as const;
const SECTION_HEADING = '## `npm run serve` from outside';

export type StartVariant =
  | 'npm run serve'
  | 'node build/launch.mjs serve'
  | 'node --max-semi-space-size=2 build/launch.mjs serve'
  | 'before: tsx electron/core/cli/serve.ts';

/** One process of the tree, as `ps` would name it. */
export interface TreeProcess {
  readonly pid: number;
  readonly command: string;
  readonly rssBytes: number;
  /** User + system CPU time used so far. */
  readonly cpuMs: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface StartRun {
  /** Start of the command to its "Recording API on" line. */
  readonly startMs: number;
  /**
   * CPU time the tree had used by then (user + system): on a machine busy with other work the wall
   * time stretches, this does not.
   */
  readonly cpuMs: number;
  /** The tree after the first sync, the list and a few GETs. */
  readonly tree: readonly TreeProcess[];
}

export interface VariantResult {
  readonly variant: StartVariant;
  readonly runs: readonly StartRun[];
}

export interface ColdStartResult {
  readonly calls: number;
  readonly variants: readonly VariantResult[];
  /** `npm run` of a script that does nothing: npm's own share of the start. */
  readonly npmAloneMs: readonly number[];
}

export async function benchColdStart(options: { runs?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const runs = options.runs ?? 5;
  const stale = staleReason(ROOT, join(ROOT, 'out/cli'));
  if (stale !== null) {
    log(`building the commands (${stale})`);
    const built = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'build/build-cli.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('could not build the commands');
  }
  const s3Dir = join(CACHE_DIR, `cold-start-s3rver-${COLD_START_CALLS}`);
  mkdirSync(s3Dir, { recursive: true });
  const s3 = await startS3(s3Dir);
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-cold-start-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !/^(AWS_|S3_|TAPEDECK_|INTERACTIONS_FILE$|PORT$)/.test(name),
        ),
      ),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      S3_BUCKET: BUCKET,
      S3_PREFIX: PREFIX,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      TAPEDECK_HOST: '127.0.0.1',
      TAPEDECK_PORT: '0',
      TAPEDECK_DATA_DIR: dataDir,
      TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
    };
    const calls = makeCalls(COLD_START_CALLS, PREFIX, 1);
    await seedOnce(
      s3.endpoint,
      s3Dir,
      calls.map((call) => call.recording.key),
      log,
    );
    log(`writing a catalog of ${COLD_START_CALLS.toLocaleString('en-US')} calls`);
    writeCatalog(readConfig(env), calls);
    const ids = calls.filter((_call, i) => i % 1000 === 0).map((call) => call.interaction.dispatch_id!);

    const commands: Record<StartVariant, [string, string[]]> = {
      'npm run serve': ['npm', ['run', 'serve']],
      'node build/launch.mjs serve': [process.execPath, ['build/launch.mjs', 'serve']],
      'node --max-semi-space-size=2 build/launch.mjs serve': [
        process.execPath,
        ['--max-semi-space-size=2', 'build/launch.mjs', 'serve'],
      ],
      'before: tsx electron/core/cli/serve.ts': [
        join(ROOT, 'node_modules/.bin/tsx'),
        ['electron/core/cli/serve.ts'],
      ],
    };
    const variants: VariantResult[] = [];
    for (const [variant, [command, args]] of Object.entries(commands) as [
      StartVariant,
      [string, string[]],
    ][]) {
      log(`${variant}: a warm-up start, then ${runs}`);
      await startOnce(command, args, env, ids); // the files in the OS cache, as on a second start
      const measured: StartRun[] = [];
      for (let run = 0; run < runs; run++) measured.push(await startOnce(command, args, env, ids));
      variants.push({ variant, runs: measured });
    }
    const npmAloneMs: number[] = [];
    for (let run = 0; run < runs; run++) npmAloneMs.push(timeNpmAlone(env));
    return { calls: COLD_START_CALLS, variants, npmAloneMs } satisfies ColdStartResult;
  } finally {
    await s3.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts the command, times it to listening, lets the first sync finish, asks the API, reads the tree. */
async function startOnce(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ids: readonly string[],
): Promise<StartRun> {
  const started = performance.now();
  // A process group of its own: the whole tree is stopped by the group's id, which is this child's.
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await listening(child);
    const startMs = performance.now() - started;
    const cpuMs = processTree(child.pid!).reduce((sum, p) => sum + p.cpuMs, 0);
    await syncFinished(url);
    const list = await fetch(`${url}/recordings?limit=50`);
    if (list.status !== 200) throw new Error(`the list answered ${list.status}`);
    await list.arrayBuffer();
    for (const id of ids) {
      const one = await fetch(`${url}/recordings/${id}`);
      if (one.status !== 200)
        throw new Error(`GET /recordings/${id} answered ${one.status}: ${await one.text()}`);
      await one.arrayBuffer();
    }
    return { startMs, cpuMs, tree: processTree(child.pid!) };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await exited;
  }
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const log: string[] = [];
    const timer = setTimeout(
      () => reject(new Error(`serve did not listen in 60 s:\n${log.join('\n')}`)),
      60_000,
    );
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      const match = /Recording API on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}):\n${log.join('\n')}`));
    });
  });
}

async function syncFinished(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = (await (await fetch(`${url}/sync`)).json()) as {
      sync: { state: string; error?: string } | null;
    };
    const state = answer.sync?.state;
    if (state === 'succeeded') return;
    if (state === 'failed') throw new Error(`the start-up sync failed: ${answer.sync?.error ?? ''}`);
    if (Date.now() > deadline) throw new Error(`the start-up sync is still ${state} after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `root` and every process under it, with its resident memory (Linux /proc). */
export function processTree(root: number): TreeProcess[] {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name: state, ppid, … utime and stime are fields 14 and 15 of the line.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
    } catch {
      // gone meanwhile
    }
  }
  const tree: TreeProcess[] = [];
  const visit = (pid: number) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      tree.push({ pid, command, rssBytes: rssKb * 1024, cpuMs: cpu.get(pid) ?? 0 });
    } catch {
      return;
    }
    for (const [child, parent] of parents) if (parent === pid) visit(child);
  };
  visit(root);
  return tree;
}

function timeNpmAlone(env: NodeJS.ProcessEnv): number {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-npm-alone-'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'x', private: true, scripts: { x: 'node -e 0' } }),
    );
    const started = performance.now();
    spawnSync('npm', ['run', '--silent', 'x'], { cwd: dir, env, stdio: 'ignore' });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startS3(directory: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', join(ROOT, 'bench/cold-start-s3.ts'), directory],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { endpoint: string }).endpoint),
    );
    child.once('exit', (code) => reject(new Error(`the S3 server exited (${code}) before listening`)));
  });
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

/** The bucket with one small object per recording key, kept in bench/.cache for the next run. */
async function seedOnce(
  endpoint: string,
  directory: string,
  keys: readonly string[],
  log: (line: string) => void,
) {
  const marker = join(directory, `${BUCKET}.seeded.json`);
  if (existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { n: number }).n === keys.length)
    return;
  log(`seeding ${keys.length.toLocaleString('en-US')} recordings (cached for reruns)`);
  const client = createEmulatorClient(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < keys.length) {
          const key = keys[next++]!;
          await client.send(
            new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x', ContentType: 'audio/mp4' }),
          );
        }
      }),
    );
  } finally {
    client.destroy();
  }
  writeFileSync(marker, JSON.stringify({ n: keys.length }));
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const ms = (value: number) => `${Math.round(value)} ms`;
/** The server: the tree's last Node process (npm and tsx start it; the shell is not Node). */
const serverOf = (tree: readonly TreeProcess[]) => tree.at(-1)!;
const treeRss = (tree: readonly TreeProcess[]) => tree.reduce((sum, p) => sum + p.rssBytes, 0);

/** The section's rows: case, figure, target, met? */
export function coldStartRows(result: ColdStartResult): string[][] {
  const rows: string[][] = [];
  for (const { variant, runs } of result.variants) {
    const starts = runs.map((run) => run.startMs);
    const cpus = runs.map((run) => run.cpuMs);
    const trees = runs.map((run) => treeRss(run.tree));
    const servers = runs.map((run) => serverOf(run.tree).rssBytes);
    const last = runs.at(-1)!.tree;
    const members = last
      .map((p) => `${p.command.replace(process.execPath, 'node').slice(0, 60)} ${mb(p.rssBytes)}`)
      .join('; ');
    // The targets are for what `npm run serve` runs; the others are for comparison.
    const targeted = variant === 'npm run serve' || variant === 'node build/launch.mjs serve';
    rows.push([
      `\`${variant}\`: start to listening`,
      `median ${ms(median(starts))} (${starts.map(ms).join(', ')}); CPU used by then ${ms(median(cpus))}`,
      targeted ? `< ${COLD_START_TARGETS.startMs} ms` : '',
      targeted ? (median(starts) < COLD_START_TARGETS.startMs ? 'met' : 'missed') : '',
    ]);
    rows.push([
      `\`${variant}\`: process tree RSS, ${result.calls.toLocaleString('en-US')} calls`,
      `${mb(median(trees))}, server ${mb(median(servers))} (${last.length} processes: ${members})`,
      targeted ? `< ${mb(COLD_START_TARGETS.treeRssBytes)}` : '',
      targeted ? (median(trees) < COLD_START_TARGETS.treeRssBytes ? 'met' : 'missed') : '',
    ]);
  }
  rows.push([
    '`npm run` of a script that does nothing (npm’s own part of the start)',
    `median ${ms(median(result.npmAloneMs))}`,
    '',
    '',
  ]);
  return rows;
}

export async function appendColdStartSection(file: string, result: ColdStartResult): Promise<string> {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = before.indexOf(`\n${SECTION_HEADING}`);
  const end = at >= 0 ? before.indexOf('\n## ', at + 1) : -1;
  const kept = at >= 0 ? before.slice(0, at) + (end >= 0 ? before.slice(end) : '') : before;
  const section = [
    SECTION_HEADING,
    '',
    `bench/cold-start.ts: each way of starting \`serve\` once to warm the OS cache, then ${result.variants[0]?.runs.length ?? 0} times; ${result.calls.toLocaleString('en-US')} calls, each with its recording in s3rver; memory read after the start-up sync, the list and a few GETs. npm stays resident while its script runs (with the shell it starts), so its tree is npm + sh + the server; run \`node build/launch.mjs serve\` for one process.`,
    '',
    '| case | figure | target | met? |',
    '| --- | --- | --- | --- |',
    ...coldStartRows(result).map(
      (row) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`,
    ),
    '',
  ].join('\n');
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(`${kept.trimEnd()}\n\n${section}`, { ...options, parser: 'markdown' }));
  return format(section, { ...options, parser: 'markdown' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const result = await benchColdStart({
    runs: Number(process.argv[2] ?? 5),
    log: (line) => process.stderr.write(`cold-start: ${line}\n`),
  });
  for (const row of coldStartRows(result)) process.stdout.write(`| ${row.join(' | ')} |\n`);
}
