import { describe, expect, it } from 'vitest';
import { fullJitterDelay, waitBeforeRetry } from '../../../../electron/core/retry/backoff.ts';

describe('fullJitterDelay', () => {
  it('waits up to base × 2^(retry − 1), doubling with each retry', () => {
    expect(fullJitterDelay(1, 100, () => 1)).toBe(100);
    expect(fullJitterDelay(2, 100, () => 1)).toBe(200);
    expect(fullJitterDelay(4, 100, () => 1)).toBe(800);
    expect(fullJitterDelay(3, 100, () => 0.5)).toBe(200);
    expect(fullJitterDelay(3, 100, () => 0)).toBe(0);
  });
});

describe('waitBeforeRetry', () => {
  it('ends at once when the run is cancelled', async () => {
    const abort = new AbortController();
    const started = performance.now();
    const waiting = waitBeforeRetry(60_000, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
