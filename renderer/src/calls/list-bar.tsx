import type { LibraryStatus } from '../../../shared/contract.ts';
import type { BatchProgress } from '../downloads/use-downloads.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { ExportIcon } from '../ui/icons.tsx';
import { formatCount, matchCountText, plural, zoneLabel } from './call-format.ts';

/**
 * Above the list: how many calls (of how many), which zone times are in, and the bulk actions. The
 * rows show before their count: meanwhile it says it is counting (issue 14).
 */
export function ListBar(props: {
  /** The view's exact count; null until known. */
  total: number | null;
  /** The count was asked for and has not arrived: the rows are there, their number is coming. */
  counting?: boolean;
  filtered: boolean;
  counts: LibraryStatus['counts'] | null;
  error: string | null;
  batch: BatchProgress | null;
  exporting: boolean;
  checkedCount: number;
  onExport: () => void;
  onClearChecked: () => void;
  onDownloadChecked: () => void;
}) {
  const [zone] = useDisplayZone();
  const { total, counts, batch } = props;
  return (
    <div className="list-bar">
      <p className="list-count" aria-live="polite">
        {total === null ? (
          props.counting ? (
            <span className="list-counting">Counting calls…</span>
          ) : (
            'Loading calls…'
          )
        ) : props.filtered ? (
          <strong>{matchCountText(total, counts?.interactions ?? null)}</strong>
        ) : (
          <>
            <strong>{plural(total, 'call')}</strong>
            {counts && <span> · {formatCount(counts.withRecording)} with recordings</span>}
          </>
        )}
      </p>
      <p className="list-zone muted">Times in {zoneLabel(zone)}</p>
      {props.error !== null && (
        <p className="list-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="bulk-actions">
        {batch !== null && !batch.done && (
          <span className="batch-progress">
            <progress value={batch.fraction} max={1} aria-label="Overall download progress" />
            <span>
              {formatCount(batch.finished)} of {formatCount(batch.count)} · {Math.round(batch.fraction * 100)}
              %
            </span>
          </span>
        )}
        <button
          type="button"
          className="button small"
          aria-keyshortcuts="E"
          title="Save the calls in this view as a CSV file in the downloads folder (E). Its times are UTC."
          aria-busy={props.exporting}
          disabled={props.exporting || total === 0 || (total === null && !props.counting)}
          onClick={props.onExport}
        >
          <ExportIcon />
          Export CSV
        </button>
        {props.checkedCount > 0 && (
          <button type="button" className="button small ghost" onClick={props.onClearChecked}>
            Clear selection
          </button>
        )}
        <button
          type="button"
          className="button small primary"
          disabled={props.checkedCount === 0}
          onClick={props.onDownloadChecked}
        >
          Download selected ({formatCount(props.checkedCount)})
        </button>
      </div>
    </div>
  );
}
