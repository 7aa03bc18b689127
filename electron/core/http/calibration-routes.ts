/**
 * `GET /calibration?from=&to=&reference=&form_id=` (issue 12; docs/calibration.md): per reviewer,
 * agreement with the reference reviewer and the mean score difference over a period — the same
 * report the app's Calibration view shows (`calibration:report`), from the same service. Errors
 * answer like the rest of the API (FastAPI-style 422s naming the parameter).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { calibrationReportSchema } from '../../../shared/contract/calibration.ts';
import type { CalibrationService } from '../reviews/calibration.ts';
import { RequestValidationError, type QueryValues, type ValidationIssue } from './fastapi-validation.ts';
import { readDateBound } from './review-routes.ts';

export const CALIBRATION_PATH = /^\/calibration$/;

export function registerCalibrationRoutes(app: FastifyInstance, calibration: CalibrationService): void {
  app.get<{ Querystring: QueryValues }>('/calibration', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return calibration.report(readCalibrationQuery(request.query));
  });
}

/** from and to (a date: its start or end, UTC; or a date-time) and reference are required; form_id is not. */
export function readCalibrationQuery(query: QueryValues): {
  from: string;
  to: string;
  formId: string | null;
  reference: string;
} {
  const one = (name: string): string | null => {
    const value = query[name];
    const last = Array.isArray(value) ? value.at(-1) : value;
    return last === undefined || last.trim() === '' ? null : last.trim();
  };
  const issues: ValidationIssue[] = [];
  const missing = (name: string, what: string) =>
    issues.push({ type: 'missing', loc: ['query', name], msg: `Field required: ${what}`, input: null });
  const time = (name: 'from' | 'to'): string => {
    const value = one(name);
    if (value === null) missing(name, 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone');
    return readDateBound(name, value, issues) ?? '';
  };
  const from = time('from');
  const to = time('to');
  const reference = one('reference');
  if (reference === null) missing('reference', 'the reviewer id everyone is compared with');
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { from, to, formId: one('form_id'), reference: reference! };
}

/** The route in /openapi.json (its answer's schema generated from the contract's). */
export function calibrationOpenApiPaths(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(calibrationReportSchema, {
    io: 'output',
  }) as Record<string, unknown>;
  const query = (name: string, required: boolean, description: string) => ({
    name,
    in: 'query',
    required,
    description,
    schema: { type: 'string' },
  });
  return {
    '/calibration': {
      get: {
        summary: 'Calibration of reviewers against a reference reviewer over a period',
        description:
          'Per reviewer: the calls both they and the reference reviewed (submitted in the period), the share ' +
          'of questions answered as the reference did (same form version only), and the mean score difference ' +
          '(positive: more lenient, negative: stricter). Tapedeck extension.',
        parameters: [
          query('from', true, 'Submitted at or after: a date (its start, UTC) or a date-time.'),
          query('to', true, 'Submitted at or before: a date (its end, UTC) or a date-time.'),
          query('reference', true, 'The reviewer id everyone is compared with.'),
          query('form_id', false, 'Only reviews made with this form.'),
        ],
        responses: {
          '200': { description: 'The calibration report.', content: { 'application/json': { schema } } },
          '422': { description: 'A parameter is missing or not valid (`detail` names it).' },
        },
      },
    },
  };
}
