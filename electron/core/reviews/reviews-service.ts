import type {
  CallReviewSummary,
  ReviewChange,
  ReviewFilter,
  ReviewReport,
  ReviewView,
  SamplePlan,
} from '../../../shared/contract/reviews.ts';
import { parseFormVersion, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import {
  foldReview,
  reviewEvent,
  startReview,
  type ReviewEvent,
  type ReviewEventContext,
  type ReviewState,
} from '../../../shared/reviews/review-events.ts';
import { scoreReview, scoreSummary, validateAnswers, type Answer } from '../../../shared/reviews/scoring.ts';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import type { LibraryRef } from '../library/library-ref.ts';
import { ServiceError } from '../service-error.ts';
import { ReviewStore, type ReviewFilter as StoreFilter, type StoredReview } from './review-store.ts';
import { callReviewSummaries, reviewReport, sampleCalls } from './review-insights.ts';
import { shippedForms } from './shipped-forms.ts';

export interface ReviewsServiceOptions {
  /** Who this machine's reviews are by (Settings, TAPEDECK_REVIEWER, else the OS user). */
  readonly reviewer: () => string;
  /** ULIDs for events, reviews and notes, monotonic in this process. */
  readonly newId: () => string;
  readonly now: () => number;
  /**
   * Whether what this machine writes is shared with the team (a bucket is open): its events and
   * published forms then go into the team's outbox with them. Default: never.
   */
  readonly share?: () => boolean;
  /** Told after something was queued for the team (so the upload starts within a second or so). */
  readonly onQueued?: () => void;
  /** Told after a review changed, so lists and open panels read it again. */
  readonly onChanged?: (change: { interactionId: string; reviewId: string }) => void;
}

/** A change refused with what was wrong; `index` is the change's place in the batch. */
export class ReviewChangeError extends ServiceError {
  readonly problems: readonly { index: number; question_id: string | null; message: string }[];

  constructor(problems: readonly { index: number; question_id: string | null; message: string }[]) {
    super('invalid_input', problems.map((problem) => problem.message).join(' '));
    this.problems = problems;
  }
}

const NO_SCORE = {
  percentage: null,
  points: 0,
  max_points: 0,
  passed: false,
  auto_failed: false,
  reasons: [],
};

/**
 * The reviews domain: forms, a reviewer's review of a call built from events (answers, notes,
 * tags, submit, reopen), and the reviews across calls. Both the contract's handlers and the HTTP
 * API call it. Scoring is the pure `scoreReview` of the form version and the answers.
 */
export class ReviewsService {
  readonly #library: LibraryRef;
  readonly #options: ReviewsServiceOptions;
  readonly #stores = new WeakMap<CatalogDatabase, ReviewStore>();

  constructor(library: LibraryRef, options: ReviewsServiceOptions) {
    this.#library = library;
    this.#options = options;
  }

  /** The newest version of each form in this library's catalog (the shipped ones at least). */
  forms(): FormVersion[] {
    const latest = new Map<string, FormVersion>();
    for (const version of this.#store().formVersions()) latest.set(version.form_id, version.form);
    return [...latest.values()];
  }

  ofCall(interactionId: string): ReviewView[] {
    return this.#store()
      .reviewsOf(interactionId)
      .map((review) => this.#view(review));
  }

  review(reviewId: string): ReviewView | null {
    const review = this.#store().review(reviewId);
    return review && this.#view(review);
  }

  list(filter: ReviewFilter, limit: number, offset: number): { reviews: ReviewView[]; total: number } {
    const store = this.#store();
    const where = storeFilter(filter);
    return {
      reviews: store.listReviews(where, limit, offset).map((review) => this.#view(review)),
      total: store.countReviews(where),
    };
  }

  /** Every review of the filter, a page at a time (exports). */
  *all(filter: ReviewFilter): Generator<ReviewView[]> {
    const store = this.#store();
    const where = storeFilter(filter);
    for (let offset = 0; ; offset += 500) {
      const page = store.listReviews(where, 500, offset);
      if (page.length === 0) return;
      yield page.map((review) => this.#view(review));
    }
  }

  formVersion(versionId: string): FormVersion | null {
    return this.#store().formOf(versionId);
  }

  /**
   * Applies changes to this reviewer's current review of the call, starting one with the form
   * version when there is none (or when `fresh`: a script's new review). Answers the review after.
   */
  change(
    interactionId: string,
    formVersionId: string,
    changes: readonly ReviewChange[],
    options: { fresh?: boolean } = {},
  ): ReviewView {
    const store = this.#store();
    if (!this.#library().calls.hasCall(interactionId)) {
      throw new ServiceError('not_found', `No call ${interactionId} in the catalog.`);
    }
    const reviewer = this.#options.reviewer();
    const ports = { newId: this.#options.newId, now: () => new Date(this.#options.now()) };
    const current = options.fresh
      ? undefined
      : store.reviewsOf(interactionId).find((review) => review.reviewer === reviewer);
    // Every change is checked against the review as the earlier ones leave it, in memory; only a
    // batch without a problem is stored (one transaction), so a refused request changes nothing.
    let context: ReviewEventContext;
    let stored: ReviewEvent[];
    const pending: ReviewEvent[] = [];
    if (current) {
      context = {
        ...ports,
        review_id: current.review_id,
        interaction_id: interactionId,
        reviewer_id: reviewer,
      };
      stored = store.eventsOf(current.review_id);
    } else {
      if (!store.formOf(formVersionId)) {
        throw new ReviewChangeError([
          { index: -1, question_id: null, message: `There is no form version ${formVersionId}.` },
        ]);
      }
      const started = startReview(ports, {
        interaction_id: interactionId,
        reviewer_id: reviewer,
        form_version_id: formVersionId,
      });
      context = started.context;
      stored = [];
      pending.push(started.event);
    }
    let state = foldReview([...stored, ...pending])!;
    const form = store.formOf(state.form_version_id);
    if (!form)
      throw new ServiceError('not_found', `The review's form version ${state.form_version_id} is not here.`);

    const problems: { index: number; question_id: string | null; message: string }[] = [];
    // The app keeps a draft's answer whose comment is still to come; a script's review is checked whole.
    const draft = !options.fresh;
    changes.forEach((change, index) => {
      const refused = (message: string, questionId: string | null = null) =>
        problems.push({ index, question_id: questionId, message });
      const event = this.#eventFor(change, context, state, form, refused, draft);
      if (event) {
        pending.push(event);
        state = foldReview([...stored, ...pending])!;
      }
    });
    if (problems.length > 0) throw new ReviewChangeError(problems);
    if (pending.length > 0) {
      const share = this.#options.share?.() ?? false;
      store.appendEvents(pending, { share });
      this.#options.onChanged?.({ interactionId, reviewId: context.review_id });
      if (share) this.#options.onQueued?.();
    }
    return this.#view(store.review(context.review_id)!);
  }

  /** The list's review column for these calls. */
  summaries(interactionIds: readonly string[]): CallReviewSummary[] {
    this.#store(); // the review tables of this catalog, with the shipped forms
    return callReviewSummaries(this.#library().catalog, interactionIds);
  }

  tags(prefix: string): { tag: string; reviews: number }[] {
    return this.#store().tagsInUse(prefix, 20);
  }

  sample(plan: SamplePlan): { interactionIds: string[]; considered: number } {
    this.#store();
    return sampleCalls(this.#library().catalog, plan);
  }

  report(range: { from: string; to: string; formId: string | null }): ReviewReport {
    const store = this.#store();
    return reviewReport(this.#library().catalog, range, (id) => store.formOf(id));
  }

  /** Publishes a form read from JSON; a bad one is refused naming the bad field. */
  publishForm(json: unknown): FormVersion {
    const parsed = parseFormVersion(json);
    if (!parsed.ok) throw new ServiceError('invalid_input', `The form is not valid: ${parsed.error}`);
    const share = this.#options.share?.() ?? false;
    const published = this.#store().publishFormVersion(parsed.form, { share });
    if (share && published.status !== 'unchanged') this.#options.onQueued?.();
    return published.version.form;
  }

  /** The open library's review store (the team's sync appends what it pulls through it). */
  store(): ReviewStore {
    return this.#store();
  }

  #eventFor(
    change: ReviewChange,
    context: ReviewEventContext,
    review: ReviewState,
    form: FormVersion,
    refused: (message: string, questionId?: string | null) => void,
    draft: boolean,
  ): ReviewEvent | null {
    const draftOnly = () => {
      if (review.status === 'draft') return true;
      refused(`Revision ${review.revision} is submitted: reopen the review to change it.`);
      return false;
    };
    switch (change.type) {
      case 'answer': {
        if (!draftOnly()) return null;
        if (change.answer !== null) {
          const answer: Answer = { question_id: change.question_id, ...change.answer };
          const [problem] = validateAnswers(form, [answer], { draft });
          if (problem) {
            refused(problem.message, change.question_id);
            return null;
          }
        }
        return reviewEvent(context, 'answer_set', { question_id: change.question_id, answer: change.answer });
      }
      case 'add_note':
        return reviewEvent(context, 'note_added', {
          note: { note_id: this.#options.newId(), ...change.note },
        });
      case 'edit_note':
        if (!review.notes.some((note) => note.note_id === change.note_id)) {
          refused(`There is no note ${change.note_id} in this review.`);
          return null;
        }
        return reviewEvent(context, 'note_edited', { note: { note_id: change.note_id, ...change.note } });
      case 'delete_note':
        if (!review.notes.some((note) => note.note_id === change.note_id)) {
          refused(`There is no note ${change.note_id} in this review.`);
          return null;
        }
        return reviewEvent(context, 'note_deleted', { note_id: change.note_id });
      case 'add_tag':
        return review.tags.includes(change.tag)
          ? null
          : reviewEvent(context, 'tag_added', { tag: change.tag });
      case 'remove_tag': {
        // Removes the adds of the tag this review shows (an add made elsewhere meanwhile stays).
        const removes = review.tag_adds[change.tag];
        return removes?.length
          ? reviewEvent(context, 'tag_removed', { tag: change.tag, removes: [...removes] })
          : null;
      }
      case 'submit': {
        if (!draftOnly()) return null;
        const problems = validateAnswers(form, review.answers);
        const score = scoreReview(form, review.answers);
        for (const problem of problems) refused(problem.message, problem.question_id);
        if (score.unanswered.length > 0) {
          refused(`Answer every question before submitting: ${score.unanswered.join(', ')} still open.`);
        }
        if (problems.length > 0 || score.unanswered.length > 0) return null;
        return reviewEvent(context, 'review_submitted', { score: scoreSummary(score) });
      }
      case 'reopen':
        if (review.status !== 'submitted') {
          refused('The review is a draft already.');
          return null;
        }
        return reviewEvent(context, 'review_reopened', {});
    }
  }

  #view(review: StoredReview): ReviewView {
    const form = this.#store().formOf(review.form_version_id);
    const live = form ? scoreReview(form, review.answers) : null;
    return {
      review_id: review.review_id,
      interaction_id: review.interaction_id,
      dispatch_id: review.dispatch_id,
      reviewer: review.reviewer,
      form_id: review.form_id ?? form?.form_id ?? '',
      form_version_id: review.form_version_id,
      revision: review.revision,
      status: review.status,
      score: review.score ?? (live ? scoreSummary(live) : NO_SCORE),
      unanswered: review.status === 'draft' ? [...(live?.unanswered ?? [])] : [],
      answers: [...review.answers],
      notes: review.notes.map((note) => ({ ...note })),
      tags: [...review.tags],
      created_at: review.created_at,
      submitted_at: review.submitted_at,
      history: review.history.map(({ revision, submitted_at, score }) => ({ revision, submitted_at, score })),
    };
  }

  /** The open library's review store; the shipped forms are published into a catalog the first time. */
  #store(): ReviewStore {
    const { catalog } = this.#library();
    let store = this.#stores.get(catalog);
    if (!store) {
      store = new ReviewStore(catalog, { now: () => new Date(this.#options.now()) });
      for (const form of shippedForms()) store.publishFormVersion(form);
      this.#stores.set(catalog, store);
    }
    return store;
  }
}

function storeFilter(filter: ReviewFilter): StoreFilter {
  return {
    ...(filter.interactionId ? { interaction_id: filter.interactionId } : {}),
    ...(filter.reviewer ? { reviewer: filter.reviewer } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.tag ? { tag: filter.tag } : {}),
    ...(filter.formId ? { form_id: filter.formId } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}
