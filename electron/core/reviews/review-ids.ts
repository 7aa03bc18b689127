/**
 * Ids of review events, reviews and notes: ULIDs, monotonic within the process, so that two events
 * made in the same millisecond still sort in the order they were made (the fold depends on it).
 */
import { monotonicFactory } from 'ulid';

/** A source of ULIDs timed by `now` (injected, so tests can drive it). */
export function reviewIdSource(now: () => Date = () => new Date()): () => string {
  const next = monotonicFactory();
  return () => next(now().getTime());
}
