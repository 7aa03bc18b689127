/**
 * What reviews say across calls, read straight from the catalog's folded review tables (migration
 * 008): the list's review column, tags for autocompletion, a seeded sample of calls to review, and
 * the reports. Pure SQL over indexed tables, so a report over 100,000 reviews is one pass each.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { CallReviewSummary, ReviewReport, SamplePlan } from '../../../shared/contract/reviews.ts';
import { formQuestions, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';

export function callReviewSummaries(
  db: CatalogDatabase,
  interactionIds: readonly string[],
): CallReviewSummary[] {
  if (interactionIds.length === 0) return [];
  return db
    .prepare<
      string[],
      {
        interaction_id: string;
        status: CallReviewSummary['status'];
        percentage: number | null;
        reviews: number;
      }
    >(
      `SELECT interaction_id, review_status AS status, percentage, reviews FROM call_reviews
        WHERE interaction_id IN (${interactionIds.map(() => '?').join(', ')})`,
    )
    .all(...interactionIds);
}

/**
 * A sample of calls to review: every call started in the period (with a recording, and nobody's
 * review yet unless asked otherwise), drawn by a seeded generator in a fixed order of the
 * candidates, so the same plan and seed give the same calls. Per day per outcome: N from each
 * (day, outcome) group; else a percentage of all candidates.
 */
export function sampleCalls(
  db: CatalogDatabase,
  plan: SamplePlan,
): { interactionIds: string[]; considered: number } {
  const candidates = db
    .prepare<[number, number, number], { interaction_id: string; start_ms: number; outcome: string | null }>(
      `SELECT i.interaction_id, i.start_ms, i.outcome FROM interactions i
        WHERE i.start_ms BETWEEN ? AND ? AND i.recording_id IS NOT NULL
          AND (? = 0 OR i.interaction_id NOT IN (SELECT interaction_id FROM call_reviews))
        ORDER BY i.start_ms, i.interaction_id`,
    )
    .all(Date.parse(plan.from), Date.parse(plan.to), plan.unreviewedOnly ? 1 : 0);
  const random = xoroshiro128plus(plan.seed);
  const draw = <T>(items: readonly T[], count: number): T[] => {
    // A partial Fisher–Yates shuffle: the first `count` places are a uniform sample.
    const pool = [...items];
    const n = Math.min(count, pool.length);
    for (let i = 0; i < n; i += 1) {
      const j = unsafeUniformIntDistribution(i, pool.length - 1, random);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, n);
  };
  let chosen: typeof candidates;
  if (plan.perDayPerOutcome !== null) {
    const groups = new Map<string, typeof candidates>();
    for (const call of candidates) {
      const key = `${new Date(call.start_ms).toISOString().slice(0, 10)}\u0000${call.outcome ?? ''}`;
      const group = groups.get(key) ?? [];
      group.push(call);
      groups.set(key, group);
    }
    chosen = [...groups.keys()].sort().flatMap((key) => draw(groups.get(key)!, plan.perDayPerOutcome!));
  } else {
    chosen = draw(candidates, Math.round((candidates.length * plan.percentWithRecordings!) / 100));
  }
  chosen.sort((a, b) => a.start_ms - b.start_ms || (a.interaction_id < b.interaction_id ? -1 : 1));
  return { interactionIds: chosen.map((call) => call.interaction_id), considered: candidates.length };
}

interface AnswerRow {
  readonly form_version_id: string;
  readonly question_id: string;
  readonly option_id: string | null;
  readonly na: number | null;
}

/**
 * The reports over the submitted reviews of a period (by when they were submitted): average score
 * by ISO week, pass rate by the call's outcome, the questions most often missed (answered without
 * full points), auto-fail reasons, and reviews per reviewer.
 */
