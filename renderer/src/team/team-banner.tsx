/** The banner that says how many changes wait to be shared, and why they could not be yet. */
import { AlertIcon } from '../ui/icons.tsx';
import { type TeamStatus, unsharedText } from './team-text.ts';

export function TeamBanner(props: { status: TeamStatus | null }) {
  const text = unsharedText(props.status);
  if (text === null) return null;
  return (
    <div className="banners">
      <div className="banner banner-warning" role="status" aria-label="Team sharing">
        <AlertIcon />
        <p>{text} They are kept here and go out when the bucket answers again.</p>
      </div>
    </div>
  );
}
