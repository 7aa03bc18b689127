/** Next to review and the sampled queue (renderer/src/reviews/review-queue.ts). */
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../../shared/contract.ts';
import {
  describePlan,
  firstUnreviewed,
  nextInQueue,
  parseQueue,
  type ReviewQueue,
  scanOrder,
} from '../../../../renderer/src/reviews/review-queue.ts';

function call(id: string, recorded = true): CallRow {
  return {
    interaction_id: id,
    recording: recorded ? { key: `${id}.mp4`, size: 1, last_modified: null } : null,
  } as unknown as CallRow;
}

const plan = {
  from: '2025-08-01T00:00:00.000Z',
  to: '2025-08-31T23:59:59.999Z',
  perDayPerOutcome: 2,
  percentWithRecordings: null,
  unreviewedOnly: true,
  seed: 1234,
};

describe('next to review', () => {
  it('looks after the selected row first, then wraps around to it', () => {
    expect(scanOrder(2, 5)).toEqual([3, 4, 0, 1, 2]);
    expect(scanOrder(0, 0)).toEqual([]);
  });

  it('takes the first row with a recording nobody reviewed', () => {
    const rows = [
      { index: 3, row: call('a') },
      { index: 4, row: call('b', false) },
      { index: 0, row: call('c') },
      { index: 1, row: call('d') },
    ];
    expect(firstUnreviewed(rows, new Set(['a']))).toBe(0);
    expect(firstUnreviewed(rows, new Set(['a', 'c', 'd']))).toBeNull();
  });
});

describe('the queue', () => {
  const queue: ReviewQueue = { plan, interactionIds: ['x', 'y', 'z'], considered: 40, createdAt: '' };

  it("gives the next of the queue's calls without a review, after the current one", () => {
    expect(nextInQueue(queue, new Set(), null)).toBe('x');
    expect(nextInQueue(queue, new Set(['y']), 'x')).toBe('z');
    expect(nextInQueue(queue, new Set(['z']), 'y')).toBe('x');
    expect(nextInQueue(queue, new Set(['x', 'y', 'z']), null)).toBeNull();
  });

  it('shows the plan with its seed, and reads back what was stored (nothing from junk)', () => {
    expect(describePlan(plan)).toBe(
      '2 calls per day per outcome, 1 Aug 2025 – 31 Aug 2025, unreviewed only, seed 1234',
    );
    expect(parseQueue(JSON.stringify(queue))).toEqual(queue);
    expect(parseQueue('{"plan": 3}')).toBeNull();
    expect(parseQueue('not json')).toBeNull();
  });
});
