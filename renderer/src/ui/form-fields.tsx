/**
 * Labelled form controls: a text box, a write-only secret, a checkbox, a radio option and a small
 * choice group. Each has an accessible name, and says under it either a hint or, when it cannot be
 * changed here, why (its accessible description), before anything is typed.
 */
import { type ReactNode, useId } from 'react';

/** What a field says under it: why it cannot be changed here, else its hint. */
function FieldNote(props: { id: string; disabledReason?: string | null; hint?: string }) {
  const note = props.disabledReason ?? props.hint;
  if (!note) return null;
  return (
    <p id={props.id} className={props.disabledReason ? 'locked-note' : 'hint'}>
      {note}
    </p>
  );
}

/** A label above a control and its note below; the control gets the ids that tie them together. */
export function Field(props: {
  label: string;
  hint?: string;
  disabledReason?: string | null;
  nested?: boolean;
  children: (ids: { id: string; labelId: string; describedBy: string | undefined }) => ReactNode;
}) {
  const id = useId();
  const labelId = useId();
  const noteId = useId();
  const noted = Boolean(props.disabledReason) || Boolean(props.hint);
  return (
    <div className={`field${props.nested ? ' nested' : ''}`}>
      <label id={labelId} htmlFor={id}>
        {props.label}
      </label>
      {props.children({ id, labelId, describedBy: noted ? noteId : undefined })}
      <FieldNote id={noteId} disabledReason={props.disabledReason} hint={props.hint} />
    </div>
  );
}

/**
 * A one-line text box. When it cannot be changed here it stays focusable (read-only, announced as
 * unavailable) so a keyboard user can still reach it and hear why.
 */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Why this cannot be changed here (the environment sets it); null or absent when it can. */
  disabledReason?: string | null;
  invalid?: boolean;
  placeholder?: string;
  hint?: string;
  nested?: boolean;
  inputMode?: 'numeric';
  /** A word after the box (`minutes`), read as part of the field's name. */
  unit?: string;
}) {
  const unitId = useId();
  const disabled = Boolean(props.disabledReason);
  return (
    <Field label={props.label} hint={props.hint} disabledReason={props.disabledReason} nested={props.nested}>
      {({ id, labelId, describedBy }) => {
        const input = (
          <input
            id={id}
            aria-labelledby={props.unit === undefined ? undefined : `${labelId} ${unitId}`}
            type="text"
            value={props.value}
            readOnly={disabled}
            aria-disabled={disabled || undefined}
            aria-invalid={props.invalid || undefined}
            aria-describedby={describedBy}
            placeholder={disabled ? undefined : props.placeholder}
            inputMode={props.inputMode}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
        if (props.unit === undefined) return input;
        return (
          <span className="input-with-unit">
            {input}
            <span id={unitId}>{props.unit}</span>
          </span>
        );
      }}
    </Field>
  );
}

/** Write-only: never pre-filled, never read back; the browser is told not to remember it either. */
export function SecretField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
}) {
  return (
    <Field label={props.label}>
      {({ id }) => (
        <input
          id={id}
          type="password"
          value={props.value}
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={props.invalid || undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function CheckField(props: {
  label: string;
  checked: boolean;
  onChange: (value: boolean) => void;
  disabledReason?: string | null;
  hint?: string;
}) {
  const noteId = useId();
  const noted = Boolean(props.disabledReason) || Boolean(props.hint);
  return (
    <div className="field check-field">
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={Boolean(props.disabledReason)}
          aria-describedby={noted ? noteId : undefined}
          onChange={(event) => props.onChange(event.target.checked)}
        />
        {props.label}
      </label>
      <FieldNote id={noteId} disabledReason={props.disabledReason} hint={props.hint} />
    </div>
  );
}

/**
 * One option of a radio group, named by its label alone, with a hint or the reason it cannot be
 * chosen here as its description.
 */
export function Radio(props: {
  name: string;
  label: string;
  checked: boolean;
  onChange: () => void;
  hint?: string;
  disabledReason?: string | null;
}) {
  const labelId = useId();
  const noteId = useId();
  const note = props.disabledReason ?? props.hint;
  return (
    <label className={`radio${props.disabledReason ? ' unavailable' : ''}`}>
      <input
        type="radio"
        name={props.name}
        checked={props.checked}
        disabled={Boolean(props.disabledReason)}
        onChange={props.onChange}
        aria-labelledby={labelId}
        aria-describedby={note ? noteId : undefined}
      />
      <span>
        <span id={labelId}>{props.label}</span>
        {note && (
          <span id={noteId} className={props.disabledReason ? 'hint locked-note' : 'hint'}>
            {note}
          </span>
        )}
      </span>
    </label>
  );
}

/** A short either/or choice (Local / UTC) as a labelled radio group, applied as soon as it is picked. */
export function ChoiceField<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  hint?: string;
}) {
  const name = useId();
  const labelId = useId();
  const hintId = useId();
  return (
    <div className="field choice-field">
      <span id={labelId} className="field-label-text">
        {props.label}
      </span>
      <div
        className="choice-options"
        role="radiogroup"
        aria-labelledby={labelId}
        aria-describedby={props.hint ? hintId : undefined}
      >
        {props.options.map((option) => (
          <label key={option.value} className="choice-option">
            <input
              type="radio"
              name={name}
              checked={props.value === option.value}
              onChange={() => props.onChange(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
      {props.hint && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A day (`YYYY-MM-DD`) with its visible label, named by it: the From / To of every period. */
export function DayField(props: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  /** The other end of the period: a From is not after its To, a To not before its From. */
  min?: string;
  max?: string;
  invalid?: boolean;
  required?: boolean;
}) {
  return (
    <label>
      <span className="field-label">{props.label}</span>
      <input
        type="date"
        aria-label={props.label}
        aria-invalid={props.invalid || undefined}
        value={props.value}
        min={props.min || undefined}
        max={props.max || undefined}
        required={props.required}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}
