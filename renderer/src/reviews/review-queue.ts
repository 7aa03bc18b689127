/**
 * What to review next: the next unreviewed call of the list (J), or of a queue a sampling plan
 * filled. Pure parts here (unit-tested); the fetching is in use-reviews.ts.
 */
import type { CallRow } from '../../../shared/contract.ts';
import type { SamplePlan } from '../../../shared/contract/reviews.ts';

export interface ReviewQueue {
  readonly plan: SamplePlan;
  readonly interactionIds: readonly string[];
  /** How many calls the plan drew from. */
  readonly considered: number;
  readonly createdAt: string;
}

/**
 * The indexes to look at after `from`, in order, wrapping around to the start: the rest of the
 * list first, then from the top up to `from` itself (so the last call left is found too).
 */
export function scanOrder(from: number, total: number): number[] {
  if (total <= 0) return [];
  const order: number[] = [];
  for (let i = 1; i <= total; i++) order.push((from + i) % total);
  return order;
}

/** The first of the rows (in the order given) with a recording that nobody has reviewed. */
export function firstUnreviewed(
  rows: readonly { index: number; row: CallRow | undefined }[],
  reviewed: ReadonlySet<string>,
): number | null {
  for (const { index, row } of rows) {
    if (row !== undefined && row.recording !== null && !reviewed.has(row.interaction_id)) return index;
  }
  return null;
}

/** The queue's next call nobody has reviewed, after `current` (or from the start). */
export function nextInQueue(
  queue: ReviewQueue,
  reviewed: ReadonlySet<string>,
  current: string | null,
): string | null {
  const ids = queue.interactionIds;
  const at = current === null ? -1 : ids.indexOf(current);
  for (let i = 1; i <= ids.length; i++) {
    const id = ids[(at + i + ids.length) % ids.length];
    if (id !== undefined && id !== current && !reviewed.has(id)) return id;
  }
  return null;
}

/** "2 calls per day per outcome, 1 Aug – 31 Aug 2025, unreviewed only, seed 1234". */
export function describePlan(plan: SamplePlan): string {
  const what =
    plan.perDayPerOutcome !== null
      ? `${plan.perDayPerOutcome} ${plan.perDayPerOutcome === 1 ? 'call' : 'calls'} per day per outcome`
      : `${plan.percentWithRecordings ?? 0} % of the calls with recordings`;
  const day = (iso: string) =>
    new Date(iso).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
  return `${what}, ${day(plan.from)} – ${day(plan.to)}${plan.unreviewedOnly ? ', unreviewed only' : ''}, seed ${plan.seed}`;
}

export function parseQueue(raw: string | null): ReviewQueue | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<ReviewQueue>;
    if (
      typeof value.plan !== 'object' ||
      value.plan === null ||
      !Array.isArray(value.interactionIds) ||
      typeof value.considered !== 'number'
    ) {
      return null;
    }
    return {
      plan: value.plan,
      interactionIds: value.interactionIds.filter((id): id is string => typeof id === 'string'),
      considered: value.considered,
      createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
    };
  } catch {
    return null;
  }
}

/** A fresh seed for a new plan (shown, and editable, so the same sample can be drawn again). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2_147_483_647);
}
