import { LIST_LIMIT_MAX } from '../../../shared/recording.ts';
import type { CallPaging } from '../calls/calls-service.ts';
import { decodeCursor } from '../catalog/call-pages.ts';
import { NO_FILTER, type CallFilter } from '../catalog/call-filter.ts';
import { saidProblem } from '../transcripts/said-query.ts';
import { RequestValidationError, type QueryValues, type ValidationIssue } from './fastapi-validation.ts';

/** The statuses and outcomes the open catalog holds, so a filter can match them ignoring case. */
export interface KnownValues {
  readonly statuses: readonly string[];
  readonly outcomes: readonly string[];
}

/**
 * Tapedeck's documented extensions of `GET /recordings` (and `GET /recordings.csv`): `q`, `status`,
 * `outcome`, `from`, `to`, `has_recording`, `said` and `said_by`. Without them the list is the spec's, unchanged.
 * `status` and `outcome` may repeat or hold comma-separated values, matched ignoring case (the spec
 * fixes no set of values, so any is accepted; one no call has matches nothing); `from`/`to` take a
 * real calendar date (`2025-08-08`, the whole day) or date-time (no zone means UTC);
 * `has_recording` is `true` or `false`; `said` is words spoken in the call (docs/transcripts.md), and
 * `said_by` (`agent` or `customer`, with `said`) counts only that side's words.
 */
export function readListFilter(query: QueryValues, known?: () => KnownValues): CallFilter {
  const issues: ValidationIssue[] = [];
  const search = last(query.q)?.trim() ?? '';
  if (search.length > 200) issues.push(tooLong('q', search));
  const status = anyCase(list(query.status), () => known?.().statuses);
  const outcome = anyCase(list(query.outcome), () => known?.().outcomes);
  const from = bound('from', last(query.from), 'start', issues);
  const to = bound('to', last(query.to), 'end', issues);
  const hasRecording = flag('has_recording', last(query.has_recording), issues);
  const said = saidWords(last(query.said), issues);
  const saidBy = saidSide(last(query.said_by), said, issues);
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { ...NO_FILTER, search, status, outcome, from, to, hasRecording, said, saidBy };
}

/**
 * How `GET /recordings` pages: by `limit`/`offset` (the spec's) or, with `after`, by keyset. The two
 * do not mix: `after` with a non-zero `offset`, or with `limit=0` (a page that cannot say where the
 * next one starts), is refused rather than half-honoured.
 */