export function reviewReport(
  db: CatalogDatabase,
  range: { from: string; to: string; formId: string | null },
  formOf: (versionId: string) => FormVersion | null,
): ReviewReport {
  const where = `r.status = 'submitted' AND r.reviewed_at BETWEEN @from AND @to AND (@formId IS NULL OR r.form_id = @formId)`;
  const params = { from: range.from, to: range.to, formId: range.formId };
  const all = <T>(sql: string) => db.prepare<typeof params, T>(sql).all(params);

  const total = all<{ n: number }>(`SELECT count(*) AS n FROM reviews r WHERE ${where}`)[0]?.n ?? 0;
  // The Monday of the review's week, in UTC.
  const averageByWeek = all<{ week: string; reviews: number; average: number | null }>(
    `SELECT date(substr(r.reviewed_at, 1, 10), '-' || ((CAST(strftime('%w', substr(r.reviewed_at, 1, 10)) AS INTEGER) + 6) % 7) || ' days') AS week,
            count(*) AS reviews, round(avg(r.percentage), 2) AS average
       FROM reviews r WHERE ${where} GROUP BY week ORDER BY week`,
  );
  const passRateByOutcome = all<{ outcome: string; reviews: number; passed: number }>(
    `SELECT coalesce(i.outcome, '(none)') AS outcome, count(*) AS reviews, sum(r.passed) AS passed
       FROM reviews r LEFT JOIN interactions i ON i.interaction_id = r.interaction_id
      WHERE ${where} GROUP BY 1 ORDER BY reviews DESC, outcome`,
  ).map((row) => ({
    ...row,
    passRate: row.reviews > 0 ? Math.round((row.passed / row.reviews) * 10_000) / 100 : null,
  }));
  const autoFails = all<{ reason: string; count: number }>(
    `SELECT je.value AS reason, count(*) AS count
       FROM reviews r, json_each(r.state, '$.score.reasons') je
      WHERE ${where} AND r.auto_failed = 1 GROUP BY je.value ORDER BY count DESC, reason LIMIT 50`,
  );
  const byReviewer = all<{ reviewer: string; reviews: number; average: number | null }>(
    `SELECT r.reviewer_id AS reviewer, count(*) AS reviews, round(avg(r.percentage), 2) AS average
       FROM reviews r WHERE ${where} GROUP BY r.reviewer_id ORDER BY reviews DESC, reviewer`,
  );
  const answers = all<AnswerRow>(
    `SELECT r.form_version_id, je.value ->> '$.question_id' AS question_id,
            je.value ->> '$.option_id' AS option_id, je.value ->> '$.na' AS na
       FROM reviews r, json_each(r.state, '$.answers') je WHERE ${where}`,
  );
  return {
    from: range.from,
    to: range.to,
    reviews: total,
    averageByWeek,
    passRateByOutcome,
    mostMissed: mostMissed(answers, formOf),
    autoFails,
    byReviewer,
  };
}

/** Per question: how often it was answered, and how often without its full points. */
function mostMissed(
  answers: readonly AnswerRow[],
  formOf: (versionId: string) => FormVersion | null,
): ReviewReport['mostMissed'] {
  const forms = new Map<string, FormVersion | null>();
  const counts = new Map<string, { question: string; answered: number; missed: number }>();
  for (const answer of answers) {
    if (answer.na || answer.option_id === null) continue; // N/A, scale, number and text answers: not "missed"
    if (!forms.has(answer.form_version_id)) forms.set(answer.form_version_id, formOf(answer.form_version_id));
    const form = forms.get(answer.form_version_id);
    const question =
      form && formQuestions(form).find((entry) => entry.question.id === answer.question_id)?.question;
    if (!question || !('options' in question)) continue;
    const best = Math.max(...question.options.map((option) => option.points));
    const chosen = question.options.find((option) => option.id === answer.option_id);
    const entry = counts.get(question.id) ?? { question: question.text, answered: 0, missed: 0 };
    entry.answered += 1;
    if (!chosen || chosen.points < best) entry.missed += 1;
    counts.set(question.id, entry);
  }
  return [...counts.entries()]
    .map(([question_id, entry]) => ({ question_id, ...entry }))
    .filter((entry) => entry.missed > 0)
    .sort((a, b) => b.missed / b.answered - a.missed / a.answered || b.missed - a.missed)
    .slice(0, 20);
}
