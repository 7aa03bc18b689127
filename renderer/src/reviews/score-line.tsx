/**
 * The review's score as the reviewer answers (scoreReview, the same function main freezes on
 * submit): percentage, pass or fail against the pass mark, auto-fail reasons, what is still open.
 * Once submitted, the frozen score is shown.
 */
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import type { ReviewScore, ScoreSummary } from '../../../shared/reviews/scoring.ts';
import { plural } from '../calls/call-format.ts';

export function ScoreLine(props: { score: ReviewScore; form: FormVersion; submitted: ScoreSummary | null }) {
  const shown = props.submitted ?? props.score;
  const open = props.submitted ? 0 : props.score.unanswered.length;
  const verdict =
    shown.percentage === null
      ? 'Not scored yet'
      : shown.passed
        ? 'Pass'
        : shown.auto_failed
          ? 'Auto-fail'
          : 'Fail';
  const percent =
    shown.percentage === null
      ? '—'
      : `${shown.percentage.toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;
  return (
    <div className="review-score" role="status" aria-label="Score" aria-live="polite">
      <p className="score-main">
        <strong className="score-value">{percent}</strong>{' '}
        <span
          className={`score-verdict ${shown.percentage === null ? '' : shown.passed ? 'score-pass' : 'score-fail'}`}
        >
          {verdict}
        </span>
        <span className="muted small">
          {' '}
          · pass mark {props.form.pass_mark} %{props.submitted ? ' · submitted' : ''}
          {open > 0 ? ` · ${plural(open, 'question')} to answer` : ''}
        </span>
      </p>
      {shown.reasons.length > 0 && (
        <ul className="score-reasons">
          {shown.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
