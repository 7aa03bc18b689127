/**
 * A view of the list (its filters, search and selected call) as text: a URL query string in web
 * mode, so a view can be bookmarked or shared, and JSON in localStorage, so it survives a reload or
 * a restart. Parsed back through the contract's filter schema: a hand-edited URL cannot break it.
 */
import { callFilterSchema } from '../../../shared/contract.ts';
import { type CallFilter, emptyFilter } from './call-query.ts';

export interface ListView {
  readonly filter: CallFilter;
  /** The interaction id of the selected row, or null for the first. */
  readonly selectedId: string | null;
}

export const emptyView: ListView = { filter: emptyFilter, selectedId: null };

/** The filter fields with short names of their own in the address; any other is written as JSON under its name. */
const NAMED = new Set(['search', 'status', 'outcome', 'from', 'to', 'hasRecording']);
const otherFields = () => Object.keys(callFilterSchema.shape).filter((name) => !NAMED.has(name));

/** `?q=garcia&status=COMPLETED&from=…&recording=yes&call=…`; empty for the default view. */
export function viewToQuery(view: ListView): string {
  const { filter } = view;
  const params = new URLSearchParams();
  if (filter.search.trim() !== '') params.set('q', filter.search);
  if (filter.status.length > 0) params.set('status', filter.status.join(','));
  if (filter.outcome.length > 0) params.set('outcome', filter.outcome.join(','));
  if (filter.from !== null) params.set('from', filter.from);
  if (filter.to !== null) params.set('to', filter.to);
  if (filter.hasRecording !== null) params.set('recording', filter.hasRecording ? 'yes' : 'no');
  const values = filter as Record<string, unknown>;
  const defaults = emptyFilter as Record<string, unknown>;
  for (const name of otherFields()) {
    const value = JSON.stringify(values[name] ?? null);
    if (value !== JSON.stringify(defaults[name] ?? null)) params.set(name, value);
  }
  if (view.selectedId !== null) params.set('call', view.selectedId);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The view a query string names, or null when it names none (then the saved view applies). */
export function viewFromQuery(query: string): ListView | null {
  const params = new URLSearchParams(query);
  const names = ['q', 'status', 'outcome', 'from', 'to', 'recording', 'call', ...otherFields()];
  if (!names.some((name) => params.has(name))) return null;
  const others: Record<string, unknown> = {};
  for (const name of otherFields()) {
    const raw = params.get(name);
    if (raw === null) continue;
    try {
      others[name] = JSON.parse(raw) as unknown;
    } catch {
      others[name] = raw; // a hand-typed plain value; the schema decides whether it stands
    }
  }
  const list = (name: string) =>
    (params.get(name) ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
  const recording = params.get('recording');
  return fromParts(
    {
      search: params.get('q') ?? '',
      status: list('status'),
      outcome: list('outcome'),
      from: params.get('from') || null,
      to: params.get('to') || null,
      hasRecording: recording === 'yes' ? true : recording === 'no' ? false : null,
      ...others,
    },
    params.get('call'),
  );
}

export function viewToJson(view: ListView): string {
  return JSON.stringify(view);
}

/** A stored view, or null when there is none or it no longer parses. */
export function viewFromJson(json: string | null): ListView | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as { filter?: unknown; selectedId?: unknown };
    return fromParts(value.filter, typeof value.selectedId === 'string' ? value.selectedId : null);
  } catch {
    return null;
  }
}

/** Each filter field that is valid is kept; one that is not falls back to "not filtered". */
function fromParts(filter: unknown, selectedId: string | null): ListView {
  const parsed = callFilterSchema.safeParse(filter);
  if (parsed.success) return { filter: parsed.data, selectedId };
  const record = (typeof filter === 'object' && filter !== null ? filter : {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(callFilterSchema.shape)) {
    const field = schema.safeParse(record[name]);
    if (field.success) kept[name] = field.data;
  }
  return { filter: callFilterSchema.parse(kept), selectedId };
}
