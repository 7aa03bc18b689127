/**
 * The review session (renderer/src/reviews/review-session.ts) against a fake `reviews:*` client:
 * changes leave within SEND_DELAY_MS, wait in storage while the server is away, and a new page
 * sends what an old one left unsaved.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../../../shared/contract.ts';
import type { ReviewChange, ReviewView } from '../../../../shared/contract/reviews.ts';
import { parseFormVersion } from '../../../../shared/reviews/form-schema.ts';
import {
  type KeyValueStorage,
  ReviewSession,
  type ReviewsPort,
  SEND_DELAY_MS,
  unsavedKey,
} from '../../../../renderer/src/reviews/review-session.ts';

const parsed = parseFormVersion(JSON.parse(readFileSync('electron/core/reviews/forms/general.json', 'utf8')));
if (!parsed.ok) throw new Error(parsed.error);
const form = parsed.form;

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** A server that stores answers (and can be "down"). */
function fakeServer() {
  const sent: ReviewChange[][] = [];
  let review: ReviewView | null = null;
  let down = false;
  const client: ReviewsPort = {
    'reviews:ofCall': async () => ({ ok: true, value: { reviews: review ? [review] : [] } }),
    'reviews:change': async (input): Promise<Reply<ReviewView>> => {
      if (down)
        return { ok: false, error: { code: 'internal', message: 'Tapedeck’s server is not answering.' } };
      const changes = input.changes as ReviewChange[];
      sent.push(changes);
      const answers = new Map((review?.answers ?? []).map((a) => [a.question_id, a]));
      for (const change of changes) {
        if (change.type === 'answer' && change.answer)
          answers.set(change.question_id, { question_id: change.question_id, ...change.answer });
      }
      review = {
        review_id: 'R1',
        interaction_id: input.interactionId,
        dispatch_id: null,
        reviewer: 'ana',
        form_id: form.form_id,
        form_version_id: input.formVersionId,
        revision: 1,
        status: 'draft',
        score: { percentage: null, points: 0, max_points: 0, passed: false, auto_failed: false, reasons: [] },
        unanswered: [],
        answers: [...answers.values()],
        notes: [],
        tags: [],
        created_at: '',
        submitted_at: null,
        history: [],
      };
      return { ok: true, value: review };
    },
  };
  return {
    client,
    sent,
    setDown: (value: boolean) => void (down = value),
  };
}

function session(server: ReturnType<typeof fakeServer>, storage: KeyValueStorage) {
  return new ReviewSession('call-1', {
    client: server.client,
    reviewer: 'ana',
    formVersionId: form.version_id,
    formOf: (id) => (id === form.version_id ? form : null),
    storage,
  });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ReviewSession', () => {
  it('sends changes together within SEND_DELAY_MS, and forgets them from storage once stored', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const s = session(server, storage);
    await s.load();
    s.change({ type: 'answer', question_id: 'greeting', answer: { option_id: 'yes' } });
    s.change({ type: 'answer', question_id: 'tone', answer: { value: 4 } });
    expect(storage.data.has(unsavedKey('call-1'))).toBe(true);
    expect(s.getState().save).toBe('saving');
    await vi.advanceTimersByTimeAsync(SEND_DELAY_MS);
    expect(server.sent).toHaveLength(1);
    expect(server.sent[0]).toHaveLength(2);
    expect(s.getState().save).toBe('saved');
    expect(storage.data.has(unsavedKey('call-1'))).toBe(false);
    expect(s.getState().shown.answers.get('tone')).toEqual({ value: 4 });
  });

  it('keeps changes while the server is away, says so, and sends them when it answers again', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const s = session(server, storage);
    await s.load();
    server.setDown(true);
    s.change({ type: 'answer', question_id: 'greeting', answer: { option_id: 'no' } });
    await vi.advanceTimersByTimeAsync(SEND_DELAY_MS);
    expect(s.getState().save).toBe('offline');
    expect(s.getState().shown.answers.get('greeting')).toEqual({ option_id: 'no' });
    expect(storage.data.has(unsavedKey('call-1'))).toBe(true);
    server.setDown(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.sent.flat()).toEqual([
      { type: 'answer', question_id: 'greeting', answer: { option_id: 'no' } },
    ]);
    expect(s.getState().save).toBe('saved');
  });

  it('sends on load what a page that went away left unsaved', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const old = session(server, storage);
    await old.load();
    old.change({
      type: 'answer',
      question_id: 'resolved',
      answer: { option_id: 'fully', comment: 'Typed, then the page closed' },
    });
    old.dispose(); // the page reloads before the send

    const fresh = session(server, storage);
    await fresh.load();
    expect(fresh.getState().shown.answers.get('resolved')?.comment).toBe('Typed, then the page closed');
    await vi.advanceTimersByTimeAsync(SEND_DELAY_MS);
    expect(server.sent.flat()).toHaveLength(1);
    expect(storage.data.has(unsavedKey('call-1'))).toBe(false);
  });

  it('holds an answer that needs a comment, naming the question, until the comment is written', async () => {
    const server = fakeServer();
    const s = session(server, memoryStorage());
    await s.load();
    s.change({ type: 'answer', question_id: 'resolved', answer: { option_id: 'not' } });
    await vi.advanceTimersByTimeAsync(SEND_DELAY_MS);
    expect(server.sent).toEqual([]);
    expect(s.heldAnswers().get('resolved')).toMatch(/needs a comment/);
    s.change({
      type: 'answer',
      question_id: 'resolved',
      answer: { option_id: 'not', comment: 'Left unresolved' },
    });
    await vi.advanceTimersByTimeAsync(SEND_DELAY_MS);
    expect(server.sent).toHaveLength(1);
    expect(s.heldAnswers().size).toBe(0);
  });
});
