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

/** A submitted review as the report reads it, from the covering index alone (no `state`). */
type ReportRow = [
  reviewedAt: string,
  reviewer: string,
  formVersionId: string,
  percentage: number | null,
  passed: number | null,
  autoFailed: number | null,
  report: string,
  outcome: string | null,
];

/** The Monday (UTC) of the week of an ISO time, as `YYYY-MM-DD`. */
function weekOf(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The reports over the submitted reviews of a period (by when they were submitted): average score
 * by ISO week, pass rate by the call's outcome, the questions most often missed (answered without
 * full points), auto-fail reasons, and reviews per reviewer. One pass over an index that covers it.
 */
export function reviewReport(
  db: CatalogDatabase,
  range: { from: string; to: string; formId: string | null },
  formOf: (versionId: string) => FormVersion | null,
): ReviewReport {
  const rows = db
    .prepare<[string, string, string | null, string | null], ReportRow>(
      `SELECT r.reviewed_at, r.reviewer_id, r.form_version_id, r.percentage, r.passed, r.auto_failed, r.report,
              (SELECT i.outcome FROM interactions i WHERE i.interaction_id = r.interaction_id)
         FROM reviews r INDEXED BY reviews_for_reports
        WHERE r.status = 'submitted' AND r.reviewed_at BETWEEN ? AND ? AND (? IS NULL OR r.form_id = ?)`,
    )
    .raw()
    .all(range.from, range.to, range.formId, range.formId);

  const tally = <K>() => new Map<K, { reviews: number; sum: number; scored: number; passed: number }>();
  const weeks = tally<string>();
  const outcomes = tally<string>();
  const reviewers = tally<string>();
  const reasons = new Map<string, number>();
  const questions = new Map<string, { versionId: string; answered: number; missed: number }>();
  const add = (
    map: ReturnType<typeof tally<string>>,
    key: string,
    percentage: number | null,
    passed: number | null,
  ) => {
    const entry = map.get(key) ?? { reviews: 0, sum: 0, scored: 0, passed: 0 };
    entry.reviews += 1;
    if (percentage !== null) {
      entry.sum += percentage;
      entry.scored += 1;
    }
    if (passed === 1) entry.passed += 1;
    map.set(key, entry);
  };
  for (const [reviewedAt, reviewer, versionId, percentage, passed, , report, outcome] of rows) {
    add(weeks, weekOf(reviewedAt), percentage, passed);
    add(outcomes, outcome ?? '(none)', percentage, passed);
    add(reviewers, reviewer, percentage, passed);
    const facts = JSON.parse(report) as { reasons?: string[]; scored?: string[]; missed?: string[] };
    for (const reason of facts.reasons ?? []) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    for (const id of facts.scored ?? []) {
      const entry = questions.get(id) ?? { versionId, answered: 0, missed: 0 };
      entry.answered += 1;
      questions.set(id, entry);
    }
    for (const id of facts.missed ?? []) {
      const entry = questions.get(id);
      if (entry) entry.missed += 1;
    }
  }
  const average = (entry: { sum: number; scored: number }) =>
    entry.scored > 0 ? round2(entry.sum / entry.scored) : null;
  const textOf = (versionId: string, id: string) => {
    const form = formOf(versionId);
    return (form && formQuestions(form).find((entry) => entry.question.id === id)?.question.text) ?? id;
  };
  return {
    from: range.from,
    to: range.to,
    reviews: rows.length,
    averageByWeek: [...weeks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([week, entry]) => ({ week, reviews: entry.reviews, average: average(entry) })),
    passRateByOutcome: [...outcomes.entries()]
      .map(([outcome, entry]) => ({
        outcome,
        reviews: entry.reviews,
        passed: entry.passed,
        passRate: entry.reviews > 0 ? round2((entry.passed / entry.reviews) * 100) : null,
      }))
      .sort((a, b) => b.reviews - a.reviews || (a.outcome < b.outcome ? -1 : 1)),
    mostMissed: [...questions.entries()]
      .filter(([, entry]) => entry.missed > 0)
      .map(([question_id, entry]) => ({
        question_id,
        question: textOf(entry.versionId, question_id),
        answered: entry.answered,
        missed: entry.missed,
      }))
      .sort((a, b) => b.missed / b.answered - a.missed / a.answered || b.missed - a.missed)
      .slice(0, 20),
    autoFails: [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
      .slice(0, 50),
    byReviewer: [...reviewers.entries()]
      .map(([reviewer, entry]) => ({ reviewer, reviews: entry.reviews, average: average(entry) }))
      .sort((a, b) => b.reviews - a.reviews || (a.reviewer < b.reviewer ? -1 : 1)),
  };
}
