import type { CallFilterInput } from '../../../shared/contract.ts';

/** What the toolbar controls: a `recordings:list` query without its paging (the contract's filter). */
export type CallFilter = CallFilterInput;

export const emptyFilter: CallFilter = {
  search: '',
  status: [],
  outcome: [],
  from: null,
  to: null,
  hasRecording: null,
};

export function isFiltered(filter: CallFilter): boolean {
  return (
    filter.search.trim() !== '' ||
    filter.status.length > 0 ||
    filter.outcome.length > 0 ||
    filter.from !== null ||
    filter.to !== null ||
    filter.hasRecording !== null
  );
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
  ]);
}

/** `<input type="date">` gives `YYYY-MM-DD` in local time; the query wants instants. */
export function startOfLocalDay(date: string): string | null {
  const parsed = new Date(`${date}T00:00:00`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

export function endOfLocalDay(date: string): string | null {
  const parsed = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** Back from an instant to the local `YYYY-MM-DD` a date input shows. */
export function localDateOf(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
