/** How a sync of the S3 listing and a pull from the upstream API read on screen (header, Settings). */
import type { LibraryStatus, SyncStatusView, UpstreamSyncStatusView } from '../../../shared/contract.ts';
import { formatCount, plural } from '../calls/call-format.ts';
import type { DisplayZone } from '../preferences/display-zone.ts';

/** `12 of 30 folders, 3,400 objects` while the folders are known; just the objects before that. */
export function syncProgressText(sync: SyncStatusView): string {
  const objects = plural(sync.objectsListed, 'object');
  return sync.foldersTotal > 0
    ? `${formatCount(sync.foldersDone)} of ${plural(sync.foldersTotal, 'folder')}, ${objects}`
    : `${objects} listed`;
}

/**
 * While a bucket just opened has no calls yet, how its first sync is going (the header shows it
 * until the first rows arrive); null once there are calls, or when that sync ended (a failure is a
 * banner of its own).
 */
export function firstSyncText(status: LibraryStatus | null, sync: SyncStatusView | null): string | null {
  if (status?.mode !== 'bucket' || status.counts.interactions > 0) return null;
  if (sync === null || sync.state === 'idle') return 'Starting the first sync of this bucket…';
  if (sync.state === 'running') return `First sync of this bucket… ${syncProgressText(sync)}`;
  return null;
}

/** The one line that says how the latest sync is going or went; its time in the zone the UI shows. */
export function syncStateText(sync: SyncStatusView, zone: DisplayZone = 'local'): string {
  const counts = `${plural(sync.objectsListed, 'object')} listed, ${formatCount(sync.recordingsAdded)} new, ${formatCount(sync.recordingsRemoved)} removed`;
  switch (sync.state) {
    case 'idle':
      return 'Idle.';
    case 'running':
      return `Syncing… ${syncProgressText(sync)}`;
    case 'succeeded': {
      const folders = sync.foldersTotal > 0 ? `${plural(sync.foldersTotal, 'folder')}, ` : '';
      return `Synced${timeOf(sync.finishedAt, zone)}: ${folders}${counts}.`;
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
export function upstreamStateText(upstream: UpstreamSyncStatusView, zone: DisplayZone = 'local'): string {
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
      return `Pulled from the upstream API${timeOf(upstream.finishedAt, zone)}: ${counts}${skipped}${resumed}.`;
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

/** ` 14:05:09` (local) or ` 12:05:09 UTC`; nothing when there is no time to show. */
function timeOf(iso: string | null, zone: DisplayZone): string {
  if (iso === null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return zone === 'utc'
    ? ` ${date.toLocaleTimeString(undefined, { timeZone: 'UTC' })} UTC`
    : ` ${date.toLocaleTimeString()}`;
}
