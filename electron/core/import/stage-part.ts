import Database from 'better-sqlite3';
import {
  InteractionRowWriter,
  WRITE_COLUMNS,
  type InteractionSource,
} from '../catalog/interaction-columns.ts';
import { ImportRowError } from './interaction-row.ts';
import { readInteractionsPart, type FileRange } from './read-interactions.ts';

/** One part of a metadata file for a worker to read into a staging file. */
export interface StageTask {
  readonly file: string;
  readonly format: 'ndjson' | 'csv';
  readonly range: FileRange;
  /** The CSV header row, for a part that does not begin the file. */
  readonly csvHeader: readonly string[] | null;
  readonly stagingFile: string;
  readonly source: InteractionSource;
}

/** What a worker is started with: its task, and its own module (for a loader that imports it). */
export interface StageWorkerData {
  readonly task: StageTask;
  readonly entry: string;
}

/** How a part went: its row count, or the first bad row in it (line counted from the part's start). */
export type StageOutcome =
  | { readonly ok: true; readonly rows: number }
  | {
      readonly ok: false;
      readonly badRow: {
        readonly line: number;
        readonly field: string | null;
        readonly problem: string;
      } | null;
      /** Anything else: an unreadable file, a full disk. */
      readonly message: string;
      readonly code: string | null;
    };

/**
 * Reads one part of a metadata file and writes its rows, in file order, to a staging SQLite file
 * of its own (table `rows`, the catalog's WRITE_COLUMNS), which the catalog then copies in one
 * statement. A staging file is scratch: no journal, no syncs; it is deleted after the import.
 */
export async function stagePart(task: StageTask): Promise<StageOutcome> {
  let db: Database.Database | null = null;
  try {
    db = new Database(task.stagingFile);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`CREATE TABLE rows (${WRITE_COLUMNS.join(', ')})`);
    const writer = new InteractionRowWriter(db, 'rows', task.source);
    db.exec('BEGIN');
    for await (const batch of readInteractionsPart(task.file, task.format, task.range, task.csvHeader)) {
      writer.add(batch);
    }
    const rows = writer.finish();
    db.exec('COMMIT');
    return { ok: true, rows };
  } catch (error) {
    if (error instanceof ImportRowError) {
      return {
        ok: false,
        badRow: { line: error.line, field: error.field, problem: error.problem },
        message: error.message,
        code: null,
      };
    }
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      badRow: null,
      message: error instanceof Error ? error.message : String(error),
      code: typeof code === 'string' ? code : null,
    };
  } finally {
    db?.close();
  }
}
