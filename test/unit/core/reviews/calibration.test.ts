/**
 * Calibration math (electron/core/reviews/calibration.ts) on the shipped general form, whose one
 * section is worth 8 points: greeting (yes 1), resolved (fully 2, partly 1, not 0), tone (1–5 → 0–4),
 * closing (yes 1), and a free-text comment that is never compared.
 */
import { describe, expect, it } from 'vitest';
import {
  calibrationCsv,
  calibrationReport,
  compareCall,
  type CalibrationReview,
} from '../../../../electron/core/reviews/calibration.ts';
import { shippedForms } from '../../../../electron/core/reviews/shipped-forms.ts';
import type { FormVersion } from '../../../../shared/reviews/form-schema.ts';
import { scoreReview, type Answer } from '../../../../shared/reviews/scoring.ts';

const general = shippedForms().find((form) => form.form_id === 'general')!;
/** The same questions under another version id: compared by overall score only. */
const general2: FormVersion = { ...general, version_id: 'general-2' };
const forms = new Map([general, general2].map((form) => [form.version_id, form]));
const formOf = (id: string) => forms.get(id) ?? null;

function answers(
  greeting: 'yes' | 'no',
  resolved: 'fully' | 'partly' | 'not' | 'na',
  tone: number,
): Answer[] {
  return [
    { question_id: 'greeting', option_id: greeting },
    resolved === 'na'
      ? { question_id: 'resolved', na: true }
      : { question_id: 'resolved', option_id: resolved },
    { question_id: 'tone', value: tone },
    { question_id: 'closing', option_id: 'yes' },
    { question_id: 'comments', value: `${greeting} ${resolved}` },
  ];
}

let ids = 0;
function review(
  call: string,
  reviewer: string,
  given: Answer[],
  options: { form?: FormVersion; status?: 'draft' | 'submitted'; at?: string } = {},
): CalibrationReview {
  const form = options.form ?? general;
  const score = scoreReview(form, given);
  ids += 1;
  return {
    review_id: `r${ids}`,
    interaction_id: call,
    reviewer,
    form_version_id: form.version_id,
    status: options.status ?? 'submitted',
    answers: given,
    score: { percentage: score.percentage, passed: score.passed },
    submitted_at: options.status === 'draft' ? null : (options.at ?? '2025-08-08T12:00:00.000Z'),
  };
}

// alice 100 %, bob 75 % (resolved partly, tone 4), carol 87.5 % (no greeting).
const alice = review('c1', 'alice', answers('yes', 'fully', 5));
const bob = review('c1', 'bob', answers('yes', 'partly', 4));
const carol = review('c1', 'carol', answers('no', 'fully', 5));

describe('one call, side by side', () => {
  it('gives per question each answer and points, the spread of the % and whether all agree', () => {
    const result = compareCall('c1', [alice, bob, carol], formOf, 'alice');
    expect(result.reference).toBe('alice');
    expect(result.form_version_id).toBe('general-1');
    expect(result.notes).toEqual([]);
    const byId = new Map(result.questions.map((question) => [question.question_id, question]));
    expect(byId.get('greeting')).toMatchObject({
      max_points: 1,
      spread: 100,
      agree: false,
      answers: [
        { reviewer: 'alice', answer: 'Yes', points: 1, percent: 100 },
        { reviewer: 'bob', answer: 'Yes', points: 1, percent: 100 },
        { reviewer: 'carol', answer: 'No', points: 0, percent: 0 },
      ],
    });
    expect(byId.get('resolved')).toMatchObject({ max_points: 2, spread: 50, agree: false });
    expect(byId.get('tone')).toMatchObject({ max_points: 4, spread: 25, agree: false });
    expect(byId.get('closing')).toMatchObject({ spread: 0, agree: true });
    // Free text is shown, never scored nor compared.
    expect(byId.get('comments')).toMatchObject({ scored: false, spread: null, agree: null });
    expect(byId.get('comments')!.answers.map((answer) => answer.answer)).toEqual([
      'yes fully',
      'yes partly',
      'no fully',
    ]);
  });

  it('measures each reviewer from the reference: mean |Δ question %| and the score difference (negative: stricter)', () => {
    const result = compareCall('c1', [alice, bob, carol], formOf, 'alice');
    const byReviewer = new Map(result.reviewers.map((reviewer) => [reviewer.reviewer, reviewer]));
    expect(byReviewer.get('alice')).toMatchObject({
      is_reference: true,
      percentage: 100,
      question_distance: 0,
      score_difference: 0,
    });
    // bob: |0| + |50| + |25| + |0| over 4 questions; 75 − 100.
    expect(byReviewer.get('bob')).toMatchObject({
      question_distance: 18.75,
      questions_compared: 4,
      score_difference: -25,
    });
    expect(byReviewer.get('carol')).toMatchObject({ question_distance: 25, score_difference: -12.5 });
  });

  it('without a reference, measures from the mean of the reviews (positive: more lenient)', () => {
    const result = compareCall('c1', [alice, bob, carol], formOf, null);
    expect(result.reference).toBeNull();
    const diffs = Object.fromEntries(result.reviewers.map((r) => [r.reviewer, r.score_difference]));
    // The mean of 100, 75 and 87.5 is 87.5.
    expect(diffs).toEqual({ alice: 12.5, bob: -12.5, carol: 0 });
    expect(result.reviewers.every((reviewer) => !reviewer.is_reference)).toBe(true);
  });

  it('says so when the chosen reference has not reviewed the call, and falls back to the mean', () => {
    const result = compareCall('c1', [alice, bob], formOf, 'zoe');
    expect(result.reference).toBeNull();
    expect(result.notes.join(' ')).toMatch(/zoe has no submitted review of this call/);
  });

  it('counts only submitted reviews, each reviewer’s latest', () => {
    const draft = review('c1', 'dave', answers('no', 'not', 1), { status: 'draft' });
    const older = review('c1', 'bob', answers('no', 'not', 1), { at: '2025-08-01T00:00:00.000Z' });
    const result = compareCall('c1', [alice, bob, older, draft], formOf, 'alice');
    expect(result.reviewers.map((r) => [r.reviewer, r.percentage])).toEqual([
      ['alice', 100],
      ['bob', 75],
    ]);
  });

  it('compares a review of another form version by its overall score only, and says so', () => {
    const other = review('c1', 'erin', answers('no', 'not', 1), { form: general2 });
    const result = compareCall('c1', [alice, bob, other], formOf, 'alice');
    const erin = result.reviewers.find((reviewer) => reviewer.reviewer === 'erin')!;
    expect(erin).toMatchObject({ same_form: false, question_distance: null, questions_compared: 0 });
    expect(erin.score_difference).toBe(erin.percentage! - 100);
    expect(result.questions[0]!.answers.map((answer) => answer.reviewer)).toEqual(['alice', 'bob']);
    expect(result.notes.join(' ')).toMatch(
      /erin used another form version \(general-2\).*overall score only/,
    );
  });

  it('leaves an N/A out of the question distance but counts it as an answer that agrees or not', () => {
    const a = review('c2', 'alice', answers('yes', 'na', 5));
    const b = review('c2', 'bob', answers('yes', 'na', 5));
    const result = compareCall('c2', [a, b], formOf, 'alice');
    const resolved = result.questions.find((question) => question.question_id === 'resolved')!;
    expect(resolved).toMatchObject({ agree: true, spread: null });
    expect(resolved.answers.map((answer) => [answer.answer, answer.points])).toEqual([
      ['N/A', null],
      ['N/A', null],
    ]);
    expect(result.reviewers.find((r) => r.reviewer === 'bob')).toMatchObject({
      questions_compared: 3,
      question_distance: 0,
    });
  });
});

