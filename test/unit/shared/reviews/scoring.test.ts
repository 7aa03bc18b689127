import { describe, expect, it } from 'vitest';
import {
  parseFormVersion,
  type FormVersion,
  type FormVersionInput,
} from '../../../../shared/reviews/form-schema.ts';
import { scoreReview, validateAnswers, type Answer } from '../../../../shared/reviews/scoring.ts';

function parsed(input: FormVersionInput): FormVersion {
  const result = parseFormVersion(input);
  if (!result.ok) throw new Error(result.error);
  return result.form;
}

/**
 * Compliance (weight 3): id check (critical, "no" fails the form), disclosure (critical, N/A allowed,
 * weight 2). Manner (weight 1): pressure (a "yes" fails the section), tone (scale), interruptions
 * (number), extras (multiple choice), summary (free text, required).
 */
const FORM = parsed({
  form_id: 'test',
  version_id: 'test-1',
  title: 'Test form',
  pass_mark: 70,
  sections: [
    {
      id: 'compliance',
      title: 'Compliance',
      weight: 3,
      questions: [
        {
          id: 'id_check',
          text: 'Identity checked',
          type: 'yes_no',
          critical: true,
          options: [
            { id: 'yes', label: 'Yes', points: 1 },
            { id: 'no', label: 'No', points: 0, auto_fail: 'form', requires_comment: true },
          ],
        },
        {
          id: 'disclosure',
          text: 'Disclosure given',
          type: 'yes_no',
          critical: true,
          na_allowed: true,
          weight: 2,
        },
      ],
    },
    {
      id: 'manner',
      title: 'Manner',
      weight: 1,
      questions: [
        {
          id: 'pressure',
          text: 'Pressured the customer',
          type: 'single_choice',
          options: [
            { id: 'no', label: 'No pressure', points: 2 },
            { id: 'some', label: 'Some pressure', points: 1, requires_comment: true },
            { id: 'threat', label: 'Threatened', points: 0, auto_fail: 'section' },
          ],
        },
        { id: 'tone', text: 'Tone', type: 'scale' },
        {
          id: 'interruptions',
          text: 'Interruptions',
          type: 'number',
          min: 0,
          max: 50,
          bands: [
            { min: 0, max: 0, points: 2 },
            { min: 1, max: 3, points: 1 },
          ],
        },
        {
          id: 'extras',
          text: 'Went beyond',
          type: 'multiple_choice',
          na_allowed: true,
          options: [
            { id: 'empathy', label: 'Empathy', points: 1 },
            { id: 'options', label: 'Offered options', points: 2 },
            { id: 'recap', label: 'Recap', points: 1 },
          ],
        },
        { id: 'summary', text: 'Summary', type: 'free_text', required: true },
      ],
    },
  ],
});

/** Every question answered at its best. */
function perfect(): Answer[] {
  return [
    { question_id: 'id_check', option_id: 'yes' },
    { question_id: 'disclosure', option_id: 'yes' },
    { question_id: 'pressure', option_id: 'no' },
    { question_id: 'tone', value: 5 },
    { question_id: 'interruptions', value: 0 },
    { question_id: 'extras', option_ids: ['empathy', 'options', 'recap'] },
    { question_id: 'summary', value: 'Fine call.' },
  ];
}

function withAnswer(answers: Answer[], answer: Answer): Answer[] {
  return [...answers.filter((a) => a.question_id !== answer.question_id), answer];
}

