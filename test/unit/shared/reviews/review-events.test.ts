import { describe, expect, it } from 'vitest';
import {
  foldReview,
  foldReviews,
  parseReviewEvent,
  removeTagEvent,
  reviewEvent,
  startReview,
  type ReviewEvent,
  type ReviewEventContext,
} from '../../../../shared/reviews/review-events.ts';
import type { ScoreSummary } from '../../../../shared/reviews/scoring.ts';

/** Deterministic ULIDs: digits are Crockford characters, so `n` orders them. */
function ulid(n: number): string {
  return `01${String(n).padStart(24, '0')}`;
}

/** An author's machine: ids counted from `first`, a clock that ticks a second per event. */
function machine(first = 1): Pick<ReviewEventContext, 'newId' | 'now'> {
  let next = first;
  let clock = Date.UTC(2025, 7, 8, 12, 0, 0);
  return { newId: () => ulid(next++), now: () => new Date((clock += 1000)) };
}

const SCORE: ScoreSummary = {
  percentage: 80,
  points: 8,
  max_points: 10,
  passed: true,
  auto_failed: false,
  reasons: [],
};

function begin(reviewer = 'alice', first = 1) {
  const { context, event } = startReview(machine(first), {
    interaction_id: 'call-1',
    reviewer_id: reviewer,
    form_version_id: 'general-1',
  });
  return { context, start: event };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('foldReview', () => {
  it('is null until the review_started event is among the events', () => {
    const { context } = begin();
    expect(foldReview([reviewEvent(context, 'tag_added', { tag: 'late' })])).toBeNull();
    expect(foldReview([])).toBeNull();
  });

  it('starts a draft of revision 1 naming its form version, author and call', () => {
    const { start } = begin();
    expect(foldReview([start])).toMatchObject({
      review_id: start.review_id,
      interaction_id: 'call-1',
      reviewer: 'alice',
      form_version_id: 'general-1',
      revision: 1,
      status: 'draft',
      answers: [],
      created_at: start.at,
      submitted_at: null,
    });
  });

  it('keeps the last answer set to each question, and clears one set to null', () => {
    const { context, start } = begin();
    const events = [
      start,
      reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'yes' } }),
      reviewEvent(context, 'answer_set', { question_id: 'q2', answer: { value: 4 } }),
      reviewEvent(context, 'answer_set', {
        question_id: 'q1',
        answer: { option_id: 'no', comment: 'missed' },
      }),
      reviewEvent(context, 'answer_set', { question_id: 'q2', answer: null }),
    ];
    expect(foldReview(events)?.answers).toEqual([{ question_id: 'q1', option_id: 'no', comment: 'missed' }]);
  });

  it('freezes the answers on submit, and a reopen starts revision 2 as a draft keeping the history', () => {
    const { context, start } = begin();
    const answer = reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'yes' } });
    const submit = reviewEvent(context, 'review_submitted', { score: SCORE });
    const lateAnswer = reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'no' } });
    const submitted = foldReview([start, answer, submit, lateAnswer]);
    expect(submitted).toMatchObject({
      status: 'submitted',
      revision: 1,
      submitted_at: submit.at,
      submitted_score: SCORE,
    });
    expect(submitted?.answers).toEqual([{ question_id: 'q1', option_id: 'yes' }]);
    expect(submitted?.ignored).toEqual([
      { event_id: lateAnswer.event_id, reason: 'revision 1 is submitted; reopen it to change an answer' },
    ]);

    const reopen = reviewEvent(context, 'review_reopened', {});
    const change = reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'no' } });
    const second: ScoreSummary = { ...SCORE, percentage: 40, passed: false };
    const resubmit = reviewEvent(context, 'review_submitted', { score: second });
    const draft = foldReview([start, answer, submit, reopen, change]);
    expect(draft).toMatchObject({ status: 'draft', revision: 2, submitted_at: null, submitted_score: null });
    expect(draft?.answers).toEqual([{ question_id: 'q1', option_id: 'no' }]);

    const final = foldReview([start, answer, submit, reopen, change, resubmit]);
    expect(final).toMatchObject({ status: 'submitted', revision: 2, submitted_score: second });
    expect(final?.history.map((h) => [h.revision, h.score.percentage, h.answers[0]?.option_id])).toEqual([
      [1, 80, 'yes'],
      [2, 40, 'no'],
    ]);
  });

  it('ignores a second submit and a reopen of a draft, saying why', () => {
    const { context, start } = begin();
    const reopen = reviewEvent(context, 'review_reopened', {});
    const submit = reviewEvent(context, 'review_submitted', { score: SCORE });
    const again = reviewEvent(context, 'review_submitted', { score: SCORE });
    const state = foldReview([start, reopen, submit, again]);
    expect(state).toMatchObject({ revision: 1, status: 'submitted' });
    expect(state?.history).toHaveLength(1);
    expect(state?.ignored.map((i) => i.reason)).toEqual([
      'revision 1 is a draft already',
      'revision 1 is already submitted',
    ]);
  });

  it('adds, edits and deletes notes, listing them by time in the call', () => {
    const { context, start } = begin();
    const n1 = {
      note_id: ulid(900),
      at_ms: 65_000,
      end_ms: null,
      lane: 'agent' as const,
      text: 'No ID check',
      question_id: 'q1',
    };
    const n2 = {
      note_id: ulid(901),
      at_ms: 12_000,
      end_ms: 20_000,
      lane: 'customer' as const,
      text: 'Upset',
      question_id: null,
    };
    const added1 = reviewEvent(context, 'note_added', { note: n1 });
    const added2 = reviewEvent(context, 'note_added', { note: n2 });
    const edited = reviewEvent(context, 'note_edited', {
      note: { ...n1, text: 'No ID check before the balance' },
    });
    const state = foldReview([start, added1, added2, edited]);
    expect(state?.notes.map((n) => [n.note_id, n.text, n.at_ms])).toEqual([
      [n2.note_id, 'Upset', 12_000],
      [n1.note_id, 'No ID check before the balance', 65_000],
    ]);
    expect(state?.notes[1]).toMatchObject({ created_at: added1.at, updated_at: edited.at });

    const deleted = reviewEvent(context, 'note_deleted', { note_id: n1.note_id });
    const editAfter = reviewEvent(context, 'note_edited', { note: { ...n1, text: 'back?' } });
    const after = foldReview([start, added1, added2, edited, deleted, editAfter]);
    expect(after?.notes.map((n) => n.note_id)).toEqual([n2.note_id]);
    expect(after?.ignored.map((i) => i.event_id)).toEqual([editAfter.event_id]);
  });

  it('gives the same state whatever order the events arrive in, and counts a repeated event once', () => {
    const { context, start } = begin();
    const events: ReviewEvent[] = [
      start,
      reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'yes' } }),
      reviewEvent(context, 'tag_added', { tag: 'billing' }),
      reviewEvent(context, 'answer_set', { question_id: 'q1', answer: { option_id: 'no' } }),
      reviewEvent(context, 'review_submitted', { score: SCORE }),
      reviewEvent(context, 'review_reopened', {}),
      reviewEvent(context, 'answer_set', { question_id: 'q2', answer: { value: 3 } }),
    ];
    const expected = foldReview(events);
    for (const seed of [1, 2, 3, 4]) {
      const arrived = shuffled([...events, events[3]!, events[5]!], seed);
      expect(foldReview(arrived)).toEqual(expected);
    }
    expect(expected).toMatchObject({ revision: 2, status: 'draft', tags: ['billing'] });
  });

  it('removes a tag only through the adds it names', () => {
    const { context, start } = begin();
    const add = reviewEvent(context, 'tag_added', { tag: 'escalate' });
    const before = foldReview([start, add]);
    expect(before?.tags).toEqual(['escalate']);
    const remove = removeTagEvent(context, before!, 'escalate');
    expect(remove).toMatchObject({ type: 'tag_removed', tag: 'escalate', removes: [add.event_id] });
    expect(foldReview([start, add, remove!])?.tags).toEqual([]);
    expect(removeTagEvent(context, before!, 'absent')).toBeNull();
  });

  it('keeps a tag added on one machine while another removed it (add wins)', () => {
    // The same reviewer on two machines: A added "vip"; B saw that add and removed it; meanwhile A
    // (offline) added "vip" again. B's remove names only the add it saw, so the second add stays.
    const { context, start } = begin();
    const firstAdd = reviewEvent(context, 'tag_added', { tag: 'vip' });
    const seenByB = foldReview([start, firstAdd])!;
    const removeOnB = removeTagEvent({ ...context, ...machine(5000) }, seenByB, 'vip')!;
    const secondAddOnA = reviewEvent(context, 'tag_added', { tag: 'vip' });

    const merged = foldReview([start, firstAdd, secondAddOnA, removeOnB]);
    expect(merged?.tags).toEqual(['vip']);
    expect(merged?.tag_adds).toEqual({ vip: [secondAddOnA.event_id] });
    // Either machine folding what it has in any order agrees.
    expect(foldReview([removeOnB, secondAddOnA, firstAdd, start])?.tags).toEqual(['vip']);
  });

  it('does not let a remove of one tag remove another tag’s add', () => {
    const { context, start } = begin();
    const add = reviewEvent(context, 'tag_added', { tag: 'a' });
    const wrong = reviewEvent(context, 'tag_removed', { tag: 'b', removes: [add.event_id] });
    expect(foldReview([start, add, wrong])?.tags).toEqual(['a']);
  });

  it('ignores, and reports, events in the review by anyone but its author', () => {
    const { context, start } = begin('alice');
    const mallory = { ...context, reviewer_id: 'mallory' };
    const answer = reviewEvent(mallory, 'answer_set', { question_id: 'q1', answer: { option_id: 'no' } });
    const add = reviewEvent(context, 'tag_added', { tag: 'ok' });
    const remove = reviewEvent(mallory, 'tag_removed', { tag: 'ok', removes: [add.event_id] });
    const state = foldReview([start, answer, add, remove]);
    expect(state?.answers).toEqual([]);
    expect(state?.tags).toEqual(['ok']);
    expect(state?.ignored.map((i) => i.event_id)).toEqual([answer.event_id, remove.event_id]);
    expect(state?.ignored[0]?.reason).toContain('not by the review');
  });

  it('refuses events of several reviews; foldReviews folds each', () => {
    const one = begin('alice');
    const two = begin('bob', 100);
    expect(() => foldReview([one.start, two.start])).toThrow(/2 reviews/);
    expect(foldReviews([two.start, one.start]).map((r) => r.reviewer)).toEqual(['alice', 'bob']);
  });
});

