/**
 * One question of the form in the review panel. Choice and scale questions are radio groups named
 * by the question's text (1–9 pick an option, N sets N/A: review-keys.ts); multiple choice a group
 * of checkboxes; a number a spin box; free text a text area. A comment (C) goes with the answer.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { type FormQuestion, SCALE_MAX, SCALE_MIN } from '../../../shared/reviews/form-schema.ts';
import type { AnswerValue } from '../../../shared/reviews/scoring.ts';

/** The options a key 1–9 picks, in order, with their labels. */
export function optionsOf(question: FormQuestion): { id: string; label: string }[] {
  switch (question.type) {
    case 'yes_no':
    case 'single_choice':
    case 'multiple_choice':
      return question.options.map((option) => ({ id: option.id, label: option.label }));
    case 'scale':
      return Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => ({
        id: String(SCALE_MIN + i),
        label: question.labels?.[i] ?? String(SCALE_MIN + i),
      }));
    default:
      return [];
  }
}

/** The answer that picking option `index` gives (keeping the comment already written). */
export function pickAnswer(
  question: FormQuestion,
  current: AnswerValue | undefined,
  index: number,
): AnswerValue | null | undefined {
  const options = optionsOf(question);
  const option = options[index];
  if (option === undefined) return undefined;
  const comment = current?.comment !== undefined ? { comment: current.comment } : {};
  switch (question.type) {
    case 'yes_no':
    case 'single_choice':
      return { option_id: option.id, ...comment };
    case 'scale':
      return { value: Number(option.id), ...comment };
    case 'multiple_choice': {
      const chosen = new Set(current?.option_ids ?? []);
      if (chosen.has(option.id)) chosen.delete(option.id);
      else chosen.add(option.id);
      const ids = question.options.map((o) => o.id).filter((id) => chosen.has(id));
      return { option_ids: ids, ...comment };
    }
    default:
      return undefined;
  }
}

export function chosenIndex(question: FormQuestion, answer: AnswerValue | undefined): number | null {
  if (answer === undefined) return null;
  if (question.type === 'scale') return typeof answer.value === 'number' ? answer.value - SCALE_MIN : null;
  const index = optionsOf(question).findIndex((option) => option.id === answer.option_id);
  return index >= 0 ? index : null;
}