function section(score: ReturnType<typeof scoreReview>, id: string) {
  const found = score.sections.find((s) => s.section_id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

describe('scoreReview', () => {
  it('scores every question answered at its best 100 % and passed, with nothing left to answer', () => {
    const score = scoreReview(FORM, perfect());
    expect(score).toMatchObject({
      percentage: 100,
      passed: true,
      auto_failed: false,
      reasons: [],
      unanswered: [],
    });
    // Compliance: 1 + 2×1 = 3; manner: 2 + 4 + 2 + 4 = 12.
    expect(score.points).toBe(15);
    expect(score.max_points).toBe(15);
  });

  it('multiplies a question’s points and its maximum by its weight within the section', () => {
    const score = scoreReview(FORM, withAnswer(perfect(), { question_id: 'disclosure', option_id: 'no' }));
    // Compliance: id 1/1 + disclosure (weight 2) 0/2 = 1/3.
    expect(section(score, 'compliance')).toMatchObject({ points: 1, max_points: 3, percentage: 33.33 });
  });

  it('weights the overall percentage by section weights, not by points', () => {
    const score = scoreReview(FORM, withAnswer(perfect(), { question_id: 'disclosure', option_id: 'no' }));
    // (3 × 33.333… + 1 × 100) / 4 = 50; by points it would be 13/15 = 86.67.
    expect(score.percentage).toBe(50);
    expect(score.passed).toBe(false);
  });

  it('leaves an N/A answer out of both the points and the maximum', () => {
    const answers = withAnswer(withAnswer(perfect(), { question_id: 'disclosure', na: true }), {
      question_id: 'id_check',
      option_id: 'yes',
    });
    const score = scoreReview(FORM, answers);
    expect(section(score, 'compliance')).toMatchObject({ points: 1, max_points: 1, percentage: 100 });
    expect(score.questions.find((q) => q.question_id === 'disclosure')?.status).toBe('na');
  });

  it('drops a section with nothing scorable out of the overall percentage', () => {
    const answers: Answer[] = [
      { question_id: 'pressure', option_id: 'some' },
      { question_id: 'disclosure', na: true },
    ];
    const score = scoreReview(FORM, answers);
    expect(section(score, 'compliance').percentage).toBeNull();
    // Only manner counts: pressure 1/2.
    expect(score.percentage).toBe(50);
  });

  it('has no percentage and does not pass while nothing is answered', () => {
    const score = scoreReview(FORM, []);
    expect(score).toMatchObject({ percentage: null, passed: false, points: 0, max_points: 0 });
    expect(score.unanswered).toEqual([
      'id_check',
      'disclosure',
      'pressure',
      'tone',
      'interruptions',
      'extras',
      'summary',
    ]);
  });

  it('leaves an unanswered question out of the live score but lists it as blocking submit', () => {
    const answers = perfect().filter((a) => a.question_id !== 'tone' && a.question_id !== 'summary');
    const score = scoreReview(FORM, answers);
    expect(score.percentage).toBe(100);
    expect(score.unanswered).toEqual(['tone', 'summary']);
    expect(validateAnswers(FORM, answers, { submit: true }).map((p) => p.question_id)).toEqual([
      'tone',
      'summary',
    ]);
    expect(validateAnswers(FORM, answers)).toEqual([]);
  });

  it('scores an auto-failed section 0 with the reason named, and the rest as usual', () => {
    const score = scoreReview(FORM, withAnswer(perfect(), { question_id: 'pressure', option_id: 'threat' }));
    expect(section(score, 'manner')).toMatchObject({ percentage: 0, points: 0, auto_failed: true });
    expect(score.reasons).toEqual([
      'Auto-fail of section "Manner": "Pressured the customer" answered "Threatened"',
    ]);
    // (3 × 100 + 1 × 0) / 4.
    expect(score.percentage).toBe(75);
    expect(score.auto_failed).toBe(false);
    expect(score.passed).toBe(true);
  });

  it('scores an auto-failed form 0, failed, with the reason named, whatever else was earned', () => {
    const answers = withAnswer(perfect(), {
      question_id: 'id_check',
      option_id: 'no',
      comment: 'Skipped it',
    });
    const score = scoreReview(FORM, answers);
    expect(score).toMatchObject({ percentage: 0, passed: false, auto_failed: true });
    expect(score.reasons).toEqual(['Auto-fail of the form: "Identity checked" answered "No"']);
    expect(section(score, 'manner').percentage).toBe(100);
  });

  it('reports critical questions apart: passed only with full points, null when N/A or unanswered', () => {
    expect(scoreReview(FORM, perfect()).critical).toEqual([
      { question_id: 'id_check', passed: true },
      { question_id: 'disclosure', passed: true },
    ]);
    const answers = withAnswer(withAnswer(perfect(), { question_id: 'disclosure', option_id: 'no' }), {
      question_id: 'id_check',
      option_id: 'no',
      comment: 'x',
    });
    expect(scoreReview(FORM, answers).critical).toEqual([
      { question_id: 'id_check', passed: false },
      { question_id: 'disclosure', passed: false },
    ]);
    expect(scoreReview(FORM, [{ question_id: 'disclosure', na: true }]).critical).toEqual([
      { question_id: 'id_check', passed: null },
      { question_id: 'disclosure', passed: null },
    ]);
  });

  it('passes exactly at the pass mark and fails just below it', () => {
    const single = (passMark: number) =>
      parsed({
        form_id: 'b',
        version_id: 'b-1',
        title: 'Boundary',
        pass_mark: passMark,
        sections: [
          {
            id: 's',
            title: 'S',
            questions: Array.from({ length: 10 }, (_, i) => ({
              id: `q${i}`,
              text: `Q${i}`,
              type: 'yes_no' as const,
            })),
          },
        ],
      });
    const sevenOfTen: Answer[] = Array.from({ length: 10 }, (_, i) => ({
      question_id: `q${i}`,
      option_id: i < 7 ? 'yes' : 'no',
    }));
    expect(scoreReview(single(70), sevenOfTen)).toMatchObject({ percentage: 70, passed: true });
    expect(scoreReview(single(70.01), sevenOfTen)).toMatchObject({ percentage: 70, passed: false });
  });

  it('passes at the pass mark when the weighted mean only reaches it after rounding', () => {
    // Sections of weight 0.1 at 10 % and 0.2 at 100 % → 70, which floating point makes 69.99999999999999.
    const form = parsed({
      form_id: 'r',
      version_id: 'r-1',
      title: 'R',
      pass_mark: 70,
      sections: (['a', 'b'] as const).map((id) => ({
        id,
        title: id,
        weight: id === 'a' ? 0.1 : 0.2,
        questions: [
          {
            id: `${id}q`,
            text: id,
            type: 'single_choice' as const,
            options: [
              { id: 'best', label: 'Best', points: 10 },
              { id: 'low', label: 'Low', points: 1 },
            ],
          },
        ],
      })),
    });
    const score = scoreReview(form, [
      { question_id: 'aq', option_id: 'low' },
      { question_id: 'bq', option_id: 'best' },
    ]);
    expect(score).toMatchObject({ percentage: 70, passed: true });
  });

  it('sums the chosen options of a multiple choice, of the sum of all; none chosen earns 0', () => {
    const some = scoreReview(FORM, [{ question_id: 'extras', option_ids: ['options', 'recap'] }]);
    expect(some.questions.find((q) => q.question_id === 'extras')).toMatchObject({
      points: 3,
      max_points: 4,
    });
    const none = scoreReview(FORM, [{ question_id: 'extras', option_ids: [] }]);
    expect(none.questions.find((q) => q.question_id === 'extras')).toMatchObject({
      status: 'scored',
      points: 0,
      max_points: 4,
    });
  });

  it('scores a 1–5 scale as value − 1 of 4: 1 is 0 % and 3 is 50 %', () => {
    expect(scoreReview(FORM, [{ question_id: 'tone', value: 1 }]).percentage).toBe(0);
    expect(scoreReview(FORM, [{ question_id: 'tone', value: 3 }]).percentage).toBe(50);
    expect(scoreReview(FORM, [{ question_id: 'tone', value: 5 }]).percentage).toBe(100);
  });

  it('scores a number by the first band containing it, and 0 outside every band', () => {
    const points = (value: number) =>
      scoreReview(FORM, [{ question_id: 'interruptions', value }]).questions.find(
        (q) => q.question_id === 'interruptions',
      );
    expect(points(0)).toMatchObject({ points: 2, max_points: 2 });
    expect(points(3)).toMatchObject({ points: 1, max_points: 2 });
    expect(points(4)).toMatchObject({ points: 0, max_points: 2 });
  });

  it('never scores free text', () => {
    const score = scoreReview(FORM, [{ question_id: 'summary', value: 'All good' }]);
    expect(score.percentage).toBeNull();
    expect(score.questions.find((q) => q.question_id === 'summary')?.status).toBe('unscored');
  });

  it('counts an answer it cannot read as not scored, without throwing', () => {
    const score = scoreReview(FORM, [
      { question_id: 'tone', value: 9 },
      { question_id: 'nope', option_id: 'x' },
    ]);
    expect(score.percentage).toBeNull();
    expect(score.questions.find((q) => q.question_id === 'tone')?.status).toBe('invalid');
  });
});

describe('validateAnswers', () => {
  const problems = (answers: Answer[]) => validateAnswers(FORM, answers).map((p) => p.message);

  it('finds nothing wrong with good answers', () => {
    expect(validateAnswers(FORM, perfect(), { submit: true })).toEqual([]);
  });

  it('names an unknown question', () => {
    expect(problems([{ question_id: 'greeting', option_id: 'yes' }])).toEqual([
      '"greeting" is not a question of form test-1',
    ]);
  });

  it('names an unknown option and lists the options there are', () => {
    expect(problems([{ question_id: 'pressure', option_id: 'maybe' }])).toEqual([
      'Question "Pressured the customer" (pressure): option "maybe" is not one of no, some, threat',
    ]);
    expect(problems([{ question_id: 'extras', option_ids: ['empathy', 'jokes'] }])).toEqual([
      'Question "Went beyond" (extras): option "jokes" is not one of empathy, options, recap',
    ]);
  });

  it('asks for the comment an option requires, and accepts it once given', () => {
    expect(problems([{ question_id: 'pressure', option_id: 'some' }])).toEqual([
      'Question "Pressured the customer" (pressure): the answer "Some pressure" needs a comment',
    ]);
    expect(problems([{ question_id: 'pressure', option_id: 'some', comment: '   ' }])).toHaveLength(1);
    expect(
      problems([{ question_id: 'pressure', option_id: 'some', comment: 'Raised voice at 02:10' }]),
    ).toEqual([]);
  });

  it('refuses a value out of range, and a fraction where a whole number is due', () => {
    expect(problems([{ question_id: 'tone', value: 6 }])).toEqual([
      'Question "Tone" (tone): value must be a whole number from 1 to 5',
    ]);
    expect(problems([{ question_id: 'interruptions', value: 51 }])).toEqual([
      'Question "Interruptions" (interruptions): value 51 is out of range 0..50',
    ]);
    expect(problems([{ question_id: 'interruptions', value: 1.5 }])).toEqual([
      'Question "Interruptions" (interruptions): value 1.5 must be a whole number',
    ]);
  });

  it('refuses N/A where it is not allowed', () => {
    expect(problems([{ question_id: 'id_check', na: true }])).toEqual([
      'Question "Identity checked" (id_check): N/A is not allowed',
    ]);
  });

  it('refuses an option on a free text and text on a choice', () => {
    expect(problems([{ question_id: 'summary', option_id: 'yes' }])).toEqual([
      'Question "Summary" (summary): a free text answer is text in "value"',
    ]);
    expect(problems([{ question_id: 'pressure', value: 'no' }])).toEqual([
      'Question "Pressured the customer" (pressure): choose one option in "option_id"',
    ]);
  });

  it('refuses an answer that gives two things at once, or the same question twice', () => {
    expect(problems([{ question_id: 'disclosure', option_id: 'yes', na: true }])).toEqual([
      'Question "Disclosure given" (disclosure): give only one of option_id, option_ids, value or na (got option_id and na)',
    ]);
    expect(
      problems([
        { question_id: 'tone', value: 3 },
        { question_id: 'tone', value: 4 },
      ]),
    ).toEqual(['Question "Tone" (tone) is answered twice']);
  });
});
