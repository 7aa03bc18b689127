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
    filter.reviewForm !== null ||
    filter.said !== null
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
    filter.said,
    filter.saidBy,
  ]);
}

// ---- the search box's own syntax: `said:` and `said_by:` beside the free text ------------------------

/** What the search box holds, split the way the query wants it. */
export interface SearchBoxParts {
  /** The free text: names, phone digits, ids (`search`), as it always meant. */
  readonly search: string;
  /** The `said:` terms, as the `said` filter reads them (`lawyer "speak to a lawyer" canc*`), or null. */
  readonly said: string | null;
  readonly saidBy: 'agent' | 'customer' | null;
  /** What is wrong with a `said_by:` in the box, said so the reader can fix it; null when nothing is. */
  readonly problem: string | null;
}

type BoxToken = { kind: 'said' | 'by' | 'text'; value: string; start: number; end: number };

const PREFIX = /^(said|said_by|said-by|saidby):/i;

/** Splits the box into words, keeping `said:"a quoted phrase"*` (closed or still being typed) as one. */
function boxTokens(text: string): BoxToken[] {
  const tokens: BoxToken[] = [];
  const wordEnd = (from: number) => {
    let at = from;
    while (at < text.length && !/\s/.test(text[at]!)) at++;
    return at;
  };
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const prefix = PREFIX.exec(text.slice(i));
    if (prefix === null) {
      const end = wordEnd(i);
      tokens.push({ kind: 'text', value: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const kind = prefix[1]!.toLowerCase() === 'said' ? 'said' : 'by';
    const from = i + prefix[0].length;
    let end: number;
    if (text[from] === '"') {
      const close = text.indexOf('"', from + 1);
      end = close === -1 ? text.length : close + 1;
      while (close !== -1 && text[end] === '*') end++; // `"cancel my"*`: a phrase ending in a prefix
    } else {
      end = wordEnd(from);
    }
    tokens.push({ kind, value: text.slice(from, end), start: i, end });
    i = end;
  }
  return tokens;
}

/** True when a said: value has something to search for (not `said:` or `said:""` while typing). */
function hasWords(value: string): boolean {
  return /[\p{L}\p{N}]/u.test(value);
}

/**
 * Reads the search box: `said:lawyer`, `said:"speak to a lawyer"`, `said:cancel*` (several are all
 * wanted; `said:a OR said:b` either) and `said_by:customer` or `said_by:agent` become the `said`
 * filter; everything else stays the free-text search, untouched when the box has no `said:` at all.
 */
export function parseSearchBox(text: string): SearchBoxParts {
  const tokens = boxTokens(text);
  if (!tokens.some((token) => token.kind !== 'text')) {
    return { search: text, said: null, saidBy: null, problem: null };
  }
  const said: string[] = [];
  const free: string[] = [];
  let saidBy: 'agent' | 'customer' | null = null;
  let problem: string | null = null;
  tokens.forEach((token, index) => {
    if (token.kind === 'said') {
      if (hasWords(token.value)) said.push(token.value);
      return;
    }
    if (token.kind === 'by') {
      const side = token.value.toLowerCase();
      if (side === 'agent' || side === 'customer') saidBy = side;
      else if (side !== '')
        problem = `said_by: takes agent or customer, not “${token.value}” (e.g. said_by:customer).`;
      return;
    }
    // `said:a OR said:b`: the OR belongs to the said terms, not to the names.
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    if (token.value === 'OR' && before?.kind === 'said' && after?.kind === 'said' && said.length > 0) {
      said.push('OR');
      return;
    }
    free.push(token.value);
  });
  if (said.at(-1) === 'OR') said.pop();
  const saidText = said.length > 0 ? said.join(' ') : null;
  if (saidText === null && saidBy !== null) {
    problem = `said_by:${saidBy as string} narrows what was said: add the words too, e.g. said:refund.`;
    saidBy = null;
  }
  return { search: free.join(' '), said: saidText, saidBy: saidText === null ? null : saidBy, problem };
}

/** The box's text for a filter (a restored view, a cleared chip): the free text, then `said:` terms. */
export function searchBoxText(filter: Pick<CallFilter, 'search' | 'said' | 'saidBy'>): string {
  const parts: string[] = [];
  if (filter.search.trim() !== '') parts.push(filter.search.trim());
  if (filter.said !== null) {
    for (const match of filter.said.matchAll(/"[^"]*"?\**|\S+/g)) {
      parts.push(match[0] === 'OR' ? 'OR' : `said:${match[0]}`);
    }
    if (filter.saidBy !== null) parts.push(`said_by:${filter.saidBy}`);
  }
  return parts.join(' ');
}

/** True when the box's text asks for the same query as the filter (so the box need not be rewritten). */
export function sameSearch(text: string, filter: Pick<CallFilter, 'search' | 'said' | 'saidBy'>): boolean {
  const parts = parseSearchBox(text);
  return parts.search === filter.search && parts.said === filter.said && parts.saidBy === filter.saidBy;
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
