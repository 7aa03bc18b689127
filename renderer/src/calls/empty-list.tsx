import type { LibraryStatus } from '../../../shared/contract.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { type CallFilter, dateOf, isFiltered, isReversed } from './call-query.ts';

/** What the list says when it has no rows: why, and the one thing to do about it. */
export function EmptyList(props: {
  filter: CallFilter;
  mode: LibraryStatus['mode'] | null;
  /** While a new bucket's first sync runs: its progress, instead of "no calls yet". */
  firstSync: string | null;
  onSwapDates: () => void;
  onClearFilters: () => void;
  onOpenSettings: () => void;
}) {
  const [zone] = useDisplayZone();
  const { filter } = props;
  if (isReversed(filter)) {
    return (
      <>
        <p>
          The date range is reversed: From ({dateOf(filter.from, zone)}) is after To (
          {dateOf(filter.to, zone)}), so no day is in it.
        </p>
        <button type="button" className="button small" onClick={props.onSwapDates}>
          Swap the dates
        </button>
      </>
    );
  }
  if (isFiltered(filter)) {
    return (
      <>
        <p>No calls match.</p>
        <button type="button" className="button small" onClick={props.onClearFilters}>
          Clear filters
        </button>
      </>
    );
  }
  if (props.mode === 'unconfigured') {
    return (
      <>
        <p>No library configured yet.</p>
        <button type="button" className="button small" onClick={props.onOpenSettings}>
          Open settings
        </button>
      </>
    );
  }
  if (props.firstSync !== null) return <p role="status">{props.firstSync}</p>;
  return <p>No calls in this library yet. Sync it from Settings, or import call metadata.</p>;
}
