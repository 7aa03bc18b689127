/**
 * The review routes in /openapi.json. Their schemas are generated from the contract's zod schemas
 * (zod's JSON Schema is 2020-12, which OpenAPI 3.1 uses), so the document cannot drift from the
 * answers.
 */
import { z } from 'zod';
import { reviewSchema } from '../../../shared/contract/reviews.ts';
import { formVersionSchema } from '../../../shared/reviews/form-schema.ts';
import { NOTE_LANES } from '../../../shared/reviews/review-events.ts';
import { answerSchema } from '../../../shared/reviews/scoring.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const REVIEW_FILTERS = [
  query('interaction_id', 'Reviews of this call.'),
  query('dispatch_id', 'Reviews of the newest call placed by this dispatch.'),
  query('reviewer', "The reviewer's id (as the review's reviewer)."),
  query('status', 'draft or submitted.', { type: 'string', enum: ['draft', 'submitted'] }),
  query('tag', 'Reviews carrying this tag.'),
  query('form_id', 'Reviews made with this form.'),
  query(
    'from',
    'Submitted (or, for drafts, last changed) at or after: a date (its start, UTC) or a date-time.',
  ),
  query('to', 'Submitted (or last changed) at or before: a date (its end, UTC) or a date-time.'),
];

export function reviewPaths(common: { accessErrors: object; validationError: object; notFound: object }) {
  const { accessErrors, validationError, notFound } = common;
  return {
    '/forms': {
      get: {
        summary: 'Evaluation forms (Tapedeck extension)',
        operationId: 'listForms',
        description: 'The newest version of each form in the catalog (the shipped ones included).',
        responses: {
          '200': {
            description: 'The forms',
            content: json({
              type: 'object',
              required: ['forms'],
              properties: { forms: { type: 'array', items: ref('FormVersion') } },
            }),
          },
          ...accessErrors,
        },
      },
    },
    '/reviews': {
      get: {
        summary: "The team's reviews (Tapedeck extension)",
        operationId: 'listReviews',
        description: 'Newest first (by submit time, or last change for drafts).',
        parameters: [
          ...REVIEW_FILTERS,
          query('limit', 'Reviews per page.', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
          query('offset', 'Reviews to skip.', { type: 'integer', minimum: 0, default: 0 }),
        ],
        responses: {
          '200': {
            description: 'A page of reviews',
            content: json({
              type: 'object',
              required: ['reviews', 'limit', 'offset'],
              properties: {
                reviews: { type: 'array', items: ref('Review') },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
              },
            }),
          },
          '422': validationError,
          ...accessErrors,
        },
      },
      post: {
        summary: 'Score a call (Tapedeck extension)',
        operationId: 'createReview',
        description:
          "A new review by this machine's reviewer, answered, noted, tagged and optionally submitted at once. " +
          'A refused answer stores nothing.',
        requestBody: { required: true, content: json(ref('NewReview')) },
        responses: {
          '201': { description: 'The review', content: json(ref('Review')) },
          '404': notFound,
          '422': validationError,
          ...accessErrors,
        },
      },
    },
    '/reviews.csv': {
      get: {
        summary: 'Submitted reviews as CSV (Tapedeck extension)',
        operationId: 'exportReviews',
        description:
          'One row per submitted review: the call, reviewer, form and version, score, then one column per question (q:{id}).',
        parameters: REVIEW_FILTERS,
        responses: {
          '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          '422': validationError,
          ...accessErrors,
        },
      },
    },
    '/reviews/{review_id}': {
      get: {
        summary: 'One review (Tapedeck extension)',
        operationId: 'getReview',
        parameters: [
          {
            name: 'review_id',
            in: 'path',
            required: true,
            description: 'The review (a ULID).',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': { description: 'The review', content: json(ref('Review')) },
          '404': notFound,
          ...accessErrors,
        },
      },
    },
  };
}

const newReviewSchema = z
  .object({
    interaction_id: z.string().optional(),
    dispatch_id: z.string().optional(),
    form_version_id: z.string(),
    answers: z.array(answerSchema).optional(),
    notes: z
      .array(
        z.object({
          at_ms: z.number().int().min(0),
          end_ms: z.number().int().min(0).nullable().optional(),
          lane: z.enum(NOTE_LANES).optional(),
          text: z.string(),
          question_id: z.string().nullable().optional(),
        }),
      )
      .optional(),
    tags: z.array(z.string()).optional(),
    submit: z.boolean().optional(),
  })
  .describe('Give one of interaction_id or dispatch_id.');

export const reviewSchemas = {
  FormVersion: jsonSchema(formVersionSchema, 'output'),
  Review: jsonSchema(reviewSchema, 'output'),
  NewReview: jsonSchema(newReviewSchema, 'input'),
};
