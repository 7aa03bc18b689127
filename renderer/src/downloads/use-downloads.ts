import { useCallback, useEffect, useRef, useState } from 'react';
import type { Download } from '../../../shared/contract.ts';
import { client, isDesktop } from '../client/tapedeck-client.ts';
import { useNotify } from '../ui/notices.tsx';
import { actionEnded, type DownloadAction, outcomeText, progressText } from './download-notice.ts';

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

interface PendingAction {
  readonly group: string;
  readonly asked: number;
  readonly skipped: number;
  readonly ids: readonly string[];
}

let nextAction = 1;

/**
 * Downloads from `downloads:list`, kept current by `downloads:progress`. Each download action (D,
 * "Download selected") is one notice, updated in place from "Saving…" to how it ended.
 */
export function useDownloads(): DownloadsState {
  const notify = useNotify();
  const [byId, setById] = useState<ReadonlyMap<string, Download>>(new Map());
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [batchIds, setBatchIds] = useState<readonly string[]>([]);
  /** Actions of this window not ended yet: each gets one closing notice. */
  const pending = useRef<PendingAction[]>([]);

  const upsert = useCallback((downloads: readonly Download[]) => {
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

  /** The closing notice of an action, with "Show in folder" for a single file on the desktop. */
  const announce = useCallback(
    (action: PendingAction, downloads: readonly Download[]) => {
      const outcome = outcomeText({ asked: action.asked, skipped: action.skipped, downloads });
      const [only] = downloads;
      const single = downloads.length === 1 && only !== undefined && only.state === 'finished';
      let text = outcome.text;
      if (single && !isDesktop && only.alreadySaved === true) text += ` (${only.path})`;
      notify(outcome.kind, text, {
        group: action.group,
        action:
          single && isDesktop ? { label: 'Show in folder', run: () => void reveal(only.id) } : undefined,
      });
    },
    [notify, reveal],
  );

  useEffect(() => {
    pending.current = pending.current.filter((action) => {
      const downloads = action.ids.map((id) => byId.get(id)).filter((d): d is Download => d !== undefined);
      if (downloads.length < action.ids.length) return true;
      const state: DownloadAction = { asked: action.asked, skipped: action.skipped, downloads };
      if (!actionEnded(state)) return true;
      announce(action, downloads);
      return false;
    });
  }, [byId, announce]);

  const start = useCallback(
    async (interactionIds: readonly string[], options?: { batch?: boolean }) => {
      const reply = await client['downloads:start']({ interactionIds: [...interactionIds] });
      if (!reply.ok) {
        notify('error', reply.error.message);
        return false;
      }
      const { downloads, skipped } = reply.value;
      const action: PendingAction = {
        group: `download-${nextAction++}`,
        asked: interactionIds.length,
        skipped: skipped.length,
        ids: downloads.map((d) => d.id),
      };
      if (options?.batch) setBatchIds(downloads.map((d) => d.id));
      const state: DownloadAction = { asked: action.asked, skipped: action.skipped, downloads };
      if (actionEnded(state)) {
        announce(action, downloads);
      } else {
        notify('info', progressText(state), { group: action.group });
        pending.current.push(action);
      }
      upsert(downloads);
      return downloads.length > 0;
    },
    [notify, upsert, announce],
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
  if (!isActive(current)) return incoming.alreadySaved === true ? incoming : current; // final states stay
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
