/**
 * Where a large import's time goes. `npx tsx bench/import-profile.ts [N] [ndjson|csv] [RUNS]`
 * (default 1,000,000 ndjson, 3 runs) imports bench/make-calls-file.ts's cached file into a fresh
 * catalog RUNS times, in this process as `npm run import` does it (importInteractionsFile), and
 * prints each step's seconds and the median: the workers' reading and staging, then the catalog's
 * single writer step by step (copy, each index, the search index, links, commit) and closing the
 * catalog (a WAL catalog checkpoints there).
 *
 * `--writer-only` stages the file once and times only the catalog's part on every run.
 * `--whole` times the whole `npm run import` process instead (spawn to exit, as bench/scale.ts
 * does), RUNS times (`--roots=DIR,…`: other checkouts' too, in turn, to compare commits); `--cpu` also reads the file on this one thread, with and without writing a
 * staging file, to split the workers' CPU between parsing and SQLite.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogStore, type BulkLoadTuning } from '../electron/core/catalog/catalog-store.ts';
import { pushInteractionValues } from '../electron/core/catalog/interaction-columns.ts';
import { openCatalog } from '../electron/core/catalog/open-catalog.ts';
import { importInteractionsFile } from '../electron/core/import/import-interactions.ts';
import { defaultImportWorkers, stageFileInParallel } from '../electron/core/import/parallel-staging.ts';
import { readInteractionsPart } from '../electron/core/import/read-interactions.ts';
import { stagePart } from '../electron/core/import/stage-part.ts';
import { callsFile, type CallsFileFormat } from './make-calls-file.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GNU_TIME = '/usr/bin/time';
/** CPU seconds (user + system) of each whole-process run, by checkout. */
const cpuSeconds = new Map<string, number[]>();

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
// `--journal=wal|rollback`, `--sync=OFF|NORMAL|FULL`: the catalog's BulkLoadTuning, to compare.
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const tuning: Partial<BulkLoadTuning> = {
  ...(option('journal') ? { journal: option('journal') as BulkLoadTuning['journal'] } : {}),
  ...(option('sync') ? { synchronous: option('sync') as BulkLoadTuning['synchronous'] } : {}),
};
// `--variants=wal,rollback-FULL,rollback-OFF`: tunings run in turn in each round (back to back).
const variants: [string, Partial<BulkLoadTuning>][] = (option('variants')?.split(',') ?? ['as-given']).map(
  (name) => {
    if (name === 'as-given') return [name, tuning];
    const [journal, synchronous] = name.split('-') as [
      BulkLoadTuning['journal'],
      BulkLoadTuning['synchronous']?,
    ];
    return [name, { journal, ...(synchronous ? { synchronous } : {}) }];
  },
);
const [nArg, formatArg, runsArg] = args.filter((arg) => !arg.startsWith('--'));
const n = Number(nArg ?? 1_000_000);
const format = (formatArg ?? 'ndjson') as CallsFileFormat;
const runs = Number(runsArg ?? 3);
if (!Number.isInteger(n) || n < 1 || (format !== 'ndjson' && format !== 'csv') || !(runs >= 1)) {
  process.stderr.write(
    'Usage: npx tsx bench/import-profile.ts [N] [ndjson|csv] [RUNS] [--whole] [--writer-only] [--cpu] [--journal=wal|rollback] [--sync=OFF|NORMAL|FULL] [--page-size=N]\n',
  );
  process.exit(2);
}

const file = callsFile(n, format, (line) => process.stderr.write(`${line}\n`));
const load = () => loadavg()[0]!.toFixed(2);
process.stdout.write(
  `${n.toLocaleString('en-US')} calls, ${format} (${(statSync(file).size / 1e6).toFixed(0)} MB), ` +
    `${cpus().length} cores, load ${load()}, tuning ${JSON.stringify(tuning)}\n`,
);

let stagedOnce: { dir: string; files: string[]; rows: number } | null = null;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (seconds: number) => seconds.toFixed(2).padStart(6);

