import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { readInteractions } from './read-interactions.ts';

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

/**
 * Loads a metadata file (NDJSON, JSON array or CSV) into the catalog, upserting by interaction_id.
 * All or nothing: a bad row (named by file, line and field) leaves the catalog as it was.
 */
export async function importInteractionsFile(
  store: CatalogStore,
  file: string,
  now: () => number = performance.now.bind(performance),
): Promise<ImportSummary> {
  const started = now();
  // A row of a metadata file is about 150–300 bytes: enough to tell a bulk load from a top-up.
  const expectedRows = Math.floor(fileSize(file) / 250);
  const { rows, added } = await store.upsertInteractionsAtomically(readInteractions(file), {
    source: 'file',
    expectedRows,
  });
  return { file, rows, added, updated: rows - added, seconds: (now() - started) / 1000 };
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
    return 0; // the reader reports a missing file with a clear message
  }
}
