/**
 * `npx tsx bench/reviews-bench.ts [calls] [reviews]` (default 1,000,000 calls, 100,000 reviews):
 * the review workflow at scale, in the core (no HTTP), on this machine.
 *
 * - the list filtered by review status (first page with its exact count, and a deep page), against
 *   the same list unfiltered: the targets of the list (p99 < 10 ms for one client);
 * - the reports over every review (target < 200 ms);
 * - saving one answer of a draft through ReviewsService.change (target < 5 ms).
 *
 * Reviews are written as the app writes them: review events, folded by ReviewStore, 1,000 reviews a
 * transaction. Figures are printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallsService } from '../electron/core/calls/calls-service.ts';
import { importInteractionsFile } from '../electron/core/import/import-interactions.ts';
import { openLibrary } from '../electron/core/library/open-library.ts';
import { reviewIdSource } from '../electron/core/reviews/review-ids.ts';
import { ReviewStore } from '../electron/core/reviews/review-store.ts';
import { ReviewsService } from '../electron/core/reviews/reviews-service.ts';
import { shippedForms } from '../electron/core/reviews/shipped-forms.ts';
import { callQuerySchema } from '../shared/contract.ts';
import { reviewEvent, startReview, type ReviewEvent } from '../shared/reviews/review-events.ts';
import { scoreReview, scoreSummary, type Answer } from '../shared/reviews/scoring.ts';
import { callsFile } from './make-calls-file.ts';

const CALLS = Number(process.argv[2] ?? 1_000_000);
const REVIEWS = Number(process.argv[3] ?? 100_000);
const REVIEWERS = ['ana', 'ben', 'cy', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivy', 'jo'];

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function time(runs: number, fn: () => unknown): { p50: number; p99: number; first: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return { first: samples[0]!, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-reviews-bench-'));
  try {
    const library = openLibrary({
      s3: null,
      host: '127.0.0.1',
      port: 0,
      dataDir: dir,
      interactionsFile: undefined,
    });
    let started = performance.now();
    const file = callsFile(CALLS, 'ndjson', (line) => console.log(line));
    await importInteractionsFile(library.store, file);
    console.log(
      `imported ${CALLS.toLocaleString('en-US')} calls in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const [form] = shippedForms();
    const store = new ReviewStore(library.catalog);
    for (const shipped of shippedForms()) store.publishFormVersion(shipped);
    const ids = library.catalog
      .prepare<[number], string>(`SELECT interaction_id FROM interactions ORDER BY rowid LIMIT ?`)
      .pluck()
      .all(CALLS);
    const newId = reviewIdSource();
    let events = 0;
    const choices = form!.sections.flatMap((section) => section.questions);
    started = performance.now();
    let batch: ReviewEvent[] = [];
    for (let r = 0; r < REVIEWS; r += 1) {
      // Every tenth call reviewed, some of them failing a question, a few left as drafts.
      const interactionId = ids[(r * 10) % ids.length]!;
      const reviewer = REVIEWERS[r % REVIEWERS.length]!;
      const { context, event } = startReview(
        { newId, now: () => new Date(Date.UTC(2025, 7, 1) + r * 60_000) },
        { interaction_id: interactionId, reviewer_id: reviewer, form_version_id: form!.version_id },
      );
      batch.push(event);
      const answers: Answer[] = [];
      for (const question of choices) {
        let answer: Answer;
        if (question.type === 'scale') answer = { question_id: question.id, value: 1 + (r % 5) };
        else if (question.type === 'free_text') answer = { question_id: question.id, value: 'ok' };
        else if ('options' in question) {
          const option = question.options[r % 7 === 0 ? question.options.length - 1 : 0]!;
          answer = {
            question_id: question.id,
            option_id: option.id,
            ...(option.requires_comment ? { comment: 'why' } : {}),
          };
        } else continue;
        answers.push(answer);
        const { question_id, ...value } = answer;
        batch.push(reviewEvent(context, 'answer_set', { question_id, answer: value }));
      }
      if (r % 20 !== 0)
        batch.push(
          reviewEvent(context, 'review_submitted', { score: scoreSummary(scoreReview(form!, answers)) }),
        );
      if (batch.length >= 10_000) {
        events += batch.length;
        store.appendEvents(batch);
        batch = [];
      }
    }
    if (batch.length > 0) store.appendEvents(batch);
    events += batch.length;
    const writeSeconds = (performance.now() - started) / 1000;
    console.log(
      `wrote ${REVIEWS.toLocaleString('en-US')} reviews (${events.toLocaleString('en-US')} events) in ${writeSeconds.toFixed(1)} s`,
    );

    const calls = new CallsService(() => library);
    const list = (review: ('passed' | 'failed' | 'draft' | 'unreviewed')[], offset: number) =>
      calls.list(callQuerySchema.parse({ review, offset, limit: 50 }));
    const rows: string[][] = [];
    for (const [name, review] of [
      ['unfiltered', []],
      ['passed', ['passed']],
      ['failed', ['failed']],
      ['unreviewed', ['unreviewed']],
    ] as const) {
      const first = time(50, () => list([...review], 0));
      const deep = time(50, () => list([...review], 20_000));
      rows.push([
        `list ${name}: first page (50, exact count)`,
        ms(first.first),
        ms(first.p50),
        ms(first.p99),
      ]);
      rows.push([`list ${name}: page at offset 20,000`, ms(deep.first), ms(deep.p50), ms(deep.p99)]);
    }

    const service = new ReviewsService(() => library, {
      reviewer: () => 'bench',
      newId: reviewIdSource(),
      now: Date.now,
    });
    const report = time(10, () =>
      service.report({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', formId: null }),
    );
    rows.push(['report over every review', ms(report.first), ms(report.p50), ms(report.p99)]);

    // A reviewer's draft: a form's worth of answers, each saved as it is given, on calls not yet reviewed.
    let nextCall = 1;
    const fresh = time(200, () => {
      const call = ids[(nextCall++ * 10 + 3) % ids.length]!;
      service.change(call, form!.version_id, [{ type: 'answer', question_id: 'tone', answer: { value: 3 } }]);
    });
    rows.push([
      'save one answer (a new draft: its first event and the answer)',
      ms(fresh.first),
      ms(fresh.p50),
      ms(fresh.p99),
    ]);
    const draftCall = ids[5]!;
    service.change(draftCall, form!.version_id, [
      { type: 'answer', question_id: 'tone', answer: { value: 3 } },
    ]);
    let value = 0;
    const save = time(200, () =>
      service.change(draftCall, form!.version_id, [
        { type: 'answer', question_id: 'tone', answer: { value: 1 + (value++ % 5) } },
      ]),
    );
    rows.push([
      'save one answer (a draft of ~200 events by the end)',
      ms(save.first),
      ms(save.p50),
      ms(save.p99),
    ]);

    console.log(
      `\n| what (${CALLS.toLocaleString('en-US')} calls, ${REVIEWS.toLocaleString('en-US')} reviews) | first | p50 | p99 |`,
    );
    console.log('| --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    library.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
