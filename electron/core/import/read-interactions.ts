import { parse as parseCsv, CsvError } from 'csv-parse';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
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
  const rows =
    format === 'csv' ? csvRows(file) : format === 'ndjson' ? ndjsonRows(file) : jsonArrayRows(file);
  let batch: Interaction[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH_SIZE) {
      yield batch;
      batch = [];
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

async function* ndjsonRows(file: string): AsyncGenerator<Interaction> {
  const name = basename(file);
  let lineNumber = 0;
  for await (const rawLine of lines(file)) {
    lineNumber += 1;
    const line = lineNumber === 1 ? stripBom(rawLine) : rawLine;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ImportRowError(name, lineNumber, null, `not valid JSON (${(error as Error).message}).`);
    }
    yield rowOrError(value, name, lineNumber);
  }
}

/** The file's lines (LF or CRLF), read in large chunks: several times faster than `readline`. */
async function* lines(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

async function* jsonArrayRows(file: string): AsyncGenerator<Interaction> {
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
  for (let index = 0; index < values.length; index += 1) {
    try {
      yield toInteraction(values[index]);
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      // Only a bad row pays for finding its line.
      const element: Node | undefined = parseTree(text)?.children?.[index];
      const line = element ? lineAt(text, element.offset) : 1;
      throw rowError(error, name, line);
    }
  }
}

async function* csvRows(file: string): AsyncGenerator<Interaction> {
  const name = basename(file);
  const input = createReadStream(file);
  const parser = input.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) =>
        checkHeader(
          header.map((column) => column.trim()),
          name,
        ),
      info: true,
      skip_empty_lines: true,
      delimiter: extname(file).toLowerCase() === '.tsv' ? '\t' : ',',
    }),
  );
  input.once('error', (error) => parser.destroy(error)); // pipe() does not pass read errors on
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield rowOrError(record, name, info.lines);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 1;
      throw new ImportRowError(
        name,
        line,
        null,
        `not valid CSV (${error.message.replace(/^Invalid Record Length: /, '')}).`,
      );
    }
    throw error;
  }
}

/** A metadata file that cannot be read at all. */
export class MetadataFileError extends Error {
  override readonly name = 'MetadataFileError';
}

async function checkReadable(file: string): Promise<void> {
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
