/** The selected row (↑/↓, a click) and the rows ticked for a bulk download, over the call pages. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import type { CallPageStore, CallPagesSnapshot } from './call-page-store.ts';
import type { CallFilter } from './call-query.ts';
import { type Checked, clampIndex, toggleChecked } from './selection.ts';

export interface Selection {
  /** The selected row's index, kept inside the list. */
  readonly activeIndex: number;
  readonly selected: CallRow | null;
  readonly checked: Checked;
  readonly select: (index: number) => void;
  readonly moveBy: (delta: number) => void;
  readonly toggle: (index: number, row: CallRow, range: boolean) => void;
  readonly clearChecked: () => void;
}

export function useSelection(options: {
  store: CallPageStore;
  snapshot: CallPagesSnapshot;
  filter: CallFilter;
  /** A call to select once its row is loaded (the one selected before a reload). */
  restoredId: string | null;
  onSelected: (id: string | null) => void;
}): Selection {
  const { store, snapshot, filter, onSelected } = options;
  const total = snapshot.total ?? 0;
  const [activeIndex, setActiveIndex] = useState(0);
  const [checked, setChecked] = useState<Checked>(new Map());
  /** Where the last tick was: Shift-click ticks from here. */
  const anchor = useRef<number | null>(null);
  const restoring = useRef(options.restoredId);
  const lastFilter = useRef(filter);

  // A new search starts at its first result (so Enter plays it); the restored view keeps its call.
  useEffect(() => {
    if (lastFilter.current === filter) return;
    lastFilter.current = filter;
    restoring.current = null;
    setActiveIndex(0);
    anchor.current = null;
  }, [filter]);

  // The call selected before the reload, once a page holding it has arrived.
  useEffect(() => {
    const id = restoring.current;
    if (id === null || snapshot.total === null) return;
    for (let i = 0; i < total; i++) {
      const row = store.rowAt(i);
      if (row === undefined) break;
      if (row.interaction_id === id) {
        setActiveIndex(i);
        restoring.current = null;
        return;
      }
    }
    if (!snapshot.loading) restoring.current = null; // not on the first pages: start at the top
  }, [store, snapshot, total]);

  const index = clampIndex(activeIndex, total);
  const selected = total > 0 ? (store.rowAt(index) ?? null) : null;
  const selectedId = selected?.interaction_id ?? null;
  useEffect(() => {
    if (restoring.current === null && selectedId !== null) onSelected(selectedId);
  }, [selectedId, onSelected]);

  const select = useCallback((i: number) => setActiveIndex(clampIndex(i, total)), [total]);
  const moveBy = useCallback((delta: number) => setActiveIndex((i) => clampIndex(i + delta, total)), [total]);

  const toggle = useCallback(
    (i: number, row: CallRow, range: boolean) => {
      // Read before the update: React may run the updater later, after the anchor has moved.
      const from = anchor.current;
      anchor.current = i;
      setChecked((previous) =>
        toggleChecked(previous, { index: i, row, range, anchor: from, rowAt: (n) => store.rowAt(n) }),
      );
      setActiveIndex(i);
    },
    [store],
  );

  const clearChecked = useCallback(() => {
    anchor.current = null;
    setChecked(new Map());
  }, []);

  return { activeIndex: index, selected, checked, select, moveBy, toggle, clearChecked };
}
