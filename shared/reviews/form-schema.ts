/**
 * An evaluation form version: sections of weighted questions, scored by `scoring.ts`. Forms are
 * JSON files a person edits, imports and exports, so every object is strict (a misspelt field is an
 * error, not silently ignored) and `parseFormVersion` names the path of the first bad field.
 * The schema is documented in docs/forms.md.
 */
import { z } from 'zod';
import { describeIssues, issuePath } from './schema-errors.ts';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]*$/;

/** Ids of forms, versions, sections, questions and options. */
export const formIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(ID_PATTERN, { message: 'an id is letters, digits, and . _ @ - (starting with a letter or digit)' });

const title = (max: number) => z.string().trim().min(1).max(max);
const points = z.number().min(0).max(10_000);
const weight = z.number().positive().max(1000).default(1);

export const AUTO_FAIL_SCOPES = ['section', 'form'] as const;
export type AutoFailScope = (typeof AUTO_FAIL_SCOPES)[number];

export const optionSchema = z.strictObject({
  id: formIdSchema,
  label: title(200),
  points,
  /** Choosing this option scores its section (or the whole form) 0, with the reason named. */
  auto_fail: z.enum(AUTO_FAIL_SCOPES).nullable().default(null),
  /** Choosing this option needs a comment before the review can be submitted. */
  requires_comment: z.boolean().default(false),
});

/** What every scored question has. */
const scoredShape = {
  id: formIdSchema,
  text: title(500),
  /** Guidance for the reviewer, shown under the question. */
  guidance: z.string().max(2000).default(''),
  /** Multiplies the question's points and its maximum within its section. */
  weight,
  /** An N/A answer is allowed; it leaves the question out of both the points and the maximum. */
  na_allowed: z.boolean().default(false),
  /** Reported apart in the score (passed when the answer earned the question's full points). */
  critical: z.boolean().default(false),
};

function uniqueOptionIds(options: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', index, 'id'],
        message: `"${option.id}" is used by another option of this question`,
      });
    }
    seen.add(option.id);
  });
}

const choiceOptions = z.array(optionSchema).min(2).max(20);

export const YES_NO_DEFAULT_OPTIONS = [
  { id: 'yes', label: 'Yes', points: 1, auto_fail: null, requires_comment: false },
  { id: 'no', label: 'No', points: 0, auto_fail: null, requires_comment: false },
] as const;

const yesNoQuestionSchema = z
  .strictObject({
    ...scoredShape,
    type: z.literal('yes_no'),
    /** Exactly the options `yes` and `no` (in that order); give them to set points, auto-fail or comments. */
    options: choiceOptions.default(() => YES_NO_DEFAULT_OPTIONS.map((option) => ({ ...option }))),
  })
  .superRefine((question, ctx) => {
    const ids = question.options.map((option) => option.id);
    if (ids.length !== 2 || ids[0] !== 'yes' || ids[1] !== 'no') {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a yes/no question has exactly the options "yes" and "no", in that order (got ${ids.join(', ')})`,
      });
    }
  });

const singleChoiceQuestionSchema = z
  .strictObject({ ...scoredShape, type: z.literal('single_choice'), options: choiceOptions })
  .superRefine((question, ctx) => uniqueOptionIds(question.options, ctx));

/** Any number of options may be chosen; the points are the sum of those chosen. */
const multipleChoiceQuestionSchema = z
  .strictObject({ ...scoredShape, type: z.literal('multiple_choice'), options: choiceOptions })
  .superRefine((question, ctx) => uniqueOptionIds(question.options, ctx));

export const SCALE_MIN = 1;
export const SCALE_MAX = 5;

/** A 1–5 rating: 1 earns 0 of 4 points, 5 earns 4 of 4. */
const scaleQuestionSchema = z.strictObject({
  ...scoredShape,
  type: z.literal('scale'),
  /** Optional words for 1..5, e.g. ["Poor", "Fair", "Good", "Very good", "Excellent"]. */
  labels: z
    .array(title(60))
    .length(SCALE_MAX - SCALE_MIN + 1)
    .nullable()
    .default(null),
});

const bandSchema = z.strictObject({ min: z.number(), max: z.number(), points });

/** A number between min and max; its points come from the first band that contains it (else 0). */
const numberQuestionSchema = z
  .strictObject({
    ...scoredShape,
    type: z.literal('number'),
    min: z.number().min(-1e9).max(1e9),
    max: z.number().min(-1e9).max(1e9),
    /** Only whole numbers are accepted as answers. */
    integer: z.boolean().default(true),
    /** E.g. interruptions: [{min: 0, max: 0, points: 2}, {min: 1, max: 2, points: 1}]. */
    bands: z.array(bandSchema).min(1).max(50),
    unit: z.string().max(40).default(''),
  })
  .superRefine((question, ctx) => {
    if (question.min > question.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least min (${question.min})` });
    }
    question.bands.forEach((band, index) => {
      if (band.min > band.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', index, 'max'],
          message: `must be at least min (${band.min})`,
        });
      } else if (band.min < question.min || band.max > question.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', index],
          message: `must lie within the question's range ${question.min}..${question.max}`,
        });
      }
    });
  });

