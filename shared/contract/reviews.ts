/**
 * The reviews domain: evaluation forms, a reviewer's review of a call (answers, notes pinned to a
 * moment, tags, submit), and what reviews say across calls. The renderer sends changes; main turns
 * them into review events (shared/reviews/review-events.ts) with ids and times of its own.
 */
import { z } from 'zod';
import { formVersionSchema } from '../reviews/form-schema.ts';
import { NOTE_LANES, tagSchema } from '../reviews/review-events.ts';
import { answerValueSchema, scoreSummarySchema } from '../reviews/scoring.ts';
import { isoDateTime, none, text, type ContractPart } from './shapes.ts';

const id = text(100).min(1);

/** A note as the renderer writes it (main gives it its id when it is new). */
const noteInputSchema = z
  .object({
    at_ms: z.number().int().min(0).max(86_400_000),
    end_ms: z.number().int().min(0).max(86_400_000).nullable().default(null),
    lane: z.enum(NOTE_LANES).default('both'),
    text: text(10_000),
    question_id: id.nullable().default(null),
  })
  .strict();

/** One change a reviewer makes to their review of a call. */
export const reviewChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('answer'), question_id: id, answer: answerValueSchema.nullable() }).strict(),
  z.object({ type: z.literal('add_note'), note: noteInputSchema }).strict(),
  z.object({ type: z.literal('edit_note'), note_id: id, note: noteInputSchema }).strict(),
  z.object({ type: z.literal('delete_note'), note_id: id }).strict(),
  z.object({ type: z.literal('add_tag'), tag: tagSchema }).strict(),
  z.object({ type: z.literal('remove_tag'), tag: tagSchema }).strict(),
  z.object({ type: z.literal('submit') }).strict(),
  z.object({ type: z.literal('reopen') }).strict(),
]);

export const reviewNoteSchema = z.object({
  note_id: z.string(),
  at_ms: z.number(),
  end_ms: z.number().nullable(),
  lane: z.enum(NOTE_LANES),
  text: z.string(),
  question_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A review as the app and the API show it: the current revision, its score (live while a draft). */
export const reviewSchema = z.object({
  review_id: z.string(),
  interaction_id: z.string(),
  dispatch_id: z.string().nullable(),
  reviewer: z.string(),
  form_id: z.string(),
  form_version_id: z.string(),
  revision: z.number().int().min(1),
  status: z.enum(['draft', 'submitted']),
  score: scoreSummarySchema,
  /** Questions still to answer before it can be submitted. */
  unanswered: z.array(z.string()),
  answers: z.array(answerValueSchema.and(z.object({ question_id: z.string() }))),
  notes: z.array(reviewNoteSchema),
  tags: z.array(z.string()),
  created_at: z.string(),
  submitted_at: z.string().nullable(),
  /** Every submitted revision, oldest first. */
  history: z.array(
    z.object({ revision: z.number().int(), submitted_at: z.string(), score: scoreSummarySchema }),
  ),
});

export const reviewFilterSchema = z.object({
  interactionId: text(200).nullable().default(null),
  reviewer: text(128).nullable().default(null),
  status: z.enum(['draft', 'submitted']).nullable().default(null),
  tag: text(64).nullable().default(null),
  formId: text(100).nullable().default(null),
  from: isoDateTime.nullable().default(null),
  to: isoDateTime.nullable().default(null),
});

/** A call's review at a glance, for the list's review column. */
export const callReviewSummarySchema = z.object({
  interaction_id: z.string(),
  status: z.enum(['draft', 'passed', 'failed']),
  percentage: z.number().nullable(),
  reviews: z.number().int().min(0),
});

/** A sampling plan: which calls to review, chosen by seeded random draw (the same plan, the same sample). */
export const samplePlanSchema = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    /** N calls per day per outcome, or a percentage of the calls with recordings (one of the two). */
    perDayPerOutcome: z.number().int().min(1).max(1000).nullable().default(null),
    percentWithRecordings: z.number().min(0.1).max(100).nullable().default(null),
    /** Only calls nobody has reviewed yet. */
    unreviewedOnly: z.boolean().default(true),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  })
  .strict()
  .refine((plan) => (plan.perDayPerOutcome === null) !== (plan.percentWithRecordings === null), {
    message: 'give one of perDayPerOutcome or percentWithRecordings',
    path: ['perDayPerOutcome'],
  });

