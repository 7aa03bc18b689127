/** The review panel's unsent changes (renderer/src/reviews/review-changes.ts), without a browser. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../../../shared/contract/reviews.ts';
import { parseFormVersion, type FormVersion } from '../../../../shared/reviews/form-schema.ts';
import {
  assignNoteIds,
  enqueue,
  type LocalChange,
  overlay,
  renameNotes,
  sendable,
} from '../../../../renderer/src/reviews/review-changes.ts';

const parsed = parseFormVersion(
  JSON.parse(readFileSync('electron/core/reviews/forms/outbound-collections.json', 'utf8')),
);
if (!parsed.ok) throw new Error(parsed.error);
const form: FormVersion = parsed.form;

const note = (at: number, text = '') => ({
  at_ms: at,
  end_ms: null,
  lane: 'both' as const,
  text,
  question_id: null,
});

function review(patch: Partial<ReviewView> = {}): ReviewView {
  return {
    review_id: 'R1',
    interaction_id: 'call-1',
    dispatch_id: null,
    reviewer: 'ana',
    form_id: form.form_id,
    form_version_id: form.version_id,
    revision: 1,
    status: 'draft',
    score: { percentage: null, points: 0, max_points: 0, passed: false, auto_failed: false, reasons: [] },
    unanswered: [],
    answers: [],
    notes: [],
    tags: [],
    created_at: '2025-08-08T12:00:00.000Z',
    submitted_at: null,
    history: [],
    ...patch,
  };
}

const queueOf = (...changes: LocalChange[]) => changes.reduce<LocalChange[]>(enqueue, []);

describe('enqueue', () => {
  it('keeps only the newest answer to a question (typing a comment is one change)', () => {
    const queue = queueOf(
      { type: 'answer', question_id: 'tone', answer: { value: 3 } },
      { type: 'answer', question_id: 'closed_properly', answer: { option_id: 'yes' } },
      { type: 'answer', question_id: 'tone', answer: { value: 4, comment: 'Calm' } },
    );
    expect(queue).toEqual([
      { type: 'answer', question_id: 'closed_properly', answer: { option_id: 'yes' } },
      { type: 'answer', question_id: 'tone', answer: { value: 4, comment: 'Calm' } },
    ]);
  });

  it('folds edits of a note not yet sent into its add, and a delete of it into nothing', () => {
    const added = queueOf(
      { type: 'add_note', temp_id: 'local-1', note: note(1000) },
      { type: 'edit_note', note_id: 'local-1', note: note(1000, 'Late disclosure') },
    );
    expect(added).toEqual([{ type: 'add_note', temp_id: 'local-1', note: note(1000, 'Late disclosure') }]);
    expect(enqueue(added, { type: 'delete_note', note_id: 'local-1' })).toEqual([]);
  });

  it('cancels a tag added and removed before either was sent', () => {
    expect(queueOf({ type: 'add_tag', tag: 'coaching' }, { type: 'remove_tag', tag: 'coaching' })).toEqual(
      [],
    );
  });
});

describe('overlay', () => {
  it("lays the unsent changes over main's review", () => {
    const base = review({
      answers: [{ question_id: 'tone', value: 2 }],
      notes: [{ note_id: 'N1', ...note(5000, 'x'), created_at: '', updated_at: '' }],
      tags: ['b'],
    });
    const shown = overlay(base, [
      { type: 'answer', question_id: 'tone', answer: { value: 5 } },
      { type: 'add_note', temp_id: 'local-1', note: note(1000, 'first') },
      { type: 'delete_note', note_id: 'N1' },
      { type: 'add_tag', tag: 'a' },
      { type: 'submit' },
    ]);
    expect(shown.answers.get('tone')).toEqual({ value: 5 });
    expect(shown.notes.map((n) => [n.note_id, n.text, n.unsaved])).toEqual([['local-1', 'first', true]]);
    expect(shown.tags).toEqual(['a', 'b']);
    expect(shown.status).toBe('submitted');
  });
});

describe('sendable', () => {
  it('holds back an answer that needs a comment until it has one, and sends the rest', () => {
    const queue = queueOf(
      { type: 'answer', question_id: 'right_party_check', answer: { option_id: 'no' } },
      { type: 'answer', question_id: 'tone', answer: { value: 4 } },
    );
    const first = sendable(form, queue, new Map());
    expect(first.wire).toEqual([{ type: 'answer', question_id: 'tone', answer: { value: 4 } }]);
    expect(first.held).toHaveLength(1);

    const commented = enqueue(first.held, {
      type: 'answer',
      question_id: 'right_party_check',
      answer: { option_id: 'no', comment: 'Balance said before the date of birth' },
    });
    expect(sendable(form, commented, new Map()).wire).toHaveLength(1);
  });

  it('waits with an edit of a new note until main has given the note its id, then names that id', () => {
    const queue: LocalChange[] = [{ type: 'edit_note', note_id: 'local-1', note: note(1000, 'text') }];
    expect(sendable(form, queue, new Map()).wire).toEqual([]);
    const ids = new Map([['local-1', '01J00000000000000000000001']]);
    expect(sendable(form, renameNotes(queue, ids), new Map()).wire).toEqual([
      { type: 'edit_note', note_id: '01J00000000000000000000001', note: note(1000, 'text') },
    ]);
  });
});

describe('assignNoteIds', () => {
  it('pairs the notes new in main’s answer with the adds that made them', () => {
    const after = review({
      notes: [
        { note_id: 'OLD', ...note(1000, 'a'), created_at: '', updated_at: '' },
        { note_id: 'NEW1', ...note(2000, 'b'), created_at: '', updated_at: '' },
        { note_id: 'NEW2', ...note(3000, 'c'), created_at: '', updated_at: '' },
      ],
    });
    const ids = assignNoteIds(new Set(['OLD']), after, [
      { type: 'add_note', temp_id: 'local-c', note: note(3000, 'c') },
      { type: 'add_note', temp_id: 'local-b', note: note(2000, 'b') },
    ]);
    expect(Object.fromEntries(ids)).toEqual({ 'local-c': 'NEW2', 'local-b': 'NEW1' });
  });
});
