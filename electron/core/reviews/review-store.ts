/**
 * The reviews in the catalog (migration 008): the append-only event log, the tables folded from it,
 * and the form versions. Appending events re-folds the reviews they touch in the same transaction,
 * so the tables always agree with the log; an event already stored is ignored, so a batch may be
 * appended twice (a retried save, a sync pulling what it already has).
 */
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { ServiceError } from '../service-error.ts';
import { parseDispatchId } from '../../../shared/dispatch.ts';
import { formQuestions, formVersionSchema, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import {
  foldReview,
  reviewEventSchema,
  type ReviewEvent,
  type ReviewNote,
  type ReviewState,
  type SubmittedRevision,
} from '../../../shared/reviews/review-events.ts';
import { describeIssues } from '../../../shared/reviews/schema-errors.ts';
import {
  scoreReview,
  scoreSummary,
  type Answer,
  type ScoreSummary,
} from '../../../shared/reviews/scoring.ts';

/** A review as the app and the API show it. */
export interface StoredReview {
  readonly review_id: string;
  readonly interaction_id: string;
  /** Of the call, when the call is in this catalog. */
  readonly dispatch_id: string | null;
  readonly reviewer: string;
  /** null while the review's form version is not in this catalog (e.g. not yet synced). */
  readonly form_id: string | null;
  readonly form_version_id: string;
  readonly revision: number;
  readonly status: 'draft' | 'submitted';
  /** Frozen when submitted; the live score of a draft; null when the form version is unknown. */
  readonly score: ScoreSummary | null;
  readonly answers: readonly Answer[];
  readonly notes: readonly ReviewNote[];
  readonly tags: readonly string[];
  readonly created_at: string;
  readonly submitted_at: string | null;
  readonly updated_at: string;
  /** Submitted revisions, oldest first. */
  readonly history: readonly SubmittedRevision[];
  /** Each present tag's live add-event ids (what a tag_removed event names). */
  readonly tag_adds: Readonly<Record<string, readonly string[]>>;
  /** Events of the review that changed nothing, and why. */
  readonly ignored: readonly { event_id: string; reason: string }[];
}

/** What the `state` column holds: the fold, its score and its form. */
type StoredState = ReviewState & { readonly form_id: string | null; readonly score: ScoreSummary | null };

export interface ReviewFilter {
  readonly interaction_id?: string;
  readonly dispatch_id?: string;
  readonly reviewer?: string;
  readonly status?: 'draft' | 'submitted';
  readonly passed?: boolean;
  readonly tag?: string;
  readonly form_id?: string;
  readonly form_version_id?: string;
  /** Inclusive bounds (ISO times) on when the review was submitted, or last changed for a draft. */
  readonly from?: string;
  readonly to?: string;
  /** Inclusive bounds on the percentage (reviews without a score never match). */
  readonly min_percentage?: number;
  readonly max_percentage?: number;
}

export interface AppendResult {
  /** Events stored now. */
  readonly inserted: number;
  /** Events already stored, exactly as given. */
  readonly duplicates: number;
  /** Events whose id was already stored with a different content: the stored one is kept. */
  readonly conflicts: readonly string[];
  /** Reviews re-folded (those that gained an event). */
  readonly reviews: readonly string[];
}

export interface StoredFormVersion {
  readonly version_id: string;
  readonly form_id: string;
  readonly title: string;
  readonly published_at: string;
  /** Reviews that use it: 0 means it may still be replaced. */
  readonly reviews: number;
  readonly form: FormVersion;
}

export type PublishResult =
  | { readonly status: 'published'; readonly version: StoredFormVersion }
  /** The same version was already there, identical: nothing changed. */
  | { readonly status: 'unchanged'; readonly version: StoredFormVersion }
  /** A version no review used yet was replaced. */
  | { readonly status: 'replaced'; readonly version: StoredFormVersion };

interface ReviewRow {
  review_id: string;
  interaction_id: string;
  reviewer_id: string;
  form_id: string | null;
  form_version_id: string;
  revision: number;
  status: string;
  percentage: number | null;
  points: number | null;
  max_points: number | null;
  passed: number | null;
  auto_failed: number | null;
  tags: string;
  created_at: string;
  submitted_at: string | null;
  updated_at: string;
  reviewed_at: string;
  last_event_id: string;
  report: string;
  outcome: string | null;
  state: string;
}

interface FormRow {
  version_id: string;
  form_id: string;
  title: string;
  body: string;
  published_at: string;
  reviews: number;
}

/** How many reviews' parsed logs are kept in memory. */
const RECENT_REVIEWS = 32;

const FORM_COLUMNS = `f.version_id, f.form_id, f.title, f.body, f.published_at,
  (SELECT count(*) FROM reviews r WHERE r.form_version_id = f.version_id) AS reviews`;

function bit(value: boolean | null | undefined): number | null {
  return value === null || value === undefined ? null : value ? 1 : 0;
}

/** ISO times sort as text only in one form: UTC with milliseconds. */
function utc(time: string, name: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new ServiceError('invalid_input', `${name}: "${time}" is not a date and time`);
  return new Date(ms).toISOString();
}

export class ReviewStore {
  readonly #db: CatalogDatabase;
  readonly #now: () => Date;
  /** Parsed form versions by id; cleared when one is (re)published. */
  readonly #forms = new Map<string, FormVersion>();
  /**
   * The parsed events of recently saved reviews, so that saving an answer in a long review does not
   * read and parse its whole log again. Checked against the log's count and last id before each use
   * (the log only grows), so a write by another process is never missed.
   */
  readonly #recentEvents = new Map<string, ReviewEvent[]>();
  readonly #sql;

  constructor(db: CatalogDatabase, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#sql = {
      insertEvent: db.prepare<[string, string, string, string, string, string, string]>(
        `INSERT OR IGNORE INTO review_events (event_id, review_id, interaction_id, reviewer_id, type, at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      logOf: db.prepare<[string], { n: number; last: string | null }>(
        'SELECT count(*) AS n, max(event_id) AS last FROM review_events WHERE review_id = ?',
      ),
      storedEvent: db.prepare<[string], { body: string }>(
        'SELECT body FROM review_events WHERE event_id = ?',
      ),
      eventsOf: db.prepare<[string], { body: string }>(
        'SELECT body FROM review_events WHERE review_id = ? ORDER BY event_id',
      ),
      upsertReview: db.prepare<[ReviewRow]>(
        `INSERT INTO reviews (review_id, interaction_id, reviewer_id, form_id, form_version_id, revision, status,
           percentage, points, max_points, passed, auto_failed, tags, created_at, submitted_at, updated_at,
           reviewed_at, last_event_id, report, outcome, state)
         VALUES (@review_id, @interaction_id, @reviewer_id, @form_id, @form_version_id, @revision, @status,
           @percentage, @points, @max_points, @passed, @auto_failed, @tags, @created_at, @submitted_at,
           @updated_at, @reviewed_at, @last_event_id, @report, @outcome, @state)
         ON CONFLICT (review_id) DO UPDATE SET interaction_id = excluded.interaction_id,
           reviewer_id = excluded.reviewer_id, form_id = excluded.form_id,
           form_version_id = excluded.form_version_id, revision = excluded.revision, status = excluded.status,
           percentage = excluded.percentage, points = excluded.points, max_points = excluded.max_points,
           passed = excluded.passed, auto_failed = excluded.auto_failed, tags = excluded.tags,
           created_at = excluded.created_at, submitted_at = excluded.submitted_at,
           updated_at = excluded.updated_at, reviewed_at = excluded.reviewed_at,
           last_event_id = excluded.last_event_id, report = excluded.report,
           outcome = excluded.outcome, state = excluded.state`,
      ),
      deleteNotes: db.prepare<[string]>('DELETE FROM review_notes WHERE review_id = ?'),
      outcomeOf: db
        .prepare<[string], string | null>('SELECT outcome FROM interactions WHERE interaction_id = ?')
        .pluck(),
      insertNote: db.prepare<
        [string, string, string, number, number | null, string, string, string | null, string, string]
      >(
        `INSERT INTO review_notes (review_id, note_id, interaction_id, at_ms, end_ms, lane, text, question_id,
           created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteTags: db.prepare<[string]>('DELETE FROM review_tags WHERE review_id = ?'),
      insertTag: db.prepare<[string, string, string]>(
        'INSERT INTO review_tags (review_id, tag, interaction_id) VALUES (?, ?, ?)',
      ),
      reviewsOfCall: db.prepare<
        [string],
        {
          review_id: string;
          status: string;
          passed: number | null;
          percentage: number | null;
          submitted_at: string | null;
          updated_at: string;
        }
      >(
        'SELECT review_id, status, passed, percentage, submitted_at, updated_at FROM reviews WHERE interaction_id = ?',
      ),
      upsertCallReview: db.prepare<[string, string, number | null, string, number, string]>(
        `INSERT INTO call_reviews (interaction_id, review_status, percentage, review_id, reviews, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (interaction_id) DO UPDATE SET review_status = excluded.review_status,
           percentage = excluded.percentage, review_id = excluded.review_id, reviews = excluded.reviews,
           updated_at = excluded.updated_at`,
      ),
      deleteCallReview: db.prepare<[string]>('DELETE FROM call_reviews WHERE interaction_id = ?'),
      formBody: db.prepare<[string], { body: string }>('SELECT body FROM form_versions WHERE version_id = ?'),
      formVersion: db.prepare<[string], FormRow>(
        `SELECT ${FORM_COLUMNS} FROM form_versions f WHERE f.version_id = ?`,
      ),
      formVersions: db.prepare<[], FormRow>(
        `SELECT ${FORM_COLUMNS} FROM form_versions f ORDER BY f.form_id, f.published_at, f.version_id`,
      ),
      insertForm: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO form_versions (version_id, form_id, title, body, published_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (version_id) DO UPDATE SET form_id = excluded.form_id, title = excluded.title,
           body = excluded.body, published_at = excluded.published_at`,
      ),
      reviewsOfVersion: db.prepare<[string], { review_id: string }>(
        'SELECT review_id FROM reviews WHERE form_version_id = ?',
      ),
      queueShare: db.prepare<['event' | 'form', string, string]>(
        'INSERT OR IGNORE INTO team_outbox (kind, item_id, folder) VALUES (?, ?, ?)',
      ),
      tagsInUse: db.prepare<[string, number], { tag: string; reviews: number }>(
        `SELECT tag, count(*) AS reviews FROM review_tags WHERE tag >= ? GROUP BY tag ORDER BY tag LIMIT ?`,
      ),
    };
  }

  /**
   * Stores the events (all or none) and re-folds every review that gained one. Each event is checked
   * against the strict event schema first: a bad one refuses the whole batch, naming it. With
   * `share`, each event stored now is queued in the team's outbox in the same transaction (so a
   * crash can never leave an event stored and not queued).
   */
  appendEvents(events: readonly ReviewEvent[], options: { share?: boolean } = {}): AppendResult {
    const parsed = events.map((event, index) => {
      const result = reviewEventSchema.safeParse(event, { reportInput: true });
      if (!result.success) {
        throw new ServiceError(
          'invalid_input',
          `Review event ${index + 1} of ${events.length} is invalid: ${describeIssues(result.error, '(the event)')}`,
        );
      }
      return result.data;
    });
    return this.#db
      .transaction(() => {
        let inserted = 0;
        let duplicates = 0;
        const conflicts: string[] = [];
        const added = new Map<string, ReviewEvent[]>();
        for (const event of parsed) {
          const body = JSON.stringify(event);
          const { changes } = this.#sql.insertEvent.run(
            event.event_id,
            event.review_id,
            event.interaction_id,
            event.reviewer_id,
            event.type,
            event.at,
            body,
          );
          if (changes > 0) {
            inserted += 1;
            if (options.share) this.#sql.queueShare.run('event', event.event_id, event.reviewer_id);
            const list = added.get(event.review_id) ?? [];
            list.push(event);
            added.set(event.review_id, list);
          } else if (this.#sql.storedEvent.get(event.event_id)?.body === body) {
            duplicates += 1;
          } else {
            conflicts.push(event.event_id);
          }
        }
        const calls = new Set<string>();
        for (const [reviewId, events] of added) {
          const call = this.#refold(reviewId, events);
          if (call !== null) calls.add(call);
        }
        for (const call of calls) this.#refreshCall(call);
        return { inserted, duplicates, conflicts, reviews: [...added.keys()] };
      })
      .immediate();
  }

  /** Every stored event of a review, in event order. */
  eventsOf(reviewId: string): ReviewEvent[] {
    return this.#sql.eventsOf.all(reviewId).map((row) => JSON.parse(row.body) as ReviewEvent);
  }

  review(reviewId: string): StoredReview | null {
    const rows = this.#select('WHERE r.review_id = ?', [reviewId], '', []);
    return rows[0] ?? null;
  }

  /** The reviews of a call, most recent first. */
  reviewsOf(interactionId: string): StoredReview[] {
    return this.#select(
      'WHERE r.interaction_id = ?',
      [interactionId],
      'ORDER BY r.reviewed_at DESC, r.review_id DESC',
      [],
    );
  }

  /** Reviews matching the filter, most recently submitted (or changed, for drafts) first. */
  listReviews(filter: ReviewFilter = {}, limit = 100, offset = 0): StoredReview[] {
    const { where, params } = this.#where(filter);
    return this.#select(where, params, 'ORDER BY r.reviewed_at DESC, r.review_id DESC LIMIT ? OFFSET ?', [
      limit,
      offset,
    ]);
  }

  countReviews(filter: ReviewFilter = {}): number {
    const { where, params } = this.#where(filter);
    const row = this.#db
      .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM reviews r ${where}`)
      .get(...params);
    return row?.n ?? 0;
  }

  /** Tags in use from `prefix` on (alphabetically), with how many reviews carry each: for autocompletion. */
  tagsInUse(prefix = '', limit = 20): { tag: string; reviews: number }[] {
    // Tags with the prefix sort together right from it, so the first rows from it are all there is.
    return this.#sql.tagsInUse.all(prefix, limit).filter((row) => row.tag.startsWith(prefix));
  }

  /**
   * Adds a form version. Publishing the same version again unchanged does nothing; a version no
   * review used yet may be replaced; a version in use never changes (publish a new version_id).
   * With `share`, a version stored now is queued for the team in the same transaction.
   */
  publishFormVersion(form: FormVersion, options: { share?: boolean } = {}): PublishResult {
    const result = formVersionSchema.safeParse(form, { reportInput: true });
    if (!result.success) {
      throw new ServiceError(
        'invalid_input',
        `The form is invalid: ${describeIssues(result.error, '(the form)')}`,
      );
    }
    const normalised = result.data;
    const body = JSON.stringify(normalised);
    return this.#db
      .transaction((): PublishResult => {
        const existing = this.#sql.formVersion.get(normalised.version_id);
        if (existing?.body === body) return { status: 'unchanged', version: toFormVersion(existing) };
        if (existing && existing.reviews > 0) {
          throw new ServiceError(
            'conflict',
            `Form version ${normalised.version_id} is used by ${existing.reviews} review${existing.reviews === 1 ? '' : 's'} ` +
              'and cannot change. Publish the edited form under a new version_id.',
          );
        }
        this.#sql.insertForm.run(
          normalised.version_id,
          normalised.form_id,
          normalised.title,
          body,
          this.#now().toISOString(),
        );
        this.#forms.delete(normalised.version_id);
        if (options.share) this.#sql.queueShare.run('form', normalised.version_id, normalised.form_id);
        // Reviews that arrived before their form (a sync) can be scored now.
        const waiting = this.#sql.reviewsOfVersion.all(normalised.version_id);
        const calls = new Set<string>();
        for (const { review_id } of waiting) {
          const call = this.#refold(review_id);
          if (call !== null) calls.add(call);
        }
        for (const call of calls) this.#refreshCall(call);
        const stored = this.#sql.formVersion.get(normalised.version_id);
        if (!stored) throw new Error(`form version ${normalised.version_id} was not stored`);
        return { status: existing ? 'replaced' : 'published', version: toFormVersion(stored) };
      })
      .immediate();
  }

  formVersion(versionId: string): StoredFormVersion | null {
    const row = this.#sql.formVersion.get(versionId);
    return row ? toFormVersion(row) : null;
  }

  /** A form version's form, parsed once (no count of the reviews using it: the hot path's lookup). */
  formOf(versionId: string): FormVersion | null {
    return this.#form(versionId);
  }

  /** Every form version, by form and then oldest first. */
  formVersions(): StoredFormVersion[] {
    return this.#sql.formVersions.all().map(toFormVersion);
  }

  // ---- folding ------------------------------------------------------------------------------------

  #form(versionId: string): FormVersion | null {
    const cached = this.#forms.get(versionId);
    if (cached) return cached;
    // A missing version is not remembered: it may arrive from the team (through another store).
    const row = this.#sql.formBody.get(versionId);
    if (!row) return null;
    const form = JSON.parse(row.body) as FormVersion;
    this.#forms.set(versionId, form);
    return form;
  }

  /** The review's whole log: the cached events plus those just added when they add up, else read again. */
  #logOf(reviewId: string, added: readonly ReviewEvent[]): ReviewEvent[] {
    const cached = this.#recentEvents.get(reviewId);
    this.#recentEvents.delete(reviewId);
    let events: ReviewEvent[] | null = null;
    if (cached) {
      const log = this.#sql.logOf.get(reviewId);
      const candidate = [...cached, ...added];
      const last = candidate.reduce((max, event) => (event.event_id > max ? event.event_id : max), '');
      if (log && log.n === candidate.length && log.last === last) events = candidate;
    }
    events ??= this.eventsOf(reviewId);
    this.#recentEvents.set(reviewId, events);
    // The least recently saved review goes first.
    const oldest = this.#recentEvents.keys().next();
    if (this.#recentEvents.size > RECENT_REVIEWS && !oldest.done) this.#recentEvents.delete(oldest.value);
    return events;
  }

  /** Re-folds one review from its events into the tables; returns its call (null if not started yet). */
  #refold(reviewId: string, added: readonly ReviewEvent[] = []): string | null {
    const state = foldReview(this.#logOf(reviewId, added));
    if (!state) return null;
    const form = this.#form(state.form_version_id);
    const score = state.submitted_score ?? (form ? scoreSummary(scoreReview(form, state.answers)) : null);
    const stored: StoredState = { ...state, form_id: form?.form_id ?? null, score };
    this.#sql.upsertReview.run({
      review_id: state.review_id,
      interaction_id: state.interaction_id,
      reviewer_id: state.reviewer,
      form_id: stored.form_id,
      form_version_id: state.form_version_id,
      revision: state.revision,
      status: state.status,
      percentage: score?.percentage ?? null,
      points: score?.points ?? null,
      max_points: score?.max_points ?? null,
      passed: bit(score?.passed),
      auto_failed: bit(score?.auto_failed),
      tags: JSON.stringify(state.tags),
      created_at: state.created_at,
      submitted_at: state.submitted_at,
      updated_at: state.updated_at,
      reviewed_at: state.submitted_at ?? state.updated_at,
      last_event_id: state.last_event_id,
      report: JSON.stringify(reportFacts(form, state.status === 'submitted' ? state.answers : [], score)),
      outcome: this.#sql.outcomeOf.get(state.interaction_id) ?? null,
      state: JSON.stringify(stored),
    });
    this.#sql.deleteNotes.run(reviewId);
    for (const note of state.notes) {
      this.#sql.insertNote.run(
        reviewId,
        note.note_id,
        state.interaction_id,
        note.at_ms,
        note.end_ms,
        note.lane,
        note.text,
        note.question_id,
        note.created_at,
        note.updated_at,
      );
    }
    this.#sql.deleteTags.run(reviewId);
    for (const tag of state.tags) this.#sql.insertTag.run(reviewId, tag, state.interaction_id);
    return state.interaction_id;
  }

  /** The call's row for the list: its most recently submitted review, else 'draft'. */
  #refreshCall(interactionId: string): void {
    const reviews = this.#sql.reviewsOfCall.all(interactionId);
    if (reviews.length === 0) {
      this.#sql.deleteCallReview.run(interactionId);
      return;
    }
    const submitted = reviews
      .filter((review) => review.status === 'submitted')
      .sort(
        (a, b) =>
          compareDesc(a.submitted_at ?? '', b.submitted_at ?? '') || compareDesc(a.review_id, b.review_id),
      );
    const latest = submitted[0];
    const newest = [...reviews].sort((a, b) => compareDesc(a.updated_at, b.updated_at))[0]!;
    if (latest) {
      this.#sql.upsertCallReview.run(
        interactionId,
        latest.passed === 1 ? 'passed' : 'failed',
        latest.percentage,
        latest.review_id,
        reviews.length,
        newest.updated_at,
      );
    } else {
      this.#sql.upsertCallReview.run(
        interactionId,
        'draft',
        null,
        newest.review_id,
        reviews.length,
        newest.updated_at,
      );
    }
  }

  // ---- reading ------------------------------------------------------------------------------------

  #where(filter: ReviewFilter): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      clauses.push(clause);
      params.push(...values);
    };
    if (filter.interaction_id !== undefined) add('r.interaction_id = ?', filter.interaction_id);
    if (filter.dispatch_id !== undefined) {
      const dispatch = parseDispatchId(filter.dispatch_id);
      // The dispatch's phone and time are indexed (interactions_by_dispatch); the id itself is not.
      if (dispatch) {
        add(
          `r.interaction_id IN (SELECT interaction_id FROM interactions
             WHERE dispatch_phone = ? AND dispatch_ts = ? AND dispatch_id = ?)`,
          dispatch.phone,
          dispatch.timestamp,
          dispatch.id,
        );
      } else {
        add('0');
      }
    }
    if (filter.reviewer !== undefined) add('r.reviewer_id = ?', filter.reviewer);
    if (filter.status !== undefined) add('r.status = ?', filter.status);
    if (filter.passed !== undefined) add('r.passed = ?', filter.passed ? 1 : 0);
    if (filter.tag !== undefined)
      add('r.review_id IN (SELECT review_id FROM review_tags WHERE tag = ?)', filter.tag);
    if (filter.form_id !== undefined) add('r.form_id = ?', filter.form_id);
    if (filter.form_version_id !== undefined) add('r.form_version_id = ?', filter.form_version_id);
    if (filter.from !== undefined) add('r.reviewed_at >= ?', utc(filter.from, 'from'));
    if (filter.to !== undefined) add('r.reviewed_at <= ?', utc(filter.to, 'to'));
    if (filter.min_percentage !== undefined) add('r.percentage >= ?', filter.min_percentage);
    if (filter.max_percentage !== undefined) add('r.percentage <= ?', filter.max_percentage);
    return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  #select(where: string, params: unknown[], tail: string, tailParams: unknown[]): StoredReview[] {
    const rows = this.#db
      .prepare<unknown[], { state: string; dispatch_id: string | null }>(
        `SELECT r.state, i.dispatch_id FROM reviews r
           LEFT JOIN interactions i ON i.interaction_id = r.interaction_id
         ${where} ${tail}`,
      )
      .all(...params, ...tailParams);
    return rows.map((row) => toStoredReview(JSON.parse(row.state) as StoredState, row.dispatch_id));
  }
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function toStoredReview(state: StoredState, dispatchId: string | null): StoredReview {
  return {
    review_id: state.review_id,
    interaction_id: state.interaction_id,
    dispatch_id: dispatchId,
    reviewer: state.reviewer,
    form_id: state.form_id,
    form_version_id: state.form_version_id,
    revision: state.revision,
    status: state.status,
    score: state.score,
    answers: state.answers,
    notes: state.notes,
    tags: state.tags,
    created_at: state.created_at,
    submitted_at: state.submitted_at,
    updated_at: state.updated_at,
    history: state.history,
    tag_adds: state.tag_adds,
    ignored: state.ignored,
  };
}

