/**
 * Calibration (issue 12; docs/calibration.md): how alike reviewers score. Pure functions over
 * submitted reviews and their form versions — one call's reviews side by side, and a report over a
 * period against a reference reviewer — plus `CalibrationService`, which reads them from the
 * catalog (reads only). Questions are compared only between reviews of the same form version: a
 * question of another version may mean something else, so those reviews count by overall score.
 */
import Papa from 'papaparse';
import type {
  CalibrationQuestion,
  CalibrationRange,
  CalibrationReport,
  CalibrationReviewer,
  CalibrationRow,
  CallCalibration,
} from '../../../shared/contract/calibration.ts';
import { formQuestions, isScored, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import { scoreReview, type Answer } from '../../../shared/reviews/scoring.ts';
import type { LibraryRef } from '../library/library-ref.ts';
import { ServiceError } from '../service-error.ts';
import type { ReviewsService } from './reviews-service.ts';

/** What calibration reads of a review (a ReviewView has it all). */
export interface CalibrationReview {
  readonly review_id: string;
  readonly interaction_id: string;
  readonly reviewer: string;
  readonly form_version_id: string;
  readonly status: 'draft' | 'submitted';
  readonly answers: readonly Answer[];
  readonly score: { readonly percentage: number | null; readonly passed: boolean };
  readonly submitted_at: string | null;
}

export type FormOf = (versionId: string) => FormVersion | null;

const round2 = (value: number) => Math.round(value * 100) / 100;
const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
const roundOrNull = (value: number | null) => (value === null ? null : round2(value));

/** Each reviewer's latest submitted review (a script may have submitted several of one call). */
export function latestSubmittedByReviewer(reviews: readonly CalibrationReview[]): CalibrationReview[] {
  const latest = new Map<string, CalibrationReview>();
  for (const review of reviews) {
    if (review.status !== 'submitted') continue;
    const kept = latest.get(review.reviewer);
    if (!kept || (review.submitted_at ?? '') > (kept.submitted_at ?? '')) latest.set(review.reviewer, review);
  }
  return [...latest.values()].sort((a, b) =>
    a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0,
  );
}

/** One reviewer's reading of one question. */
interface QuestionReading {
  /** For display: the option label(s), the value, "N/A". */
  readonly label: string | null;
  /** Two answers agree when their keys are equal (comments aside); null when unanswered. */
  readonly key: string | null;
  readonly points: number | null;
  readonly percent: number | null;
}

/** How each question of the form reads in these answers (scored with the form, as the review was). */
export function readAnswers(form: FormVersion, answers: readonly Answer[]): Map<string, QuestionReading> {
  const scores = new Map(scoreReview(form, answers).questions.map((score) => [score.question_id, score]));
  const given = new Map(answers.map((answer) => [answer.question_id, answer]));
  const readings = new Map<string, QuestionReading>();
  for (const { question } of formQuestions(form)) {
    const answer = given.get(question.id);
    const score = scores.get(question.id);
    const scored = score?.status === 'scored';
    const label = (id: string) =>
      ('options' in question ? question.options.find((option) => option.id === id)?.label : null) ?? id;
    let text: string | null = null;
    let key: string | null = null;
    if (answer?.na) {
      text = 'N/A';
      key = 'na';
    } else if (answer?.option_id !== undefined) {
      text = label(answer.option_id);
      key = `o:${answer.option_id}`;
    } else if (answer?.option_ids !== undefined) {
      text = answer.option_ids.length === 0 ? '(none)' : answer.option_ids.map(label).join('; ');
      key = `m:${[...answer.option_ids].sort().join(',')}`;
    } else if (answer?.value !== undefined) {
      text = String(answer.value);
      key = `v:${JSON.stringify(answer.value)}`;
    }
    readings.set(question.id, {
      label: text,
      key,
      points: scored && score ? round2(score.points) : null,
      // A question worth nothing (max 0) has no percentage to compare.
      percent: scored && score && score.max_points > 0 ? (100 * score.points) / score.max_points : null,
    });
  }
  return readings;
}

/** The version most of the reviews use (ties: the smallest id, so the choice is stable). */
function mostUsedVersion(reviews: readonly CalibrationReview[]): string | null {
  const counts = new Map<string, number>();
  for (const review of reviews)
    counts.set(review.form_version_id, (counts.get(review.form_version_id) ?? 0) + 1);
  let best: string | null = null;
  for (const [version, count] of counts) {
    const bestCount = best === null ? -1 : (counts.get(best) ?? 0);
    if (count > bestCount || (count === bestCount && best !== null && version < best)) best = version;
  }
  return best;
}

/**
 * One call's submitted reviews side by side: per question each reviewer's answer and points, the
 * spread and whether they agree; per reviewer the distance from the reference reviewer (or, with
 * none, from the mean of the reviews).
 */
export function compareCall(
  interactionId: string,
  allReviews: readonly CalibrationReview[],
  formOf: FormOf,
  requestedReference: string | null,
): CallCalibration {
  const reviews = latestSubmittedByReviewer(allReviews);
  const notes: string[] = [];
  const referenceReview =
    requestedReference === null ? null : (reviews.find((r) => r.reviewer === requestedReference) ?? null);
  if (requestedReference !== null && referenceReview === null) {
    notes.push(
      `${requestedReference} has no submitted review of this call: distances are from the mean of the reviews.`,
    );
  }
  const reference = referenceReview?.reviewer ?? null;
  const versionId = referenceReview?.form_version_id ?? mostUsedVersion(reviews);
  const form = versionId === null ? null : formOf(versionId);
  if (versionId !== null && form === null) {
    notes.push(`Form version ${versionId} is not in this catalog: only overall scores are compared.`);
  }
  const comparable = form === null ? [] : reviews.filter((review) => review.form_version_id === versionId);
  const others = reviews.filter((review) => review.form_version_id !== versionId);
  if (form !== null && others.length > 0) {
    const versions = [...new Set(others.map((review) => review.form_version_id))].sort();
    notes.push(
      `${others.map((review) => review.reviewer).join(', ')} used another form version (${versions.join(', ')}) ` +
        `than ${versionId}: compared on the overall score only.`,
    );
  }

  const readings = new Map(comparable.map((review) => [review.reviewer, readAnswers(form!, review.answers)]));
  const questions: CalibrationQuestion[] = (form ? formQuestions(form) : []).map(({ section, question }) => {
    const scored = isScored(question);
    const answers = comparable.map((review) => {
      const reading = readings.get(review.reviewer)?.get(question.id);
      return {
        reviewer: review.reviewer,
        answer: reading?.label ?? null,
        points: reading?.points ?? null,
        percent: roundOrNull(reading?.percent ?? null),
      };
    });
    const percents = comparable.flatMap((review) => {
      const percent = readings.get(review.reviewer)?.get(question.id)?.percent;
      return percent === null || percent === undefined ? [] : [percent];
    });
    const keys = comparable.map((review) => readings.get(review.reviewer)?.get(question.id)?.key ?? null);
    const maxPoints = scored ? (scoreMax(form!, question.id) ?? 0) : 0;
    return {
      question_id: question.id,
      text: question.text,
      section: section.title,
      max_points: maxPoints,
      scored,
      answers,
      spread: percents.length >= 2 ? round2(Math.max(...percents) - Math.min(...percents)) : null,
      agree: !scored || keys.length < 2 ? null : keys.every((key) => key !== null && key === keys[0]),
    };
  });

  // The baseline each reviewer is measured from: the reference's numbers, else the means.
  const baselinePercent = (questionId: string): number | null => {
    if (referenceReview !== null) {
      if (referenceReview.form_version_id !== versionId) return null;
      return readings.get(referenceReview.reviewer)?.get(questionId)?.percent ?? null;
    }
    return mean(
      comparable.flatMap((review) => {
        const percent = readings.get(review.reviewer)?.get(questionId)?.percent;
        return percent === null || percent === undefined ? [] : [percent];
      }),
    );
  };
  const scores = reviews.flatMap((review) =>
    review.score.percentage === null ? [] : [review.score.percentage],
  );
  const baselineScore = referenceReview !== null ? referenceReview.score.percentage : mean(scores);

  const reviewers: CalibrationReviewer[] = reviews.map((review) => {
    const sameForm = form !== null && review.form_version_id === versionId;
    const differences: number[] = [];
    if (sameForm) {
      for (const question of questions) {
        if (!question.scored) continue;
        const own = readings.get(review.reviewer)?.get(question.question_id)?.percent ?? null;
        const base = baselinePercent(question.question_id);
        if (own !== null && base !== null) differences.push(Math.abs(own - base));
      }
    }
    const isReference = review.reviewer === reference;
    return {
      reviewer: review.reviewer,
      review_id: review.review_id,
      form_version_id: review.form_version_id,
      submitted_at: review.submitted_at,
      percentage: review.score.percentage,
      passed: review.score.passed,
      same_form: sameForm,
      is_reference: isReference,
      question_distance: roundOrNull(mean(differences)),
      questions_compared: differences.length,
      score_difference:
        review.score.percentage === null || baselineScore === null
          ? null
          : round2(review.score.percentage - baselineScore),
    };
  });

  return {
    interaction_id: interactionId,
    reference,
    form_version_id: versionId,
    form_title: form?.title ?? null,
    reviewers,
    questions,
    notes,
  };
}

function scoreMax(form: FormVersion, questionId: string): number | null {
  // The same maxima as scoring.ts, read off the form: they do not depend on any answer.
  for (const { question } of formQuestions(form)) {
    if (question.id !== questionId || !isScored(question)) continue;
    switch (question.type) {
      case 'yes_no':
      case 'single_choice':
        return question.weight * Math.max(...question.options.map((option) => option.points));
      case 'multiple_choice':
        return question.weight * question.options.reduce((sum, option) => sum + option.points, 0);
      case 'scale':
        return question.weight * 4;
      case 'number':
        return question.weight * Math.max(...question.bands.map((band) => band.points));
    }
  }
  return null;
}

interface PairTally {
  calls: number;
  sameFormCalls: number;
  compared: number;
  agreed: number;
  differences: number[];
}

/**
 * The calibration report: for each reviewer but the reference, over the calls both reviewed, the
 * share of questions answered as the reference did (same form version only), and the mean score
 * difference (positive: more lenient than the reference; negative: stricter).
 */
export function calibrationReport(
  range: { from: string; to: string; formId: string | null; reference: string },
  calls: Iterable<readonly CalibrationReview[]>,
  reviewersInPeriod: readonly string[],
  referenceCalls: number,
  formOf: FormOf,
): CalibrationReport {
  const tallies = new Map<string, PairTally>();
  const tallyOf = (reviewer: string) => {
    let tally = tallies.get(reviewer);
    if (!tally) {
      tally = { calls: 0, sameFormCalls: 0, compared: 0, agreed: 0, differences: [] };
      tallies.set(reviewer, tally);
    }
    return tally;
  };
  for (const reviewer of reviewersInPeriod) if (reviewer !== range.reference) tallyOf(reviewer);

  for (const callReviews of calls) {
    const reviews = latestSubmittedByReviewer(callReviews);
    const reference = reviews.find((review) => review.reviewer === range.reference);
    if (!reference) continue;
    const form = formOf(reference.form_version_id);
    const referenceReadings = form ? readAnswers(form, reference.answers) : null;
    for (const review of reviews) {
      if (review === reference) continue;
      const tally = tallyOf(review.reviewer);
      tally.calls += 1;
      if (review.score.percentage !== null && reference.score.percentage !== null) {
        tally.differences.push(review.score.percentage - reference.score.percentage);
      }
      if (
        form === null ||
        referenceReadings === null ||
        review.form_version_id !== reference.form_version_id
      ) {
        continue;
      }
      tally.sameFormCalls += 1;
      const readings = readAnswers(form, review.answers);
      for (const { question } of formQuestions(form)) {
        if (!isScored(question)) continue;
        const own = readings.get(question.id)?.key ?? null;
        const theirs = referenceReadings.get(question.id)?.key ?? null;
        if (own === null || theirs === null) continue;
        tally.compared += 1;
        if (own === theirs) tally.agreed += 1;
      }
    }
  }

  const rows: CalibrationRow[] = [...tallies.entries()]
    .map(([reviewer, tally]) => ({
      reviewer,
      calls: tally.calls,
      same_form_calls: tally.sameFormCalls,
      questions_compared: tally.compared,
      agreement: tally.compared === 0 ? null : round2((100 * tally.agreed) / tally.compared),
      mean_difference: roundOrNull(mean(tally.differences)),
      mean_absolute_difference: roundOrNull(mean(tally.differences.map(Math.abs))),
    }))
    .sort((a, b) => b.calls - a.calls || (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0));
  return {
    from: range.from,
    to: range.to,
    form_id: range.formId,
    reference: range.reference,
    reference_calls: referenceCalls,
    reviewers: [...reviewersInPeriod].sort(),
    rows,
  };
}

export const CALIBRATION_CSV_COLUMNS = [
  'reviewer',
  'reference',
  'from',
  'to',
  'form_id',
  'calls',
  'same_form_calls',
  'questions_compared',
  'agreement_pct',
  'mean_difference',
  'mean_absolute_difference',
] as const;

// A cell a spreadsheet would run as a formula gets a leading ' (as the other exports do).
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/** The report's rows as CSV (CRLF, a header row): one row per reviewer compared with the reference. */
export function calibrationCsv(report: CalibrationReport): string {
  const cell = (value: number | null) => (value === null ? '' : value);
  const text = Papa.unparse(
    {
      fields: [...CALIBRATION_CSV_COLUMNS],
      data: report.rows.map((row) => [
        row.reviewer,
        report.reference,
        report.from,
        report.to,
        report.form_id ?? '',
        row.calls,
        row.same_form_calls,
        row.questions_compared,
        cell(row.agreement),
        cell(row.mean_difference),
        cell(row.mean_absolute_difference),
      ]),
    },
    { newline: '\r\n', escapeFormulae: FORMULA },
  );
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** ISO times sort as text in one form only: UTC with milliseconds (as reviewed_at is stored). */
function utc(time: string, name: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) {
    throw new ServiceError(
      'invalid_input',
      `${name}: "${time}" is not a date and time (e.g. 2025-08-01T00:00:00Z).`,
    );
  }
  return new Date(ms).toISOString();
}

/** Calibration over the open library's catalog, through the reviews service's reads. */
export class CalibrationService {
  readonly #library: LibraryRef;
  readonly #reviews: ReviewsService;

  constructor(library: LibraryRef, reviews: ReviewsService) {
    this.#library = library;
    this.#reviews = reviews;
  }

  call(interactionId: string, reference: string | null): CallCalibration {
    const reviews = this.#reviews.ofCall(interactionId);
    return compareCall(interactionId, reviews, (id) => this.#reviews.formVersion(id), reference);
  }

  report(range: CalibrationRange): CalibrationReport {
    const from = utc(range.from, 'from');
    const to = utc(range.to, 'to');
    if (from > to) {
      throw new ServiceError('invalid_input', `from (${range.from}) is after to (${range.to}): swap them.`);
    }
    this.#reviews.forms(); // the catalog's review tables, with the shipped forms
    const db = this.#library().catalog;
    const params = { from, to, formId: range.formId, reference: range.reference };
    const where = `status = 'submitted' AND reviewed_at BETWEEN @from AND @to AND (@formId IS NULL OR form_id = @formId)`;
    const perReviewer = db
      .prepare<typeof params, { reviewer: string; calls: number }>(
        `SELECT reviewer_id AS reviewer, count(DISTINCT interaction_id) AS calls FROM reviews
          WHERE ${where} GROUP BY reviewer_id`,
      )
      .all(params);
    const shared = db
      .prepare<typeof params, string>(
        `SELECT interaction_id FROM reviews WHERE ${where}
          GROUP BY interaction_id
         HAVING sum(reviewer_id = @reference) > 0 AND count(DISTINCT reviewer_id) > 1
          ORDER BY interaction_id`,
      )
      .pluck()
      .all(params);
    const inRange = (review: CalibrationReview & { form_id: string }) =>
      review.status === 'submitted' &&
      review.submitted_at !== null &&
      review.submitted_at >= from &&
      review.submitted_at <= to &&
      (range.formId === null || review.form_id === range.formId);
    const reviews = this.#reviews;
    const calls = (function* () {
      for (const interactionId of shared) yield reviews.ofCall(interactionId).filter(inRange);
    })();
    return calibrationReport(
      { from: range.from, to: range.to, formId: range.formId, reference: range.reference },
      calls,
      perReviewer.map((row) => row.reviewer),
      perReviewer.find((row) => row.reviewer === range.reference)?.calls ?? 0,
      (id) => reviews.formVersion(id),
    );
  }
}
