/**
 * Calibration through the running app's contract (what the renderer calls), on the demo library,
 * with reviews by three reviewers appended as review events — as the team's sync would bring them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { DEMO_ASSETS_DIR } from '../../electron/core/demo/demo-library.ts';
import { calibrationOpenApiPaths } from '../../electron/core/http/calibration-routes.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { shippedForms } from '../../electron/core/reviews/shipped-forms.ts';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract.ts';
import type { Answer } from '../../shared/reviews/scoring.ts';
import { appendToCatalog, demoCatalogFile, submittedReviewEvents } from '../support/seed-reviews.ts';
import { answerProblems, openApiProblems } from './openapi-conformance.ts';

const DEMO_CALLS = JSON.parse(readFileSync(join(DEMO_ASSETS_DIR, 'calls.json'), 'utf8')) as {
  interaction_id: string;
}[];
const [CALL_1, CALL_2, CALL_3] = DEMO_CALLS.map((call) => call.interaction_id);
const general = shippedForms().find((form) => form.form_id === 'general')!;

/** The general form: 8 points (greeting 1, resolved 2, tone 4, closing 1). */
const answers = (greeting: 'yes' | 'no', resolved: 'fully' | 'partly', tone: number): Answer[] => [
  { question_id: 'greeting', option_id: greeting },
  { question_id: 'resolved', option_id: resolved },
  { question_id: 'tone', value: tone },
  { question_id: 'closing', option_id: 'yes' },
];

