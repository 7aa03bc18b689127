/** How a sync of the S3 listing and a pull from the upstream API read on screen (header, Settings). */
import type { SyncStatusView, UpstreamSyncStatusView } from '../../../shared/contract.ts';
import { formatCount, plural } from '../calls/call-format.ts';

/** `12 of 30 folders, 3,400 objects` while the folders are known; just the objects before that. */
export function syncProgressText(sync: SyncStatusView): string {
  const objects = plural(sync.objectsListed, 'object');
  return sync.foldersTotal > 0
    ? `${formatCount(sync.foldersDone)} of ${plural(sync.foldersTotal, 'folder')}, ${objects}`
    : `${objects} listed`;
}

/** The one line that says how the latest sync is going or went. */
export function syncStateText(sync: SyncStatusView): string {
  const counts = `${plural(sync.objectsListed, 'object')} listed, ${formatCount(sync.recordingsAdded)} new, ${formatCount(sync.recordingsRemoved)} removed`;
  switch (sync.state) {
    case 'idle':
      return 'Idle.';
    case 'running':
      return `Syncing… ${syncProgressText(sync)}`;
    case 'succeeded': {
      const folders = sync.foldersTotal > 0 ? `${plural(sync.foldersTotal, 'folder')}, ` : '';
      return `Synced${timeOf(sync.finishedAt)}: ${folders}${counts}.`;
    }
    case 'failed':
      return `Sync failed: ${sync.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Sync cancelled.';
  }
}

/** Notes beside that line: where an interrupted run picked up, and the Egress manifests it read. */
export function syncNotes(sync: SyncStatusView): { text: string; warning: boolean }[] {
  const notes: { text: string; warning: boolean }[] = [];
  if (sync.resumedFrom !== null)
    notes.push({ text: `Resumed from ${folderName(sync.resumedFrom)}`, warning: false });
  if (sync.manifestsRead > 0)
    notes.push({ text: `${plural(sync.manifestsRead, 'manifest')} read`, warning: false });
  if (sync.manifestsSkipped > 0) {
    notes.push({
      text: `${plural(sync.manifestsSkipped, 'manifest')} skipped (unreadable or malformed)`,
      warning: true,
    });
  }
  return notes;
}

/** The pull from the upstream Recording API (TAPEDECK_UPSTREAM_URL), in one line. */
export function upstreamStateText(upstream: UpstreamSyncStatusView): string {
  const counts = `${plural(upstream.pagesFetched, 'page')}, ${plural(upstream.interactionsCached, 'call')} cached`;
  const skipped = upstream.itemsSkipped > 0 ? `, ${plural(upstream.itemsSkipped, 'item')} skipped` : '';
  const resumed =
    upstream.resumedFromOffset !== null
      ? ` (resumed from offset ${formatCount(upstream.resumedFromOffset)})`
      : '';
  switch (upstream.state) {
    case 'idle':
      return 'Upstream API: not pulled yet.';
    case 'running':
      return `Pulling from the upstream API… ${counts}${skipped}${resumed}`;
    case 'succeeded':
      return `Pulled from the upstream API${timeOf(upstream.finishedAt)}: ${counts}${skipped}${resumed}.`;
    case 'failed':
      return `Upstream pull failed: ${upstream.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Upstream pull cancelled.';
  }
}

/** `egress-recordings/2025/08/07/` reads as `2025/08/07/`; any other folder as it is. */
export function folderName(prefix: string): string {
  return /(\d{4}\/\d{2}\/\d{2}\/?)$/.exec(prefix)?.[1] ?? prefix;
}

function timeOf(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : ` ${date.toLocaleTimeString()}`;
}
