/**
 * The reviewing line above the list: Next to review (J), the review queue, Reports, Forms, and the
 * review filters (status, score range, tag, reviewer, form), folded behind one button until used,
 * so the list keeps its rows on small windows. Also the list's review cell.
 */
import { useEffect, useId, useState } from 'react';
import type { CallReviewSummary } from '../../../shared/contract/reviews.ts';
import type { CallFilter } from '../calls/call-query.ts';
import { describePlan } from './review-queue.ts';
import type { Reviews } from './use-reviews.ts';

const STATUSES = ['unreviewed', 'draft', 'passed', 'failed'] as const;
type ReviewStatus = (typeof STATUSES)[number];
const STATUS_LABELS: Record<ReviewStatus, string> = {
  unreviewed: 'Unreviewed',
  draft: 'Draft',
  passed: 'Passed',
  failed: 'Failed',
};

export function reviewFilterCount(filter: CallFilter): number {
  return [
    filter.review.length > 0,
    filter.scoreMin !== null || filter.scoreMax !== null,
    filter.reviewTag !== null,
    filter.reviewer !== null,
    filter.reviewForm !== null,
  ].filter(Boolean).length;
}

/** The list's review cell: unreviewed, draft, passed or failed with the score. */
export function ReviewCell(props: { summary: CallReviewSummary | null | undefined }) {
  const { summary } = props;
  if (summary === undefined)
    return <span className="review-badge is-unknown" aria-label="Review not known yet" />;
  if (summary === null) return <span className="review-badge is-unreviewed">Unreviewed</span>;
  if (summary.status === 'draft') return <span className="review-badge is-draft">Draft</span>;
  const percent =
    summary.percentage === null
      ? ''
      : ` ${summary.percentage.toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
  return (
    <span className={`review-badge is-${summary.status}`}>
      {summary.status === 'passed' ? 'Passed' : 'Failed'}
      {percent}
    </span>
  );
}

export function ReviewsBar(props: {
  reviews: Reviews;
  filter: CallFilter;
  onChange: (filter: CallFilter) => void;
}) {
  const { reviews, filter, onChange } = props;
  const active = reviewFilterCount(filter);
  const [open, setOpen] = useState(active > 0);
  const panelId = useId();
  const queue = reviews.queue;

  return (
    <div className="reviews-bar">
      <div className="reviews-actions">
        <button
          type="button"
          className="button small"
          aria-keyshortcuts="J"
          title="Select the next call nobody has reviewed (J)"
          onClick={() => void reviews.nextToReview()}
        >
          Next to review <kbd aria-hidden="true">J</kbd>
        </button>
        <button type="button" className="button small ghost" onClick={() => reviews.setDialog('sample')}>
          Review queue…
        </button>
        <button type="button" className="button small ghost" onClick={() => reviews.setDialog('reports')}>
          Reports
        </button>
        <button type="button" className="button small ghost" onClick={() => reviews.setDialog('calibration')}>
          Calibration
        </button>
        <button type="button" className="button small ghost" onClick={() => reviews.setDialog('forms')}>
          Forms…
        </button>
        <button
          type="button"
          className="button small ghost"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen(!open)}
        >
          Review filters{active > 0 ? ` (${active})` : ''}
        </button>
        {queue !== null && (
          <p className="review-queue-line small" title={describePlan(queue.plan)}>
            Queue: {queue.interactionIds.length} calls · {describePlan(queue.plan)}
            <button type="button" className="button small ghost" onClick={reviews.clearQueue}>
              Clear queue
            </button>
          </p>
        )}
      </div>
      {open && (
        <div id={panelId} className="review-filters" role="group" aria-label="Review filters">
          <select
            aria-label="Review status"
            value={filter.review[0] ?? ''}
            onChange={(event) =>
              onChange({ ...filter, review: event.target.value ? [event.target.value as ReviewStatus] : [] })
            }
          >
            <option value="">Any review</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
          <NumberBox
            label="Score from"
            value={filter.scoreMin}
            onChange={(scoreMin) => onChange({ ...filter, scoreMin })}
          />
          <NumberBox
            label="Score to"
            value={filter.scoreMax}
            onChange={(scoreMax) => onChange({ ...filter, scoreMax })}
          />
          <TextBox
            label="Review tag"
            value={filter.reviewTag}
            onChange={(reviewTag) => onChange({ ...filter, reviewTag })}
          />
          <TextBox
            label="Reviewer"
            value={filter.reviewer}
            onChange={(reviewer) => onChange({ ...filter, reviewer })}
          />
          <select
            aria-label="Review form"
            value={filter.reviewForm ?? ''}
            onChange={(event) => onChange({ ...filter, reviewForm: event.target.value || null })}
          >
            <option value="">Any form</option>
            {reviews.forms.map((form) => (
              <option key={form.form_id} value={form.form_id}>
                {form.title}
              </option>
            ))}
          </select>
          {active > 0 && (
            <button
              type="button"
              className="button small ghost"
              onClick={() =>
                onChange({
                  ...filter,
                  review: [],
                  scoreMin: null,
                  scoreMax: null,
                  reviewTag: null,
                  reviewer: null,
                  reviewForm: null,
                })
              }
            >
              Clear review filters
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Applied on Enter or when the box is left, so the list is not queried at every key. */
function TextBox(props: { label: string; value: string | null; onChange: (value: string | null) => void }) {
  const [text, setText] = useState(props.value ?? '');
  useEffect(() => setText(props.value ?? ''), [props.value]);
  const apply = () => {
    const clean = text.trim() === '' ? null : text.trim();
    if (clean !== props.value) props.onChange(clean);
  };
  return (
    <input
      type="text"
      aria-label={props.label}
      placeholder={props.label}
      className="review-filter-text"
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={apply}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply();
      }}
    />
  );
}

function NumberBox(props: { label: string; value: number | null; onChange: (value: number | null) => void }) {
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  useEffect(() => setText(props.value === null ? '' : String(props.value)), [props.value]);
  const invalid = text !== '' && !(Number(text) >= 0 && Number(text) <= 100);
  const apply = () => {
    if (invalid) return;
    const value = text === '' ? null : Number(text);
    if (value !== props.value) props.onChange(value);
  };
  return (
    <input
      type="number"
      aria-label={`${props.label} (%)`}
      placeholder={props.label}
      className="review-filter-number"
      min={0}
      max={100}
      aria-invalid={invalid || undefined}
      title={invalid ? 'A score is a percentage from 0 to 100.' : undefined}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={apply}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply();
      }}
    />
  );
}
