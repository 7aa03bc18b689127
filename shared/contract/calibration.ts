/**
 * Calibration (issue 12; docs/calibration.md): several reviewers scoring the same call is not a
 * conflict but a measure of how alike they score. One call's submitted reviews side by side, and a
 * report over a period of how each reviewer agrees with a reference reviewer and how lenient or
 * strict they score. Only submitted reviews count; questions are compared only between reviews of
 * the same form version (other versions: the overall score only, and the output says so).
 */
import { z } from 'zod';
import { isoDateTime, text, type ContractPart } from './shapes.ts';

const reviewerId = text(128).min(1);

/** One reviewer's answer to one question of a call. */
export const calibrationAnswerSchema = z.object({
  reviewer: z.string(),
  /** How the answer reads: the option's label(s), the value, "N/A"; null when not answered. */
  answer: z.string().nullable(),
  /** Weighted points earned; null when N/A, unanswered or never scored (free text). */
  points: z.number().nullable(),
  /** points as % of the question's maximum; null like points. */
  percent: z.number().nullable(),
});

export const calibrationQuestionSchema = z.object({
  question_id: z.string(),
  text: z.string(),
  section: z.string(),
  /** The question's weighted maximum (0 for free text). */
  max_points: z.number(),
  scored: z.boolean(),
  answers: z.array(calibrationAnswerSchema),
  /** Max − min of the reviewers' percent (0–100); null when fewer than two reviewers scored it. */
  spread: z.number().nullable(),
  /** Every reviewer gave the same answer; null for free text (texts are never compared). */
  agree: z.boolean().nullable(),
});

export const calibrationReviewerSchema = z.object({
  reviewer: z.string(),
  review_id: z.string(),
  form_version_id: z.string(),
  submitted_at: z.string().nullable(),
  percentage: z.number().nullable(),
  passed: z.boolean(),
  /** This review's form version is the one the questions are compared on. */
  same_form: z.boolean(),
  is_reference: z.boolean(),
  /** Mean of |this reviewer's question % − the reference's (or the mean's)|; null when nothing to compare. */
  question_distance: z.number().nullable(),
  /** Questions both scored (the base of question_distance). */
  questions_compared: z.number().int().min(0),
  /** This overall % − the reference's (or the mean's): positive = more lenient. */
  score_difference: z.number().nullable(),
});

export const callCalibrationSchema = z.object({
  interaction_id: z.string(),
  /** The reference reviewer, or null: distances are then from the mean of the reviews. */
  reference: z.string().nullable(),
  /** The form version compared question by question (the reference's, else the most used); null without reviews. */
  form_version_id: z.string().nullable(),
  form_title: z.string().nullable(),
  reviewers: z.array(calibrationReviewerSchema),
  questions: z.array(calibrationQuestionSchema),
  /** What the comparison could not do (reviews of other form versions, a reference without a review). */
  notes: z.array(z.string()),
});

export const calibrationRowSchema = z.object({
  reviewer: z.string(),
  /** Calls this reviewer and the reference both reviewed (submitted) in the period. */
  calls: z.number().int().min(0),
  /** Of those, calls where both used the same form version (compared question by question). */
  same_form_calls: z.number().int().min(0),
  questions_compared: z.number().int().min(0),
  /** Share (0–100) of compared questions answered exactly as the reference did; null when none. */
  agreement: z.number().nullable(),
  /** Mean of (this % − the reference's %) per call: positive = more lenient, negative = stricter. */
  mean_difference: z.number().nullable(),
  mean_absolute_difference: z.number().nullable(),
});

export const calibrationReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  form_id: z.string().nullable(),
  reference: z.string(),
  /** Calls the reference reviewed (submitted) in the period. */
  reference_calls: z.number().int().min(0),
  /** Every reviewer with a submitted review in the period (the reference picker's choices). */
  reviewers: z.array(z.string()),
  /** One per other reviewer, most shared calls first. */
  rows: z.array(calibrationRowSchema),
});

export const calibrationRangeSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    formId: text(100).nullable().default(null),
    reference: reviewerId,
  })
  .strict();

export const calibrationContract = {
  methods: {
    /** One call's submitted reviews side by side; `reference` defaults to none (distance from the mean). */
    'calibration:call': {
      input: z
        .object({ interactionId: text(200).min(1), reference: reviewerId.nullable().default(null) })
        .strict(),
      output: callCalibrationSchema,
    },
    /** Per reviewer over a period (by when reviews were submitted): agreement with the reference, lenient or strict. */
    'calibration:report': { input: calibrationRangeSchema, output: calibrationReportSchema },
    /** Writes the report's rows as CSV into the downloads folder. */
    'calibration:export': {
      input: calibrationRangeSchema,
      output: z.object({ path: z.string(), rows: z.number().int().min(0) }),
    },
  },
  events: {},
} as const satisfies ContractPart;

export type CallCalibration = z.output<typeof callCalibrationSchema>;
export type CalibrationReviewer = z.output<typeof calibrationReviewerSchema>;
export type CalibrationQuestion = z.output<typeof calibrationQuestionSchema>;
export type CalibrationReport = z.output<typeof calibrationReportSchema>;
export type CalibrationRow = z.output<typeof calibrationRowSchema>;
export type CalibrationRange = z.output<typeof calibrationRangeSchema>;
