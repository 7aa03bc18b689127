import { useId, useState } from 'react';
import type { Download } from '../../../shared/contract.ts';
import { isDesktop } from '../client/tapedeck-client.ts';
import { CloseIcon, FolderIcon } from '../ui/icons.tsx';
import { plural } from '../calls/call-format.ts';
import { type DownloadsState, formatBytes } from './use-downloads.ts';

const STATE_TEXT: Record<Download['state'], string> = {
  queued: 'Waiting',
  running: 'Downloading',
  finished: 'Saved',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The downloads drawer: every download (and CSV export) with its progress, Cancel while it runs,
 * and where it went. It lies over the list's side, never over the player; Esc closes it.
 */
export function DownloadsPanel(props: { downloads: DownloadsState; onClose: () => void }) {
  const { downloads } = props.downloads;
  const hasFinished = downloads.some((d) => d.state !== 'queued' && d.state !== 'running');
  return (
    <aside
      id="downloads-panel"
      className="downloads-panel"
      aria-label="Downloads"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header className="panel-header">
        <h2>Downloads</h2>
        {hasFinished && (
          <button type="button" className="button small ghost" onClick={props.downloads.clearFinished}>
            Clear finished
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Close downloads" onClick={props.onClose}>
          <CloseIcon />
        </button>
      </header>
      {downloads.length === 0 ? (
        <p className="panel-empty">
          Nothing downloaded yet. Press <kbd>D</kbd> on a call, or tick several and choose “Download
          selected”.
        </p>
      ) : (
        <ul className="download-list">
          {downloads.map((d) => (
            <DownloadItem key={d.id} download={d} state={props.downloads} />
          ))}
        </ul>
      )}
    </aside>
  );
}

function DownloadItem(props: { download: Download; state: DownloadsState }) {
  const { download: d } = props;
  const nameId = useId();
  const [revealNote, setRevealNote] = useState(false);
  const active = d.state === 'queued' || d.state === 'running';
  const total = d.totalBytes;
  return (
    <li className={`download download-${d.state}`}>
      <div className="download-name" id={nameId} title={d.path}>
        {d.fileName}
      </div>
      {active && (
        <progress
          value={total ? d.receivedBytes : undefined}
          max={total ?? undefined}
          aria-label={`Progress of ${d.fileName}`}
        />
      )}
      <div className="download-meta">
        <span className={`download-state state-${d.state}`}>
          {d.kind === 'export' ? 'Exported' : d.alreadySaved === true ? 'Already saved' : STATE_TEXT[d.state]}
        </span>
        {d.kind === 'export' && d.rows !== undefined && <span>CSV · {plural(d.rows, 'call')}</span>}
        {active && total !== null && (
          <span>
            {formatBytes(d.receivedBytes)} of {formatBytes(total)}
          </span>
        )}
        {d.state === 'finished' && total !== null && d.kind !== 'export' && <span>{formatBytes(total)}</span>}
        {d.state === 'failed' && d.error !== null && <span className="download-error">{d.error}</span>}
      </div>
      <div className="download-actions">
        {active && (
          <button
            type="button"
            className="button small"
            aria-describedby={nameId}
            onClick={() => props.state.cancel(d.id)}
          >
            Cancel
          </button>
        )}
        {d.state === 'finished' && isDesktop && !revealNote && (
          <button
            type="button"
            className="button small"
            aria-describedby={nameId}
            onClick={() => void props.state.reveal(d.id).then((shown) => setRevealNote(!shown))}
          >
            <FolderIcon /> Show in folder
          </button>
        )}
        {d.state === 'finished' && (!isDesktop || revealNote) && (
          <span className="download-path">
            <FolderIcon /> <span>{d.path}</span>
          </span>
        )}
      </div>
    </li>
  );
}
