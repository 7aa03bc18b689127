/**
 * "Compare reviews" (issue 12, calibration): a call's submitted reviews side by side — question
 * rows, one column per reviewer, the spread — with a reference reviewer chosen in a labelled select
 * (none: distances from the mean of the reviews). Opened from the review panel when the call has
 * more than one submitted review.
 */
import './calibration.css';
import { useEffect, useId, useState } from 'react';
import type { CallCalibration } from '../../../shared/contract/calibration.ts';
import { client } from '../client/tapedeck-client.ts';
import { Dialog } from '../ui/dialog.tsx';
import {
  answerCellText,
  differenceText,
  percentText,
  reviewerHeading,
  spreadText,
} from './calibration-text.ts';

/** The panel's entry point: shown only when there is something to compare. */
export function CompareReviewsButton(props: { interactionId: string; submittedReviews: number }) {
  const [open, setOpen] = useState(false);
  if (props.submittedReviews < 2) return null;
  return (
    <>
      <button type="button" className="button small" onClick={() => setOpen(true)}>
        Compare reviews ({props.submittedReviews})
      </button>
      {open && (
        <CompareReviewsDialog interactionId={props.interactionId} open onClose={() => setOpen(false)} />
      )}
    </>
  );
}

export function CompareReviewsDialog(props: { interactionId: string; open: boolean; onClose: () => void }) {
  const { interactionId } = props;
  const [reference, setReference] = useState<string | null>(null);
  const [result, setResult] = useState<CallCalibration | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  const captionId = useId();

  useEffect(() => {
    let stale = false;
    void client['calibration:call']({ interactionId, reference }).then((reply) => {
      if (stale) return;
      if (reply.ok) {
        setResult(reply.value);
        setError(null);
      } else setError(reply.error.message);
    });
    return () => {
      stale = true;
    };
  }, [interactionId, reference]);

  const compared = result?.reviewers.filter((reviewer) => reviewer.same_form) ?? [];
  const baseline = result?.reference ?? null;

  return (
    <Dialog
      open={props.open}
      title="Compare reviews"
      onClose={props.onClose}
      className="review-dialog calibration-dialog"
    >
      <div className="reports-controls">
        <label htmlFor={selectId}>
          <span className="field-label">Reference reviewer</span>
          <select
            id={selectId}
            value={reference ?? ''}
            onChange={(event) => setReference(event.target.value || null)}
          >
            <option value="">None (the mean of the reviews)</option>
            {result?.reviewers.map((reviewer) => (
              <option key={reviewer.reviewer} value={reviewer.reviewer}>
                {reviewer.reviewer}
              </option>
            ))}
          </select>
        </label>
        {result?.form_title && (
          <p className="muted small">
            {result.form_title} <span className="mono">({result.form_version_id})</span>
          </p>
        )}
      </div>
      {error !== null && (
        <p className="review-error" role="alert">
          {error}
        </p>
      )}
      {result !== null && (
        <>
          {result.notes.map((note) => (
            <p key={note} className="calibration-note small" role="note">
              {note}
            </p>
          ))}
          <div className="calibration-table-wrap" tabIndex={0} role="region" aria-labelledby={captionId}>
            <table className="report-table calibration-table">
              <caption id={captionId}>
                Reviews side by side ·{' '}
                {baseline === null ? 'distances from the mean' : `distances from ${baseline}`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  {compared.map((reviewer) => (
                    <th
                      key={reviewer.reviewer}
                      scope="col"
                      className={reviewer.is_reference ? 'is-reference' : undefined}
                    >
                      {reviewerHeading(reviewer)}
                    </th>
                  ))}
                  <th scope="col">Spread</th>
                </tr>
              </thead>
              <tbody>
                {result.questions.map((question) => (
                  <tr
                    key={question.question_id}
                    className={question.agree === false ? 'is-apart' : undefined}
                  >
                    <th scope="row">{question.text}</th>
                    {compared.map((reviewer) => (
                      <td
                        key={reviewer.reviewer}
                        className={reviewer.is_reference ? 'is-reference' : undefined}
                      >
                        {answerCellText(
                          question,
                          question.answers.find((answer) => answer.reviewer === reviewer.reviewer),
                        )}
                      </td>
                    ))}
                    <td>{spreadText(question)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Score</th>
                  {compared.map((reviewer) => (
                    <td key={reviewer.reviewer}>
                      {percentText(reviewer.percentage)} {reviewer.passed ? 'passed' : 'failed'}
                    </td>
                  ))}
                  <td />
                </tr>
                <tr>
                  <th scope="row">Question distance</th>
                  {compared.map((reviewer) => (
                    <td key={reviewer.reviewer}>{percentText(reviewer.question_distance)}</td>
                  ))}
                  <td />
                </tr>
                <tr>
                  <th scope="row">Score difference</th>
                  {compared.map((reviewer) => (
                    <td key={reviewer.reviewer}>{differenceText(reviewer.score_difference)}</td>
                  ))}
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          {result.reviewers.some((reviewer) => !reviewer.same_form) && (
            <section aria-label="Other form versions">
              <h3 className="small">Scored with another form version</h3>
              <ul className="calibration-others small">
                {result.reviewers
                  .filter((reviewer) => !reviewer.same_form)
                  .map((reviewer) => (
                    <li key={reviewer.reviewer}>
                      {reviewerHeading(reviewer)}: {percentText(reviewer.percentage)} (
                      {reviewer.form_version_id}), score difference{' '}
                      {differenceText(reviewer.score_difference)}
                    </li>
                  ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Dialog>
  );
}
