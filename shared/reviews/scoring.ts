/**
 * Scoring a review: a pure function of a form version and the answers, used alike by the live score
 * in the review panel, the API, the frozen score of a submitted review and the reports.
 *
 * The rules (docs/forms.md says the same to users):
 * - A question earns points of a maximum: a choice its option's points of the best option's; a
 *   multiple choice the sum of the chosen options' points of the sum of all; a scale 1–5 earns
 *   value − 1 of 4; a number the points of the first band containing it of the best band's. The
 *   question's weight multiplies both. Free text is never scored.
 * - A section's percentage is its points over its maximum, counting only answered, non-N/A scored
 *   questions. The overall percentage is the mean of the section percentages weighted by the
 *   sections' weights; a section with nothing scorable drops out.
 * - An option with auto_fail 'section' scores its section 0; 'form' scores the whole review 0 and
 *   fails it (auto_failed). The reason is named either way.
 * - The percentage is rounded to 2 decimals, and passed = not auto-failed and percentage ≥ pass mark.
 * - An unanswered question is left out of the live score and listed in `unanswered`: it blocks submit.
 */
import { z } from 'zod';
import {
  formQuestions,
  isScored,
  SCALE_MAX,
  SCALE_MIN,
  type AutoFailScope,
  type FormOption,
  type FormQuestion,
  type FormSection,
  type FormVersion,
  type ScoredQuestion,
} from './form-schema.ts';

const COMMENT_MAX = 5000;

/** What a reviewer gives for one question; exactly one of option_id, option_ids, value or na. */
export const answerValueSchema = z
  .strictObject({
    /** yes_no and single_choice. */
    option_id: z.string().min(1).max(100).optional(),
    /** multiple_choice: every option chosen (an empty list: none applies). */
    option_ids: z.array(z.string().min(1).max(100)).max(100).optional(),
    /** scale and number: a number; free_text: the text. */
    value: z.union([z.number(), z.string().max(20_000)]).optional(),
    na: z.literal(true).optional(),
    comment: z.string().max(COMMENT_MAX).optional(),
  })
  .superRefine((answer, ctx) => {
    const given = (['option_id', 'option_ids', 'value', 'na'] as const).filter(
      (key) => answer[key] !== undefined,
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          given.length === 0
            ? 'give one of option_id, option_ids, value or na'
            : `give only one of option_id, option_ids, value or na (got ${given.join(' and ')})`,
      });
    }
  });

export const answerSchema = z.strictObject({
  question_id: z.string().min(1).max(100),
  ...answerValueSchema.shape,
});

export type AnswerValue = z.output<typeof answerValueSchema>;
export type Answer = { question_id: string } & AnswerValue;

export interface QuestionScore {
  readonly question_id: string;
  readonly section_id: string;
  /** scored: counts; na: left out; unanswered: left out (blocks submit); invalid: left out (see validateAnswers); unscored: free text. */
  readonly status: 'scored' | 'na' | 'unanswered' | 'invalid' | 'unscored';
  /** Weighted. 0 when not scored. */
  readonly points: number;
  readonly max_points: number;
  /** The auto-fail the answer triggered, if any. */
  readonly auto_fail: AutoFailScope | null;
}

export interface SectionScore {
  readonly section_id: string;
  readonly title: string;
  readonly weight: number;
  /** 0 when the section auto-failed. */
  readonly points: number;
  readonly max_points: number;
  /** null when nothing in it is scorable yet (it then drops out of the overall percentage). */
  readonly percentage: number | null;
  readonly auto_failed: boolean;
  readonly reasons: readonly string[];
}

export interface CriticalResult {
  readonly question_id: string;
  /** true when the answer earned the question's full points and no auto-fail; null when N/A or unanswered. */
  readonly passed: boolean | null;
}

