/**
 * A small preference kept in localStorage (so it survives reloads and restarts) that components
 * read with a hook and re-render on when it changes. Storage refused (private mode, a sandboxed
 * scheme) only means the choice lasts until the page reloads.
 */
import { useSyncExternalStore } from 'react';

export interface StoredPreference<T> {
  read(): T;
  write(value: T): void;
  use(): [T, (value: T) => void];
}

export function storedPreference<T>(
  key: string,
  parse: (stored: string | null) => T,
  serialize: (value: T) => string = String,
): StoredPreference<T> {
  const listeners = new Set<() => void>();
  let memory: T | undefined;
  const read = (): T => {
    if (memory !== undefined) return memory;
    try {
      return parse(localStorage.getItem(key));
    } catch {
      return parse(null);
    }
  };
  const write = (value: T): void => {
    memory = value;
    try {
      localStorage.setItem(key, serialize(value));
    } catch {
      // Kept in memory only (see above).
    }
    for (const listener of listeners) listener();
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    read,
    write,
    use: () => [useSyncExternalStore(subscribe, read, () => parse(null)), write],
  };
}

/** Play the next call when one ends. Off until the reviewer turns it on. */
export const autoAdvance = storedPreference('tapedeck.autoAdvance', (stored) => stored === 'true');
