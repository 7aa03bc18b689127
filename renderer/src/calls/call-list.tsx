/**
 * The call list: a virtualized grid. Only the rows on screen (plus a few) exist in the DOM, and
 * only their pages are fetched, so 100k calls scroll as smoothly as 10. The grid is one Tab stop:
 * it keeps the focus (a click anywhere in it, on a checkbox or a row's play button included, leaves
 * the focus on it) and shows the selected row with aria-activedescendant while ↑/↓ move it, so the
 * focus never falls to the page when a row scrolls away. Columns fold with the list's width (CSS).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type Ref, useEffect, useImperativeHandle, useLayoutEffect, useRef } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import type { CallReviewSummary } from '../../../shared/contract/reviews.ts';
import { ReviewCell } from '../reviews/reviews-bar.tsx';
import { type DisplayZone, useDisplayZone } from '../preferences/display-zone.ts';
import { alsoSaid, snippetRuns, speakerName } from '../transcripts/transcript-turns.ts';
import { PlayIcon } from '../ui/icons.tsx';
import { callTitle, formatClock, formatPhone, formatStartTime, humanize, zoneLabel } from './call-format.ts';
import type { CallPageStore, CallPagesSnapshot } from './call-page-store.ts';
import { useRowHeight } from './use-row-height.ts';

export interface CallListHandle {
  /** How many rows fit on screen: Page Up / Page Down move by this much. */
  visibleRows(): number;
  focus(): void;
}

export interface CallListProps {
  ref?: Ref<CallListHandle>;
  store: CallPageStore;
  snapshot: CallPagesSnapshot;
  activeIndex: number | null;
  checked: ReadonlyMap<string, CallRow>;
  /** The call in the player, and whether it is playing. */
  playingId: string | null;
  playing: boolean;
  onSelect(index: number): void;
  onPlay(index: number): void;
  onToggleChecked(index: number, row: CallRow, range: boolean): void;
  /** Shown instead of rows when nothing matches. */
  empty: React.ReactNode;
  /** The review column: each call's review at a glance (null: unreviewed; absent: not known yet). */
  reviews?: ReadonlyMap<string, CallReviewSummary | null>;
  /** The calls on screen, so their reviews can be fetched. */
  onRowsShown?: (ids: string[]) => void;
  /** The query has `said`: each row gains a line with where the words were said (its first hit). */
  withSaid?: boolean;
}

/** The height of a row's `said` line, added to every row while the query has `said`. */
export const SAID_LINE_HEIGHT = 22;

