import { useCallback, useEffect, useRef, useState } from 'react';
import type { Download } from '../../../shared/contract.ts';
import { client } from '../client/tapedeck-client.ts';
import { useNotify } from '../ui/notices.tsx';

export interface BatchProgress {
  readonly count: number;
  readonly finished: number;
  readonly failed: number;
  /** 0..1 by bytes where sizes are known, else by files. */
  readonly fraction: number;
  readonly done: boolean;
}

export interface DownloadsState {
  /** Newest first. */
  readonly downloads: readonly Download[];
  /** Queued or running. */
  readonly active: number;
  /** The last bulk download ("Download selected"), for its overall progress bar. */
  readonly batch: BatchProgress | null;
  start(interactionIds: readonly string[], options?: { batch?: boolean }): Promise<boolean>;
  cancel(id: string): void;
  reveal(id: string): Promise<boolean>;
  clearFinished(): void;
}

const isActive = (d: Download) => d.state === 'queued' || d.state === 'running';

/** Downloads from `downloads:list`, kept current by `downloads:progress`; messages on start, finish and failure. */
export function useDownloads(): DownloadsState {
  const notify = useNotify();
  const [byId, setById] = useState<ReadonlyMap<string, Download>>(new Map());
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [batchIds, setBatchIds] = useState<readonly string[]>([]);
  /** Downloads seen queued or running in this window: each gets one message when it ends. */
  const watching = useRef(new Set<string>());

  const upsert = useCallback((downloads: readonly Download[]) => {
    for (const d of downloads) if (isActive(d)) watching.current.add(d.id);
    setById((previous) => {
      const next = new Map(previous);
      for (const d of downloads) next.set(d.id, latest(next.get(d.id), d));
      return next;
    });
  }, []);

  useEffect(() => {
    void client['downloads:list']({}).then((reply) => {
      if (reply.ok) upsert(reply.value);
    });
    return client.on('downloads:progress', (d) => upsert([d]));
  }, [upsert]);

  // One message per download when it ends, whichever way it ended (not for earlier sessions' ones).
  useEffect(() => {
    for (const d of byId.values()) {
      if (isActive(d) || !watching.current.has(d.id)) continue;
      watching.current.delete(d.id);
      if (d.state === 'finished') notify('info', `Saved ${d.fileName}`);
      if (d.state === 'failed')
        notify('error', `${d.fileName} could not be downloaded: ${d.error ?? 'unknown error'}`);
    }
  }, [byId, notify]);

  const start = useCallback(
    async (interactionIds: readonly string[], options?: { batch?: boolean }) => {
      const reply = await client['downloads:start']({ interactionIds: [...interactionIds] });
      if (!reply.ok) {
        notify('error', reply.error.message);
        return false;
      }
      const { downloads, skipped } = reply.value;
      upsert(downloads);
      if (options?.batch) setBatchIds(downloads.map((d) => d.id));
      if (skipped.length > 0) {
        notify(
          'info',
          skipped.length === 1 && interactionIds.length === 1
            ? 'This call has no recording to download.'
            : `${skipped.length} of ${interactionIds.length} calls have no recording and were skipped.`,
        );
      }
      return downloads.length > 0;
    },
    [notify, upsert],
  );

  const cancel = useCallback(
    (id: string) => {
      void client['downloads:cancel']({ id }).then((reply) => {
        if (reply.ok) upsert([reply.value]);
        else notify('error', reply.error.message);
      });
    },
    [notify, upsert],
  );

  const reveal = useCallback(
    async (id: string) => {
      const reply = await client['downloads:reveal']({ id });
      if (!reply.ok) {
        notify('error', reply.error.message);
        return false;
      }
      return reply.value.shown;
    },
    [notify],
  );

  const clearFinished = useCallback(() => {
    setHidden((previous) => {
      const next = new Set(previous);
      for (const d of byId.values()) if (!isActive(d)) next.add(d.id);
      return next;
    });
  }, [byId]);

  const downloads = [...byId.values()].filter((d) => !hidden.has(d.id)).reverse();
  const active = downloads.filter(isActive).length;
  return { downloads, active, batch: batchProgress(batchIds, byId), start, cancel, reveal, clearFinished };
}

/**
 * Events and replies can arrive out of order (a tiny file finishes before `downloads:start` even
 * answers): an older snapshot never replaces a newer one.
 */
function latest(current: Download | undefined, incoming: Download): Download {
  if (current === undefined) return incoming;
  if (!isActive(current)) return current; // finished, failed and cancelled are final
  if (isActive(incoming) && incoming.receivedBytes < current.receivedBytes) return current;
  return incoming;
}

function batchProgress(ids: readonly string[], byId: ReadonlyMap<string, Download>): BatchProgress | null {
  const items = ids.map((id) => byId.get(id)).filter((d): d is Download => d !== undefined);
  if (items.length === 0) return null;
  const finished = items.filter((d) => d.state === 'finished').length;
  const failed = items.filter((d) => d.state === 'failed' || d.state === 'cancelled').length;
  const known = items.every((d) => d.totalBytes !== null && d.totalBytes > 0);
  const fraction = known
    ? items.reduce((sum, d) => sum + (d.state === 'finished' ? (d.totalBytes ?? 0) : d.receivedBytes), 0) /
      items.reduce((sum, d) => sum + (d.totalBytes ?? 0), 0)
    : (finished + failed) / items.length;
  return { count: items.length, finished, failed, fraction, done: finished + failed === items.length };
}

const byteFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${byteFormat.format(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${byteFormat.format(bytes / 1024 ** 2)} MB`;
  return `${byteFormat.format(bytes / 1024 ** 3)} GB`;
}
