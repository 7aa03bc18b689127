import { parseDispatchId } from '../../../shared/dispatch.ts';
import type { Interaction } from '../../../shared/recording.ts';

/** The documented list fields are what a metadata file may carry (others are ignored). */
import { INTERACTION_FIELDS } from '../../../shared/recording.ts';

export { INTERACTION_FIELDS };

/** A row of a metadata file Tapedeck cannot use, named by file, line and field. */
export class ImportRowError extends Error {
  override readonly name = 'ImportRowError';
  readonly file: string;
  readonly line: number;
  readonly field: string | null;
  /** What is wrong, without the file and line. */
  readonly problem: string;

  constructor(file: string, line: number, field: string | null, problem: string) {
    super(
      `${file}, line ${line}${field ? `, field "${field}"` : ''}: ${problem} Nothing from this file was imported.`,
    );
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }
}

/** What a row says about one field that cannot be used; turned into an ImportRowError by the reader. */
export class FieldProblem extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(problem);
    this.field = field;
  }
}

const MAX_TEXT_LENGTH = 1000;
// ISO-8601 date-times, with `T` or a space, optional seconds and fraction; no zone means UTC.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads one row (a JSON object, or a CSV record keyed by header) into an Interaction. CSV gives
 * every value as text, so an empty value means "not known" (null), and numbers may come as text.
 */
export function toInteraction(row: unknown): Interaction {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new FieldProblem('', `expected an object with the fields ${INTERACTION_FIELDS.join(', ')}.`);
  }
  const values = row as Record<string, unknown>;
  const interactionId = text(values, 'interaction_id');
  if (interactionId === null) {
    throw new FieldProblem('interaction_id', 'missing or empty; every call needs its interaction_id.');
  }
  const dispatchId = text(values, 'dispatch_id');
  if (dispatchId !== null && !parseDispatchId(dispatchId)) {
    throw new FieldProblem(
      'dispatch_id',
      `"${dispatchId}" is not a dispatch id; expected dispatch_{unix seconds}_{phone digits}, e.g. dispatch_1754653479_15103455686.`,
    );
  }
  return {
    interaction_id: interactionId,
    customer_name: text(values, 'customer_name'),
    phone: text(values, 'phone'),
    status: text(values, 'status'),
    outcome: text(values, 'outcome'),
    duration: seconds(values, 'duration'),
    start_time: dateTime(values, 'start_time'),
    end_time: dateTime(values, 'end_time'),
    dispatch_id: dispatchId,
  };
}

function text(values: Record<string, unknown>, field: string): string | null {
  const value = values[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    throw new FieldProblem(field, `expected text, got ${describe(value)}.`);
  }
  const trimmed = value.trim();
  if (trimmed.length > MAX_TEXT_LENGTH) {
    throw new FieldProblem(
      field,
      `${trimmed.length} characters long; at most ${MAX_TEXT_LENGTH} are allowed.`,
    );
  }
  return trimmed === '' ? null : trimmed;
}

function seconds(values: Record<string, unknown>, field: string): number | null {
  const value = values[field];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return null;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw new FieldProblem(field, `expected a number of seconds (0 or more), got ${describe(value)}.`);
  }
  return number;
}

/** Already the form Tapedeck stores (`toISOString`): kept as it is, which is most rows of most files. */
const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function dateTime(values: Record<string, unknown>, field: string): string | null {
  const raw = text(values, field);
  if (raw === null) return null;
  if (CANONICAL_DATE_TIME.test(raw) && !Number.isNaN(Date.parse(raw))) return raw;
  const match = DATE_TIME.exec(raw);
  const ms = match ? Date.parse(`${match[1]}T${match[2]}${normaliseZone(match[3])}`) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new FieldProblem(
      field,
      `"${raw}" is not an ISO-8601 date and time; expected e.g. 2025-08-08T11:44:39.000Z (no zone means UTC).`,
    );
  }
  return new Date(ms).toISOString();
}

function normaliseZone(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 'Z';
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
