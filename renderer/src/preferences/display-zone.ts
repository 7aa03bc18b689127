/**
 * Which zone the UI shows times in: the computer's ("local") or UTC. Kept in localStorage, so it
 * survives reloads and restarts; every view that shows or picks a time reads it from here.
 */
import { useSyncExternalStore } from 'react';

export type DisplayZone = 'local' | 'utc';

const STORAGE_KEY = 'tapedeck.displayZone';
const listeners = new Set<() => void>();

export function readDisplayZone(): DisplayZone {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

export function setDisplayZone(zone: DisplayZone): void {
  try {
    localStorage.setItem(STORAGE_KEY, zone);
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the page reloads.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The zone times are shown in, and a setter; every component using it re-renders on a change. */
export function useDisplayZone(): [DisplayZone, (zone: DisplayZone) => void] {
  const zone = useSyncExternalStore(subscribe, readDisplayZone, () => 'local' as const);
  return [zone, setDisplayZone];
}