export interface ReviewScore {
  /** 0–100, two decimals; null while nothing is scorable. */
  readonly percentage: number | null;
  /** Sums over all sections (weighted by question weights, not section weights). */
  readonly points: number;
  readonly max_points: number;
  readonly passed: boolean;
  /** The whole form was auto-failed (score 0). A section's auto-fail shows in its SectionScore and in reasons. */
  readonly auto_failed: boolean;
  readonly reasons: readonly string[];
  readonly sections: readonly SectionScore[];
  readonly critical: readonly CriticalResult[];
  /** Questions still to answer before the review can be submitted, in the form's order. */
  readonly unanswered: readonly string[];
  readonly questions: readonly QuestionScore[];
}

export interface AnswerProblem {
  readonly question_id: string;
  /** Names the question and says what is wrong. */
  readonly message: string;
}

type Reading =
  | { kind: 'na' }
  | { kind: 'text' }
  | { kind: 'invalid'; message: string }
  | { kind: 'scored'; points: number; max: number; chosen: readonly FormOption[] };

function maxPoints(question: ScoredQuestion): number {
  switch (question.type) {
    case 'yes_no':
    case 'single_choice':
      return Math.max(...question.options.map((option) => option.points));
    case 'multiple_choice':
      return question.options.reduce((sum, option) => sum + option.points, 0);
    case 'scale':
      return SCALE_MAX - SCALE_MIN;
    case 'number':
      return Math.max(...question.bands.map((band) => band.points));
  }
}

function optionList(question: { options: readonly FormOption[] }): string {
  return question.options.map((option) => option.id).join(', ');
}

/** What an answer means for its question, or why it cannot be read. Comments are not judged here. */
function read(question: FormQuestion, answer: AnswerValue): Reading {
  if (answer.na === true) {
    if (question.type === 'free_text' || !question.na_allowed)
      return { kind: 'invalid', message: 'N/A is not allowed' };
    return { kind: 'na' };
  }
  switch (question.type) {
    case 'free_text':
      if (typeof answer.value !== 'string')
        return { kind: 'invalid', message: 'a free text answer is text in "value"' };
      if (answer.value.length > question.max_length) {
        return { kind: 'invalid', message: `the text is longer than ${question.max_length} characters` };
      }
      return { kind: 'text' };
    case 'yes_no':
    case 'single_choice': {
      if (answer.option_id === undefined)
        return { kind: 'invalid', message: `choose one option in "option_id"` };
      const option = question.options.find((candidate) => candidate.id === answer.option_id);
      if (!option) {
        return {
          kind: 'invalid',
          message: `option "${answer.option_id}" is not one of ${optionList(question)}`,
        };
      }
      return { kind: 'scored', points: option.points, max: maxPoints(question), chosen: [option] };
    }
    case 'multiple_choice': {
      if (answer.option_ids === undefined)
        return { kind: 'invalid', message: `list the chosen options in "option_ids"` };
      if (new Set(answer.option_ids).size !== answer.option_ids.length) {
        return { kind: 'invalid', message: 'an option is listed twice' };
      }
      const chosen: FormOption[] = [];
      for (const id of answer.option_ids) {
        const option = question.options.find((candidate) => candidate.id === id);
        if (!option)
          return { kind: 'invalid', message: `option "${id}" is not one of ${optionList(question)}` };
        chosen.push(option);
      }
      const points = chosen.reduce((sum, option) => sum + option.points, 0);
      return { kind: 'scored', points, max: maxPoints(question), chosen };
    }
    case 'scale': {
      const value = answer.value;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < SCALE_MIN || value > SCALE_MAX) {
        return { kind: 'invalid', message: `value must be a whole number from ${SCALE_MIN} to ${SCALE_MAX}` };
      }
      return { kind: 'scored', points: value - SCALE_MIN, max: maxPoints(question), chosen: [] };
    }
    case 'number': {
      const value = answer.value;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { kind: 'invalid', message: 'value must be a number' };
      if (value < question.min || value > question.max) {
        return {
          kind: 'invalid',
          message: `value ${value} is out of range ${question.min}..${question.max}`,
        };
      }
      if (question.integer && !Number.isInteger(value)) {
        return { kind: 'invalid', message: `value ${value} must be a whole number` };
      }
      const band = question.bands.find((candidate) => value >= candidate.min && value <= candidate.max);
      return { kind: 'scored', points: band?.points ?? 0, max: maxPoints(question), chosen: [] };
    }
  }
}

