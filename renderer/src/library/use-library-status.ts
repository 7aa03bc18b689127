import { useCallback, useEffect, useState } from 'react';
import type { LibraryStatus, SyncStatusView } from '../../../shared/contract.ts';
import { client } from '../client/tapedeck-client.ts';

export interface LibraryState {
  readonly status: LibraryStatus | null;
  /** Why the status could not be read (the server is down, say). */
  readonly error: string | null;
  /** The latest sync progress, from `sync:progress` (or the status). */
  readonly sync: SyncStatusView | null;
  readonly reload: () => void;
}

/** `library:status`, kept current by `library:changed` (which carries the new status) and `sync:progress`. */
export function useLibraryStatus(): LibraryState {
  const [status, setStatus] = useState<LibraryStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sync, setSync] = useState<SyncStatusView | null>(null);

  const reload = useCallback(() => {
    void client['library:status']({}).then((reply) => {
      if (reply.ok) {
        setStatus(reply.value);
        setSync(reply.value.sync);
        setError(null);
      } else {
        setError(reply.error.message);
      }
    });
  }, []);

  useEffect(() => {
    reload();
    const offChanged = client.on('library:changed', (next) => {
      setStatus(next);
      setSync(next.sync);
      setError(null);
    });
    const offSync = client.on('sync:progress', setSync);
    return () => {
      offChanged();
      offSync();
    };
  }, [reload]);

  return { status, error, sync, reload };
}

/** Minutes until temporary credentials expire, re-checked every 30 s; null when they do not expire. */
export function useMinutesUntil(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (iso === null) return;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [iso]);
  if (iso === null) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : (at - now) / 60_000;
}
