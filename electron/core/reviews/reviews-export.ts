import Papa from 'papaparse';
import { Readable } from 'node:stream';
import type { ReviewView } from '../../../shared/contract/reviews.ts';
import type { Answer } from '../../../shared/reviews/scoring.ts';
import { formQuestions, type FormVersion } from '../../../shared/reviews/form-schema.ts';

/** The columns before the answers: the call, who reviewed it with which form, and the score. */
export const REVIEW_CSV_COLUMNS = [
  'review_id',
  'interaction_id',
  'dispatch_id',
  'reviewer',
  'form_id',
  'form_version_id',
  'revision',
  'submitted_at',
  'percentage',
  'passed',
  'auto_failed',
  'reasons',
  'tags',
  'notes',
] as const;

// A cell a spreadsheet would run as a formula gets a leading ' (as the calls export does).
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/** How an answer reads in a cell: the option's label, the value, or N/A (with the comment after). */
function answerCell(form: FormVersion | null, answer: Answer | undefined): string {
  if (!answer) return '';
  const question =
    form && formQuestions(form).find((entry) => entry.question.id === answer.question_id)?.question;
  const label = (optionId: string) =>
    (question && 'options' in question
      ? question.options.find((option) => option.id === optionId)?.label
      : null) ?? optionId;
  const value = answer.na
    ? 'N/A'
    : answer.option_id !== undefined
      ? label(answer.option_id)
      : answer.option_ids !== undefined
        ? answer.option_ids.map(label).join('; ')
        : String(answer.value ?? '');
  return answer.comment ? `${value} — ${answer.comment}` : value;
}

/**
 * Submitted reviews as CSV, one row each: the review's columns, then one column per question of
 * the forms they used (`q:{question_id}`), in the forms' order.
 */
export function reviewsCsvStream(
  pages: Iterable<ReviewView[]>,
  formOf: (versionId: string) => FormVersion | null,
): Readable {
  const rows: ReviewView[] = [];
  for (const page of pages) rows.push(...page.filter((review) => review.status === 'submitted'));
  const questionIds: string[] = [];
  const forms = new Map<string, FormVersion | null>();
  for (const review of rows) {
    if (forms.has(review.form_version_id)) continue;
    const form = formOf(review.form_version_id);
    forms.set(review.form_version_id, form);
    for (const { question } of form ? formQuestions(form) : []) {
      if (!questionIds.includes(question.id)) questionIds.push(question.id);
    }
  }
  const data = rows.map((review) => {
    const form = forms.get(review.form_version_id) ?? null;
    const byQuestion = new Map(review.answers.map((answer) => [answer.question_id, answer]));
    return [
      review.review_id,
      review.interaction_id,
      review.dispatch_id ?? '',
      review.reviewer,
      review.form_id,
      review.form_version_id,
      review.revision,
      review.submitted_at ?? '',
      review.score.percentage ?? '',
      review.score.passed,
      review.score.auto_failed,
      review.score.reasons.join('; '),
      review.tags.join('; '),
      review.notes.length,
      ...questionIds.map((id) => answerCell(form, byQuestion.get(id))),
    ];
  });
  const text = Papa.unparse(
    { fields: [...REVIEW_CSV_COLUMNS, ...questionIds.map((id) => `q:${id}`)], data },
    { newline: '\r\n', escapeFormulae: FORMULA },
  );
  return Readable.from([text.endsWith('\r\n') ? text : `${text}\r\n`]);
}

/** The reviews as a JSON array (every revision's history included), pretty-printed. */
export function reviewsJsonStream(pages: Iterable<ReviewView[]>): Readable {
  return Readable.from(
    (function* () {
      yield '[';
      let first = true;
      for (const page of pages) {
        for (const review of page) {
          yield `${first ? '\n' : ',\n'}${JSON.stringify(review)}`;
          first = false;
        }
      }
      yield first ? ']\n' : '\n]\n';
    })(),
  );
}
