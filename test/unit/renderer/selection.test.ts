/** The list's selection logic (renderer/src/calls/selection.ts), without a browser. */
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import {
  clampIndex,
  nextCallOrigin,
  nextPlayableIndex,
  toggleChecked,
} from '../../../renderer/src/calls/selection.ts';

function call(id: string, recorded = true): CallRow {
  return {
    interaction_id: id,
    customer_name: id,
    phone: null,
    status: null,
    outcome: null,
    duration: null,
    start_time: null,
    end_time: null,
    dispatch_id: null,
    recording: recorded ? { key: `k/${id}.mp4`, size: 1, fileName: `${id}.mp4` } : null,
  };
}

const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => call(id, id !== 'c' && id !== 'd'));
const rowAt = (i: number) => rows[i];
const ids = (checked: ReadonlyMap<string, CallRow>) => [...checked.keys()];

describe('ticking rows', () => {
  it('ticks and unticks one row', () => {
    const once = toggleChecked(new Map(), { index: 1, row: rows[1]!, range: false, anchor: null, rowAt });
    expect(ids(once)).toEqual(['b']);
    const twice = toggleChecked(once, { index: 1, row: rows[1]!, range: false, anchor: 1, rowAt });
    expect(ids(twice)).toEqual([]);
  });

  it('Shift ticks every row between the anchor and the clicked one, in either direction', () => {
    const first = toggleChecked(new Map(), { index: 4, row: rows[4]!, range: false, anchor: null, rowAt });
    const range = toggleChecked(first, { index: 1, row: rows[1]!, range: true, anchor: 4, rowAt });
    expect(ids(range).sort()).toEqual(['b', 'c', 'd', 'e']);
  });

  it('Shift on a ticked row unticks the range, and skips rows not loaded', () => {
    const all = new Map(rows.map((r) => [r.interaction_id, r]));
    const sparse = (i: number) => (i === 2 ? undefined : rows[i]);
    const range = toggleChecked(all, { index: 3, row: rows[3]!, range: true, anchor: 0, rowAt: sparse });
    expect(ids(range).sort()).toEqual(['c', 'e', 'f']);
  });

  it('without an anchor, Shift ticks just the row', () => {
    const range = toggleChecked(new Map(), { index: 2, row: rows[2]!, range: true, anchor: null, rowAt });
    expect(ids(range)).toEqual(['c']);
  });

  it('does not change the map it was given', () => {
    const before = new Map([['a', rows[0]!]]);
    toggleChecked(before, { index: 1, row: rows[1]!, range: false, anchor: null, rowAt });
    expect(ids(before)).toEqual(['a']);
  });
});

describe('moving and "next call"', () => {
  it('keeps an index inside the list', () => {
    expect(clampIndex(-3, 6)).toBe(0);
    expect(clampIndex(9, 6)).toBe(5);
    expect(clampIndex(2, 6)).toBe(2);
    expect(clampIndex(4, 0)).toBe(0);
  });

  it('finds the next row with a recording, skipping those without, loading rows as needed', async () => {
    const asked: number[] = [];
    const load = async (i: number) => {
      asked.push(i);
      return rows[i];
    };
    expect(await nextPlayableIndex(0, rows.length, load)).toBe(1);
    expect(await nextPlayableIndex(1, rows.length, load)).toBe(4); // c and d have no recording
    expect(asked).toEqual([1, 2, 3, 4]);
    expect(await nextPlayableIndex(5, rows.length, load)).toBeNull(); // the end of the list
  });

  it('goes on from the call in the player while it is still at its row, else from the selection', () => {
    expect(nextCallOrigin({ index: 4, id: 'e' }, 1, rowAt)).toBe(4);
    expect(nextCallOrigin({ index: 4, id: 'x' }, 1, rowAt)).toBe(1); // the list changed since
    expect(nextCallOrigin(null, 2, rowAt)).toBe(2);
  });
});
