/**
 * The reviewer's changes before main has answered them: queued, coalesced (typing a comment is one
 * change, not one per key), laid over the review main last sent, and turned into what
 * `reviews:change` takes. Pure, so the panel's optimistic state is unit-tested without a browser.
 *
 * A note made here has a temporary id until main stores it (main gives notes their ids); edits of
 * it wait in the queue until the add has been answered and the real id is known.
 */
import type { ReviewChange, ReviewView } from '../../../shared/contract/reviews.ts';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import type { NoteLane } from '../../../shared/reviews/review-events.ts';
import { type Answer, type AnswerValue, validateAnswers } from '../../../shared/reviews/scoring.ts';

export interface NoteInput {
  readonly at_ms: number;
  readonly end_ms: number | null;
  readonly lane: NoteLane;
  readonly text: string;
  readonly question_id: string | null;
}

export type LocalChange =
  | { readonly type: 'answer'; readonly question_id: string; readonly answer: AnswerValue | null }
  | { readonly type: 'add_note'; readonly temp_id: string; readonly note: NoteInput }
  | { readonly type: 'edit_note'; readonly note_id: string; readonly note: NoteInput }
  | { readonly type: 'delete_note'; readonly note_id: string }
  | { readonly type: 'add_tag'; readonly tag: string }
  | { readonly type: 'remove_tag'; readonly tag: string }
  | { readonly type: 'submit' }
  | { readonly type: 'reopen' };

export const TEMP_NOTE_PREFIX = 'local-';

export function isTempNoteId(id: string): boolean {
  return id.startsWith(TEMP_NOTE_PREFIX);
}

/**
 * Adds a change to the queue (changes not yet sent), merging it with what it supersedes: a newer
 * answer to the same question, an edit of a note whose add has not left yet, a tag added and removed.
 */
export function enqueue(queue: readonly LocalChange[], change: LocalChange): LocalChange[] {
  switch (change.type) {
    case 'answer':
      return [...queue.filter((c) => !(c.type === 'answer' && c.question_id === change.question_id)), change];
    case 'edit_note': {
      const add = queue.find((c) => c.type === 'add_note' && c.temp_id === change.note_id);
      if (add) return queue.map((c) => (c === add ? { ...add, note: change.note } : c));
      return [...queue.filter((c) => !(c.type === 'edit_note' && c.note_id === change.note_id)), change];
    }
    case 'delete_note': {
      const add = queue.some((c) => c.type === 'add_note' && c.temp_id === change.note_id);
      const rest = queue.filter(
        (c) =>
          !(c.type === 'edit_note' && c.note_id === change.note_id) &&
          !(c.type === 'add_note' && c.temp_id === change.note_id),
      );
      // A note main never saw needs no delete.
      return add ? rest : [...rest, change];
    }
    case 'add_tag':
    case 'remove_tag': {
      const opposite = change.type === 'add_tag' ? 'remove_tag' : 'add_tag';
      const undone = queue.find((c) => c.type === opposite && c.tag === change.tag);
      if (undone) return queue.filter((c) => c !== undone);
      if (queue.some((c) => c.type === change.type && c.tag === change.tag)) return [...queue];
      return [...queue, change];
    }
    default:
      return [...queue, change];
  }
}

export interface ShownNote extends NoteInput {
  readonly note_id: string;
  /** Not yet stored by main. */
  readonly unsaved: boolean;
}

/** What the panel shows: main's review with the reviewer's unanswered changes laid over it. */
export interface ShownReview {
  readonly status: 'draft' | 'submitted';
  readonly answers: ReadonlyMap<string, AnswerValue>;
  readonly notes: readonly ShownNote[];
  readonly tags: readonly string[];
}

function stripQuestion(answer: ReviewView['answers'][number]): AnswerValue {
  const { question_id: _id, ...value } = answer;
  return value;
}