function hasText(comment: string | undefined): boolean {
  return comment !== undefined && comment.trim() !== '';
}

/** The last answer given to each question (a list of answers may repeat one; the last wins). */
function answersByQuestion(answers: readonly Answer[]): Map<string, Answer> {
  return new Map(answers.map((answer) => [answer.question_id, answer]));
}

function blocksSubmit(question: FormQuestion): boolean {
  return question.type !== 'free_text' || question.required;
}

/**
 * What is wrong with the answers, each problem naming the question: an unknown question or option,
 * N/A where it is not allowed, an answer of the wrong kind, a value out of range, a missing
 * required comment, an answer given twice. With `submit`, also every question still unanswered.
 */
export function validateAnswers(
  form: FormVersion,
  answers: readonly Answer[],
  /** `draft`: a comment an answer needs may come later (a draft's answer is kept); submit checks it. */
  options: { submit?: boolean; draft?: boolean } = {},
): AnswerProblem[] {
  const questions = new Map(formQuestions(form).map(({ question }) => [question.id, question]));
  const problems: AnswerProblem[] = [];
  const seen = new Set<string>();
  for (const answer of answers) {
    const question = questions.get(answer.question_id);
    if (!question) {
      problems.push({
        question_id: answer.question_id,
        message: `"${answer.question_id}" is not a question of form ${form.version_id}`,
      });
      continue;
    }
    const name = `Question "${question.text}" (${question.id})`;
    if (seen.has(question.id))
      problems.push({ question_id: question.id, message: `${name} is answered twice` });
    seen.add(question.id);
    const shape = answerValueSchema.safeParse(stripQuestionId(answer));
    if (!shape.success) {
      problems.push({
        question_id: question.id,
        message: `${name}: ${shape.error.issues[0]?.message ?? 'bad answer'}`,
      });
      continue;
    }
    const reading = read(question, answer);
    if (reading.kind === 'invalid') {
      problems.push({ question_id: question.id, message: `${name}: ${reading.message}` });
    } else if (reading.kind === 'scored' && !options.draft && !hasText(answer.comment)) {
      const needing = reading.chosen.find((option) => option.requires_comment);
      if (needing) {
        problems.push({
          question_id: question.id,
          message: `${name}: the answer "${needing.label}" needs a comment`,
        });
      }
    }
  }
  if (options.submit) {
    for (const { question } of formQuestions(form)) {
      if (blocksSubmit(question) && !seen.has(question.id)) {
        problems.push({
          question_id: question.id,
          message: `Question "${question.text}" (${question.id}) is not answered`,
        });
      }
    }
  }
  return problems;
}