const reportRow = <T extends z.ZodRawShape>(shape: T) => z.array(z.object(shape));

/** What reviews say over a period: each part a table the chart draws and the export writes. */
export const reviewReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  reviews: z.number().int().min(0),
  averageByWeek: reportRow({ week: z.string(), reviews: z.number().int(), average: z.number().nullable() }),
  passRateByOutcome: reportRow({
    outcome: z.string(),
    reviews: z.number().int(),
    passed: z.number().int(),
    passRate: z.number().nullable(),
  }),
  mostMissed: reportRow({
    question_id: z.string(),
    question: z.string(),
    answered: z.number().int(),
    missed: z.number().int(),
  }),
  autoFails: reportRow({ reason: z.string(), count: z.number().int() }),
  byReviewer: reportRow({ reviewer: z.string(), reviews: z.number().int(), average: z.number().nullable() }),
});

export const reviewsContract = {
  methods: {
    /** The forms a review can be started with (the newest version of each), and who the reviewer is. */
    'reviews:forms': {
      input: none,
      output: z.object({ forms: z.array(formVersionSchema), reviewer: z.string() }),
    },
    /** Every review of a call (this reviewer's and the team's), newest first. */
    'reviews:ofCall': {
      input: z.object({ interactionId: text(200).min(1) }).strict(),
      output: z.object({ reviews: z.array(reviewSchema) }),
    },
    /**
     * Applies changes to this reviewer's review of a call, starting it with `formVersionId` when
     * there is none; answers the review as it now is. A bad answer is refused naming the question.
     */
    'reviews:change': {
      input: z
        .object({
          interactionId: text(200).min(1),
          formVersionId: id,
          changes: z.array(reviewChangeSchema).min(1).max(500),
        })
        .strict(),
      output: reviewSchema,
    },
    'reviews:list': {
      input: reviewFilterSchema.extend({
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0),
      }),
      output: z.object({ reviews: z.array(reviewSchema), total: z.number().int().min(0) }),
    },
    /** Writes the submitted reviews of the filter as CSV (one row each) or JSON into the downloads folder. */
    'reviews:export': {
      input: reviewFilterSchema.extend({ format: z.enum(['csv', 'json']).default('csv') }),
      output: z.object({ path: z.string(), rows: z.number().int().min(0) }),
    },
    /** The review column of the list: the calls' review at a glance (calls never reviewed are left out). */
    'reviews:summaries': {
      input: z.object({ interactionIds: z.array(text(200)).max(1000) }).strict(),
      output: z.object({ summaries: z.array(callReviewSummarySchema) }),
    },
    /** Tags in use that start with `prefix`, most used first: for autocompletion. */
    'reviews:tags': {
      input: z.object({ prefix: text(64).default('') }).strict(),
      output: z.object({ tags: z.array(z.object({ tag: z.string(), reviews: z.number().int() })) }),
    },
    /** Fills a review queue from a sampling plan; the plan and seed come back with the calls, in order. */
    'reviews:sample': {
      input: samplePlanSchema,
      output: z.object({ interactionIds: z.array(z.string()), considered: z.number().int().min(0) }),
    },
    'reviews:report': {
      input: z
        .object({ from: isoDateTime, to: isoDateTime, formId: text(100).nullable().default(null) })
        .strict(),
      output: reviewReportSchema,
    },
    /** Publishes a form (JSON, checked against the form schema); a version already used is never changed. */
    'reviews:publishForm': { input: z.object({ form: z.unknown() }).strict(), output: formVersionSchema },
  },
  events: {
    /** A review changed (here, or pulled from the team): lists and open panels read it again. */
    'reviews:changed': z.object({ interactionId: z.string(), reviewId: z.string() }),
  },
} as const satisfies ContractPart;

export type ReviewChange = z.output<typeof reviewChangeSchema>;
export type ReviewView = z.output<typeof reviewSchema>;
export type ReviewFilter = z.output<typeof reviewFilterSchema>;
export type ReviewReport = z.output<typeof reviewReportSchema>;
export type SamplePlan = z.output<typeof samplePlanSchema>;
export type CallReviewSummary = z.output<typeof callReviewSummarySchema>;
