/**
 * The outbox (issue 12): local events are queued in the transaction that stores them, pulled ones
 * never; a batch keeps its key across failed uploads, and one keyed long ago is looked for, then
 * re-keyed only if it never arrived.
 */
import { monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../../../electron/core/catalog/open-catalog.ts';
import { silentLogger } from '../../../../electron/core/logger.ts';
import { ReviewStore } from '../../../../electron/core/reviews/review-store.ts';
import { shippedForms } from '../../../../electron/core/reviews/shipped-forms.ts';
import type { TeamBucket } from '../../../../electron/core/team/team-bucket.ts';
import { TeamStore } from '../../../../electron/core/team/team-store.ts';
import { REKEY_AFTER_MS, TeamSync } from '../../../../electron/core/team/team-sync.ts';
import { startReview, reviewEvent } from '../../../../shared/reviews/review-events.ts';

function setUp(now: { ms: number }) {
  const catalog = openCatalog(':memory:');
  const reviews = new ReviewStore(catalog);
  for (const form of shippedForms()) reviews.publishFormVersion(form);
  const store = new TeamStore(catalog);
  const objects = new Map<string, string>();
  const puts: string[] = [];
  let failPuts = 0;
  const bucket = {
    counts: { list: 0, get: 0, put: 0 },
    async put(key: string, body: string) {
      puts.push(key);
      if (failPuts > 0) {
        failPuts -= 1;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }
      if (objects.has(key)) return 'already-there' as const;
      objects.set(key, body);
      return 'written' as const;
    },
    async getText(key: string) {
      return objects.get(key) ?? null;
    },
  } as unknown as TeamBucket;
  const ids = monotonicFactory();
  const sync = new TeamSync({
    teamPrefix: 'tapedeck/',
    store,
    reviews,
    bucket,
    newId: () => ids(now.ms),
    now: () => now.ms,
    log: silentLogger,
  });
  const ports = { newId: () => ids(now.ms), now: () => new Date(now.ms) };
  const local = () => {
    const { context, event } = startReview(ports, {
      interaction_id: 'call-1',
      reviewer_id: 'alice',
      form_version_id: 'general-1',
    });
    return [event, reviewEvent(context, 'tag_added', { tag: 'queued' })];
  };
  return { reviews, store, objects, puts, sync, local, failNext: (n: number) => (failPuts = n) };
}

describe('the outbox', () => {
  it('queues local events with their storing, once, and never events pulled from the team', () => {
    const { reviews, store, local } = setUp({ ms: Date.now() });
    const mine = local();
    reviews.appendEvents(mine, { share: true });
    reviews.appendEvents(mine, { share: true }); // a retried save
    expect(store.outboxCount()).toBe(2);
    reviews.appendEvents(local()); // as a pull stores them
    expect(store.outboxCount()).toBe(2);
  });

  it('keeps a batch’s key through failed uploads, so the retry writes the same object', async () => {
    const now = { ms: Date.now() };
    const { reviews, store, objects, puts, sync, local, failNext } = setUp(now);
    reviews.appendEvents(local(), { share: true });
    failNext(1);
    await expect(sync.push()).rejects.toThrow(/ECONNREFUSED/);
    expect(store.outboxCount()).toBe(2);
    await sync.push();
    expect(puts).toHaveLength(2);
    expect(puts[1]).toBe(puts[0]);
    expect([...objects.keys()]).toEqual([puts[0]]);
    expect(store.outboxCount()).toBe(0);
  });

  it('re-keys a batch keyed long ago only when it never arrived, and drops it when it did', async () => {
    const now = { ms: Date.now() };
    const { reviews, store, objects, puts, sync, local, failNext } = setUp(now);
    reviews.appendEvents(local(), { share: true });
    failNext(1);
    await expect(sync.push()).rejects.toThrow();
    now.ms += REKEY_AFTER_MS + 1000;
    await sync.push();
    expect(puts).toHaveLength(2);
    expect(puts[1]).not.toBe(puts[0]); // a fresh key, inside readers' windows
    expect([...objects.keys()]).toEqual([puts[1]]);

    // An upload that did arrive before its confirmation was lost: found, not written again.
    reviews.appendEvents(local(), { share: true });
    const key = store.nextBatch(() => 'tapedeck/v1/events/alice/01ARZ3NDEKTSV4RRFFQ69G5FAV.ndjson')!.key;
    objects.set(key, 'already uploaded');
    now.ms += REKEY_AFTER_MS + 1000;
    await sync.push();
    expect(puts).toHaveLength(2);
    expect(store.outboxCount()).toBe(0);
  });
});
