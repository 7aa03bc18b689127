import { setTimeout as delay } from 'node:timers/promises';

/**
 * Full-jitter exponential backoff (AWS's advice for retries): a random wait of up to
 * `baseMs × 2^(retry − 1)` before retry number `retry` (1 for the first retry).
 */
export function fullJitterDelay(retry: number, baseMs: number, random: () => number = Math.random): number {
  return random() * baseMs * 2 ** Math.max(0, retry - 1);
}

/** Waits before the next try; an abort ends the wait at once, rejecting with the signal's reason. */
export function waitBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
