import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import { ReviewStore } from '../../../../electron/core/reviews/review-store.ts';
import { shippedForms } from '../../../../electron/core/reviews/shipped-forms.ts';
import { ServiceError } from '../../../../electron/core/service-error.ts';
import type { FormVersion } from '../../../../shared/reviews/form-schema.ts';
import {
  removeTagEvent,
  reviewEvent,
  startReview,
  type ReviewEvent,
  type ReviewEventContext,
} from '../../../../shared/reviews/review-events.ts';
import { scoreReview, scoreSummary, type Answer } from '../../../../shared/reviews/scoring.ts';

let dir: string;
let db: CatalogDatabase;
let store: ReviewStore;
let general: FormVersion;
let clock: number;
let counter: number;

const ports = {
  newId: () => `01${String(counter++).padStart(24, '0')}`,
  now: () => new Date((clock += 1000)),
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-reviews-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  clock = Date.UTC(2025, 7, 8, 12, 0, 0);
  counter = 1;
  store = new ReviewStore(db, { now: () => new Date(clock) });
  general = shippedForms().find((form) => form.form_id === 'general')!;
  store.publishFormVersion(general);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The general form's answers: all at their best, or greeting missed. */
function answers(best: boolean): Answer[] {
  return [
    { question_id: 'greeting', option_id: best ? 'yes' : 'no' },
    { question_id: 'resolved', option_id: 'fully' },
    { question_id: 'tone', value: 5 },
    { question_id: 'closing', option_id: 'yes' },
  ];
}

/** A review of a call by a reviewer: its events, optionally submitted. */
function review(
  interactionId: string,
  options: { reviewer?: string; best?: boolean; submit?: boolean; tags?: string[]; form?: string } = {},
): { context: ReviewEventContext; events: ReviewEvent[] } {
  const { context, event } = startReview(ports, {
    interaction_id: interactionId,
    reviewer_id: options.reviewer ?? 'alice',
    form_version_id: options.form ?? general.version_id,
  });
  const given = answers(options.best ?? true);
  const events: ReviewEvent[] = [
    event,
    ...given.map(({ question_id, ...answer }) => reviewEvent(context, 'answer_set', { question_id, answer })),
    ...(options.tags ?? []).map((tag) => reviewEvent(context, 'tag_added', { tag })),
  ];
  if (options.submit) {
    events.push(
      reviewEvent(context, 'review_submitted', { score: scoreSummary(scoreReview(general, given)) }),
    );
  }
  return { context, events };
}

function insertCall(interactionId: string, dispatchId: string): void {
  const match = /^dispatch_(\d+)_(\d+)$/.exec(dispatchId)!;
  db.prepare(
    `INSERT INTO interactions (interaction_id, dispatch_id, dispatch_phone, dispatch_ts, source) VALUES (?, ?, ?, ?, 'file')`,
  ).run(interactionId, dispatchId, match[2], Number(match[1]));
}

function callRow(interactionId: string) {
  return db
    .prepare('SELECT review_status, percentage, reviews FROM call_reviews WHERE interaction_id = ?')
    .get(interactionId);
}

describe('ReviewStore.appendEvents', () => {
  it('stores a review’s events and reads back the folded review with its live score', () => {
    const { events } = review('call-1', { best: false, tags: ['billing'] });
    const result = store.appendEvents(events);
    expect(result).toMatchObject({ inserted: events.length, duplicates: 0, conflicts: [] });
    const stored = store.review(events[0]!.review_id);
    expect(stored).toMatchObject({
      interaction_id: 'call-1',
      reviewer: 'alice',
      form_id: 'general',
      form_version_id: 'general-1',
      status: 'draft',
      revision: 1,
      tags: ['billing'],
      dispatch_id: null,
    });
    // Greeting missed: 0 + 2 + 4 + 1 of 1 + 2 + 4 + 1.
    expect(stored?.score).toMatchObject({ percentage: 87.5, passed: true, auto_failed: false });
    expect(callRow('call-1')).toEqual({ review_status: 'draft', percentage: null, reviews: 1 });
  });

  it('ignores an event already stored, so a batch appended twice changes nothing', () => {
    const { events } = review('call-1', { submit: true });
    store.appendEvents(events);
    const before = store.review(events[0]!.review_id);
    const again = store.appendEvents(events);
    expect(again).toEqual({ inserted: 0, duplicates: events.length, conflicts: [], reviews: [] });
    expect(store.review(events[0]!.review_id)).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM review_events').get()).toEqual({ n: events.length });
  });

  it('keeps the stored event when one arrives again with the same id but other content, and reports it', () => {
    const { context, events } = review('call-1');
    store.appendEvents(events);
    const forged = { ...reviewEvent(context, 'tag_added', { tag: 'x' }), event_id: events[1]!.event_id };
    const result = store.appendEvents([forged]);
    expect(result.conflicts).toEqual([events[1]!.event_id]);
    expect(store.review(events[0]!.review_id)?.tags).toEqual([]);
  });

  it('refuses a batch with an invalid event, naming it, and stores none of it', () => {
    const { events } = review('call-1');
    const bad = { ...events[1]!, reviewer_id: 'a/b' } as ReviewEvent;
    expect(() => store.appendEvents([events[0]!, bad])).toThrow(
      'Review event 2 of 2 is invalid: reviewer_id: a reviewer id has no slash',
    );
    expect(db.prepare('SELECT count(*) AS n FROM review_events').get()).toEqual({ n: 0 });
    expect(store.review(events[0]!.review_id)).toBeNull();
  });

  it('folds events that arrive in several batches, out of order, into the same review', () => {
    const { events } = review('call-1', { submit: true, tags: ['a', 'b'] });
    const reversed = [...events].reverse();
    store.appendEvents(reversed.slice(0, 3));
    expect(store.review(events[0]!.review_id)).toBeNull();
    store.appendEvents(reversed.slice(3));
    expect(store.review(events[0]!.review_id)).toMatchObject({ status: 'submitted', tags: ['a', 'b'] });
  });

  it('freezes a submitted score, and marks the call passed or failed by its latest submitted review', () => {
    const first = review('call-1', { submit: true });
    store.appendEvents(first.events);
    expect(store.review(first.events[0]!.review_id)).toMatchObject({
      status: 'submitted',
      submitted_at: expect.any(String),
    });
    expect(callRow('call-1')).toEqual({ review_status: 'passed', percentage: 100, reviews: 1 });

    // Bob's later review fails it (a frozen score that did not pass).
    const second = review('call-1', { reviewer: 'bob' });
    const failed = {
      percentage: 40,
      points: 4,
      max_points: 10,
      passed: false,
      auto_failed: false,
      reasons: [],
    };
    store.appendEvents([
      ...second.events,
      reviewEvent(second.context, 'review_submitted', { score: failed }),
    ]);
    expect(callRow('call-1')).toEqual({ review_status: 'failed', percentage: 40, reviews: 2 });

    // Reopening Bob's leaves Alice's as the call's latest submitted review.
    store.appendEvents([reviewEvent(second.context, 'review_reopened', {})]);
    expect(store.review(second.events[0]!.review_id)).toMatchObject({ status: 'draft', revision: 2 });
    expect(callRow('call-1')).toEqual({ review_status: 'passed', percentage: 100, reviews: 2 });
  });

  it('keeps the notes and tags tables in step with edits, deletes and removes', () => {
    const { context, events } = review('call-1', { tags: ['keep', 'drop'] });
    const note = {
      note_id: ports.newId(),
      at_ms: 5000,
      end_ms: null,
      lane: 'agent' as const,
      text: 'a',
      question_id: null,
    };
    store.appendEvents([...events, reviewEvent(context, 'note_added', { note })]);
    const state = store.review(events[0]!.review_id)!;
    const remove = removeTagEvent(context, state, 'drop')!;
    store.appendEvents([
      remove,
      reviewEvent(context, 'note_edited', { note: { ...note, text: 'b', at_ms: 7000 } }),
    ]);
    expect(db.prepare('SELECT tag FROM review_tags ORDER BY tag').all()).toEqual([{ tag: 'keep' }]);
    expect(db.prepare('SELECT at_ms, text FROM review_notes').all()).toEqual([{ at_ms: 7000, text: 'b' }]);
    store.appendEvents([reviewEvent(context, 'note_deleted', { note_id: note.note_id })]);
    expect(db.prepare('SELECT count(*) AS n FROM review_notes').get()).toEqual({ n: 0 });
    expect(store.tagsInUse('k')).toEqual([{ tag: 'keep', reviews: 1 }]);
  });

  it('sees events another process appended to the same review between two saves', () => {
    const { context, events } = review('call-1');
    store.appendEvents(events);
    const otherDb = openCatalog(join(dir, 'catalog.sqlite'));
    new ReviewStore(otherDb).appendEvents([reviewEvent(context, 'tag_added', { tag: 'from-elsewhere' })]);
    otherDb.close();
    store.appendEvents([reviewEvent(context, 'tag_added', { tag: 'here' })]);
    expect(store.review(events[0]!.review_id)?.tags).toEqual(['from-elsewhere', 'here']);
  });

  it('never updates or deletes a stored event', () => {
    const { events } = review('call-1');
    store.appendEvents(events);
    expect(() => db.prepare("UPDATE review_events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM review_events').run()).toThrow(/append-only/);
  });
});

describe('ReviewStore.listReviews', () => {
  beforeEach(() => {
    insertCall('call-1', 'dispatch_1754653479_15550001111');
    store.appendEvents(review('call-1', { submit: true, tags: ['vip'] }).events);
    store.appendEvents(review('call-2', { reviewer: 'bob', best: false, submit: true }).events);
    store.appendEvents(review('call-3', { reviewer: 'bob', tags: ['vip'] }).events);
  });

  const calls = (filter: Parameters<ReviewStore['listReviews']>[0]) =>
    store
      .listReviews(filter)
      .map((r) => r.interaction_id)
      .sort();

  it('filters by status, pass, reviewer, tag, form and score, and counts exactly', () => {
    expect(calls({ status: 'submitted' })).toEqual(['call-1', 'call-2']);
    expect(calls({ passed: true })).toEqual(['call-1', 'call-2', 'call-3']);
    expect(calls({ reviewer: 'bob' })).toEqual(['call-2', 'call-3']);
    expect(calls({ tag: 'vip' })).toEqual(['call-1', 'call-3']);
    expect(calls({ tag: 'vip', reviewer: 'bob' })).toEqual(['call-3']);
    expect(calls({ form_id: 'general' })).toHaveLength(3);
    // call-2 missed the greeting (87.5 %); call-3's draft has a live score of 100 %.
    expect(calls({ min_percentage: 90 })).toEqual(['call-1', 'call-3']);
    expect(calls({ max_percentage: 90 })).toEqual(['call-2']);
    expect(calls({ status: 'draft', min_percentage: 90 })).toEqual(['call-3']);
    expect(store.countReviews({ reviewer: 'bob' })).toBe(2);
  });

  it('finds a call’s reviews by its dispatch id, and names the dispatch', () => {
    const found = store.listReviews({ dispatch_id: 'dispatch_1754653479_15550001111' });
    expect(found.map((r) => [r.interaction_id, r.dispatch_id])).toEqual([
      ['call-1', 'dispatch_1754653479_15550001111'],
    ]);
    expect(store.listReviews({ dispatch_id: 'not-a-dispatch' })).toEqual([]);
  });

  it('lists the most recent first, pages with limit and offset, and filters by time', () => {
    expect(store.listReviews({}, 2, 0).map((r) => r.interaction_id)).toEqual(['call-3', 'call-2']);
    expect(store.listReviews({}, 2, 2).map((r) => r.interaction_id)).toEqual(['call-1']);
    const call2 = store.reviewsOf('call-2')[0]!;
    expect(calls({ from: call2.submitted_at!, to: call2.submitted_at! })).toEqual(['call-2']);
    // A time with an offset is the same instant.
    const plusTwo = new Date(Date.parse(call2.submitted_at!)).toISOString().replace('Z', '+00:00');
    expect(calls({ from: plusTwo })).toEqual(['call-2', 'call-3']);
  });
});

describe('ReviewStore form versions', () => {
  it('publishes a version once: again unchanged is a no-op', () => {
    expect(store.publishFormVersion(general).status).toBe('unchanged');
    expect(store.formVersions().map((v) => [v.version_id, v.reviews])).toEqual([['general-1', 0]]);
    expect(store.formVersion('general-1')?.form).toEqual(general);
  });

  it('replaces a version no review used, but refuses to change one in use', () => {
    const edited = { ...general, title: 'General (edited)' };
    expect(store.publishFormVersion(edited).status).toBe('replaced');
    store.appendEvents(review('call-1').events);
    const again = { ...general, pass_mark: 50 };
    let error: unknown;
    try {
      store.publishFormVersion(again);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('conflict');
    expect((error as ServiceError).message).toBe(
      'Form version general-1 is used by 1 review and cannot change. Publish the edited form under a new version_id.',
    );
    expect(store.formVersion('general-1')).toMatchObject({ title: 'General (edited)', reviews: 1 });
    expect(store.formVersion('general-1')?.form.pass_mark).toBe(general.pass_mark);
    // The edit goes out as a new version; the review keeps its own.
    expect(store.publishFormVersion({ ...again, version_id: 'general-2' }).status).toBe('published');
    expect(store.reviewsOf('call-1')[0]?.form_version_id).toBe('general-1');
  });

  it('refuses an invalid form, naming the field', () => {
    expect(() => store.publishFormVersion({ ...general, pass_mark: 101 })).toThrow(
      'The form is invalid: pass_mark: at most 100',
    );
  });

  it('scores a review that arrived before its form version once the version is published', () => {
    const collections = shippedForms().find((form) => form.form_id === 'outbound-collections')!;
    const { context, event } = startReview(ports, {
      interaction_id: 'call-9',
      reviewer_id: 'carol',
      form_version_id: collections.version_id,
    });
    store.appendEvents([
      event,
      reviewEvent(context, 'answer_set', { question_id: 'right_party_check', answer: { option_id: 'yes' } }),
    ]);
    expect(store.review(event.review_id)).toMatchObject({ form_id: null, score: null });
    store.publishFormVersion(collections);
    expect(store.review(event.review_id)).toMatchObject({
      form_id: 'outbound-collections',
      score: { percentage: 100 },
    });
  });
});