export function QuestionField(props: {
  question: FormQuestion;
  index: number;
  answer: AnswerValue | undefined;
  /** Why the answer waits (it needs a comment), or null. */
  problem: string | null;
  readOnly: boolean;
  commentOpen: boolean;
  onAnswer: (answer: AnswerValue | null) => void;
  onOpenComment: () => void;
  /** Escape in the comment: back to the question. */
  onLeaveComment: () => void;
  commentRef: (element: HTMLTextAreaElement | null) => void;
}) {
  const { question, answer } = props;
  const textId = useId();
  const guidanceId = useId();
  const problemId = useId();
  const name = useId();
  const options = optionsOf(question);
  const isNa = answer?.na === true;
  const chosen = chosenIndex(question, answer);
  const describedBy =
    [question.guidance ? guidanceId : null, props.problem ? problemId : null].filter(Boolean).join(' ') ||
    undefined;
  const scored = question.type !== 'free_text';
  const naAllowed = question.type !== 'free_text' && question.na_allowed;
  const hasAnswer = answer !== undefined;
  const showComment = props.commentOpen || (answer?.comment ?? '') !== '';
  const comment = answer?.comment ?? '';

  const setComment = (text: string) => {
    if (!answer) return;
    const { comment: _old, ...rest } = answer;
    props.onAnswer(text === '' ? rest : { ...rest, comment: text });
  };

  return (
    <div
      className={`review-question${hasAnswer ? ' is-answered' : ''}${props.problem ? ' has-problem' : ''}`}
      data-question={question.id}
      data-question-index={props.index}
    >
      <p id={textId} className="question-text">
        <span className="question-number" aria-hidden="true">
          {props.index + 1}.
        </span>{' '}
        {question.text}
        {scored && question.critical && <span className="badge question-critical">Critical</span>}
      </p>
      {question.guidance !== '' && (
        <p id={guidanceId} className="question-guidance">
          {question.guidance}
        </p>
      )}

      {(question.type === 'yes_no' || question.type === 'single_choice' || question.type === 'scale') && (
        <div
          role="radiogroup"
          aria-labelledby={textId}
          aria-describedby={describedBy}
          className={`question-options${question.type === 'scale' ? ' is-scale' : ''}`}
        >
          {options.map((option, i) => (
            <label key={option.id} className="question-option">
              <input
                type="radio"
                name={name}
                value={option.id}
                checked={!isNa && chosen === i}
                disabled={props.readOnly}
                onChange={() => props.onAnswer(pickAnswer(question, answer, i) ?? null)}
              />
              <kbd aria-hidden="true">{i + 1}</kbd>
              <span>
                {question.type === 'scale' && option.label !== option.id
                  ? `${option.id} ${option.label}`
                  : option.label}
              </span>
            </label>
          ))}
          {naAllowed && (
            <label className="question-option">
              <input
                type="radio"
                name={name}
                value="na"
                checked={isNa}
                disabled={props.readOnly}
                onChange={() => props.onAnswer(withComment({ na: true }, answer))}
              />
              <kbd aria-hidden="true">N</kbd>
              <span>N/A</span>
            </label>
          )}
        </div>
      )}

      {question.type === 'multiple_choice' && (
        <div
          role="group"
          aria-labelledby={textId}
          aria-describedby={describedBy}
          className="question-options"
        >
          {options.map((option, i) => (
            <label key={option.id} className="question-option">
              <input
                type="checkbox"
                checked={!isNa && (answer?.option_ids ?? []).includes(option.id)}
                disabled={props.readOnly}
                onChange={() => props.onAnswer(pickAnswer(question, answer, i) ?? null)}
              />
              <kbd aria-hidden="true">{i + 1}</kbd>
              <span>{option.label}</span>
            </label>
          ))}
          {naAllowed && (
            <label className="question-option">
              <input
                type="checkbox"
                checked={isNa}
                disabled={props.readOnly}
                onChange={(event) =>
                  props.onAnswer(event.target.checked ? withComment({ na: true }, answer) : null)
                }
              />
              <kbd aria-hidden="true">N</kbd>
              <span>N/A</span>
            </label>
          )}
        </div>
      )}

      {question.type === 'number' && (
        <NumberAnswer
          labelledBy={textId}
          describedBy={describedBy}
          min={question.min}
          max={question.max}
          unit={question.unit}
          value={typeof answer?.value === 'number' ? answer.value : null}
          readOnly={props.readOnly}
          onChange={(value) => props.onAnswer(value === null ? null : withComment({ value }, answer))}
        />
      )}

      {question.type === 'free_text' && (
        <textarea
          className="question-text-answer"
          aria-labelledby={textId}
          aria-describedby={describedBy}
          rows={2}
          maxLength={question.max_length}
          value={typeof answer?.value === 'string' ? answer.value : ''}
          readOnly={props.readOnly}
          onChange={(event) =>
            props.onAnswer(event.target.value === '' ? null : { value: event.target.value })
          }
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              props.onLeaveComment();
            }
          }}
        />
      )}

      {props.problem && (
        <p id={problemId} className="question-problem" role="alert">
          {props.problem}
        </p>
      )}

      {scored && (
        <div className="question-comment">
          {showComment ? (
            <textarea
              ref={props.commentRef}
              aria-label={`Comment on “${question.text}”`}
              placeholder={hasAnswer ? 'Comment' : 'Pick an answer first, then comment on it'}
              rows={2}
              maxLength={5000}
              value={comment}
              disabled={!hasAnswer}
              readOnly={props.readOnly}
              onChange={(event) => setComment(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.preventDefault();
                  event.stopPropagation();
                  props.onLeaveComment();
                }
              }}
            />
          ) : (
            !props.readOnly && (
              <button
                type="button"
                className="button ghost small"
                aria-label={`Comment on “${question.text}”`}
                aria-keyshortcuts="C"
                tabIndex={-1}
                onClick={props.onOpenComment}
              >
                Comment <kbd aria-hidden="true">C</kbd>
              </button>
            )
          )}
        </div>
      )}
    </div>
  );
}

function withComment(value: AnswerValue, current: AnswerValue | undefined): AnswerValue {
  return current?.comment !== undefined ? { ...value, comment: current.comment } : value;
}

/** A number typed freely; sent when it parses (an empty box clears the answer). */
function NumberAnswer(props: {
  labelledBy: string;
  describedBy: string | undefined;
  min: number;
  max: number;
  unit: string;
  value: number | null;
  readOnly: boolean;
  onChange: (value: number | null) => void;
}) {
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  const last = useRef(props.value);
  useEffect(() => {
    if (props.value !== last.current) {
      last.current = props.value;
      setText(props.value === null ? '' : String(props.value));
    }
  }, [props.value]);
  return (
    <span className="question-number-answer">
      <input
        type="number"
        aria-labelledby={props.labelledBy}
        aria-describedby={props.describedBy}
        min={props.min}
        max={props.max}
        value={text}
        readOnly={props.readOnly}
        onChange={(event) => {
          setText(event.target.value);
          const value = event.target.value === '' ? null : Number(event.target.value);
          if (value === null || Number.isFinite(value)) {
            last.current = value;
            props.onChange(value);
          }
        }}
      />
      {props.unit !== '' && <span className="muted">{props.unit}</span>}
    </span>
  );
}
