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

/** Submitted reviews of one day, reviewer, outcome and form version, as one GROUP BY row. */
interface Group {
  day: string;
  reviewer: string;
  outcome: string | null;
  version: string;
  reviews: number;
  scored: number;
  total: number | null;
  passed: number | null;
}

interface Tally {
  reviews: number;
  scored: number;
  total: number;
  passed: number;
}

function tallyInto<K>(map: Map<K, Tally>, key: K, group: Group): void {
  const entry = map.get(key) ?? { reviews: 0, scored: 0, total: 0, passed: 0 };
  entry.reviews += group.reviews;
  entry.scored += group.scored;
  entry.total += group.total ?? 0;
  entry.passed += group.passed ?? 0;
  map.set(key, entry);
}

const average = (entry: Tally) => (entry.scored > 0 ? round2(entry.total / entry.scored) : null);

/**
 * The reports over the submitted reviews of a period (by when they were submitted): average score
 * by ISO week, pass rate by the call's outcome, the questions most often missed (answered without
 * full points), auto-fail reasons, and reviews per reviewer. Two passes over an index that covers
 * them (the reviews' state is never read): one GROUP BY of day, reviewer, outcome and form version,
 * merged here, and one json_each over the reviews' tagged report facts.
 */
export function reviewReport(
  db: CatalogDatabase,
  range: { from: string; to: string; formId: string | null },
  formOf: (versionId: string) => FormVersion | null,
): ReviewReport {
  const where = `r.status = 'submitted' AND r.reviewed_at BETWEEN @from AND @to AND (@formId IS NULL OR r.form_id = @formId)`;
  const params = { from: range.from, to: range.to, formId: range.formId };
  const groups = db
    .prepare<typeof params, Group>(
      `SELECT substr(r.reviewed_at, 1, 10) AS day, r.reviewer_id AS reviewer, r.outcome AS outcome,
              r.form_version_id AS version, count(*) AS reviews, count(r.percentage) AS scored,
              sum(r.percentage) AS total, sum(r.passed) AS passed
         FROM reviews r INDEXED BY reviews_for_reports WHERE ${where} GROUP BY 1, 2, 3, 4`,
    )
    .all(params);
  const facts = db
    .prepare<typeof params, { fact: string; count: number }>(
      `SELECT je.value AS fact, count(*) AS count
         FROM reviews r INDEXED BY reviews_for_reports, json_each(r.report) je WHERE ${where} GROUP BY 1`,
    )
    .all(params);

  const weeks = new Map<string, Tally>();
  const outcomes = new Map<string, Tally>();
  const reviewers = new Map<string, Tally>();
  const versions = new Map<string, number>();
  let reviews = 0;
  for (const group of groups) {
    reviews += group.reviews;
    tallyInto(weeks, weekOf(group.day), group);
    tallyInto(outcomes, group.outcome ?? '(none)', group);
    tallyInto(reviewers, group.reviewer, group);
    versions.set(group.version, (versions.get(group.version) ?? 0) + group.reviews);
  }
  const counted = (tag: string) =>
    new Map(
      facts.filter((row) => row.fact.startsWith(tag)).map((row) => [row.fact.slice(tag.length), row.count]),
    );
  const missed = counted('m:');
  const na = counted('n:');

  // A submitted review answered every scored question: a question was answered by every review of
  // a version that has it, less its N/As.
  const questions = new Map<string, { text: string; answered: number }>();
  for (const [versionId, count] of versions) {
    for (const { question } of formOf(versionId) ? formQuestions(formOf(versionId)!) : []) {
      if (question.type !== 'yes_no' && question.type !== 'single_choice') continue;
      const entry = questions.get(question.id) ?? { text: question.text, answered: 0 };
      entry.answered += count;
      questions.set(question.id, entry);
    }
  }
  return {
    from: range.from,
    to: range.to,
    reviews,
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
    mostMissed: [...missed.entries()]
      .flatMap(([questionId, count]) => {
        const question = questions.get(questionId);
        if (!question) return [];
        const answered = question.answered - (na.get(questionId) ?? 0);
        return [{ question_id: questionId, question: question.text, answered, missed: count }];
      })
      .sort((a, b) => b.missed / b.answered - a.missed / a.answered || b.missed - a.missed)
      .slice(0, 20),
    autoFails: [...counted('r:').entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
      .slice(0, 50),
    byReviewer: [...reviewers.entries()]
      .map(([reviewer, entry]) => ({ reviewer, reviews: entry.reviews, average: average(entry) }))
      .sort((a, b) => b.reviews - a.reviews || (a.reviewer < b.reviewer ? -1 : 1)),
  };
}
