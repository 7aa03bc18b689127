/**
 * The list's view (filters, search, selected call) kept across reloads and restarts
 * (localStorage), and in web mode also in the address bar, so a view can be bookmarked or shared.
 * An address that names a view wins over the one saved.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isDesktop } from '../client/tapedeck-client.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { type CallFilter, rezoneFilter } from './call-query.ts';
import {
  emptyView,
  type ListView,
  viewFromJson,
  viewFromQuery,
  viewToJson,
  viewToQuery,
} from './view-state.ts';

const STORAGE_KEY = 'tapedeck.listView';

function initialView(): ListView {
  const fromUrl = isDesktop ? null : viewFromQuery(window.location.search);
  if (fromUrl !== null) return fromUrl;
  try {
    return viewFromJson(localStorage.getItem(STORAGE_KEY)) ?? emptyView;
  } catch {
    return emptyView;
  }
}

export interface ListViewState {
  readonly filter: CallFilter;
  readonly setFilter: (filter: CallFilter) => void;
  /** The call selected when the page opened (to select again once its row is loaded). */
  readonly restoredId: string | null;
  /** Remembers the selected call, for the next reload. */
  readonly setSelectedId: (id: string | null) => void;
}

export function useListView(): ListViewState {
  const [initial] = useState(initialView);
  const [filter, setFilter] = useState<CallFilter>(initial.filter);
  const [selectedId, setSelectedId] = useState<string | null>(initial.selectedId);
  const [zone] = useDisplayZone();
  const zoneBefore = useRef(zone);

  // Switching zones keeps the picked days meaning the same calendar days.
  useEffect(() => {
    if (zoneBefore.current === zone) return;
    const from = zoneBefore.current;
    zoneBefore.current = zone;
    setFilter((current) => rezoneFilter(current, from, zone));
  }, [zone]);

  useEffect(() => {
    const view: ListView = { filter, selectedId };
    try {
      localStorage.setItem(STORAGE_KEY, viewToJson(view));
    } catch {
      // Storage refused: the view lasts as long as the page.
    }
    if (!isDesktop) {
      const url = `${window.location.pathname}${viewToQuery(view)}${window.location.hash}`;
      if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`)
        window.history.replaceState(window.history.state, '', url);
    }
  }, [filter, selectedId]);

  const remember = useCallback((id: string | null) => setSelectedId(id), []);
  return { filter, setFilter, restoredId: initial.selectedId, setSelectedId: remember };
}