describe('parseReviewEvent', () => {
  const { context, start } = begin();
  const good = reviewEvent(context, 'note_added', {
    note: { note_id: ulid(500), at_ms: 1000, end_ms: null, lane: 'both', text: 'x', question_id: null },
  });

  it('accepts the events Tapedeck writes', () => {
    expect(parseReviewEvent(JSON.parse(JSON.stringify(start)))).toEqual({ ok: true, event: start });
    expect(parseReviewEvent(JSON.parse(JSON.stringify(good)))).toEqual({ ok: true, event: good });
  });

  const error = (json: unknown) => {
    const result = parseReviewEvent(json);
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  };

  it('refuses a field it does not know, naming it', () => {
    expect(error({ ...start, admin: true })).toBe('admin: unknown field (check its spelling)');
  });

  it('refuses an event id that is not a ULID, a reviewer id with a slash, a time not in UTC', () => {
    expect(error({ ...start, event_id: 'abc' })).toBe(
      'event_id: not a ULID (26 characters of Crockford base 32)',
    );
    expect(error({ ...start, reviewer_id: '../bob' })).toBe(
      'reviewer_id: a reviewer id has no slash, backslash or control characters',
    );
    expect(error({ ...start, at: '2025-08-08T14:00:00+02:00' })).toBe(
      'at: a UTC time like 2025-08-08T12:00:00.000Z',
    );
  });

  it('refuses an unknown event type and a note ending before it starts', () => {
    expect(error({ ...start, type: 'review_deleted' })).toMatch(
      /^type: must be one of "review_started", "answer_set"/,
    );
    expect(error({ ...good, note: { ...good.note, end_ms: 10 } })).toBe(
      'note.end_ms: must be at or after at_ms',
    );
  });

  it('refuses an answer giving both an option and N/A', () => {
    const bad = { ...start, type: 'answer_set', question_id: 'q1', answer: { option_id: 'yes', na: true } };
    delete (bad as { form_version_id?: string }).form_version_id;
    expect(error(bad)).toBe(
      'answer: give only one of option_id, option_ids, value or na (got option_id and na)',
    );
  });
});
