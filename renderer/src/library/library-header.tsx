import type { LibraryStatus, SyncStatusView } from '../../../shared/contract.ts';
import { TeamIndicator } from '../team/team-indicator.tsx';
import type { TeamStatus } from '../team/team-text.ts';
import { DownloadIcon, KeyboardIcon, SettingsIcon, SyncIcon, WaveIcon } from '../ui/icons.tsx';
import { firstSyncText, folderName, syncProgressText } from './sync-text.ts';
import { useLibrarySwitch } from './use-library-switch.ts';

/** The top bar: which library this is, how big, and the ways into settings, downloads and help. */
export function LibraryHeader(props: {
  status: LibraryStatus | null;
  sync: SyncStatusView | null;
  activeDownloads: number;
  downloadsOpen: boolean;
  onToggleDownloads: () => void;
  onOpenSettings: () => void;
  onOpenShortcuts: () => void;
  /** The team's sharing status (null: not shared, or not known yet). */
  team?: TeamStatus | null;
}) {
  const { status, sync } = props;
  const librarySwitch = useLibrarySwitch();
  const firstSync = firstSyncText(status, sync);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <WaveIcon size={20} />
        </span>
        <h1>Tapedeck</h1>
      </div>
      <div className="library-info">
        {status?.mode === 'demo' && <span className="badge badge-demo">Demo library</span>}
        <span className="library-location" title={status?.location ?? undefined}>
          {status === null
            ? 'Opening library…'
            : (status.location ?? (status.mode === 'unconfigured' ? 'No library configured' : 'Library'))}
        </span>
        {/* Until the first rows arrive, a new bucket's list is empty: say why, and how far it got. */}
        {firstSync !== null ? (
          <span className="sync-pill first-sync" role="status">
            <SyncIcon /> {firstSync}
          </span>
        ) : (
          sync?.state === 'running' && (
            <span className="sync-pill" role="status">
              <SyncIcon /> Syncing… {syncProgressText(sync)}
              {sync.resumedFrom !== null && (
                <span className="muted"> · resumed from {folderName(sync.resumedFrom)}</span>
              )}
            </span>
          )
        )}
        {status?.mode === 'bucket' && (
          // The demo stays one click away from your own bucket, and back (the demo banner).
          <button
            type="button"
            className="button small ghost"
            disabled={librarySwitch.opening !== null}
            onClick={() => void librarySwitch.open('demo')}
          >
            {librarySwitch.opening === 'demo' ? 'Opening the demo…' : 'Open the demo library'}
          </button>
        )}
      </div>
      <nav className="header-actions" aria-label="App">
        <TeamIndicator status={props.team ?? null} />
        <button
          type="button"
          className="button ghost"
          aria-label="Downloads"
          aria-expanded={props.downloadsOpen}
          aria-controls="downloads-panel"
          onClick={props.onToggleDownloads}
        >
          <DownloadIcon />
          <span className="button-label">Downloads</span>
          {props.activeDownloads > 0 && (
            <span className="count-badge" aria-hidden="true">
              {props.activeDownloads}
            </span>
          )}
        </button>
        <button type="button" className="button ghost" aria-label="Settings" onClick={props.onOpenSettings}>
          <SettingsIcon />
          <span className="button-label">Settings</span>
        </button>
        <button
          type="button"
          className="button ghost icon-only"
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts="?"
          onClick={props.onOpenShortcuts}
        >
          <KeyboardIcon />
        </button>
      </nav>
    </header>
  );
}
