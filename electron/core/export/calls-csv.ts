import Papa from 'papaparse';
import { Readable } from 'node:stream';
import type { CallRecord } from '../catalog/call-pages.ts';
import { writeNewFileAtomically } from '../fs/write-new-file.ts';
import { INTERACTION_FIELDS } from '../import/interaction-row.ts';

/** The documented list fields, then the recording's S3 key (never a presigned URL: it would expire). */
export const CSV_COLUMNS = [...INTERACTION_FIELDS, 's3_key'] as const;

// A cell a spreadsheet would run as a formula (=, @, or + and - not starting a number) gets a
// leading ' (OWASP's CSV-injection advice); phone numbers like +15103455686 stay as they are.
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/** CSV text of some calls (with the header row when asked), RFC 4180 with CRLF line ends. */
export function callsCsv(rows: readonly CallRecord[], withHeader: boolean): string {
  const data = rows.map((row) => [...INTERACTION_FIELDS.map((field) => row[field]), row.recording_key]);
  const text = Papa.unparse(
    { fields: [...CSV_COLUMNS], data },
    { header: withHeader, newline: '\r\n', escapeFormulae: FORMULA },
  );
  // Papa ends a header-only text with a line break, and rows without one.
  return text === '' || text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** The calls as a stream of CSV, a batch at a time: a million-row export never sits in memory. */
export function callsCsvStream(batches: Iterable<CallRecord[]>): Readable {
  let first = true;
  const iterator = batches[Symbol.iterator]();
  return new Readable({
    read() {
      const next = iterator.next();
      if (next.done) {
        if (first) this.push(callsCsv([], true)); // an empty view still gets its header
        this.push(null);
        return;
      }
      this.push(callsCsv(next.value, first));
      first = false;
    },
  });
}

/**
 * Writes the export to `file` atomically, never over an existing file (`name (2).csv`…; see
 * writeNewFileAtomically). Returns where it went and how many calls it holds.
 */
export async function writeCallsCsv(
  file: string,
  batches: Iterable<CallRecord[]>,
): Promise<{ path: string; rows: number }> {
  let rows = 0;
  const counted = (function* () {
    for (const batch of batches) {
      rows += batch.length;
      yield batch;
    }
  })();
  const path = await writeNewFileAtomically(file, callsCsvStream(counted));
  return { path, rows };
}

/** `tapedeck-calls-2025-08-08-114439.csv` (local time of the export). */
export function exportFileName(now: Date, stem = 'tapedeck-calls', extension = 'csv'): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${stem}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.${extension}`
  );
}