describe('the calibration report', () => {
  // call 1: alice 75 %, bob 100 % (+25), carol 62.5 % (−12.5)
  // call 2: alice 100 %, bob 100 % (0), carol on general-2 (compared by score only)
  // call 3: no alice: dave has no call in common with her.
  const calls = [
    [
      review('c1', 'alice', answers('yes', 'partly', 4)),
      review('c1', 'bob', answers('yes', 'fully', 5)),
      review('c1', 'carol', answers('no', 'partly', 4)),
    ],
    [
      review('c2', 'alice', answers('yes', 'fully', 5)),
      review('c2', 'bob', answers('yes', 'fully', 5)),
      review('c2', 'carol', answers('no', 'partly', 1), { form: general2 }),
    ],
    [review('c3', 'dave', answers('yes', 'fully', 5)), review('c3', 'bob', answers('yes', 'fully', 5))],
  ];
  const range = {
    from: '2025-08-01T00:00:00Z',
    to: '2025-08-31T23:59:59Z',
    formId: null,
    reference: 'alice',
  };
  const report = calibrationReport(range, calls, ['alice', 'bob', 'carol', 'dave'], 2, formOf);
  const row = (reviewer: string) => report.rows.find((entry) => entry.reviewer === reviewer);

  it('gives a more lenient reviewer a positive mean difference, and the share of answers like the reference’s', () => {
    // bob: call 1 agrees on greeting and closing, not resolved and tone; call 2 on all four: 6 of 8.
    expect(row('bob')).toEqual({
      reviewer: 'bob',
      calls: 2,
      same_form_calls: 2,
      questions_compared: 8,
      agreement: 75,
      mean_difference: 12.5,
      mean_absolute_difference: 12.5,
    });
  });

  it('gives a stricter reviewer a negative one, comparing another form version by score only', () => {
    const carol = row('carol')!;
    const call2 = calls[1]![2]!.score.percentage! - 100;
    expect(carol).toMatchObject({ calls: 2, same_form_calls: 1, questions_compared: 4, agreement: 75 });
    expect(carol.mean_difference).toBe((-12.5 + call2) / 2);
    expect(carol.mean_difference).toBeLessThan(0);
    expect(carol.mean_absolute_difference).toBe((12.5 + Math.abs(call2)) / 2);
  });

  it('lists a reviewer without a call in common with the reference with nothing to compare', () => {
    expect(row('dave')).toEqual({
      reviewer: 'dave',
      calls: 0,
      same_form_calls: 0,
      questions_compared: 0,
      agreement: null,
      mean_difference: null,
      mean_absolute_difference: null,
    });
    expect(row('alice')).toBeUndefined();
    expect(report).toMatchObject({ reference: 'alice', reference_calls: 2 });
    expect(report.rows.map((entry) => entry.reviewer)).toEqual(['bob', 'carol', 'dave']);
  });

  it('exports the rows as CSV, one per reviewer, blank where there is nothing to compare', () => {
    const lines = calibrationCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'reviewer,reference,from,to,form_id,calls,same_form_calls,questions_compared,agreement_pct,mean_difference,mean_absolute_difference',
    );
    expect(lines[1]).toBe('bob,alice,2025-08-01T00:00:00Z,2025-08-31T23:59:59Z,,2,2,8,75,12.5,12.5');
    expect(lines[3]).toBe('dave,alice,2025-08-01T00:00:00Z,2025-08-31T23:59:59Z,,0,0,0,,,');
    expect(lines).toHaveLength(5); // header, three rows, and the final CRLF
  });
});
