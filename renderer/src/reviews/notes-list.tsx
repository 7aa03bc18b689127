/**
 * The review's notes, by time in the call: each with its moment (or range; a click seeks there and
 * plays), its lane, its text and the question it is evidence for. Edits go out as the reviewer
 * types (gathered by the session).
 */
import { useEffect, useRef } from 'react';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import { NOTE_LANES, type NoteLane } from '../../../shared/reviews/review-events.ts';
import { formatClock } from '../calls/call-format.ts';
import type { ShownNote } from './review-changes.ts';

export const LANE_LABELS: Record<NoteLane, string> = { agent: 'Agent', customer: 'Customer', both: 'Both' };

/** "0:12" or "0:12–0:20". */
export function noteTime(note: { at_ms: number; end_ms: number | null }): string {
  const at = formatClock(note.at_ms / 1000);
  return note.end_ms === null ? at : `${at}–${formatClock(note.end_ms / 1000)}`;
}

export function NotesList(props: {
  notes: readonly ShownNote[];
  form: FormVersion;
  readOnly: boolean;
  /** The note whose text takes the focus when it appears (just added with M). */
  focusNote: string | null;
  /** A note's stable key: the temporary id it was made with, after main gave it its own. */
  keyOf: (id: string) => string;
  onEdit: (note: ShownNote) => void;
  onDelete: (note: ShownNote) => void;
  onPlay: (seconds: number) => void;
}) {
  const texts = useRef(new Map<string, HTMLTextAreaElement>());
  const focused = useRef<string | null>(null);
  const questions = props.form.sections.flatMap((section) => section.questions);

  useEffect(() => {
    const wanted = props.focusNote;
    if (wanted === null || focused.current === wanted) return;
    const element = texts.current.get(wanted);
    if (element) {
      focused.current = wanted;
      element.focus({ preventScroll: false });
    }
  });

  if (props.notes.length === 0) {
    return (
      <p className="muted small notes-empty">
        No notes yet. Press <kbd>M</kbd> to pin one to the playhead while the call plays.
      </p>
    );
  }

  return (
    <ol className="notes-list" aria-label="Notes">
      {props.notes.map((note) => {
        const time = noteTime(note);
        const set = (patch: Partial<ShownNote>) => props.onEdit({ ...note, ...patch });
        const key = props.keyOf(note.note_id);
        return (
          <li key={key} className={`note lane-${note.lane}`} data-note-id={note.note_id}>
            <div className="note-head">
              <button
                type="button"
                className="note-time"
                aria-label={`Play from ${time}`}
                onClick={() => props.onPlay(note.at_ms / 1000)}
              >
                {time}
              </button>
              <select
                aria-label={`Lane of the note at ${time}`}
                value={note.lane}
                disabled={props.readOnly}
                onChange={(event) => set({ lane: event.target.value as NoteLane })}
              >
                {NOTE_LANES.map((lane) => (
                  <option key={lane} value={lane}>
                    {LANE_LABELS[lane]}
                  </option>
                ))}
              </select>
              <select
                aria-label={`Evidence for (note at ${time})`}
                value={note.question_id ?? ''}
                disabled={props.readOnly}
                onChange={(event) =>
                  set({ question_id: event.target.value === '' ? null : event.target.value })
                }
              >
                <option value="">No question</option>
                {questions.map((question) => (
                  <option key={question.id} value={question.id}>
                    {question.text}
                  </option>
                ))}
              </select>
              {!props.readOnly && (
                <button
                  type="button"
                  className="icon-button note-delete"
                  aria-label={`Delete the note at ${time}`}
                  onClick={() => props.onDelete(note)}
                >
                  ×
                </button>
              )}
            </div>
            <textarea
              ref={(element) => {
                if (element) texts.current.set(key, element);
                else texts.current.delete(key);
              }}
              className="note-text"
              aria-label={`Note at ${time}`}
              placeholder="What happens here"
              rows={2}
              maxLength={10_000}
              value={note.text}
              readOnly={props.readOnly}
              onChange={(event) => set({ text: event.target.value })}
              onKeyDown={(event) => {
                // Enter ends the note (Shift+Enter: a new line); Escape too. Back to the questions.
                if (
                  (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) ||
                  event.key === 'Escape'
                ) {
                  event.preventDefault();
                  event.stopPropagation();
                  event.currentTarget
                    .closest<HTMLElement>('[role="complementary"]')
                    ?.querySelector<HTMLElement>('[data-question] input:checked, [data-question] input')
                    ?.focus();
                }
              }}
            />
          </li>
        );
      })}
    </ol>
  );
}
