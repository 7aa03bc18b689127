/**
 * A large file is read in parts, side by side. Whatever the cut points, the parts together must
 * give exactly the rows of the whole file, in order: no row cut in two (a CSV line break inside
 * quotes is not a row's end), none lost or read twice, multi-byte characters intact.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linesBefore, splitIntoParts } from '../../../../electron/core/import/file-parts.ts';
import {
  readCsvHeader,
  readInteractions,
  readInteractionsPart,
} from '../../../../electron/core/import/read-interactions.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function whole(path: string): Promise<Interaction[]> {
  const rows: Interaction[] = [];
  for await (const batch of readInteractions(path)) rows.push(...batch);
  return rows;
}

async function inParts(path: string, format: 'ndjson' | 'csv', parts: number): Promise<Interaction[][]> {
  const header = format === 'csv' ? await readCsvHeader(path) : null;
  const ranges = await splitIntoParts(path, format, parts);
  const result: Interaction[][] = [];
  for (const [index, range] of ranges.entries()) {
    const rows: Interaction[] = [];
    for await (const batch of readInteractionsPart(path, format, range, index === 0 ? null : header)) {
      rows.push(...batch);
    }
    result.push(rows);
  }
  return result;
}

const names = ['Zoë Ångström', '山田 太郎', 'Renée "Ren" O’Neil', 'Smith, Lou'];

describe('cutting a file into parts', () => {
  it('cuts NDJSON at line ends only, and the parts read back as the whole file', async () => {
    const lines = Array.from({ length: 997 }, (_, i) =>
      JSON.stringify({ interaction_id: `n-${i}`, customer_name: names[i % names.length], duration: i }),
    );
    const path = file('calls.ndjson', `${lines.join('\r\n')}\r\n`);
    const bytes = readFileSync(path);
    const ranges = await splitIntoParts(path, 'ndjson', 4);
    expect(ranges).toHaveLength(4);
    expect(ranges[0]!.start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(bytes.length);
    for (const [index, range] of ranges.entries()) {
      if (index > 0) {
        expect(range.start).toBe(ranges[index - 1]!.end);
        expect(bytes[range.start - 1]).toBe(0x0a); // each part begins a line
      }
    }
    const parts = await inParts(path, 'ndjson', 4);
    expect(parts.every((part) => part.length > 100)).toBe(true);
    expect(parts.flat()).toEqual(await whole(path));
  });

  it('never cuts CSV inside quotes, even where every row holds a quoted line break', async () => {
    const header = 'interaction_id,customer_name,status\n';
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `c-${i},"${names[i % names.length]!.replaceAll('"', '""')}\nline two\nline three",DONE`,
    );
    const path = file('notes.csv', `\uFEFF${header}${rows.join('\n')}\n`);
    for (const parts of [2, 3, 7]) {
      const read = await inParts(path, 'csv', parts);
      expect(read).toHaveLength(parts);
      expect(read.flat()).toEqual(await whole(path));
      expect(read.flat()[1]!.customer_name).toBe('山田 太郎\nline two\nline three');
    }
  });

  it('cuts a small file into no more parts than it has rows, none of them empty', async () => {
    const path = file('two.ndjson', '{"interaction_id":"a"}\n{"interaction_id":"b"}\n');
    const ranges = await splitIntoParts(path, 'ndjson', 8);
    expect(ranges.length).toBeLessThanOrEqual(2);
    expect(ranges.every((range) => range.end > range.start)).toBe(true);
    expect((await inParts(path, 'ndjson', 8)).flat().map((row) => row.interaction_id)).toEqual(['a', 'b']);
  });

  it('reads a CSV header for the later parts, and refuses one without interaction_id', async () => {
    expect(await readCsvHeader(file('h.csv', '\uFEFFinteraction_id , phone\r\na,1\r\n'))).toEqual([
      'interaction_id',
      'phone',
    ]);
    await expect(readCsvHeader(file('no-id.csv', 'id,phone\n1,2\n'))).rejects.toThrow(
      /header row has no interaction_id column/,
    );
  });

  it('counts the lines before a byte (how a part’s line becomes the file’s)', async () => {
    const path = file('lines.txt', 'a\nb\r\nc\n\nd');
    expect(await linesBefore(path, 0)).toBe(0);
    expect(await linesBefore(path, 2)).toBe(1);
    expect(await linesBefore(path, 8)).toBe(4);
  });
});