function stripQuestionId(answer: Answer): AnswerValue {
  const { question_id: _questionId, ...value } = answer;
  return value;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function quoted(text: string): string {
  return `"${text}"`;
}

/** Scores the answers against the form. Answers validateAnswers would refuse count as unanswered. */
export function scoreReview(form: FormVersion, answers: readonly Answer[]): ReviewScore {
  const given = answersByQuestion(answers);
  const reasons: string[] = [];
  const sections: SectionScore[] = [];
  const critical: CriticalResult[] = [];
  const unanswered: string[] = [];
  const questionScores: QuestionScore[] = [];
  let formFailed = false;

  const results = form.sections.map((section) =>
    scoreSection(section, given, { critical, unanswered, questions: questionScores }),
  );
  for (const result of results) {
    if (result.formFailures.length > 0) formFailed = true;
    reasons.push(...result.section.reasons, ...result.formFailures);
    sections.push(result.section);
  }

  // The exact section percentages, not the rounded ones shown, so rounding happens once.
  let weighted = 0;
  let totalWeight = 0;
  for (const { section, exact } of results) {
    if (exact === null) continue;
    weighted += section.weight * exact;
    totalWeight += section.weight;
  }
  const mean = totalWeight > 0 ? weighted / totalWeight : null;
  const percentage = formFailed ? 0 : mean === null ? null : round2(mean);
  // A section's auto-fail zeroes that section only (sections[].auto_failed); the review's
  // auto_failed means the whole form was failed.
  const auto_failed = formFailed;
  return {
    percentage,
    points: round2(sections.reduce((sum, section) => sum + section.points, 0)),
    max_points: round2(sections.reduce((sum, section) => sum + section.max_points, 0)),
    passed: !auto_failed && percentage !== null && percentage >= form.pass_mark,
    auto_failed,
    reasons,
    sections,
    critical,
    unanswered,
    questions: questionScores,
  };
}

function scoreSection(
  section: FormSection,
  given: ReadonlyMap<string, Answer>,
  into: { critical: CriticalResult[]; unanswered: string[]; questions: QuestionScore[] },
): { section: SectionScore; exact: number | null; formFailures: string[] } {
  let points = 0;
  let max = 0;
  let scorable = false;
  const reasons: string[] = [];
  const formFailures: string[] = [];
  for (const question of section.questions) {
    const answer = given.get(question.id);
    const base = {
      question_id: question.id,
      section_id: section.id,
      points: 0,
      max_points: 0,
      auto_fail: null,
    };
    if (!isScored(question)) {
      if (answer === undefined && question.required) into.unanswered.push(question.id);
      into.questions.push({ ...base, status: 'unscored' });
      continue;
    }
    const reading: Reading = answer === undefined ? { kind: 'invalid', message: '' } : read(question, answer);
    if (answer === undefined) into.unanswered.push(question.id);
    if (reading.kind !== 'scored') {
      const status = answer === undefined ? 'unanswered' : reading.kind === 'na' ? 'na' : 'invalid';
      into.questions.push({ ...base, status });
      if (question.critical) into.critical.push({ question_id: question.id, passed: null });
      continue;
    }
    const failing =
      reading.chosen.find((option) => option.auto_fail === 'form') ??
      reading.chosen.find((option) => option.auto_fail === 'section');
    if (failing) {
      const because = `${quoted(question.text)} answered ${quoted(failing.label)}`;
      if (failing.auto_fail === 'form') formFailures.push(`Auto-fail of the form: ${because}`);
      else reasons.push(`Auto-fail of section ${quoted(section.title)}: ${because}`);
    }
    scorable = true;
    points += question.weight * reading.points;
    max += question.weight * reading.max;
    into.questions.push({
      ...base,
      status: 'scored',
      points: question.weight * reading.points,
      max_points: question.weight * reading.max,
      auto_fail: failing?.auto_fail ?? null,
    });
    if (question.critical) {
      into.critical.push({ question_id: question.id, passed: !failing && reading.points >= reading.max });
    }
  }
  const auto_failed = reasons.length > 0;
  // An auto-failed section counts as 0 % even when nothing in it carried points.
  const percentage = auto_failed ? 0 : scorable && max > 0 ? (100 * points) / max : null;
  return {
    section: {
      section_id: section.id,
      title: section.title,
      weight: section.weight,
      points: auto_failed ? 0 : round2(points),
      max_points: round2(max),
      percentage: percentage === null ? null : round2(percentage),
      auto_failed,
      reasons,
    },
    exact: percentage,
    formFailures,
  };
}

/** The score as a review keeps it once submitted (and as the API shows it). */
export const scoreSummarySchema = z.strictObject({
  percentage: z.number().min(0).max(100).nullable(),
  points: z.number().min(0),
  max_points: z.number().min(0),
  passed: z.boolean(),
  auto_failed: z.boolean(),
  reasons: z.array(z.string().max(2000)).max(500),
});
export type ScoreSummary = z.output<typeof scoreSummarySchema>;

export function scoreSummary(score: ReviewScore): ScoreSummary {
  return {
    percentage: score.percentage,
    points: score.points,
    max_points: score.max_points,
    passed: score.passed,
    auto_failed: score.auto_failed,
    reasons: [...score.reasons],
  };
}
