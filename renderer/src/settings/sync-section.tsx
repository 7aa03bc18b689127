import type { SyncStatusView, UpstreamSyncStatusView } from '../../../shared/contract.ts';
import { syncNotes, syncStateText, upstreamStateText } from '../library/sync-text.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';

/** Sync now, and how the latest sync (and the upstream pull, when there is one) went or is going. */
export function SyncSection(props: {
  sync: SyncStatusView | null;
  upstream: UpstreamSyncStatusView | null;
  busy: boolean;
  onSyncNow: () => void;
}) {
  return (
    <div className="sync-row">
      <button
        type="button"
        className="button"
        onClick={props.onSyncNow}
        disabled={props.busy || props.sync?.state === 'running'}
      >
        Sync now
      </button>
      <SyncProgress sync={props.sync} />
      {props.upstream !== null && <UpstreamProgress upstream={props.upstream} />}
    </div>
  );
}

function SyncProgress(props: { sync: SyncStatusView | null }) {
  const { sync } = props;
  const [zone] = useDisplayZone();
  if (sync === null) return <span className="muted">Not synced yet in this session.</span>;
  // Folder counts make the bar determinate once the run knows how many folders it will list.
  const known = sync.state === 'running' && sync.foldersTotal > 0;
  return (
    <span className={sync.state === 'failed' ? 'form-error inline' : 'muted'} role="status">
      {sync.state === 'running' &&
        (known ? (
          <progress aria-label="Sync progress" value={sync.foldersDone} max={sync.foldersTotal} />
        ) : (
          <progress aria-label="Sync progress" />
        ))}
      {syncStateText(sync, zone)}
      {syncNotes(sync).map((note) => (
        <span key={note.text} className={note.warning ? 'sync-note warning' : 'sync-note'}>
          {' · '}
          {note.text}
        </span>
      ))}
    </span>
  );
}

/** The upstream Recording API's pull, on its own line under the S3 sync. */
function UpstreamProgress(props: { upstream: UpstreamSyncStatusView }) {
  const { upstream } = props;
  const [zone] = useDisplayZone();
  return (
    <span
      className={`upstream-status ${upstream.state === 'failed' ? 'form-error inline' : 'muted'}`}
      role="status"
      aria-label="Upstream API"
    >
      {upstream.state === 'running' && <progress aria-label="Upstream pull progress" />}
      {upstreamStateText(upstream, zone)}
    </span>
  );
}