export function overlay(review: ReviewView | null, changes: readonly LocalChange[]): ShownReview {
  let status = review?.status ?? 'draft';
  const answers = new Map<string, AnswerValue>(
    (review?.answers ?? []).map((answer) => [answer.question_id, stripQuestion(answer)]),
  );
  let notes: ShownNote[] = (review?.notes ?? []).map((note) => ({
    note_id: note.note_id,
    at_ms: note.at_ms,
    end_ms: note.end_ms,
    lane: note.lane,
    text: note.text,
    question_id: note.question_id,
    unsaved: false,
  }));
  const tags = new Set(review?.tags ?? []);
  for (const change of changes) {
    switch (change.type) {
      case 'answer':
        if (change.answer === null) answers.delete(change.question_id);
        else answers.set(change.question_id, change.answer);
        break;
      case 'add_note':
        notes.push({ ...change.note, note_id: change.temp_id, unsaved: true });
        break;
      case 'edit_note':
        notes = notes.map((note) =>
          note.note_id === change.note_id ? { ...change.note, note_id: note.note_id, unsaved: true } : note,
        );
        break;
      case 'delete_note':
        notes = notes.filter((note) => note.note_id !== change.note_id);
        break;
      case 'add_tag':
        tags.add(change.tag);
        break;
      case 'remove_tag':
        tags.delete(change.tag);
        break;
      case 'submit':
        status = 'submitted';
        break;
      case 'reopen':
        status = 'draft';
        break;
    }
  }
  notes.sort((a, b) => a.at_ms - b.at_ms);
  return { status, answers, notes, tags: [...tags].sort() };
}

export function answersOf(shown: ShownReview): Answer[] {
  return [...shown.answers].map(([question_id, value]) => ({ question_id, ...value }));
}

/**
 * Why an answer cannot be sent yet (main refuses a whole batch with one bad answer): null when it
 * can. An option that needs a comment waits here, shown, until the comment is written.
 */
export function answerProblem(form: FormVersion, change: LocalChange): string | null {
  if (change.type !== 'answer' || change.answer === null) return null;
  const [problem] = validateAnswers(form, [{ question_id: change.question_id, ...change.answer }]);
  return problem?.message ?? null;
}

/**
 * The queued changes that can go now, in order, as `reviews:change` takes them. Held back: answers
 * with a problem (see answerProblem), and edits or deletes of notes whose add is not answered yet.
 */
export function sendable(
  form: FormVersion,
  queue: readonly LocalChange[],
  noteIds: ReadonlyMap<string, string>,
): { send: LocalChange[]; wire: ReviewChange[]; held: LocalChange[] } {
  const send: LocalChange[] = [];
  const wire: ReviewChange[] = [];
  const held: LocalChange[] = [];
  for (const change of queue) {
    if (change.type === 'answer') {
      if (answerProblem(form, change) !== null) {
        held.push(change);
        continue;
      }
      send.push(change);
      wire.push({ type: 'answer', question_id: change.question_id, answer: change.answer });
    } else if (change.type === 'add_note') {
      send.push(change);
      wire.push({ type: 'add_note', note: change.note });
    } else if (change.type === 'edit_note' || change.type === 'delete_note') {
      const id = isTempNoteId(change.note_id) ? noteIds.get(change.note_id) : change.note_id;
      if (id === undefined) {
        held.push(change);
        continue;
      }
      send.push(change);
      wire.push(
        change.type === 'edit_note'
          ? { type: 'edit_note', note_id: id, note: change.note }
          : { type: 'delete_note', note_id: id },
      );
    } else {
      send.push(change);
      wire.push(change);
    }
  }
  return { send, wire, held };
}

function sameNote(a: NoteInput, b: NoteInput): boolean {
  return (
    a.at_ms === b.at_ms &&
    a.end_ms === b.end_ms &&
    a.lane === b.lane &&
    a.text === b.text &&
    a.question_id === b.question_id
  );
}

/**
 * The ids main gave the notes of a batch: the notes that are new in its answer, matched to the adds
 * by what they say. Notes saying the same thing are interchangeable, so any pairing of them is right.
 */
export function assignNoteIds(
  before: ReadonlySet<string>,
  after: ReviewView,
  adds: readonly Extract<LocalChange, { type: 'add_note' }>[],
): Map<string, string> {
  const fresh = after.notes.filter((note) => !before.has(note.note_id));
  const ids = new Map<string, string>();
  for (const add of adds) {
    const index = fresh.findIndex((note) => sameNote(note, add.note));
    const match = fresh[index];
    if (match === undefined) continue;
    ids.set(add.temp_id, match.note_id);
    fresh.splice(index, 1);
  }
  return ids;
}

/** Edits and deletes that named a temporary id now name the stored note. */
export function renameNotes(queue: readonly LocalChange[], ids: ReadonlyMap<string, string>): LocalChange[] {
  return queue.map((change) => {
    if ((change.type === 'edit_note' || change.type === 'delete_note') && ids.has(change.note_id)) {
      return { ...change, note_id: ids.get(change.note_id) ?? change.note_id };
    }
    return change;
  });
}
