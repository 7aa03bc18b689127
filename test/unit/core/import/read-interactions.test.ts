import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportRowError } from '../../../../electron/core/import/interaction-row.ts';
import { detectFormat, readInteractions } from '../../../../electron/core/import/read-interactions.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string): Promise<Interaction[]> {
  const rows: Interaction[] = [];
  for await (const batch of readInteractions(path)) rows.push(...batch);
  return rows;
}

async function failure(path: string): Promise<ImportRowError> {
  const error = await readAll(path).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportRowError);
  return error as ImportRowError;
}

const LOUIS: Interaction = {
  interaction_id: 'test_interaction_louis_001',
  customer_name: 'Louis Smith',
  phone: '+15103455686',
  status: 'COMPLETED',
  outcome: 'PAYMENT_PROMISED',
  duration: 180,
  start_time: '2025-08-08T11:44:39.000Z',
  end_time: '2025-08-08T11:47:39.000Z',
  dispatch_id: 'dispatch_1754653479_15103455686',
};

describe('reading metadata files', () => {
  it('reads NDJSON, skipping blank lines and ignoring fields that are not documented', async () => {
    const rows = await readAll(
      file(
        'calls.ndjson',
        `${JSON.stringify({ ...LOUIS, recording_url: 'https://x' })}\n\n{"interaction_id":"b"}\n`,
      ),
    );
    expect(rows).toEqual([
      LOUIS,
      {
        interaction_id: 'b',
        customer_name: null,
        phone: null,
        status: null,
        outcome: null,
        duration: null,
        start_time: null,
        end_time: null,
        dispatch_id: null,
      },
    ]);
  });

  it('reads a JSON array, the spec list format', async () => {
    expect(await readAll(file('calls.json', JSON.stringify([LOUIS, LOUIS], null, 2)))).toEqual([
      LOUIS,
      LOUIS,
    ]);
  });

  it('reads CSV with a BOM, CRLF line ends, quoted commas, quotes and line breaks', async () => {
    const csv =
      '\uFEFFinteraction_id,customer_name,phone,status,outcome,duration,start_time,end_time,dispatch_id\r\n' +
      `${Object.values(LOUIS).join(',')}\r\n` +
      'b,"Smith, ""Lou""\nJr.",+1555,,,,2025-08-08 11:44:39,2025-08-08T13:44:39+02:00,\r\n';
    const rows = await readAll(file('calls.csv', csv));
    expect(rows[0]).toEqual(LOUIS);
    expect(rows[1]).toMatchObject({
      interaction_id: 'b',
      customer_name: 'Smith, "Lou"\nJr.',
      status: null,
      duration: null,
      start_time: '2025-08-08T11:44:39.000Z',
      end_time: '2025-08-08T11:44:39.000Z',
      dispatch_id: null,
    });
  });

  it('keeps UTF-8 names intact', async () => {
    const rows = await readAll(file('utf8.csv', 'interaction_id,customer_name\nz,Zoë Ångström 山田\n'));
    expect(rows[0]?.customer_name).toBe('Zoë Ångström 山田');
  });

  it('tells the formats apart by extension, else by the first character', async () => {
    expect(await detectFormat(file('a.txt', '[{"interaction_id":"a"}]'))).toBe('json-array');
    expect(await detectFormat(file('b.txt', '\uFEFF{"interaction_id":"a"}'))).toBe('ndjson');
    expect(await detectFormat(file('c.data', 'interaction_id\na\n'))).toBe('csv');
    expect(await detectFormat(file('d.jsonl', '[1]'))).toBe('ndjson');
  });

  it('hands rows over in batches so a million-row file is never held at once', async () => {
    const lines = Array.from({ length: 4500 }, (_, i) => JSON.stringify({ interaction_id: `id-${i}` })).join(
      '\n',
    );
    const sizes: number[] = [];
    for await (const batch of readInteractions(file('many.ndjson', lines))) sizes.push(batch.length);
    expect(sizes).toEqual([2000, 2000, 500]);
  });
});