function toFormVersion(row: FormRow): StoredFormVersion {
  return {
    version_id: row.version_id,
    form_id: row.form_id,
    title: row.title,
    published_at: row.published_at,
    reviews: row.reviews,
    form: JSON.parse(row.body) as FormVersion,
  };
}

/**
 * What the reports read of a submitted review (migration 008's `report` column): tagged facts, so
 * one pass of json_each counts them all. A submitted review answered every scored question, so a
 * question's "answered" count is its reviews less its N/As.
 */
function reportFacts(
  form: FormVersion | null,
  answers: readonly Answer[],
  score: ScoreSummary | null,
): string[] {
  const facts: string[] = [];
  for (const answer of answers) {
    const question =
      form && formQuestions(form).find((entry) => entry.question.id === answer.question_id)?.question;
    if (!question || question.type === 'multiple_choice' || !('options' in question)) continue;
    if (answer.na) {
      facts.push(`n:${question.id}`);
      continue;
    }
    const best = Math.max(...question.options.map((option) => option.points));
    const chosen = question.options.find((option) => option.id === answer.option_id);
    if ((chosen?.points ?? 0) < best) facts.push(`m:${question.id}`);
  }
  if (score?.auto_failed) facts.push(...score.reasons.map((reason) => `r:${reason}`));
  return facts;
}
