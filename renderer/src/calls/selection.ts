/**
 * The list's selection, as plain functions: which row is active, which are ticked for a bulk
 * download (Shift ticks a range), and which row "next call" plays. No React, no DOM: unit-tested.
 */
import type { CallRow } from '../../../shared/contract.ts';

/** Ticked calls by interaction id, in the order they were ticked. */
export type Checked = ReadonlyMap<string, CallRow>;

/** `index` kept inside a list of `total` rows (0 when the list is empty). */
export function clampIndex(index: number, total: number): number {
  return total <= 0 ? 0 : Math.min(total - 1, Math.max(0, index));
}

/**
 * Ticks or unticks `row`. With `range` (Shift) and an anchor (the last row ticked), every loaded row
 * between the two takes the state the clicked row is toggled to.
 */
export function toggleChecked(
  previous: Checked,
  change: {
    readonly index: number;
    readonly row: CallRow;
    readonly range: boolean;
    readonly anchor: number | null;
    readonly rowAt: (index: number) => CallRow | undefined;
  },
): Checked {
  const { index, row, anchor } = change;
  const next = new Map(previous);
  if (change.range && anchor !== null && anchor !== index) {
    const tick = !previous.has(row.interaction_id);
    for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) {
      const r = change.rowAt(i);
      if (r === undefined) continue; // not loaded: what is on screen always is
      if (tick) next.set(r.interaction_id, r);
      else next.delete(r.interaction_id);
    }
  } else if (next.has(row.interaction_id)) {
    next.delete(row.interaction_id);
  } else {
    next.set(row.interaction_id, row);
  }
  return next;
}

/** How many rows ahead "next call" looks for one with a recording before giving up. */
export const NEXT_CALL_LOOKAHEAD = 200;

/**
 * The first row after `from` that has a recording (rows without one are skipped: there is nothing
 * to play), or null at the end of the list. Rows are loaded on demand, as the list does.
 */
export async function nextPlayableIndex(
  from: number,
  total: number,
  loadRow: (index: number) => Promise<CallRow | undefined>,
): Promise<number | null> {
  const last = Math.min(total - 1, from + NEXT_CALL_LOOKAHEAD);
  for (let i = Math.max(0, from + 1); i <= last; i++) {
    const row = await loadRow(i);
    if (row?.recording) return i;
  }
  return null;
}

/**
 * Where "next call" starts from: the row of the call in the player when it is still at the index
 * it was played from, else the selected row.
 */
export function nextCallOrigin(
  playing: { readonly index: number; readonly id: string } | null,
  activeIndex: number,
  rowAt: (index: number) => CallRow | undefined,
): number {
  if (playing !== null && rowAt(playing.index)?.interaction_id === playing.id) return playing.index;
  return activeIndex;
}
