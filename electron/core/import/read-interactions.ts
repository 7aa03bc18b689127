import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import Papa from 'papaparse';
import { createReadStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Interaction } from '../../../shared/recording.ts';
import { FieldProblem, ImportRowError, INTERACTION_FIELDS, toInteraction } from './interaction-row.ts';

export type MetadataFormat = 'ndjson' | 'json-array' | 'csv';

/** Rows are handed to the catalog in batches this big (one prepared-statement loop each). */
const BATCH_SIZE = 2000;

/**
 * Reads a metadata file as batches of interactions: NDJSON (one object a line), a JSON array of
 * objects, or CSV with a header row (RFC 4180, UTF-8, optional BOM). Throws an ImportRowError naming
 * the file, line and field of the first row it cannot use.
 */
export async function* readInteractions(file: string): AsyncGenerator<Interaction[]> {
  await checkReadable(file);
  const format = await detectFormat(file);
  yield* inBatches(
    format === 'csv' ? csvRows(file) : format === 'ndjson' ? ndjsonRows(file) : jsonArrayRows(file),
  );
}

/** Bytes `start` (inclusive) to `end` (exclusive) of a file, beginning and ending on a record boundary. */
export interface FileRange {
  readonly start: number;
  readonly end: number;
}

/**
 * One part of an NDJSON or CSV file, as the import's workers read it: the same rows and checks as
 * readInteractions, but an ImportRowError's line counts from the part's first line (1). A CSV part
 * that does not begin the file is given the header row read from its beginning.
 */
export async function* readInteractionsPart(
  file: string,
  format: 'ndjson' | 'csv',
  range: FileRange,
  csvHeader: readonly string[] | null = null,
): AsyncGenerator<Interaction[]> {
  if (range.end <= range.start) return; // a stream cannot read zero bytes from a range
  yield* inBatches(format === 'csv' ? csvRows(file, range, csvHeader) : ndjsonRows(file, range));
}

async function* inBatches(chunks: AsyncIterable<Interaction[]>): AsyncGenerator<Interaction[]> {
  let batch: Interaction[] = [];
  for await (const chunk of chunks) {
    for (const row of chunk) {
      batch.push(row);
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** By extension when it says, else by the first character: `[` a JSON array, `{` NDJSON, else CSV. */
export async function detectFormat(file: string): Promise<MetadataFormat> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.tsv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  const first = await firstCharacter(file);
  if (first === '[') return 'json-array';
  if (first === '{') return 'ndjson';
  if (extension === '.json') {
    throw new ImportRowError(
      basename(file),
      1,
      null,
      'a .json file must hold an array of objects or one object a line.',
    );
  }
  return 'csv';
}

async function firstCharacter(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return stripBom(buffer.subarray(0, bytesRead).toString('utf8')).trimStart()[0];
  } finally {
    await handle.close();
  }
}

/**
 * NDJSON, a chunk of whole lines at a time: the chunk is parsed as ONE JSON array, its newlines
 * made commas (one JSON.parse call, and no string per line). Only a chunk that does not parse that
 * way — a blank line, a line that is not one object — is split and parsed line by line, to skip
 * blank lines and name the line that is wrong.
 */
async function* ndjsonRows(file: string, range?: FileRange): AsyncGenerator<Interaction[]> {
  const name = basename(file);
  let firstLine = 1;
  for await (let chunk of textChunks(file, range)) {
    if (firstLine === 1 && !range?.start) chunk = stripBom(chunk);
    const lines = scanLines(chunk);
    const values = parseChunkAtOnce(chunk, lines);
    const rows: Interaction[] = [];
    if (values) {
      for (let index = 0; index < values.length; index += 1) {
        rows.push(rowOrError(values[index], name, firstLine + index));
      }
    } else {
      chunk.split('\n').forEach((line, index) => {
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (isBlank(text)) return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new ImportRowError(
            name,
            firstLine + index,
            null,
            `not valid JSON (${(error as Error).message}).`,
          );
        }
        rows.push(rowOrError(value, name, firstLine + index));
      });
    }
    firstLine += lines.count;
    yield rows;
  }
}

/**
 * The lines of a chunk (its newlines + 1: a chunk never ends with its line's newline), and whether
 * each line but the last ends (spaces aside) with the `}` that closes an object.
 */
function scanLines(chunk: string): { count: number; objectsOnly: boolean } {
  let count = 1;
  let objectsOnly = true;
  for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) {
    count += 1;
    let last = at - 1;
    while (last >= 0 && isSpace(chunk.charCodeAt(last))) last -= 1;
    if (last < 0 || chunk.charCodeAt(last) !== CLOSING_BRACE) objectsOnly = false;
  }
  return { count, objectsOnly };
}

const CLOSING_BRACE = 0x7d;

/** JSON's own spaces (a line with others is parsed line by line, which says what is wrong). */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}

