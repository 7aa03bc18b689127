import { callFilterSchema, type CallFilterInput } from '../../../shared/contract.ts';
import { parseDispatchId } from '../../../shared/dispatch.ts';
import { phoneDigits } from './phone-digits.ts';

/**
 * What narrows the list of calls (the contract's filter; `GET /recordings` reads the same from its
 * query string); every part is optional and they combine with AND. `search` matches customer name
 * words (prefixes, accents ignored), a phone number (formatting ignored, its last digits are
 * enough), an interaction id (or its start) or a dispatch id.
 */
export type CallFilter = CallFilterInput;

/** Every call: the contract's filter with nothing set. */
export const NO_FILTER: CallFilter = callFilterSchema.parse({});

export interface FilterSql {
  /** `WHERE …` over `interactions i`, or '' for every call. */
  readonly where: string;
  readonly params: Record<string, string | number>;
}

// Digits, spaces and the usual phone punctuation, with at least three digits.
const PHONE_LIKE = /^[\d\s()+.\-/]+$/;
// Past every character a key can hold: `key >= 'ab' AND key < 'ab' || MAX` is "starts with ab".
const AFTER_ALL = '\u{10FFFF}';

/** A `said` condition over `interactions i` from the transcript index (see SaidPlans). */
export interface SaidSql {
  readonly condition: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The filter's `said` words, or null when it has none (blank is none: the box's bare "said:"). */
export function saidText(filter: CallFilter): string | null {
  const text = filter.said?.trim() ?? '';
  return text === '' ? null : text;
}

/**
 * The filter as SQL over `interactions i`; values are bound, never spliced into the text. A filter
 * with `said` needs its condition from the transcript index, which depends on the catalog's
 * contents (SaidPlans, in call-pages.ts, passes it): it is ANDed with the others.
 */
export function filterSql(filter: CallFilter, said: SaidSql | null = null): FilterSql {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  const search = filter.search.trim();
  if (search !== '') conditions.push(searchCondition(search, params));
  inList('status', filter.status, conditions, params);
  inList('outcome', filter.outcome, conditions, params);
  if (filter.from !== null) {
    conditions.push('i.start_ms >= $fromMs');
    params.fromMs = Date.parse(filter.from);
  }
  if (filter.to !== null) {
    conditions.push('i.start_ms <= $toMs');
    params.toMs = Date.parse(filter.to);
  }
  if (filter.hasRecording !== null) {
    conditions.push(filter.hasRecording ? 'i.recording_id IS NOT NULL' : 'i.recording_id IS NULL');
  }
  reviewConditions(filter, conditions, params);
  // Last: SQLite tests a row's conditions in order, and the cheap ones spare it an index lookup.
  if (saidText(filter) !== null) {
    if (said === null) throw new Error('filterSql: a said filter needs its condition (SaidPlans)');
    conditions.push(said.condition);
    Object.assign(params, said.params);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * The review filters, over the reviews folded into the catalog (migration 008): `call_reviews` has
 * one row per reviewed call (its review at a glance), `reviews` and `review_tags` every review.
 */
function reviewConditions(
  filter: CallFilter,
  conditions: string[],
  params: Record<string, string | number>,
): void {
  if (filter.review.length > 0) {
    const reviewed = filter.review.filter((status) => status !== 'unreviewed');
    const parts: string[] = [];
    if (filter.review.includes('unreviewed')) {
      parts.push('i.interaction_id NOT IN (SELECT interaction_id FROM call_reviews)');
    }
    if (reviewed.length > 0) {
      const names = reviewed.map((status, index) => {
        params[`review${index}`] = status;
        return `$review${index}`;
      });
      parts.push(
        `i.interaction_id IN (SELECT interaction_id FROM call_reviews WHERE review_status IN (${names.join(', ')}))`,
      );
    }
    conditions.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
  }
  if (filter.scoreMin !== null || filter.scoreMax !== null) {
    params.scoreMin = filter.scoreMin ?? 0;
    params.scoreMax = filter.scoreMax ?? 100;
    conditions.push(
      'i.interaction_id IN (SELECT interaction_id FROM call_reviews WHERE percentage BETWEEN $scoreMin AND $scoreMax)',
    );
  }
  if (filter.reviewTag !== null) {
    params.reviewTag = filter.reviewTag;
    conditions.push('i.interaction_id IN (SELECT interaction_id FROM review_tags WHERE tag = $reviewTag)');
  }
  if (filter.reviewer !== null) {
    params.reviewer = filter.reviewer;
    conditions.push('i.interaction_id IN (SELECT interaction_id FROM reviews WHERE reviewer_id = $reviewer)');
  }
  if (filter.reviewForm !== null) {
    params.reviewForm = filter.reviewForm;
    conditions.push('i.interaction_id IN (SELECT interaction_id FROM reviews WHERE form_id = $reviewForm)');
  }
}

export function isUnfiltered(filter: CallFilter): boolean {
  return saidText(filter) === null && filterSql(filter).where === '';
}

function searchCondition(search: string, params: Record<string, string | number>): string {
  // Every search also matches interaction ids that start with what was typed.
  params.idLow = search;
  params.idHigh = search + AFTER_ALL;
  const byId = '(i.interaction_id >= $idLow AND i.interaction_id < $idHigh)';

  const dispatch = parseDispatchId(search);
  if (dispatch) {
    params.dispatchPhone = dispatch.phone;
    params.dispatchTs = dispatch.timestamp;
    return `((i.dispatch_phone = $dispatchPhone AND i.dispatch_ts = $dispatchTs) OR ${byId})`;
  }
  const digits = phoneDigits(search);
  if (PHONE_LIKE.test(search) && digits.length >= 3) {
    // Numbers that END with the digits typed: "(510) 345-5686" finds +15103455686.
    const reversed = [...digits].reverse().join('');
    params.phoneLow = reversed;
    params.phoneHigh = reversed + AFTER_ALL;
    return `((i.phone_rev >= $phoneLow AND i.phone_rev < $phoneHigh) OR ${byId})`;
  }
  const words = search.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
  if (words.length === 0) return byId;
  // Each word as a prefix, all of them required: "mar gar" finds Maria García.
  params.match = words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ');
  return `(i.rowid IN (SELECT rowid FROM interactions_search WHERE interactions_search MATCH $match) OR ${byId})`;
}

function inList(
  column: 'status' | 'outcome',
  values: readonly string[],
  conditions: string[],
  params: Record<string, string | number>,
) {
  if (values.length === 0) return;
  const names = values.map((value, index) => {
    params[`${column}${index}`] = value;
    return `$${column}${index}`;
  });
  conditions.push(`i.${column} IN (${names.join(', ')})`);
}