/** Never scored: a summary or an observation. */
const freeTextQuestionSchema = z.strictObject({
  id: formIdSchema,
  text: title(500),
  guidance: z.string().max(2000).default(''),
  type: z.literal('free_text'),
  /** A required free text must be filled in before the review can be submitted. */
  required: z.boolean().default(false),
  max_length: z.number().int().min(1).max(20_000).default(5000),
});

export const QUESTION_TYPES = [
  'yes_no',
  'single_choice',
  'scale',
  'multiple_choice',
  'number',
  'free_text',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const questionSchema = z.discriminatedUnion('type', [
  yesNoQuestionSchema,
  singleChoiceQuestionSchema,
  multipleChoiceQuestionSchema,
  scaleQuestionSchema,
  numberQuestionSchema,
  freeTextQuestionSchema,
]);

export const sectionSchema = z.strictObject({
  id: formIdSchema,
  title: title(200),
  description: z.string().max(2000).default(''),
  /** The section's share of the overall percentage, relative to the other sections' weights. */
  weight,
  questions: z.array(questionSchema).min(1).max(200),
});

export const formVersionSchema = z
  .strictObject({
    /** The same for every version of one form. */
    form_id: formIdSchema,
    /** Unique among all versions of all forms; a version once used by a review never changes. */
    version_id: formIdSchema,
    title: title(200),
    description: z.string().max(5000).default(''),
    /** The percentage (0–100) at or above which a review passes. */
    pass_mark: z.number().min(0).max(100),
    sections: z.array(sectionSchema).min(1).max(100),
  })
  .superRefine((form, ctx) => {
    // Sections and questions share one namespace: answers and notes name a question by its id alone.
    const seen = new Map<string, string>();
    const claim = (id: string, path: (string | number)[]) => {
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${id}" is already the id of ${first}; section and question ids must be unique in the form`,
        });
      } else {
        seen.set(id, issuePath(path));
      }
    };
    form.sections.forEach((section, s) => {
      claim(section.id, ['sections', s, 'id']);
      section.questions.forEach((question, q) => claim(question.id, ['sections', s, 'questions', q, 'id']));
    });
  });

export type FormVersion = z.output<typeof formVersionSchema>;
/** A form as written in a file: defaults may be left out. */
export type FormVersionInput = z.input<typeof formVersionSchema>;
export type FormSection = FormVersion['sections'][number];
export type FormQuestion = FormSection['questions'][number];
export type ScoredQuestion = Exclude<FormQuestion, { type: 'free_text' }>;
export type ChoiceQuestion = Extract<FormQuestion, { options: unknown }>;
export type FormOption = z.output<typeof optionSchema>;

export type FormParseResult = { ok: true; form: FormVersion } | { ok: false; error: string };

/** Reads a form from parsed JSON; the error names the bad field: `sections[2].questions[0].options: at least 2`. */
export function parseFormVersion(json: unknown): FormParseResult {
  const result = formVersionSchema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, form: result.data };
  return { ok: false, error: describeIssues(result.error, '(the form)') };
}

/** Every question of the form with its section, in the form's order. */
export function formQuestions(form: FormVersion): { section: FormSection; question: FormQuestion }[] {
  return form.sections.flatMap((section) => section.questions.map((question) => ({ section, question })));
}

export function isScored(question: FormQuestion): question is ScoredQuestion {
  return question.type !== 'free_text';
}
