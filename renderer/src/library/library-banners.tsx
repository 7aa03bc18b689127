import type { LibraryStatus } from '../../../shared/contract.ts';
import { AlertIcon, InfoIcon } from '../ui/icons.tsx';
import { useMinutesUntil } from './use-library-status.ts';
import { useLibrarySwitch } from './use-library-switch.ts';

/** Warn this long before temporary credentials (SSO, STS) run out. */
const EXPIRY_WARNING_MINUTES = 15;

/**
 * What a reviewer must know before trusting the list: demo data, a problem (a failed sync among
 * them), a failed pull from the upstream Recording API, credentials running out.
 */
export function LibraryBanners(props: {
  status: LibraryStatus | null;
  statusError: string | null;
  onOpenSettings: () => void;
}) {
  const { status } = props;
  const minutesLeft = useMinutesUntil(status?.credentials.expiresAt ?? null);
  const librarySwitch = useLibrarySwitch();
  const settingsButton = (
    <button type="button" className="button small" onClick={props.onOpenSettings}>
      Open settings
    </button>
  );
  const connectButton = (
    <button type="button" className="button small primary" onClick={props.onOpenSettings}>
      Connect your bucket
    </button>
  );

  return (
    <div className="banners">
      {props.statusError !== null && (
        <div className="banner banner-error" role="alert">
          <AlertIcon />
          <p>{props.statusError}</p>
        </div>
      )}
      {status?.mode === 'demo' &&
        (status.bucketConfigured ? (
          <div className="banner banner-demo" role="note" aria-label="Demo library">
            <InfoIcon />
            <p>
              <strong>Demo library.</strong> You are looking at a few sample calls; your own bucket is set in
              Settings.
            </p>
            <button
              type="button"
              className="button small primary"
              disabled={librarySwitch.opening !== null}
              onClick={() => void librarySwitch.open('settings')}
            >
              {librarySwitch.opening === 'settings' ? 'Opening your bucket…' : 'Open my bucket'}
            </button>
          </div>
        ) : (
          <div className="banner banner-demo" role="note" aria-label="Demo library">
            <InfoIcon />
            <p>
              <strong>Demo library.</strong> No S3 bucket is configured yet, so you are looking at a few
              sample calls. Connect your recordings bucket in Settings: it opens as soon as you save it.
            </p>
            {connectButton}
          </div>
        ))}
      {status?.mode === 'unconfigured' && (
        <div className="banner banner-warning" role="note">
          <InfoIcon />
          <p>
            <strong>No library configured.</strong> Set the bucket and credentials in Settings to see your
            calls.
          </p>
          {connectButton}
        </div>
      )}
      {status !== null && status.problem !== null && status.problem !== '' && (
        <div className="banner banner-error" role="alert">
          <AlertIcon />
          <p>{status.problem}</p>
          {settingsButton}
        </div>
      )}
      {status?.upstream?.state === 'failed' && (
        <div className="banner banner-error" role="alert">
          <AlertIcon />
          <p>
            <strong>Pulling calls from the upstream Recording API failed:</strong>{' '}
            {status.upstream.error ?? 'unknown error'}
          </p>
          {settingsButton}
        </div>
      )}
      {minutesLeft !== null && minutesLeft < EXPIRY_WARNING_MINUTES && (
        <div className="banner banner-warning" role="alert">
          <AlertIcon />
          <p>
            {minutesLeft <= 0
              ? 'Your AWS credentials have expired. Sign in again (for example `aws sso login`) to keep playing recordings.'
              : `Your AWS credentials expire in ${Math.max(1, Math.round(minutesLeft))} minute${Math.round(minutesLeft) === 1 ? '' : 's'}. Renew them (for example \`aws sso login\`) to avoid interruptions.`}
          </p>
        </div>
      )}
    </div>
  );
}