export function readListPaging(query: QueryValues, numbers: { limit: number; offset: number }): CallPaging {
  const limit = Math.min(numbers.limit, LIST_LIMIT_MAX);
  const after = last(query.after);
  if (after === undefined) return { limit, offset: numbers.offset };
  const issues: ValidationIssue[] = [];
  if (after !== '' && decodeCursor(after) === null) {
    issues.push({
      type: 'value_error',
      loc: ['query', 'after'],
      msg:
        'Value error, after is not a cursor of this list: pass the next_after of the previous page, ' +
        'or an empty after= for the first.',
      input: after,
    });
  }
  if (numbers.offset !== 0) {
    issues.push({
      type: 'value_error',
      loc: ['query', 'offset'],
      msg:
        'Value error, offset cannot be combined with after: keyset pages continue from the previous ' +
        "answer's next_after. Drop offset, or drop after to page by offset.",
      input: last(query.offset),
    });
  }
  if (numbers.limit === 0) {
    issues.push({
      type: 'value_error',
      loc: ['query', 'limit'],
      msg:
        'Value error, limit must be 1 or more with after: a page of no calls cannot tell where the next ' +
        'one starts. Ask for at least one call.',
      input: last(query.limit),
    });
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { limit, after };
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

/**
 * Every stored spelling of each value, ignoring case: the catalog's own when they are known, and
 * the upper-case form the spec's values use (`COMPLETED`) in any case. The catalog's values are
 * asked for only when a value is given (reading them after a write scans every call).
 */
function anyCase(values: readonly string[], knownValues: () => readonly string[] | undefined): string[] {
  if (values.length === 0) return [];
  const known = knownValues();
  const spellings = new Set<string>();
  for (const value of values) {
    spellings.add(value);
    spellings.add(value.toUpperCase());
    const lower = value.toLowerCase();
    for (const stored of known ?? []) if (stored.toLowerCase() === lower) spellings.add(stored);
  }
  return [...spellings];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function bound(
  name: string,
  raw: string | undefined,
  side: 'start' | 'end',
  issues: ValidationIssue[],
): string | null {
  const text = raw?.trim();
  if (!text) return null;
  const dateOnly = DATE_ONLY.exec(text);
  const dateTime = dateOnly ? null : DATE_TIME.exec(text);
  const parts = dateOnly ?? dateTime;
  if (!parts) {
    issues.push(dateIssue(name, raw, ''));
    return null;
  }
  // Date.parse rolls 2025-02-30 over to March 2: the calendar is checked first, field by field.
  const outOfRange = calendarProblem(parts.slice(1, 7).map((part) => Number(part ?? 0)));
  if (outOfRange) {
    issues.push(dateIssue(name, raw, `, ${outOfRange}`));
    return null;
  }
  let iso: string;
  if (dateOnly) {
    iso = `${text}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  } else {
    iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`;
  }
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    issues.push(dateIssue(name, raw, ''));
    return null;
  }
  return new Date(ms).toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** What is out of range in year, month, day, hour, minute, second; null when it is a real moment. */
function calendarProblem([year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0]: number[]):
  string | null {
  if (month < 1 || month > 12) return 'month value is outside expected range (01 to 12)';
  const days = month === 2 ? (isLeapYear(year) ? 29 : 28) : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days) {
    return `day value is outside expected range (${year}-${String(month).padStart(2, '0')} has ${days} days)`;
  }
  if (hour > 23 || minute > 59 || second > 59) return 'time value is outside expected range';
  return null;
}

function dateIssue(name: string, input: string | undefined, why: string): ValidationIssue {
  return {
    type: 'datetime_from_date_parsing',
    loc: ['query', name],
    msg: `Input should be a valid date or datetime${why}, e.g. 2025-08-08 or 2025-08-08T11:44:39Z`,
    input,
  };
}

function flag(name: string, raw: string | undefined, issues: ValidationIssue[]): boolean | null {
  if (raw === undefined || raw.trim() === '') return null;
  const word = raw.trim().toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  issues.push({
    type: 'bool_parsing',
    loc: ['query', name],
    msg: 'Input should be true or false',
    input: raw,
  });
  return null;
}

/** `said`: null when absent or blank; a query that cannot be searched is a 422 saying why. */
function saidWords(raw: string | undefined, issues: ValidationIssue[]): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  if (text.length > 200) {
    issues.push(tooLong('said', text));
    return null;
  }
  const problem = saidProblem(text);
  if (problem === null) return text;
  issues.push({
    type: 'value_error',
    loc: ['query', 'said'],
    msg: `Value error, said: ${problem}`,
    input: raw,
  });
  return null;
}

const SIDES = ['agent', 'customer'] as const;

/** `said_by`: agent or customer (any case), only with `said`. */
function saidSide(
  raw: string | undefined,
  said: string | null,
  issues: ValidationIssue[],
): CallFilter['saidBy'] {
  const word = raw?.trim().toLowerCase() ?? '';
  if (word === '') return null;
  const side = SIDES.find((name) => name === word);
  if (side === undefined) {
    issues.push({
      type: 'enum',
      loc: ['query', 'said_by'],
      msg: "Input should be 'agent' or 'customer'",
      input: raw,
      ctx: { expected: "'agent' or 'customer'" },
    });
    return null;
  }
  if (said === null && issues.every((issue) => issue.loc[1] !== 'said')) {
    issues.push({
      type: 'value_error',
      loc: ['query', 'said_by'],
      msg: 'Value error, said_by narrows said to one side: give the words too, e.g. said=lawyer&said_by=customer.',
      input: raw,
    });
    return null;
  }
  return side;
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
