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

/** The Monday (UTC) of the week of a day (`YYYY-MM-DD`), as `YYYY-MM-DD`. */
function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

interface Group {
  key: string | null;
  reviews: number;
  scored: number;
  total: number | null;
  passed: number | null;
}

/**
 * The reports over the submitted reviews of a period (by when they were submitted): average score
 * by ISO week, pass rate by the call's outcome, the questions most often missed (answered without
 * full points), auto-fail reasons, and reviews per reviewer. Each part is one GROUP BY over an index
 * that covers it (the reviews' state is never read); JavaScript only merges days into weeks.
 */
export function reviewReport(
  db: CatalogDatabase,
  range: { from: string; to: string; formId: string | null },
  formOf: (versionId: string) => FormVersion | null,
): ReviewReport {
  const where = `r.status = 'submitted' AND r.reviewed_at BETWEEN @from AND @to AND (@formId IS NULL OR r.form_id = @formId)`;
  const params = { from: range.from, to: range.to, formId: range.formId };
  const all = <T>(sql: string) => db.prepare<typeof params, T>(sql).all(params);
  const grouped = (key: string, join = '') =>
    all<Group>(
      `SELECT ${key} AS key, count(*) AS reviews, count(r.percentage) AS scored, sum(r.percentage) AS total,
              sum(r.passed) AS passed
         FROM reviews r INDEXED BY reviews_for_reports ${join} WHERE ${where} GROUP BY 1`,
    );
  const average = (group: Pick<Group, 'scored' | 'total'>) =>
    group.scored > 0 && group.total !== null ? round2(group.total / group.scored) : null;

  const weeks = new Map<string, { reviews: number; scored: number; total: number }>();
  for (const day of grouped('substr(r.reviewed_at, 1, 10)')) {
    const week = weekOf(day.key!);
    const entry = weeks.get(week) ?? { reviews: 0, scored: 0, total: 0 };
    entry.reviews += day.reviews;
    entry.scored += day.scored;
    entry.total += day.total ?? 0;
    weeks.set(week, entry);
  }
  const byReviewer = grouped('r.reviewer_id');
  const byOutcome = grouped(
    `coalesce(i.outcome, '(none)')`,
    'LEFT JOIN interactions i ON i.interaction_id = r.interaction_id',
  );
  const facts = (path: string) =>
    all<{ key: string; version: string; count: number }>(
      `SELECT je.value AS key, min(r.form_version_id) AS version, count(*) AS count
         FROM reviews r INDEXED BY reviews_for_reports, json_each(r.report, '${path}') je
        WHERE ${where} GROUP BY je.value`,
    );
  const scored = facts('$.scored');
  const missed = new Map(facts('$.missed').map((row) => [row.key, row.count]));
  const textOf = (versionId: string, id: string) => {
    const form = formOf(versionId);
    return (form && formQuestions(form).find((entry) => entry.question.id === id)?.question.text) ?? id;
  };
  return {
    from: range.from,
    to: range.to,
    reviews: byReviewer.reduce((sum, group) => sum + group.reviews, 0),
    averageByWeek: [...weeks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([week, entry]) => ({ week, reviews: entry.reviews, average: average(entry) })),
    passRateByOutcome: byOutcome
      .map((group) => ({
        outcome: group.key ?? '(none)',
        reviews: group.reviews,
        passed: group.passed ?? 0,
        passRate: group.reviews > 0 ? round2(((group.passed ?? 0) / group.reviews) * 100) : null,
      }))
      .sort((a, b) => b.reviews - a.reviews || (a.outcome < b.outcome ? -1 : 1)),
    mostMissed: scored
      .filter((row) => (missed.get(row.key) ?? 0) > 0)
      .map((row) => ({
        question_id: row.key,
        question: textOf(row.version, row.key),
        answered: row.count,
        missed: missed.get(row.key)!,
      }))
      .sort((a, b) => b.missed / b.answered - a.missed / a.answered || b.missed - a.missed)
      .slice(0, 20),
    autoFails: facts('$.reasons')
      .map((row) => ({ reason: row.key, count: row.count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
      .slice(0, 50),
    byReviewer: byReviewer
      .map((group) => ({ reviewer: group.key!, reviews: group.reviews, average: average(group) }))
      .sort((a, b) => b.reviews - a.reviews || (a.reviewer < b.reviewer ? -1 : 1)),
  };
}
