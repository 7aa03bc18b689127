import { callFilterSchema, type CallFilterInput } from '../../../shared/contract.ts';
import type { DisplayZone } from '../preferences/display-zone.ts';

/** What the toolbar controls: a `recordings:list` query without its paging (the contract's filter). */
export type CallFilter = CallFilterInput;

export const emptyFilter: CallFilter = callFilterSchema.parse({});

export function isFiltered(filter: CallFilter): boolean {
  return (
    filter.search.trim() !== '' ||
    filter.status.length > 0 ||
    filter.outcome.length > 0 ||
    filter.from !== null ||
    filter.to !== null ||
    filter.hasRecording !== null ||
    filter.review.length > 0 ||
    filter.scoreMin !== null ||
    filter.scoreMax !== null ||
    filter.reviewTag !== null ||
    filter.reviewer !== null ||
    filter.reviewForm !== null
  );
}

/** From after To: no call can match, and the list says why instead of "No calls match". */
export function isReversed(filter: CallFilter): boolean {
  return filter.from !== null && filter.to !== null && Date.parse(filter.from) > Date.parse(filter.to);
}

/** A stable key for caching pages of one query. */
export function filterKey(filter: CallFilter): string {
  return JSON.stringify([
    filter.search.trim(),
    filter.status,
    filter.outcome,
    filter.from,
    filter.to,
    filter.hasRecording,
    filter.review,
    filter.scoreMin,
    filter.scoreMax,
    filter.reviewTag,
    filter.reviewer,
    filter.reviewForm,
  ]);
}

/**
 * `<input type="date">` gives a `YYYY-MM-DD` day; the query wants instants. The day is read in the
 * zone the UI shows times in, so the list's Aug 9 is the day its rows say Aug 9.
 */
export function startOfDay(date: string, zone: DisplayZone): string | null {
  return instant(`${date}T00:00:00.000`, zone);
}

export function endOfDay(date: string, zone: DisplayZone): string | null {
  return instant(`${date}T23:59:59.999`, zone);
}

function instant(local: string, zone: DisplayZone): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(local)) return null;
  const parsed = new Date(zone === 'utc' ? `${local}Z` : local);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** Back from an instant to the `YYYY-MM-DD` a date input shows, in `zone`. */
export function dateOf(iso: string | null, zone: DisplayZone): string {
  if (iso === null) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (zone === 'utc') return d.toISOString().slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The same calendar days in another zone: switching zones keeps "Aug 9" meaning Aug 9. */
export function rezoneFilter(filter: CallFilter, from: DisplayZone, to: DisplayZone): CallFilter {
  if (from === to || (filter.from === null && filter.to === null)) return filter;
  return {
    ...filter,
    from: filter.from === null ? null : startOfDay(dateOf(filter.from, from), to),
    to: filter.to === null ? null : endOfDay(dateOf(filter.to, from), to),
  };
}

/** A reversed range put the right way round: the later day becomes To, the earlier From. */
export function swapDates(filter: CallFilter, zone: DisplayZone): CallFilter {
  if (filter.from === null || filter.to === null) return filter;
  return {
    ...filter,
    from: startOfDay(dateOf(filter.to, zone), zone),
    to: endOfDay(dateOf(filter.from, zone), zone),
  };
}
