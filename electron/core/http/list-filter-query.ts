import { NO_FILTER, type CallFilter } from '../catalog/call-filter.ts';
import { RequestValidationError, type QueryValues, type ValidationIssue } from './fastapi-validation.ts';

/**
 * Tapedeck's documented extensions of `GET /recordings` (and `GET /recordings.csv`): `q`, `status`,
 * `outcome`, `from`, `to` and `has_recording`. Without them the list is the spec's, unchanged.
 * `status` and `outcome` may repeat or hold comma-separated values; `from`/`to` take an ISO-8601
 * date (`2025-08-08`, the whole day) or date-time (no zone means UTC).
 */
export function readListFilter(query: QueryValues): CallFilter {
  const issues: ValidationIssue[] = [];
  const search = last(query.q)?.trim() ?? '';
  if (search.length > 200) issues.push(tooLong('q', search));
  const status = list(query.status);
  const outcome = list(query.outcome);
  const from = bound('from', last(query.from), 'start', issues);
  const to = bound('to', last(query.to), 'end', issues);
  const hasRecording = flag('has_recording', last(query.has_recording), issues);
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { ...NO_FILTER, search, status, outcome, from, to, hasRecording };
}

function last(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}

function list(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return [...new Set(values.flatMap((item) => item.split(',')).map((item) => item.trim()))]
    .filter((item) => item !== '')
    .slice(0, 50);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function bound(
  name: string,
  raw: string | undefined,
  side: 'start' | 'end',
  issues: ValidationIssue[],
): string | null {
  const text = raw?.trim();
  if (!text) return null;
  let iso: string | null = null;
  if (DATE_ONLY.test(text)) {
    iso = `${text}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  } else if (DATE_TIME.test(text)) {
    iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`;
  }
  const ms = iso === null ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(ms)) {
    issues.push({
      type: 'datetime_from_date_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid date or datetime, e.g. 2025-08-08 or 2025-08-08T11:44:39Z',
      input: raw,
    });
    return null;
  }
  return new Date(ms).toISOString();
}

function flag(name: string, raw: string | undefined, issues: ValidationIssue[]): boolean | null {
  if (raw === undefined || raw.trim() === '') return null;
  const word = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  issues.push({
    type: 'bool_parsing',
    loc: ['query', name],
    msg: 'Input should be a valid boolean, unable to interpret input',
    input: raw,
  });
  return null;
}

function tooLong(name: string, input: string): ValidationIssue {
  return {
    type: 'string_too_long',
    loc: ['query', name],
    msg: 'String should have at most 200 characters',
    input,
    ctx: { max_length: 200 },
  };
}