let dir: string;
let app: TapedeckApp;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const reply = await app.call(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as MethodOutput<M>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-calibration-'));
  app = await startTapedeckApp({
    dataDir: dir,
    env: {
      TAPEDECK_PORT: '0',
      TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
      TAPEDECK_REVIEWER: 'lead.qa',
      TAPEDECK_DOWNLOADS_DIR: join(dir, 'out'),
    },
    ports: headlessPorts(join(dir, 'downloads')),
    log: silentLogger,
    demo: 'force',
  });
  for (let i = 0; i < 200; i += 1) {
    if ((await call('library:status', {})).sync?.state === 'succeeded') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const at = (day: number) => new Date(Date.UTC(2025, 7, day, 10));
  const seed = [
    // Call 1: alice 75 %, bob 100 % (lenient), carol 62.5 % (strict).
    { interactionId: CALL_1!, reviewer: 'alice', answers: answers('yes', 'partly', 4), at: at(4) },
    { interactionId: CALL_1!, reviewer: 'bob', answers: answers('yes', 'fully', 5), at: at(5) },
    { interactionId: CALL_1!, reviewer: 'carol', answers: answers('no', 'partly', 4), at: at(5) },
    // Call 2: alice and bob both 100 %.
    { interactionId: CALL_2!, reviewer: 'alice', answers: answers('yes', 'fully', 5), at: at(6) },
    { interactionId: CALL_2!, reviewer: 'bob', answers: answers('yes', 'fully', 5), at: at(6) },
    // Call 3: carol alone, outside the report's period too.
    { interactionId: CALL_3!, reviewer: 'carol', answers: answers('no', 'fully', 5), at: at(20) },
  ];
  appendToCatalog(
    demoCatalogFile(dir),
    seed.flatMap((review) => submittedReviewEvents({ ...review, form: general })),
  );
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('calibration of the team’s reviews', () => {
  it('shows one call’s three reviews side by side, measured from the chosen reference', async () => {
    const result = await call('calibration:call', { interactionId: CALL_1!, reference: 'alice' });
    expect(result.reference).toBe('alice');
    expect(result.reviewers.map((r) => [r.reviewer, r.percentage, r.score_difference])).toEqual([
      ['alice', 75, 0],
      ['bob', 100, 25],
      ['carol', 62.5, -12.5],
    ]);
    const greeting = result.questions.find((question) => question.question_id === 'greeting')!;
    expect(greeting.answers.map((answer) => answer.answer)).toEqual(['Yes', 'Yes', 'No']);
    expect(greeting).toMatchObject({ spread: 100, agree: false });

    // No reference: from the mean (75 + 100 + 62.5) / 3 = 79.17.
    const fromMean = await call('calibration:call', { interactionId: CALL_1! });
    expect(fromMean.reference).toBeNull();
    expect(fromMean.reviewers.map((r) => r.score_difference)).toEqual([-4.17, 20.83, -16.67]);
  });

  it('reports per reviewer agreement with the reference and how lenient or strict, over a period', async () => {
    const report = await call('calibration:report', {
      from: '2025-08-01T00:00:00Z',
      to: '2025-08-10T00:00:00Z',
      reference: 'alice',
    });
    expect(report.reference_calls).toBe(2);
    expect(report.reviewers).toEqual(['alice', 'bob', 'carol']);
    expect(report.rows).toEqual([
      {
        reviewer: 'bob',
        calls: 2,
        same_form_calls: 2,
        questions_compared: 8,
        agreement: 75,
        mean_difference: 12.5,
        mean_absolute_difference: 12.5,
      },
      {
        reviewer: 'carol',
        calls: 1,
        same_form_calls: 1,
        questions_compared: 4,
        agreement: 75,
        mean_difference: -12.5,
        mean_absolute_difference: 12.5,
      },
    ]);
    // Another form's filter leaves nothing to compare.
    const none = await call('calibration:report', {
      from: '2025-08-01T00:00:00Z',
      to: '2025-08-10T00:00:00Z',
      formId: 'outbound-collections',
      reference: 'alice',
    });
    expect(none).toMatchObject({ reference_calls: 0, reviewers: [], rows: [] });
  });

  it('refuses a period that ends before it starts, saying what to do', async () => {
    const reply = await app.call('calibration:report', {
      from: '2025-08-10T00:00:00Z',
      to: '2025-08-01T00:00:00Z',
      reference: 'alice',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!reply.ok && reply.error.message).toMatch(/after to.*swap them/);
  });

  it('exports the report as CSV into the downloads folder', async () => {
    const { path, rows } = await call('calibration:export', {
      from: '2025-08-01T00:00:00Z',
      to: '2025-08-10T00:00:00Z',
      reference: 'alice',
    });
    expect(rows).toBe(2);
    expect(dirname(path)).toBe(join(dir, 'out'));
    const lines = readFileSync(path, 'utf8').trim().split('\r\n');
    expect(lines.map((line) => line.split(',')[0])).toEqual(['reviewer', 'bob', 'carol']);
    expect(lines[2]).toContain(',1,1,4,75,-12.5,12.5');
  });

  it('answers the same report on GET /calibration, and names a missing or bad parameter in a 422', async () => {
    const base = app.apiUrl!;
    const response = await fetch(`${base}/calibration?from=2025-08-01&to=2025-08-10&reference=alice`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as MethodOutput<'calibration:report'>;
    // The route's description, spliced into /openapi.json, is valid and describes this answer.
    const documented = {
      ...openApiDocument,
      paths: { ...openApiDocument.paths, ...calibrationOpenApiPaths() },
    };
    expect(openApiProblems(documented)).toEqual([]);
    const answer = {
      method: 'GET',
      path: '/calibration',
      status: 200,
      contentType: response.headers.get('content-type'),
      body,
    };
    expect(answerProblems(documented, answer)).toEqual([]);
    expect(answerProblems(documented, { ...answer, body: { ...body, rows: 'none' } })).not.toEqual([]);
    expect(body.rows.map((row) => [row.reviewer, row.agreement, row.mean_difference])).toEqual([
      ['bob', 75, 12.5],
      ['carol', 75, -12.5],
    ]);

    const bad = await fetch(`${base}/calibration?from=2025-08-01&to=someday`);
    expect(bad.status).toBe(422);
    const { detail } = (await bad.json()) as { detail: { loc: string[]; msg: string }[] };
    expect(detail.map((issue) => issue.loc.join('.'))).toEqual(['query.to', 'query.reference']);
    expect(detail[1]!.msg).toMatch(/reviewer id/);

    const post = await fetch(`${base}/calibration`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
