import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BulkLoadTuning, BulkPhaseListener, CatalogStore } from '../catalog/catalog-store.ts';
import { defaultImportWorkers, stageFileInParallel, type ImportWorkers } from './parallel-staging.ts';
import { checkReadable, detectFormat, readInteractions } from './read-interactions.ts';

export interface ImportSummary {
  readonly file: string;
  /** Rows read from the file. */
  readonly rows: number;
  /** Interactions that were not in the catalog before. */
  readonly added: number;
  /** Rows that replaced an interaction already in the catalog (or an earlier row of the same file). */
  readonly updated: number;
  readonly seconds: number;
}

export interface ImportOptions {
  /** Worker threads for large files; null reads every file on this thread. Default: one per core, up to 4. */
  readonly workers?: ImportWorkers | null;
  /** NDJSON and CSV files at least this big are read by the workers, in parts (default 16 MiB). */
  readonly parallelFromBytes?: number;
  readonly now?: () => number;
  /** Told as each step of a large import ends: 'stage', then the catalog's (see BulkPhaseListener). */
  readonly onPhase?: BulkPhaseListener;
  /** How the catalog writes a large import (benchmarks compare; the defaults are the product's). */
  readonly tuning?: Partial<BulkLoadTuning>;
}

const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;
const STAGING_PREFIX = '.tapedeck-import-';
/** A staging folder's name: the prefix, the pid of the import that made it, then mkdtemp's suffix. */
const STAGING_FOLDER = /^\.tapedeck-import-(\d+)-/;

/**
 * Loads a metadata file (NDJSON, JSON array or CSV) into the catalog, upserting by interaction_id.
 * All or nothing: a bad row (named by file, line and field) leaves the catalog as it was.
 *
 * A large NDJSON or CSV file is read by worker threads, a part each, into staging files beside the
 * catalog; the catalog then copies them in with SQLite's own INSERT … SELECT. Reading and checking
 * rows and handing them to SQLite is most of an import's work, and this way it runs on every core.
 */
export async function importInteractionsFile(
  store: CatalogStore,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const now = options.now ?? performance.now.bind(performance);
  const started = now();
  const workers = options.workers === undefined ? defaultImportWorkers() : options.workers;
  const size = fileSize(file);
  await checkReadable(file);
  const format = await detectFormat(file);
  if (workers && format !== 'json-array' && size >= (options.parallelFromBytes ?? PARALLEL_FROM_BYTES)) {
    const parent = store.folder ?? tmpdir();
    await removeAbandonedStaging(parent);
    const stagingDir = await mkdtemp(join(parent, `${STAGING_PREFIX}${process.pid}-`));
    try {
      const staged = await stageFileInParallel(file, format, workers, stagingDir, 'file');
      options.onPhase?.('stage');
      const { rows, added } = await store.loadStagedInteractions(staged.files, staged.rows, {
        onPhase: options.onPhase,
        tuning: options.tuning,
      });
      return summary(file, rows, added, (now() - started) / 1000);
    } finally {
      await rm(stagingDir, { recursive: true, force: true });
    }
  }
  // A row of a metadata file is about 150–300 bytes: enough to tell a bulk load from a top-up.
  const { rows, added } = await store.upsertInteractionsAtomically(readInteractions(file), {
    source: 'file',
    expectedRows: Math.floor(size / 250),
  });
  return summary(file, rows, added, (now() - started) / 1000);
}

function summary(file: string, rows: number, added: number, seconds: number): ImportSummary {
  return { file, rows, added, updated: rows - added, seconds };
}

/** Staging folders left by an import that was killed (their process is gone) are deleted. */
async function removeAbandonedStaging(parent: string): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = STAGING_FOLDER.exec(entry)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) {
      await rm(join(parent, entry), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM'; // alive, someone else's
  }
}

export function describeImport(summary: ImportSummary): string {
  const rate =
    summary.seconds > 0
      ? `, ${Math.round(summary.rows / summary.seconds).toLocaleString('en-US')} rows/s`
      : '';
  return (
    `Imported ${summary.rows.toLocaleString('en-US')} interactions from ${basename(summary.file)}: ` +
    `${summary.added.toLocaleString('en-US')} new, ${summary.updated.toLocaleString('en-US')} updated ` +
    `(${summary.seconds.toFixed(2)} s${rate}).`
  );
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // checkReadable reports a missing file with a clear message
  }
}
