import { useEffect, useState, useSyncExternalStore } from 'react';
import { client } from '../client/tapedeck-client.ts';
import { CallPageStore, type CallPagesSnapshot } from './call-page-store.ts';
import type { CallFilter } from './call-query.ts';

/** The call list's pages for `filter`, re-fetched when the library changes. */
export function useCallPages(filter: CallFilter): { store: CallPageStore; snapshot: CallPagesSnapshot } {
  const [store] = useState(() => new CallPageStore(client));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => store.setFilter(filter), [store, filter]);
  useEffect(() => client.on('library:changed', () => store.refresh()), [store]);

  return { store, snapshot };
}
