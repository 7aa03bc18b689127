/**
 * The header's team indicator: who this machine shares reviews as, whether that identity is
 * verified (with a description of what that means), and — one click away — the sharing details and
 * the objects read from the bucket and refused.
 */
import './team.css';
import { useId, useState } from 'react';
import { Dialog } from '../ui/dialog.tsx';
import { identityDescription, identityText, type TeamStatus } from './team-text.ts';

export function TeamIndicator(props: { status: TeamStatus | null }) {
  const { status } = props;
  const [open, setOpen] = useState(false);
  const descriptionId = useId();
  if (status === null || !status.enabled) return null;
  const description = identityDescription(status);
  const refused = status.refused.length;
  return (
    <>
      <button
        type="button"
        className={`button small ghost team-indicator${status.verified ? '' : ' is-unverified'}`}
        aria-describedby={descriptionId}
        title={description}
        onClick={() => setOpen(true)}
      >
        {identityText(status)}
        {refused > 0 && <span className="count-badge">{refused} refused</span>}
      </button>
      <span id={descriptionId} className="visually-hidden">
        {description}
      </span>
      {open && <TeamDialog status={status} onClose={() => setOpen(false)} />}
    </>
  );
}

function TeamDialog(props: { status: TeamStatus; onClose: () => void }) {
  const { status } = props;
  const time = (iso: string | null) => (iso === null ? 'not yet' : new Date(iso).toLocaleString());
  return (
    <Dialog open title="Team sharing" onClose={props.onClose} className="review-dialog team-dialog">
      <p>{identityDescription(status)}</p>
      <dl className="team-facts small">
        <dt>Where</dt>
        <dd className="mono">{status.location ?? '—'}</dd>
        <dt>Not yet shared</dt>
        <dd>{status.outbox.toLocaleString('en-US')}</dd>
        <dt>Last pull</dt>
        <dd>{time(status.lastPull)}</dd>
        <dt>Last push</dt>
        <dd>{time(status.lastPush)}</dd>
        {status.error !== null && (
          <>
            <dt>Problem</dt>
            <dd>{status.error}</dd>
          </>
        )}
      </dl>
      <section aria-label="Refused objects">
        <h3>Refused objects</h3>
        {status.refused.length === 0 ? (
          <p className="muted small">Nothing read from the bucket was refused.</p>
        ) : (
          <ul className="team-refused small">
            {status.refused.map((entry) => (
              <li key={entry.key}>
                <span className="mono">{entry.key}</span>: {entry.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      {status.reviewers.length > 0 && (
        <section aria-label="Reviewers">
          <h3>Reviewers</h3>
          <ul className="team-reviewers small">
            {status.reviewers.map((reviewer) => (
              <li key={reviewer.reviewerId}>
                {reviewer.name} — {reviewer.reviews.toLocaleString('en-US')} reviews
              </li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