if (flags.has('--whole')) {
  // `--roots=DIR,DIR`: other checkouts' import commands, run in turn with this one (A/B by commit).
  const roots = option('roots')?.split(',') ?? [ROOT];
  const times = new Map<string, number[]>(roots.map((root) => [root, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const root of roots) {
      const seconds = await wholeProcess(root);
      times.get(root)!.push(seconds);
      process.stdout.write(
        `run ${run + 1} ${root}: ${fmt(seconds)} s, ${Math.round(n / seconds).toLocaleString('en-US')} rows/s (load ${load()})\n`,
      );
    }
  }
  for (const [root, values] of times) {
    const mid = median(values);
    process.stdout.write(
      `${root}: median ${fmt(mid)} s, ${Math.round(n / mid).toLocaleString('en-US')} rows/s ` +
        `(runs: ${values.map((value) => value.toFixed(2)).join(', ')})` +
        (cpuSeconds.has(root) ? `; CPU median ${fmt(median(cpuSeconds.get(root)!))} s\n` : '\n'),
    );
  }
} else {
  const tables = new Map<string, Map<string, number[]>>(variants.map(([name]) => [name, new Map()]));
  for (let run = 0; run < runs; run += 1) {
    for (const [name, variant] of variants) {
      const phases = await profileOnce(variant);
      const table = tables.get(name)!;
      for (const [phase, seconds] of phases) table.set(phase, [...(table.get(phase) ?? []), seconds]);
      const total = phases.find(([phase]) => phase === 'total')![1];
      process.stdout.write(
        `run ${run + 1} ${name}: ${phases.map(([phase, s]) => `${phase} ${s.toFixed(2)}`).join(', ')} ` +
          `→ ${Math.round(n / total).toLocaleString('en-US')} rows/s (load ${load()})\n`,
      );
    }
  }
  for (const [name, table] of tables) {
    process.stdout.write(`\n${name}, median of ${runs} (seconds):\n`);
    for (const [phase, values] of table) process.stdout.write(`${fmt(median(values))}  ${phase}\n`);
    const total = median(table.get('total')!);
    process.stdout.write(`→ ${Math.round(n / total).toLocaleString('en-US')} rows/s in this process\n`);
  }
}

if (flags.has('--cpu')) await cpuSplit();

/**
 * With `--writer-only`, the file is staged by the workers once and every run loads those same
 * staging files (the single writer's part alone, less noisy on a shared machine).
 */
async function staged(): Promise<{ files: string[]; rows: number }> {
  if (stagedOnce === null) {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-staged-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const workers = defaultImportWorkers();
    if (workers === null) throw new Error('--writer-only needs at least two cores');
    stagedOnce = { dir, ...(await stageFileInParallel(file, format, workers, dir, 'file')) };
  }
  return stagedOnce;
}

/** One import into a fresh catalog, step by step: [step, seconds][] ending with the total. */
async function profileOnce(tuning: Partial<BulkLoadTuning>): Promise<[string, number][]> {
  if (flags.has('--writer-only')) await staged();
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-profile-'));
  try {
    const phases: [string, number][] = [];
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let last = started;
    const mark = (phase: string) => {
      const now = performance.now();
      phases.push([phase, (now - last) / 1000]);
      last = now;
    };
    if (option('page-size')) {
      // An experiment: the page size can only be chosen before the catalog's first write.
      const fresh = new Database(join(dir, 'catalog.sqlite'));
      fresh.pragma(`page_size = ${Number(option('page-size'))}`);
      fresh.exec('VACUUM');
      fresh.close();
    }
    const catalog = openCatalog(join(dir, 'catalog.sqlite'));
    mark('open');
    try {
      const store = new CatalogStore(catalog);
      const summary = flags.has('--writer-only')
        ? await store.loadStagedInteractions((await staged()).files, n, { onPhase: mark, tuning })
        : await importInteractionsFile(store, file, { onPhase: mark, tuning });
      if (summary.rows !== n) throw new Error(`imported ${summary.rows} rows, expected ${n}`);
      if (store.counts().interactions !== n)
        throw new Error(`the catalog holds ${store.counts().interactions}`);
    } finally {
      catalog.close();
    }
    mark('close');
    const cpu = process.cpuUsage(cpuStarted);
    // CPU seconds of this process's threads (the workers' and SQLite's sorter threads included).
    phases.push(['cpu (user + system)', (cpu.user + cpu.system) / 1e6]);
    phases.push(['total', (performance.now() - started) / 1000]);
    return phases;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The whole `npm run import` process into a fresh data dir, spawn to exit. */
async function wholeProcess(root: string): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-import-whole-'));
  try {
    const started = performance.now();
    // GNU time, when there, also tells the process's CPU seconds: steadier than wall time when
    // other work shares the cores.
    const command = ['--import', 'tsx', join(root, 'electron/core/cli/import.ts'), file];
    const timed = existsSync(GNU_TIME);
    const child = spawn(
      timed ? GNU_TIME : process.execPath,
      timed ? ['-f', 'IMPORT_PROFILE_CPU=%U+%S', process.execPath, ...command] : command,
      { cwd: root, env: { ...process.env, TAPEDECK_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    const counted = /^Catalog .*: ([\d,]+) interactions/m.exec(output);
    if (code !== 0 || Number(counted?.[1]?.replaceAll(',', '')) !== n) {
      throw new Error(`npm run import failed (exit ${code}): ${output.slice(-500)}`);
    }
    const cpu = /IMPORT_PROFILE_CPU=([\d.]+)\+([\d.]+)/.exec(output);
    if (cpu) cpuSeconds.set(root, [...(cpuSeconds.get(root) ?? []), Number(cpu[1]) + Number(cpu[2])]);
    return seconds;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The workers' CPU, split: the whole file read and checked on one thread, then also staged. */
async function cpuSplit(): Promise<void> {
  const range = { start: 0, end: statSync(file).size };
  let started = performance.now();
  const values: unknown[] = [];
  let rows = 0;
  for await (const batch of readInteractionsPart(file, format, range)) {
    for (const row of batch) {
      pushInteractionValues(values, row, 'file');
      values.length = 0;
    }
    rows += batch.length;
  }
  const parse = (performance.now() - started) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-cpu-'));
  try {
    started = performance.now();
    const outcome = await stagePart({
      file,
      format,
      range,
      csvHeader: null,
      stagingFile: join(dir, 'part.sqlite'),
      source: 'file',
    });
    const staged = (performance.now() - started) / 1000;
    if (!outcome.ok || outcome.rows !== rows) throw new Error(`staging failed: ${JSON.stringify(outcome)}`);
    process.stdout.write(
      `\none thread, ${rows.toLocaleString('en-US')} rows: read and check ${fmt(parse)} s; ` +
        `read, check and stage ${fmt(staged)} s (SQLite staging ${fmt(staged - parse)} s)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
