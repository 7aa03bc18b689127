import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../../electron/core/catalog/call-pages.ts';
import { callsCsv, exportFileName, writeCallsCsv } from '../../../../electron/core/export/calls-csv.ts';

const ROW: CallRecord = {
  interaction_id: 'louis',
  start_ms: 1754653479000,
  customer_name: 'Smith, "Lou"',
  phone: '+15103455686',
  status: 'COMPLETED',
  outcome: null,
  duration: 12.5,
  start_time: '2025-08-08T11:44:39.000Z',
  end_time: null,
  dispatch_id: 'dispatch_1754653479_15103455686',
  recording_key: 'egress-recordings/2025/08/08/outbound-15103455686_1754653483.mp4',
  recording_size: 1,
  recording_phone: '15103455686',
  recording_ts: 1754653483,
  recording_etag: null,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV of calls', () => {
  it('quotes what needs quoting and keeps phone numbers as they are', () => {
    expect(callsCsv([ROW], true)).toBe(
      'interaction_id,customer_name,phone,status,outcome,duration,start_time,end_time,dispatch_id,s3_key\r\n' +
        'louis,"Smith, ""Lou""",+15103455686,COMPLETED,,12.5,2025-08-08T11:44:39.000Z,,dispatch_1754653479_15103455686,' +
        'egress-recordings/2025/08/08/outbound-15103455686_1754653483.mp4\r\n',
    );
  });

  it.each(['=1+1', '@SUM(A1)', '+cmd|x', '-2+3 ', '\tx'])('defuses %j as a formula', (name) => {
    const line = callsCsv([{ ...ROW, customer_name: name }], false);
    expect(line.split(',')[1]).toMatch(/^"?'/);
  });
});

describe('writing an export', () => {
  it('never replaces a file: a second export in the same second takes "(2)"', async () => {
    const file = join(dir, exportFileName(new Date(2025, 7, 8, 11, 44, 39)));
    expect(file.endsWith('tapedeck-calls-2025-08-08-114439.csv')).toBe(true);
    const first = await writeCallsCsv(file, [[ROW]]);
    const second = await writeCallsCsv(file, [[ROW], [{ ...ROW, interaction_id: 'ann' }]]);
    expect(first).toEqual({ path: file, rows: 1 });
    expect(second).toEqual({ path: file.replace('.csv', ' (2).csv'), rows: 2 });
    expect(readFileSync(file, 'utf8').trimEnd().split('\r\n')).toHaveLength(2);
    expect(readFileSync(second.path, 'utf8').trimEnd().split('\r\n')).toHaveLength(3);
    expect(readdirSync(dir).sort()).toEqual([
      'tapedeck-calls-2025-08-08-114439 (2).csv',
      'tapedeck-calls-2025-08-08-114439.csv',
    ]);
  });

  it('leaves nothing behind when reading the calls fails half-way', async () => {
    function* failing(): Generator<CallRecord[]> {
      yield [ROW];
      throw new Error('the catalog went away');
    }
    await expect(writeCallsCsv(join(dir, 'calls.csv'), failing())).rejects.toThrow('the catalog went away');
    expect(readdirSync(dir)).toEqual([]);
  });
});
