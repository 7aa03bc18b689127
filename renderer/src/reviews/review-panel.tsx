/**
 * The review panel beside the list and player (a complementary region named "Review"): the form's
 * questions, answered by keyboard (1–9, N, ↑/↓, C; review-keys.ts), a live score, notes pinned to
 * moments of the call, tags, Submit (Ctrl+Enter), Reopen and the history of submitted revisions.
 * Every change goes to the session, which saves it within a second.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formQuestions, type FormQuestion, type FormVersion } from '../../../shared/reviews/form-schema.ts';
import { scoreReview, type AnswerValue } from '../../../shared/reviews/scoring.ts';
import { CompareReviewsButton } from '../calibration/compare-reviews.tsx';
import { callTitle, formatFullTime } from '../calls/call-format.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { CloseIcon } from '../ui/icons.tsx';
import { answersOf } from './review-changes.ts';
import { panelKeyIntent, panelTarget } from './review-keys.ts';
import { NotesList } from './notes-list.tsx';
import { chosenIndex, pickAnswer, QuestionField } from './question-field.tsx';
import { ScoreLine } from './score-line.tsx';
import { TagsInput } from './tags-input.tsx';
import { chosenForm, type Reviews, useSessionState } from './use-reviews.ts';

export function ReviewPanel(props: { reviews: Reviews }) {
  const { reviews } = props;
  const { session, call } = reviews;
  const state = useSessionState(session);
  const [zone] = useDisplayZone();
  const panelRef = useRef<HTMLElement>(null);
  const questionRefs = useRef<(HTMLElement | null)[]>([]);
  const commentRefs = useRef(new Map<string, HTMLTextAreaElement>());
  const [commentOpen, setCommentOpen] = useState<string | null>(null);
  const form: FormVersion | null = state && session ? session.form : null;
  const questions = useMemo(() => (form ? formQuestions(form).map(({ question }) => question) : []), [form]);
  const answers = state?.shown.answers ?? new Map<string, AnswerValue>();
  const readOnly = state?.shown.status === 'submitted';
  const held = useMemo(
    () => (session && state ? session.heldAnswers() : new Map<string, string>()),
    [session, state],
  );
  const score = useMemo(
    () => (form && state ? scoreReview(form, answersOf(state.shown)) : null),
    [form, state],
  );

  const focusQuestion = (index: number) => {
    const element = questionRefs.current[index];
    if (!element) return;
    const target =
      element.querySelector<HTMLElement>('input:checked') ??
      element.querySelector<HTMLElement>('input, textarea');
    target?.focus();
    element.scrollIntoView({ block: 'nearest' });
  };

  // R: the first question still open (or the first), once the review is loaded.
  const loaded = state !== null && !state.loading && form !== null;
  useEffect(() => {
    if (!loaded || reviews.focusTick === 0) return;
    const open = questions.findIndex(
      (question) => (question.type !== 'free_text' || question.required) && !answers.has(question.id),
    );
    focusQuestion(open >= 0 ? open : 0);
    // Only when R is pressed (or the review arrives after it).
  }, [reviews.focusTick, loaded, session]);

  // C opened a comment: it takes the focus.
  useEffect(() => {
    if (commentOpen !== null) commentRefs.current.get(commentOpen)?.focus();
  }, [commentOpen]);

  /** Sends an answer; true when it waits for a comment (whose box then opens and takes the focus). */
  const answer = (question: FormQuestion, value: AnswerValue | null): boolean => {
    if (!session || readOnly) return false;
    session.change({ type: 'answer', question_id: question.id, answer: value });
    if (value !== null && session.heldAnswers().has(question.id)) {
      setCommentOpen(question.id);
      requestAnimationFrame(() => commentRefs.current.get(question.id)?.focus());
      return true;
    }
    return false;
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLElement>) => {
    const questionElement = (event.target as HTMLElement).closest<HTMLElement>('[data-question]');
    if (!questionElement || !form) return;
    const index = Number(questionElement.dataset.questionIndex);
    const question = questions[index];
    if (question === undefined) return;
    const intent = panelKeyIntent(event.nativeEvent, panelTarget(event.target));
    if (intent === null) return;
    event.preventDefault();
    event.stopPropagation(); // N, ↑/↓ and digits mean this here, not their window-wide shortcut.
    switch (intent.kind) {
      case 'pick': {
        if (readOnly) return;
        const value = pickAnswer(question, answers.get(question.id), intent.index);
        if (value !== undefined && !answer(question, value)) {
          // The focus follows the choice, as a click would leave it.
          requestAnimationFrame(() => {
            const chosen = chosenIndex(question, value ?? undefined);
            const inputs = questionElement.querySelectorAll<HTMLInputElement>(
              'input[type="radio"], input[type="checkbox"]',
            );
            inputs[question.type === 'multiple_choice' ? intent.index : (chosen ?? 0)]?.focus();
          });
        }
        return;
      }
      case 'na':
        if (readOnly) return;
        if (question.type !== 'free_text' && question.na_allowed) {
          const current = answers.get(question.id);
          answer(
            question,
            current?.comment !== undefined ? { na: true, comment: current.comment } : { na: true },
          );
          requestAnimationFrame(() =>
            questionElement
              .querySelector<HTMLInputElement>('input[value="na"], input[type="checkbox"]:last-of-type')
              ?.focus(),
          );
        }
        return;
      case 'move':
        focusQuestion(Math.min(questions.length - 1, Math.max(0, index + intent.by)));
        return;
      case 'comment':
        if (readOnly) return;
        if (!answers.has(question.id)) return;
        setCommentOpen(question.id);
        requestAnimationFrame(() => commentRefs.current.get(question.id)?.focus());
        return;
      case 'leave':
        if (panelTarget(event.target) === 'text') focusQuestion(index);
        else document.querySelector<HTMLElement>('[role="grid"]')?.focus();
        return;
    }
  };

  return (
    <aside ref={panelRef} className="review-panel" aria-label="Review" onKeyDown={onKeyDown}>
      <header className="panel-header review-header">
        <h2>
          Review
          {call && <span className="review-call"> · {callTitle(call)}</span>}
        </h2>
        <button type="button" className="icon-button" aria-label="Close review" onClick={reviews.closePanel}>
          <CloseIcon />
        </button>
      </header>

      {call === null ? (
        <p className="panel-empty">Select a call to review it.</p>
      ) : state === null || state.loading || form === null ? (
        <p className="panel-empty" role="status">
          {state?.error ??
            (state !== null && !state.loading && form === null
              ? `This review was scored with form version ${state.formVersionId}, which this app cannot read.`
              : reviews.forms.length === 0
                ? 'Reading the forms…'
                : 'Reading the review…')}
        </p>
      ) : (
        <div className="review-body">
          <div className="review-form-line">
            {state.review === null ? (
              <label className="review-form-choice">
                <span className="field-label">Form</span>
                <select
                  aria-label="Form"
                  value={state.formVersionId}
                  onChange={(event) => {
                    session?.setFormVersion(event.target.value);
                    const picked = reviews.forms.find((f) => f.version_id === event.target.value);
                    if (picked) chosenForm.write(picked.form_id);
                  }}
                >
                  {reviews.forms.map((option) => (
                    <option key={option.version_id} value={option.version_id}>
                      {option.title}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <p className="small muted">
                {form.title} <span className="mono">({form.version_id})</span> · revision{' '}
                {state.review.revision}
              </p>
            )}
            <SaveState state={state.save} error={state.error} />
          </div>

          {score && (
            <ScoreLine
              score={score}
              form={form}
              submitted={readOnly ? (state.review?.score ?? null) : null}
            />
          )}

          <div className="review-questions">
            {form.sections.map((section) => (
              <section key={section.id} className="review-section" aria-label={section.title}>
                <h3>
                  {section.title}
                  {form.sections.length > 1 && (
                    <span className="muted small"> · weight {section.weight}</span>
                  )}
                </h3>
                {section.questions.map((question) => {
                  const index = questions.indexOf(question);
                  return (
                    <div key={question.id} ref={(element) => void (questionRefs.current[index] = element)}>
                      <QuestionField
                        question={question}
                        index={index}
                        answer={answers.get(question.id)}
                        problem={held.get(question.id) ?? null}
                        readOnly={readOnly}
                        commentOpen={commentOpen === question.id}
                        onAnswer={(value) => answer(question, value)}
                        onOpenComment={() => setCommentOpen(question.id)}
                        onLeaveComment={() => {
                          setCommentOpen(null);
                          focusQuestion(index);
                        }}
                        commentRef={(element) => {
                          if (element) commentRefs.current.set(question.id, element);
                          else commentRefs.current.delete(question.id);
                        }}
                      />
                    </div>
                  );
                })}
              </section>
            ))}
          </div>

          <section className="review-notes" aria-label="Notes">
            <div className="review-subhead">
              <h3>Notes</h3>
              {!readOnly && (
                <button
                  type="button"
                  className="button small"
                  aria-label="Add note"
                  aria-keyshortcuts="M"
                  title="Pin a note to the playhead (M); Shift+M ends a range there"
                  onClick={() => reviews.addNote()}
                >
                  Add note <kbd aria-hidden="true">M</kbd>
                </button>
              )}
            </div>
            <NotesList
              notes={state.shown.notes}
              form={form}
              readOnly={readOnly}
              focusNote={reviews.focusNote}
              keyOf={(id) => session?.noteKey(id) ?? id}
              onPlay={reviews.playAt}
              onEdit={(note) => {
                const { note_id: noteId, unsaved: _unsaved, ...rest } = note;
                session?.change({ type: 'edit_note', note_id: noteId, note: rest });
              }}
              onDelete={(note) =>
                session?.change({ type: 'delete_note', note_id: note.note_id }, { now: true })
              }
            />
          </section>

          <section className="review-tags" aria-label="Tags">
            <h3>Tags</h3>
            <TagsInput
              tags={state.shown.tags}
              readOnly={false}
              onAdd={(tag) => session?.change({ type: 'add_tag', tag })}
              onRemove={(tag) => session?.change({ type: 'remove_tag', tag })}
            />
          </section>

          <div className="review-actions">
            {readOnly ? (
              <button
                type="button"
                className="button"
                onClick={() => session?.change({ type: 'reopen' }, { now: true })}
              >
                Reopen review
              </button>
            ) : (
              <button
                type="button"
                className="button primary"
                aria-keyshortcuts="Control+Enter"
                title="Submit review (Ctrl+Enter)"
                onClick={reviews.submit}
              >
                Submit review
              </button>
            )}
          </div>

          {(state.review?.history.length ?? 0) > 0 && (
            <section className="review-history" aria-label="History">
              <h3>History</h3>
              <ol>
                {state.review?.history.map((entry) => (
                  <li key={entry.revision}>
                    Revision {entry.revision}: {formatPercent(entry.score.percentage)}{' '}
                    <strong className={entry.score.passed ? 'score-pass' : 'score-fail'}>
                      {entry.score.passed ? 'passed' : 'failed'}
                    </strong>
                    <span className="muted"> · submitted {formatFullTime(entry.submitted_at, zone)}</span>
                  </li>
                ))}
              </ol>
            </section>
          )}

          {state.others.length > 0 && (
            <section className="review-others" aria-label="Other reviews">
              <div className="review-subhead">
                <h3>Other reviews</h3>
                <CompareReviewsButton
                  interactionId={call.interaction_id}
                  submittedReviews={
                    [state.review, ...state.others].filter((review) => review?.status === 'submitted').length
                  }
                />
              </div>
              <ul>
                {state.others.map((other) => (
                  <li key={other.review_id}>
                    {other.reviewer}:{' '}
                    {other.status === 'draft' ? 'draft' : formatPercent(other.score.percentage)}
                    {other.status === 'submitted' && (
                      <strong className={other.score.passed ? 'score-pass' : 'score-fail'}>
                        {' '}
                        {other.score.passed ? 'passed' : 'failed'}
                      </strong>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </aside>
  );
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;
}

function SaveState(props: { state: 'saved' | 'saving' | 'offline'; error: string | null }) {
  const text =
    props.state === 'offline'
      ? 'Not saved yet: the server is not answering. Kept here and retried.'
      : props.state === 'saving'
        ? 'Saving…'
        : 'Saved';
  return (
    <>
      <p className={`review-save small${props.state === 'offline' ? ' is-offline' : ''}`} role="status">
        {text}
      </p>
      {props.error !== null && props.state !== 'offline' && (
        <p className="review-error small" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