/**
 * The chunk's values, one per line, or null when a line is blank or does not hold exactly one
 * object (a line like `1, 2` would pass as two values inside an array: the count says so).
 */
function parseChunkAtOnce(chunk: string, lines: { count: number; objectsOnly: boolean }): unknown[] | null {
  if (!lines.objectsOnly || !chunk.trimEnd().endsWith('}')) return null;
  try {
    // A blank line makes `,,`, which JSON.parse refuses; a `\r` before a newline is JSON space.
    const values = JSON.parse(`[${chunk.replaceAll('\n', ',')}]`) as unknown[];
    return values.length === lines.count ? values : null;
  } catch {
    return null;
  }
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Streams the whole file, or a range of it, as UTF-8 text in large chunks. */
function readOptions(range?: FileRange) {
  const options = { encoding: 'utf8' as const, highWaterMark: 1 << 20 };
  // createReadStream's `end` is inclusive.
  return range === undefined ? options : { ...options, start: range.start, end: range.end - 1 };
}

/**
 * The file's text in large chunks of whole lines (LF or CRLF), each without its last newline:
 * several times faster than `readline`, and no string per line. Cut as bytes (a newline byte is
 * never part of another UTF-8 character), so each chunk is decoded once.
 */
async function* textChunks(file: string, range?: FileRange): AsyncGenerator<string> {
  const { encoding: _text, ...bytes } = readOptions(range);
  let rest: Buffer | null = null;
  for await (const read of createReadStream(file, bytes)) {
    const buffer = read as Buffer;
    const cut = buffer.lastIndexOf(NEWLINE);
    if (cut === -1) {
      rest = rest ? Buffer.concat([rest, buffer]) : buffer;
      continue;
    }
    const head = buffer.subarray(0, cut);
    yield (rest ? Buffer.concat([rest, head]) : head).toString('utf8');
    rest = buffer.subarray(cut + 1);
  }
  if (rest && rest.length > 0) yield rest.toString('utf8');
}

const NEWLINE = 0x0a;

async function* jsonArrayRows(file: string): AsyncGenerator<Interaction[]> {
  const name = basename(file);
  const text = stripBom(await readFile(file, 'utf8'));
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    // JSON.parse does not say where; the tolerant parser does, with an offset we turn into a line.
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    const line = first ? lineAt(text, first.offset) : 1;
    throw new ImportRowError(
      name,
      line,
      null,
      `not valid JSON (${first ? printParseErrorCode(first.error) : 'syntax error'}).`,
    );
  }
  if (!Array.isArray(values)) {
    throw new ImportRowError(name, 1, null, 'expected a JSON array of objects.');
  }
  const rows: Interaction[] = [];
  for (let index = 0; index < values.length; index += 1) {
    try {
      rows.push(toInteraction(values[index]));
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      // Only a bad row pays for finding its line.
      const element: Node | undefined = parseTree(text)?.children?.[index];
      const line = element ? lineAt(text, element.offset) : 1;
      throw rowError(error, name, line);
    }
  }
  yield rows;
}

/**
 * CSV (RFC 4180) with a header row, parsed by Papa Parse: about ten times faster than csv-parse
 * here (0.9 s against 9 s for a million rows), which the import's speed target needs. Rows are
 * handed over a batch at a time, pausing the parser while the catalog writes them.
 */
