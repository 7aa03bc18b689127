/**
 * How calibration numbers read in the views (and what a test checks): percentages, signed score
 * differences with what they mean (more lenient, stricter), answers with their points. Pure.
 */
import type {
  CalibrationQuestion,
  CalibrationReport,
  CalibrationReviewer,
} from '../../../shared/contract/calibration.ts';

function number(value: number, digits = 2): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function percentText(value: number | null): string {
  return value === null ? '—' : `${number(value)} %`;
}

/** `+12.5 pts`, `−3 pts`, `0 pts` (points of the percentage); a dash when there is nothing to compare. */
export function differenceText(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0 pts';
  return `${value > 0 ? '+' : '−'}${number(Math.abs(value))} pts`;
}

/** What a mean difference says of a reviewer, next to the number. */
export function leaningText(value: number | null): string {
  if (value === null) return 'nothing to compare';
  if (Math.abs(value) < 0.005) return 'scores like the reference';
  return value > 0 ? 'more lenient' : 'stricter';
}

/** One cell of the side-by-side table: the answer and its points of the question's maximum. */
export function answerCellText(
  question: CalibrationQuestion,
  answer: CalibrationQuestion['answers'][number] | undefined,
): string {
  if (answer === undefined || answer.answer === null) return '—';
  if (!question.scored || answer.points === null) return answer.answer;
  return `${answer.answer} · ${number(answer.points)}/${number(question.max_points)}`;
}

export function spreadText(question: CalibrationQuestion): string {
  if (!question.scored) return '';
  const agreement = question.agree === null ? '' : question.agree ? 'agree' : 'differ';
  return question.spread === null ? agreement : `${percentText(question.spread)} · ${agreement}`;
}

/** The header of a reviewer's column. */
export function reviewerHeading(reviewer: CalibrationReviewer): string {
  return reviewer.is_reference ? `${reviewer.reviewer} (reference)` : reviewer.reviewer;
}

export interface CalibrationTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The report's numbers as the table under the charts shows them. */
export function calibrationTable(report: CalibrationReport): CalibrationTable {
  return {
    columns: [
      'Reviewer',
      'Calls in common',
      'Same form',
      'Questions compared',
      'Agreement',
      'Mean difference',
      'Mean |difference|',
      'Reading',
    ],
    rows: report.rows.map((row) => [
      row.reviewer,
      number(row.calls, 0),
      number(row.same_form_calls, 0),
      number(row.questions_compared, 0),
      percentText(row.agreement),
      differenceText(row.mean_difference),
      row.mean_absolute_difference === null ? '—' : `${number(row.mean_absolute_difference)} pts`,
      leaningText(row.calls === 0 ? null : row.mean_difference),
    ]),
  };
}
