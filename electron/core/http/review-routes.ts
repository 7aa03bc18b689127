import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ReviewChange, ReviewFilter } from '../../../shared/contract/reviews.ts';
import { DISPATCH_ID } from '../../../shared/dispatch.ts';
import { NOTE_LANES, tagSchema } from '../../../shared/reviews/review-events.ts';
import { answerSchema } from '../../../shared/reviews/scoring.ts';
import type { CallsService } from '../calls/calls-service.ts';
import { reviewsCsvStream } from '../reviews/reviews-export.ts';
import { ReviewChangeError, type ReviewsService } from '../reviews/reviews-service.ts';
import { ServiceError } from '../service-error.ts';
import {
  RequestValidationError,
  readIntegerQuery,
  type QueryValues,
  type ValidationIssue,
} from './fastapi-validation.ts';

/** `POST /reviews`: a script's review of a call, answered, noted, tagged and (optionally) submitted at once. */
const postReviewSchema = z
  .object({
    interaction_id: z.string().min(1).max(200).optional(),
    dispatch_id: z
      .string()
      .regex(DISPATCH_ID, 'a dispatch id: dispatch_{unix seconds}_{phone digits}')
      .optional(),
    form_version_id: z.string().min(1).max(100),
    answers: z.array(answerSchema).max(500).default([]),
    notes: z
      .array(
        z
          .object({
            at_ms: z.number().int().min(0).max(86_400_000),
            end_ms: z.number().int().min(0).max(86_400_000).nullable().default(null),
            lane: z.enum(NOTE_LANES).default('both'),
            text: z.string().max(10_000),
            question_id: z.string().min(1).max(100).nullable().default(null),
          })
          .strict(),
      )
      .max(500)
      .default([]),
    tags: z.array(tagSchema).max(100).default([]),
    submit: z.boolean().default(false),
  })
  .strict()
  .refine((body) => (body.interaction_id === undefined) !== (body.dispatch_id === undefined), {
    message: 'give one of interaction_id or dispatch_id',
    path: ['interaction_id'],
  });

const REVIEW_STATUS = ['draft', 'submitted'] as const;

/**
 * The review routes of the local API: the forms, the reviews (the team's, with `reviewer=`), one
 * review, their CSV, and `POST /reviews` for scripts that score. The same ReviewsService the app's
 * review panel calls; errors answer as the rest of the API does (FastAPI-style 422s).
 */
export function registerReviewRoutes(
  app: FastifyInstance,
  reviews: ReviewsService,
  calls: CallsService,
): void {
  app.get('/forms', async (_request, reply) => {
    noStore(reply);
    return { forms: reviews.forms().map((form) => ({ ...form })) };
  });

  app.get<{ Querystring: QueryValues }>('/reviews', async (request, reply) => {
    const { limit, offset } = readIntegerQuery(request.query, {
      limit: { default: 100, ge: 1, le: 1000 },
      offset: { default: 0, ge: 0 },
    });
    const filter = readReviewFilter(request.query, calls);
    noStore(reply);
    const { reviews: page } = reviews.list(filter, limit, offset);
    return { reviews: page, limit, offset };
  });

  app.get<{ Querystring: QueryValues }>('/reviews.csv', async (request, reply) => {
    const filter = readReviewFilter(request.query, calls);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="reviews.csv"');
    noStore(reply);
    return reply.send(reviewsCsvStream(reviews.all(filter), (id) => reviews.formVersion(id)));
  });

  app.get<{ Params: { review_id: string } }>('/reviews/:review_id', async (request, reply) => {
    const review = reviews.review(request.params.review_id);
    if (!review) throw new ServiceError('not_found', `No review ${request.params.review_id}.`);
    noStore(reply);
    return review;
  });

  app.post('/reviews', async (request, reply) => {
    const parsed = postReviewSchema.safeParse(request.body ?? {}, { reportInput: true });
    if (!parsed.success) throw new RequestValidationError(parsed.error.issues.map(bodyIssue));
    const body = parsed.data;
    const interactionId = body.interaction_id ?? calls.interactionOfDispatch(body.dispatch_id!);
    if (interactionId === null) throw new ServiceError('not_found', `No call placed by ${body.dispatch_id}.`);
    const changes: ReviewChange[] = [
      ...body.answers.map(({ question_id, ...answer }): ReviewChange => ({
        type: 'answer',
        question_id,
        answer,
      })),
      ...body.notes.map((note): ReviewChange => ({ type: 'add_note', note })),
      ...body.tags.map((tag): ReviewChange => ({ type: 'add_tag', tag })),
      ...(body.submit ? [{ type: 'submit' } as const] : []),
    ];
    // Where each change came from in the body, for the 422's `loc`.
    const origin = [
      ...body.answers.map((_, i) => ['body', 'answers', i]),
      ...body.notes.map((_, i) => ['body', 'notes', i]),
      ...body.tags.map((_, i) => ['body', 'tags', i]),
      ['body', 'submit'],
    ];
    try {
      const review = reviews.change(interactionId, body.form_version_id, changes, { fresh: true });
      reply.code(201);
      return review;
    } catch (error) {
      if (!(error instanceof ReviewChangeError)) throw error;
      throw new RequestValidationError(
        error.problems.map((problem) => ({
          type: 'value_error',
          loc: problem.index < 0 ? ['body', 'form_version_id'] : (origin[problem.index] ?? ['body']),
          msg: problem.message,
          input: problem.question_id,
        })),
      );
    }
  });
}

function readReviewFilter(query: QueryValues, calls: CallsService): ReviewFilter {
  const one = (name: string): string | null => {
    const value = query[name];
    const last = Array.isArray(value) ? value.at(-1) : value;
    return last === undefined || last === '' ? null : last;
  };
  const issues: ValidationIssue[] = [];
  const status = one('status');
  if (status !== null && !REVIEW_STATUS.includes(status as (typeof REVIEW_STATUS)[number])) {
    issues.push({
      type: 'enum',
      loc: ['query', 'status'],
      msg: "Input should be 'draft' or 'submitted'",
      input: status,
      ctx: { expected: "'draft' or 'submitted'" },
    });
  }
  const from = readDateBound('from', one('from'), issues);
  const to = readDateBound('to', one('to'), issues);
  if (issues.length > 0) throw new RequestValidationError(issues);
  const dispatchId = one('dispatch_id');
  return {
    // A dispatch no call has matches no review (an id no call can have).
    interactionId:
      one('interaction_id') ?? (dispatchId ? (calls.interactionOfDispatch(dispatchId) ?? '\u0000') : null),
    reviewer: one('reviewer'),
    status: status as ReviewFilter['status'],
    tag: one('tag'),
    formId: one('form_id'),
    from,
    to,
  };
}

function bodyIssue(issue: z.core.$ZodIssue): ValidationIssue {
  return {
    type: issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.code,
    loc: ['body', ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
    msg: issue.message,
    input: issue.input,
  };
}

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

/**
 * A `from`/`to` bound of a query: a date means its whole day (from its start, to its end, UTC), a
 * date-time is taken as it is. null when absent; a bad one is added to `issues` (and null returned).
 */
export function readDateBound(
  name: 'from' | 'to',
  value: string | null,
  issues: ValidationIssue[],
): string | null {
  if (value === null) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T${name === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`)
    : new Date(value);
  if (Number.isNaN(date.getTime())) {
    issues.push({
      type: 'datetime_from_date_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid date or datetime (YYYY-MM-DD, or ISO 8601 with a zone)',
      input: value,
    });
    return null;
  }
  return date.toISOString();
}