export function CallList(props: CallListProps) {
  const { store, snapshot, activeIndex } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const withSaid = props.withSaid ?? false;
  const rowHeight = useRowHeight() + (withSaid ? SAID_LINE_HEIGHT : 0);
  const total = snapshot.total ?? 0;
  const [zone] = useDisplayZone();
  /** Clicks inside the grid keep the keyboard on it (a checkbox or a vanishing button would not). */
  const keepFocus = (event: React.MouseEvent) => {
    if (event.target instanceof HTMLElement && event.target.closest('input, button')) event.preventDefault();
    if (document.activeElement !== gridRef.current) gridRef.current?.focus({ preventScroll: true });
  };

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });

  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total > 0) store.want(first, last);
  }, [store, first, last, total]);

  const { onRowsShown } = props;
  useEffect(() => {
    if (!onRowsShown || total === 0) return;
    const ids: string[] = [];
    for (let i = first; i <= last; i++) {
      const row = store.rowAt(i);
      if (row) ids.push(row.interaction_id);
    }
    if (ids.length > 0) onRowsShown(ids);
  }, [store, first, last, total, snapshot.version, onRowsShown]);

  // The selection follows the keyboard: keep it on screen.
  useEffect(() => {
    if (activeIndex !== null && activeIndex < total)
      virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, total, virtualizer]);

  useImperativeHandle(props.ref, () => ({
    visibleRows: () =>
      Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1),
    focus: () => gridRef.current?.focus(),
  }));

  const activeVisible = activeIndex !== null && activeIndex >= first && activeIndex <= last;

  return (
    <div
      ref={gridRef}
      className="call-grid"
      role="grid"
      aria-label="Calls"
      aria-rowcount={total + 1}
      aria-colcount={withSaid ? 10 : 9}
      aria-multiselectable="true"
      aria-busy={snapshot.loading}
      aria-activedescendant={activeVisible ? `call-row-${activeIndex}` : undefined}
      tabIndex={0}
      onMouseDown={keepFocus}
      // Whatever way a control inside a row got the focus, the grid takes it back: one Tab stop.
      onFocus={(event) => {
        if (event.target !== gridRef.current) gridRef.current?.focus({ preventScroll: true });
      }}
    >
      <div role="rowgroup" className="call-head">
        <div className="call-row call-header" role="row" aria-rowindex={1}>
          <span role="columnheader" className="cell-check">
            <span className="visually-hidden">Selected for download</span>
          </span>
          <span role="columnheader" className="cell-customer">
            Customer
          </span>
          <span role="columnheader" className="cell-phone">
            Phone
          </span>
          <span role="columnheader" className="cell-status">
            Status
          </span>
          <span role="columnheader" className="cell-outcome">
            Outcome
          </span>
          <span role="columnheader" className="cell-number cell-duration">
            Duration
          </span>
          <span role="columnheader" className="cell-time" title={`Start times are in ${zoneLabel(zone)}`}>
            Start time <span className="muted zone-note">({zone === 'utc' ? 'UTC' : 'local'})</span>
          </span>
          <span role="columnheader" className="cell-recording">
            Recording
          </span>
          <span role="columnheader" className="cell-review">
            Review
          </span>
        </div>
      </div>
      {/* Not a Tab stop (Chromium makes scrollers one): a click in it focuses the grid, which takes the keys. */}
      <div ref={scrollRef} role="rowgroup" className="call-scroll" tabIndex={-1}>
        {snapshot.total === 0 ? (
          <div role="row" aria-rowindex={2}>
            <div role="gridcell" className="call-list-empty">
              {props.empty}
            </div>
          </div>
        ) : (
          <div className="call-rows" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = store.rowAt(item.index);
              return (
                <div
                  key={item.key}
                  className="call-row-slot"
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                >
                  {row === undefined ? (
                    <PlaceholderRow index={item.index} />
                  ) : (
                    <CallListRow
                      index={item.index}
                      row={row}
                      active={item.index === activeIndex}
                      checked={props.checked.has(row.interaction_id)}
                      playing={
                        props.playingId === row.interaction_id ? (props.playing ? 'playing' : 'paused') : null
                      }
                      onSelect={props.onSelect}
                      onPlay={props.onPlay}
                      onToggleChecked={props.onToggleChecked}
                      zone={zone}
                      review={props.reviews?.get(row.interaction_id)}
                      withSaid={withSaid}
                    />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

const CallListRow = memo(function CallListRow(props: {
  index: number;
  row: CallRow;
  active: boolean;
  checked: boolean;
  playing: 'playing' | 'paused' | null;
  onSelect(index: number): void;
  onPlay(index: number): void;
  onToggleChecked(index: number, row: CallRow, range: boolean): void;
  zone: DisplayZone;
  review: CallReviewSummary | null | undefined;
  withSaid: boolean;
}) {
  const { row, index } = props;
  const title = callTitle(row);
  const hit = row.said?.[0];
  const more = row.said?.slice(1) ?? [];
  return (
    <div
      id={`call-row-${index}`}
      className={`call-row${props.withSaid ? ' has-said' : ''}${props.active ? ' is-active' : ''}${props.checked ? ' is-checked' : ''}${props.playing ? ' is-playing' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.active}
      data-interaction-id={row.interaction_id}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onPlay(index)}
    >
      <span role="gridcell" className="cell-check">
        <input
          type="checkbox"
          // Not a Tab stop of its own: the grid is one (Space ticks the selected row).
          tabIndex={-1}
          aria-label={`Select ${title} for download`}
          checked={props.checked}
          // Shift-click ticks the whole range from the last ticked row.
          onClick={(event) => {
            event.stopPropagation();
            props.onToggleChecked(index, row, event.shiftKey);
          }}
          onChange={() => {}}
        />
      </span>
      <span role="gridcell" className="cell-customer">
        {props.playing !== null && (
          <span
            className={`playing-mark${props.playing === 'playing' ? ' is-playing' : ''}`}
            role="img"
            aria-label={props.playing === 'playing' ? 'Playing' : 'In the player, paused'}
          >
            <span />
            <span />
            <span />
          </span>
        )}
        <span className="customer-name">{row.customer_name ?? <span className="muted">Unknown</span>}</span>
        {row.recording === null && (
          // The Recording column folds away on a narrow list: the row still says it has none.
          <span className="no-recording-mark" title="No recording">
            No recording
          </span>
        )}
        {row.recording !== null && props.playing !== 'playing' && (
          // For the mouse: keyboard users have Enter, so this is not a tab stop in every row.
          <button
            type="button"
            className="row-play"
            tabIndex={-1}
            aria-label={`Play ${title}`}
            onClick={(event) => {
              event.stopPropagation();
              props.onPlay(index);
            }}
          >
            <PlayIcon size={12} />
          </button>
        )}
      </span>
      <span role="gridcell" className="cell-phone" title={row.phone ?? undefined}>
        {/* Held at the cell's end: when it is too narrow the start is cut, never the last digits. */}
        <span className="phone-digits">{formatPhone(row.phone)}</span>
      </span>
      <span role="gridcell" className="cell-status">
        <span className={`chip chip-status-${slug(row.status)}`} title={humanize(row.status)}>
          {humanize(row.status)}
        </span>
      </span>
      <span role="gridcell" className="cell-outcome">
        {humanize(row.outcome)}
      </span>
      <span role="gridcell" className="cell-number cell-duration">
        {row.duration === null ? '—' : formatClock(row.duration)}
      </span>
      <span role="gridcell" className="cell-time">
        <time dateTime={row.start_time ?? undefined}>{formatStartTime(row.start_time, props.zone)}</time>
      </span>
      <span role="gridcell" className="cell-recording">
        {row.recording !== null ? (
          <span className="has-recording">Yes</span>
        ) : (
          <span className="no-recording">No</span>
        )}
      </span>
      <span role="gridcell" className="cell-review">
        <ReviewCell summary={props.review} />
      </span>
      {props.withSaid && (
        <span role="gridcell" className="cell-said">
          {hit !== undefined && (
            // Where the words were said (Enter plays from there): its time, who, and the words marked.
            <>
              <span className="said-time">{formatClock(hit.startMs / 1000)}</span>
              <span className="said-speaker">
                {speakerName({ speaker: hit.speaker, speakerLabel: null })}:
              </span>
              <span className="said-snippet">
                {snippetRuns(hit.snippet).map((run, at) =>
                  run.marked ? <mark key={at}>{run.text}</mark> : <span key={at}>{run.text}</span>,
                )}
              </span>
              {more.length > 0 && (
                // The other places, by time: the transcript's search steps through them all.
                <span className="said-more" title={alsoSaid(more)}>
                  +{more.length} more
                </span>
              )}
            </>
          )}
        </span>
      )}
    </div>
  );
});

function PlaceholderRow(props: { index: number }) {
  return (
    <div className="call-row is-placeholder" role="row" aria-rowindex={props.index + 2} aria-busy="true">
      <span role="gridcell" className="cell-check" />
      <span role="gridcell" className="cell-customer">
        <span className="skeleton" />
      </span>
      <span role="gridcell" className="cell-phone">
        <span className="skeleton" />
      </span>
      <span role="gridcell" className="cell-status">
        <span className="skeleton short" />
      </span>
      <span role="gridcell" className="cell-outcome">
        <span className="skeleton short" />
      </span>
      <span role="gridcell" className="cell-number cell-duration" />
      <span role="gridcell" className="cell-time">
        <span className="skeleton" />
      </span>
      <span role="gridcell" className="cell-recording" />
      <span role="gridcell" className="cell-review" />
    </div>
  );
}

/** A CSS class suffix for a status value, so common ones get a colour. */
function slug(value: string | null): string {
  return (value ?? 'none').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
