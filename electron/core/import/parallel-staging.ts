import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InteractionSource } from '../catalog/interaction-columns.ts';
import { linesBefore, splitIntoParts } from './file-parts.ts';
import { ImportRowError } from './interaction-row.ts';
import { MetadataFileError, readCsvHeader } from './read-interactions.ts';
import type { StageOutcome, StageTask, StageWorkerData } from './stage-part.ts';

/** Worker threads that read a large file's parts side by side. */
export interface ImportWorkers {
  /** The worker's module: stage-worker.ts, run with tsx's loader (a JavaScript module needs none). */
  readonly entry: URL;
  /** Parts a large file is read in, one worker each. */
  readonly count: number;
}

/** The worker's module, as TypeScript source. */
export const STAGE_WORKER_ENTRY = new URL('./stage-worker.ts', import.meta.url);

/** At most this many parts: past it, the catalog's single writer is what a bigger import waits for. */
const MAX_WORKERS = 4;
/**
 * One worker per core, up to four; none on a single core (the reading would only move threads),
 * and none in the desktop app, whose modules are packed in app.asar where worker threads are not
 * known to load them (an import there is rare: INTERACTIONS_FILE at start).
 */
export function defaultImportWorkers(): ImportWorkers | null {
  const count = Math.min(MAX_WORKERS, availableParallelism());
  if (count < 2 || process.versions.electron !== undefined) return null;
  return { entry: STAGE_WORKER_ENTRY, count };
}

/**
 * Reads an NDJSON or CSV file into staging files, a part per worker, all at once. Returns the
 * staging files in file order and the rows read. The first bad row of the FILE is reported (a
 * part's bad row waits for the parts before it, which may hold an earlier one), with its line
 * counted from the top of the file.
 */
export async function stageFileInParallel(
  file: string,
  format: 'ndjson' | 'csv',
  workers: ImportWorkers,
  stagingDir: string,
  source: InteractionSource,
): Promise<{ files: string[]; rows: number }> {
  const csvHeader = format === 'csv' ? await readCsvHeader(file) : null;
  const ranges = await splitIntoParts(file, format, workers.count);
  const tasks: StageTask[] = ranges.map((range, index) => ({
    file,
    format,
    range,
    csvHeader: index === 0 ? null : csvHeader,
    stagingFile: join(stagingDir, `part-${index}.sqlite`),
    source,
  }));
  const running = tasks.map((task) => startWorker(workers.entry, task));
  const settled = await Promise.allSettled(
    running.map(async ({ done }, index) => {
      const outcome = await done.catch((error: unknown) => {
        for (const other of running) void other.stop(); // a crashed worker ends the import
        throw error;
      });
      // Parts after a failed one cannot hold the first bad row: they stop.
      if (outcome && !outcome.ok) for (const later of running.slice(index + 1)) void later.stop();
      return outcome;
    }),
  );
  let rows = 0;
  for (const [index, result] of settled.entries()) {
    if (result.status === 'rejected') throw result.reason;
    const outcome = result.value;
    if (outcome === null) continue; // stopped because an earlier part failed
    if (!outcome.ok) throw await partFailure(file, tasks[index]!.range.start, stagingDir, outcome);
    rows += outcome.rows;
  }
  return { files: tasks.map((task) => task.stagingFile), rows };
}

/** A worker on one part; `done` is its outcome, or null once stopped. */
function startWorker(
  entry: URL,
  task: StageTask,
): { done: Promise<StageOutcome | null>; stop: () => Promise<number> } {
  const data: StageWorkerData = { task, entry: entry.href };
  // Not the process's own flags: its `--import` preloads are for the main thread (a test's preload
  // would even fail to load in a worker before tsx is registered there).
  const worker = new Worker(entry.pathname.endsWith('.ts') ? tsxBootstrap() : entry, {
    workerData: data,
    execArgv: [],
  });
  let stopped = false;
  const done = new Promise<StageOutcome | null>((resolve, reject) => {
    let outcome: StageOutcome | null = null;
    worker.once('message', (message: StageOutcome) => (outcome = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (outcome !== null || stopped) resolve(outcome);
      else
        reject(
          new Error(
            `an import worker stopped (exit code ${code}) before reading its part of ${basename(task.file)}`,
          ),
        );
    });
  });
  return {
    done,
    stop: () => {
      stopped = true;
      return worker.terminate();
    },
  };
}

/**
 * The worker's TypeScript source needs tsx's loader in its thread: a module that registers it, then
 * imports the entry (Node 20 does not apply `--import` to a worker's execArgv; a bundle needs none).
 */
function tsxBootstrap(): URL {
  const packageFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(packageFile, 'utf8')) as TsxPackage).exports;
  const api = pathToFileURL(join(dirname(packageFile), exports['./esm/api'].import.default)).href;
  const code =
    `import { register } from ${JSON.stringify(api)}; import { workerData } from 'node:worker_threads';` +
    ' register(); await import(workerData.entry);';
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

interface TsxPackage {
  readonly exports: { readonly './esm/api': { readonly import: { readonly default: string } } };
}

async function partFailure(
  file: string,
  start: number,
  stagingDir: string,
  outcome: Extract<StageOutcome, { ok: false }>,
): Promise<Error> {
  if (outcome.badRow) {
    const line = (start === 0 ? 0 : await linesBefore(file, start)) + outcome.badRow.line;
    return new ImportRowError(basename(file), line, outcome.badRow.field, outcome.badRow.problem);
  }
  if (outcome.code !== null && SCRATCH_WRITE_FAILURES.test(outcome.code)) {
    return new MetadataFileError(
      `${basename(file)}: the import could not write its scratch files in ${dirname(stagingDir)} ` +
        `(${outcome.message}). Free some disk space there, or make the folder writable, and try again. ` +
        'Nothing from this file was imported.',
    );
  }
  return Object.assign(new Error(outcome.message), outcome.code ? { code: outcome.code } : {});
}

/** What a worker's writes to its scratch file fail with when the disk or folder is the cause. */
const SCRATCH_WRITE_FAILURES = /^(SQLITE_(FULL|IOERR|CANTOPEN|READONLY)|ENOSPC|EACCES|EPERM|EROFS)/;