async function* csvRows(
  file: string,
  range?: FileRange,
  givenHeader: readonly string[] | null = null,
): AsyncGenerator<Interaction[]> {
  const name = basename(file);
  const { hasBom: fileHasBom, newline, delimiter } = await csvDialect(file);
  const hasBom = fileHasBom && !range?.start;

  let header: string[] | null = givenHeader && [...givenHeader];
  let rows: Interaction[] = [];
  let rowStart = 0; // character offset where the row being read starts (the BOM counts)
  let failure: Error | null = null;
  let done = false;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  const input = createReadStream(file, readOptions(range));
  const signal = () => {
    wake?.();
    wake = null;
  };

  const fail = (error: Error) => {
    failure ??= error;
    parser?.abort();
    done = true;
    signal();
  };

  // The line of a bad row: counted only when there is one, by reading up to where it starts.
  let failing = false;
  const failAt = (offset: number, field: string | null, problem: string) => {
    failing = true;
    lineAtOffset(file, offset, range?.start ?? 0).then(
      (line) => fail(new ImportRowError(name, line, field, problem)),
      (error: unknown) => fail(error as Error),
    );
    parser?.abort();
  };

  Papa.parse<string[]>(input, {
    delimiter,
    newline,
    quoteChar: '"',
    skipEmptyLines: true,
    step: (result, stepParser) => {
      parser = stepParser;
      const start = rowStart;
      rowStart = result.meta.cursor;
      if (failure || failing || done) return;
      const error = result.errors[0];
      if (error) {
        failAt(start, null, `not valid CSV (${error.message}).`);
        return;
      }
      const record = result.data;
      if (header === null) {
        if (hasBom && record[0] !== undefined) record[0] = stripBom(record[0]);
        try {
          header = checkHeader(
            record.map((column) => column.trim()),
            name,
          );
        } catch (checkError) {
          fail(checkError as Error);
        }
        return;
      }
      if (record.length !== header.length) {
        failAt(
          start,
          null,
          `not valid CSV (expected ${header.length} fields as in the header, found ${record.length}).`,
        );
        return;
      }
      const values: Record<string, string> = {};
      for (let index = 0; index < header.length; index += 1) values[header[index]!] = record[index]!;
      try {
        rows.push(toInteraction(values));
      } catch (rowProblem) {
        if (!(rowProblem instanceof FieldProblem)) return fail(rowProblem as Error);
        failAt(start, rowProblem.field || null, rowProblem.message);
        return;
      }
      if (rows.length >= BATCH_SIZE) {
        stepParser.pause();
        signal();
      }
    },
    complete: () => {
      if (failing) return; // the failure ends the read once its line is counted
      done = true;
      signal();
    },
    error: (error: Error) => fail(error),
  });
  input.once('error', (error) => fail(error));

  try {
    for (;;) {
      if (rows.length < BATCH_SIZE && !done) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      if (rows.length > 0) {
        const batch = rows;
        rows = [];
        yield batch;
      }
      if (done) {
        if (failure) throw failure;
        if (header === null) {
          throw new ImportRowError(name, 1, 'interaction_id', 'the file is empty; expected a header row.');
        }
        return;
      }
      (parser as Papa.Parser | null)?.resume();
    }
  } finally {
    input.destroy();
  }
}

/** What a CSV file's beginning tells of all of it: a BOM, LF or CRLF, comma or tab. */
async function csvDialect(
  file: string,
): Promise<{ hasBom: boolean; newline: '\r\n' | '\n'; delimiter: string }> {
  const head = await readHead(file);
  const firstBreak = head.indexOf('\n');
  return {
    hasBom: head.charCodeAt(0) === 0xfeff,
    newline: firstBreak > 0 && head[firstBreak - 1] === '\r' ? ('\r\n' as const) : ('\n' as const),
    delimiter: extname(file).toLowerCase() === '.tsv' ? '\t' : ',',
  };
}

/**
 * The header row of a CSV file, checked (it must name interaction_id), for the workers that read
 * later parts of the file.
 */
export async function readCsvHeader(file: string): Promise<string[]> {
  const { hasBom, newline, delimiter } = await csvDialect(file);
  const head = await readHead(file);
  const parsed = Papa.parse<string[]>(hasBom ? stripBom(head) : head, {
    delimiter,
    newline,
    quoteChar: '"',
    skipEmptyLines: true,
    preview: 1,
  });
  const record = parsed.data[0];
  if (record === undefined) {
    throw new ImportRowError(
      basename(file),
      1,
      'interaction_id',
      'the file is empty; expected a header row.',
    );
  }
  return checkHeader(
    record.map((column) => column.trim()),
    basename(file),
  );
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65536), 0, 65536, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * The 1-based line at a character offset of the text read from byte `from` (only a bad row pays for
 * reading this far).
 */
async function lineAtOffset(file: string, offset: number, from: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of createReadStream(file, readOptions({ start: from, end: Infinity }))) {
    const text = (chunk as string).slice(0, offset - seen);
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) line += 1;
    seen += (chunk as string).length;
    if (seen >= offset) break;
  }
  return line;
}

/** A metadata file that cannot be read at all. */
export class MetadataFileError extends Error {
  override readonly name = 'MetadataFileError';
}

export async function checkReadable(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile())
      throw new MetadataFileError(`${file} is a folder, not a metadata file.`);
    await access(file, constants.R_OK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new MetadataFileError(`${file}: no such file. Check the path.`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new MetadataFileError(`${file}: permission denied. Make it readable for this user.`);
    }
    throw error;
  }
}

function checkHeader(header: string[], name: string): string[] {
  if (!header.includes('interaction_id')) {
    throw new ImportRowError(
      name,
      1,
      'interaction_id',
      `the header row has no interaction_id column; expected a header naming some of ${INTERACTION_FIELDS.join(', ')}.`,
    );
  }
  return header;
}

function rowOrError(value: unknown, name: string, line: number): Interaction {
  try {
    return toInteraction(value);
  } catch (error) {
    if (error instanceof FieldProblem) throw rowError(error, name, line);
    throw error;
  }
}

function rowError(problem: FieldProblem, name: string, line: number): ImportRowError {
  return new ImportRowError(name, line, problem.field || null, problem.message);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
    line += 1;
  return line;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