describe('a bad row is named by file, line and field', () => {
  it('names the NDJSON line with a duration that is not a number', async () => {
    const error = await failure(
      file('bad.ndjson', '{"interaction_id":"a"}\n\n{"interaction_id":"b","duration":"long"}\n'),
    );
    expect(error).toMatchObject({ file: 'bad.ndjson', line: 3, field: 'duration' });
    expect(error.message).toBe(
      'bad.ndjson, line 3, field "duration": expected a number of seconds (0 or more), got "long". Nothing from this file was imported.',
    );
  });

  it('names the NDJSON line that is not JSON', async () => {
    const error = await failure(file('broken.ndjson', '{"interaction_id":"a"}\n{"interaction_id":\n'));
    expect(error).toMatchObject({ line: 2, field: null });
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('names the NDJSON line that holds two objects, and counts lines across large chunks', async () => {
    const good = JSON.stringify(LOUIS);
    const two = await failure(
      file('two.ndjson', `${good}\n{"interaction_id":"a"}, {"interaction_id":"b"}\n`),
    );
    expect(two).toMatchObject({ line: 2, field: null });
    expect(two.message).toMatch(/not valid JSON/);
    // Well past the reader's 1 MiB chunks, with CRLF line ends and a BOM: the line is still exact.
    const lines = Array.from({ length: 12_000 }, (_, i) =>
      JSON.stringify({ ...LOUIS, interaction_id: `id-${i}` }),
    );
    lines[10_500] = JSON.stringify({ ...LOUIS, interaction_id: 'late', duration: -1 });
    const late = await failure(file('late.ndjson', `\uFEFF${lines.join('\r\n')}\r\n`));
    expect(late).toMatchObject({ line: 10_501, field: 'duration' });
    lines[10_500] = JSON.stringify({ ...LOUIS, interaction_id: 'late' });
    const rows = await readAll(file('crlf.ndjson', `\uFEFF${lines.join('\r\n')}\r\n`));
    expect(rows.length).toBe(12_000);
    expect(rows[0]).toEqual({ ...LOUIS, interaction_id: 'id-0' });
    expect(rows[10_500]!.interaction_id).toBe('late');
  });

  it('names the line of the JSON array element with a malformed dispatch id', async () => {
    const calls = [LOUIS, { ...LOUIS, interaction_id: 'x', dispatch_id: 'dispatch-17-1' }];
    const error = await failure(file('bad.json', JSON.stringify(calls, null, 2)));
    expect(error).toMatchObject({ line: 13, field: 'dispatch_id' });
    expect(error.message).toMatch(
      /"dispatch-17-1" is not a dispatch id; expected dispatch_\{unix seconds\}_\{phone digits\}/,
    );
  });

  it('names the line where a JSON array stops being JSON', async () => {
    const error = await failure(file('cut.json', '[\n  {"interaction_id": "a"},\n  {"interaction_id": }\n]'));
    expect(error).toMatchObject({ line: 3, field: null });
  });

  it('names the CSV line with a missing interaction_id, counting a quoted line break', async () => {
    const csv = 'interaction_id,customer_name\na,"two\nlines"\n,Nobody\n';
    const error = await failure(file('missing-id.csv', csv));
    expect(error).toMatchObject({ line: 4, field: 'interaction_id' });
  });

  it('refuses a CSV header without interaction_id', async () => {
    const error = await failure(file('no-id.csv', 'id,name\n1,A\n'));
    expect(error).toMatchObject({ line: 1, field: 'interaction_id' });
    expect(error.message).toMatch(/header row has no interaction_id column/);
  });

  it('names the CSV line with the wrong number of columns', async () => {
    const error = await failure(file('ragged.csv', 'interaction_id,customer_name\na,A\nb,B,extra\n'));
    expect(error).toMatchObject({ line: 3, field: null });
    expect(error.message).toMatch(/not valid CSV/);
  });

  it.each([
    ['start_time', '"yesterday"', /not an ISO-8601 date and time/],
    ['duration', '-4', /0 or more/],
    ['customer_name', '{"first":"Lou"}', /expected text, got an object/],
    ['interaction_id', '""', /missing or empty/],
  ])('refuses %s = %s', async (field, json, message) => {
    const error = await failure(file(`bad-${field}.ndjson`, `{"interaction_id":"ok","${field}":${json}}`));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('refuses a JSON file that holds neither an array nor objects', async () => {
    const error = await failure(file('scalar.json', '42'));
    expect(error.message).toMatch(/array of objects/);
  });
});
