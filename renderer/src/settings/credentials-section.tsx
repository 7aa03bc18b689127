import { useId } from 'react';
import { Radio, SecretField, TextField } from '../ui/form-fields.tsx';
import { pinnedReason, type Secrets } from './settings-form.ts';
import type { LoadedSettings } from './use-settings-form.ts';

/**
 * How Tapedeck signs in to S3. A source that cannot work here (stored keys without an OS keychain)
 * is shown disabled with the reason and what to use instead, before anything is typed.
 */
export function CredentialsSection(props: {
  settings: LoadedSettings;
  secrets: Secrets;
  onSecret: (field: keyof Secrets, value: string) => void;
}) {
  const { view, form, set, invalid } = props.settings;
  const pinned = pinnedReason(view, 'credentialSource');
  const pinnedId = useId();
  const keysReason = view.storedKeys.available
    ? null
    : (view.storedKeys.reason ?? 'Keys cannot be stored here.');
  return (
    <fieldset disabled={pinned !== null} aria-describedby={pinned ? pinnedId : undefined}>
      <legend>Credentials</legend>
      {pinned !== null && (
        <p id={pinnedId} className="locked-note">
          {pinned}
        </p>
      )}
      <div className="radio-group" role="radiogroup" aria-label="Credentials source">
        <Radio
          name="credentials"
          label="AWS default chain"
          hint="Environment, shared config, SSO or an instance role — as the AWS CLI finds them."
          checked={form.credentialSource === 'default-chain'}
          onChange={() => set('credentialSource', 'default-chain')}
        />
        <Radio
          name="credentials"
          label="AWS profile"
          hint="A profile of ~/.aws/config and ~/.aws/credentials (for SSO, run `aws sso login` first)."
          checked={form.credentialSource === 'profile'}
          onChange={() => set('credentialSource', 'profile')}
        />
        {form.credentialSource === 'profile' && (
          <TextField
            label="Profile name"
            placeholder="default"
            nested
            value={form.profile}
            onChange={(value) => set('profile', value)}
            disabledReason={pinnedReason(view, 'profile')}
            invalid={invalid('profile')}
          />
        )}
        <Radio
          name="credentials"
          label="Access keys stored in Tapedeck"
          hint={
            view.hasStoredKeys
              ? 'Keys stored. Type new ones to replace them.'
              : 'Kept encrypted in the OS keychain.'
          }
          disabledReason={keysReason}
          checked={form.credentialSource === 'stored-keys'}
          onChange={() => set('credentialSource', 'stored-keys')}
        />
        {form.credentialSource === 'stored-keys' && keysReason === null && (
          <div className="nested">
            {view.hasStoredKeys && <p className="keys-stored">✓ Keys stored</p>}
            <SecretField
              label="Access key id"
              value={props.secrets.accessKeyId}
              invalid={invalid('accessKeyId')}
              onChange={(value) => props.onSecret('accessKeyId', value)}
            />
            <SecretField
              label="Secret access key"
              value={props.secrets.secretAccessKey}
              invalid={invalid('secretAccessKey')}
              onChange={(value) => props.onSecret('secretAccessKey', value)}
            />
            <SecretField
              label="Session token (optional)"
              value={props.secrets.sessionToken}
              onChange={(value) => props.onSecret('sessionToken', value)}
            />
          </div>
        )}
      </div>
    </fieldset>
  );
}
