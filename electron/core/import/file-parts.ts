import { open, stat } from 'node:fs/promises';
import type { FileRange } from './read-interactions.ts';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Cuts an NDJSON or CSV file into about `parts` byte ranges that each begin and end on a record
 * boundary, so that workers can read them side by side. NDJSON breaks at any newline (JSON text
 * cannot hold a raw one); CSV only at a newline outside quotes (RFC 4180 doubles a quote inside a
 * quoted field, so the count of quotes before a byte says whether it is inside one). A newline byte
 * is never part of a multi-byte UTF-8 character, so every cut is also a character boundary.
 */
export async function splitIntoParts(
  file: string,
  format: 'ndjson' | 'csv',
  parts: number,
): Promise<FileRange[]> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let position = 0; // bytes already scanned (CSV: quotes counted up to here)
    let insideQuotes = false;
    const cuts = [0];
    for (let part = 1; part < parts; part += 1) {
      const target = Math.max(Math.floor((size * part) / parts), cuts.at(-1)!);
      if (format === 'csv') {
        // Count quotes up to the target, then look for a newline outside quotes.
        while (position < target) {
          const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, target - position), position);
          if (bytesRead === 0) break;
          insideQuotes = countQuotes(buffer, bytesRead) % 2 === 1 ? !insideQuotes : insideQuotes;
          position += bytesRead;
        }
      } else {
        position = target;
      }
      const cut = await nextRecordStart(handle, buffer, position, format === 'csv' ? insideQuotes : null);
      if (cut === null) break;
      // A cut is a newline outside quotes: counting goes on from there, outside quotes.
      position = cut;
      insideQuotes = false;
      if (cut > cuts.at(-1)! && cut < size) cuts.push(cut);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, index) => ({ start, end: cuts[index + 1]! }));
  } finally {
    await handle.close();
  }
}

/**
 * The byte after the first newline at or after `from` — for CSV (quote state given), the first one
 * outside quotes; null at the end of the file.
 */
async function nextRecordStart(
  handle: Awaited<ReturnType<typeof open>>,
  buffer: Buffer,
  from: number,
  startsInsideQuotes: boolean | null,
): Promise<number | null> {
  let position = from;
  let insideQuotes = startsInsideQuotes ?? false;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    if (bytesRead === 0) return null;
    if (startsInsideQuotes === null) {
      const newline = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
      if (newline !== -1) return position + newline + 1;
      position += bytesRead;
      continue;
    }
    for (let index = 0; index < bytesRead; index += 1) {
      const byte = buffer[index];
      if (byte === QUOTE) insideQuotes = !insideQuotes;
      else if (byte === NEWLINE && !insideQuotes) return position + index + 1;
    }
    position += bytesRead;
  }
}

function countQuotes(buffer: Buffer, length: number): number {
  let count = 0;
  for (let at = buffer.indexOf(QUOTE, 0); at !== -1 && at < length; at = buffer.indexOf(QUOTE, at + 1)) {
    count += 1;
  }
  return count;
}

/** How many lines end before byte `end` (a part's first line is this + 1); read only when a row is bad. */
export async function linesBefore(file: string, end: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let lines = 0;
    for (let position = 0; position < end;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - position), position);
      if (bytesRead === 0) break;
      for (
        let at = buffer.indexOf(NEWLINE, 0);
        at !== -1 && at < bytesRead;
        at = buffer.indexOf(NEWLINE, at + 1)
      ) {
        lines += 1;
      }
      position += bytesRead;
    }
    return lines;
  } finally {
    await handle.close();
  }
}
