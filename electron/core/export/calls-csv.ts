import Papa from 'papaparse';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CallRecord } from '../catalog/call-pages.ts';
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
 * Writes the export to `file` atomically: a hidden temporary file beside it is filled, then linked
 * into place, so a crash or a full disk never leaves half a CSV under the real name. An existing
 * file is never replaced: the export takes `name (2).csv`, and so on. Returns where it went.
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
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}.csv.tmp`);
  try {
    await pipeline(callsCsvStream(counted), createWriteStream(temporary, { flush: true }));
    const path = await linkUnder(temporary, file);
    return { path, rows };
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Links `temporary` as `file`, or `file (2)`, `file (3)`… when taken (a link never replaces). */
async function linkUnder(temporary: string, file: string): Promise<string> {
  const extension = extname(file);
  const stem = file.slice(0, file.length - extension.length);
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? file : `${stem} (${attempt})${extension}`;
    try {
      await link(temporary, candidate);
      return candidate;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || attempt >= 1000) throw error;
    }
  }
}

/** `tapedeck-calls-2025-08-08-114439.csv` (local time of the export). */
export function exportFileName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `tapedeck-calls-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.csv`
  );
}
