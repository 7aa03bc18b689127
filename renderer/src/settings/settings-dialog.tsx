import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import type { SettingsUpdate, SettingsView, SyncStatusView } from '../../../shared/contract.ts';
import { client } from '../client/tapedeck-client.ts';
import { formatCount } from '../calls/call-format.ts';
import { Dialog } from '../ui/dialog.tsx';
import { useNotify } from '../ui/notices.tsx';

type Form = Omit<SettingsView, 'hasStoredKeys' | 'lockedByEnvironment' | 'apiPort'> & { apiPort: string };
/** Typed into the app, sent once, never read back (the renderer never sees a stored key). */
type Secrets = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const noSecrets: Secrets = { accessKeyId: '', secretAccessKey: '', sessionToken: '' };

type Outcome = { ok: boolean; message: string } | null;

/** Where recordings come from and where downloads go; Test connection, Save, Sync now. */
export function SettingsDialog(props: { open: boolean; onClose: () => void; sync: SyncStatusView | null }) {
  const notify = useNotify();
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [secrets, setSecrets] = useState<Secrets>(noSecrets);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [test, setTest] = useState<Outcome>(null);
  const [busy, setBusy] = useState<'test' | 'save' | 'sync' | null>(null);

  useEffect(() => {
    if (!props.open) return;
    setTest(null);
    setSecrets(noSecrets);
    void client['settings:get']({}).then((reply) => {
      if (reply.ok) {
        setView(reply.value);
        setForm(formOf(reply.value));
        setLoadError(null);
      } else {
        setLoadError(reply.error.message);
      }
    });
  }, [props.open]);

  const locked = (field: keyof SettingsView) => view?.lockedByEnvironment.includes(field) ?? false;

  /** Only what the environment does not decide, and secrets only when typed. */
  const update = (): SettingsUpdate | string => {
    if (form === null) return 'Settings are not loaded yet.';
    const port = Number(form.apiPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      return 'The API port must be a number from 0 to 65535.';
    const all: SettingsUpdate = {
      bucket: form.bucket.trim(),
      prefix: form.prefix.trim(),
      region: form.region.trim(),
      endpoint: form.endpoint.trim(),
      forcePathStyle: form.forcePathStyle,
      credentialSource: form.credentialSource,
      profile: form.profile.trim(),
      downloadsDir: form.downloadsDir.trim(),
      apiPort: port,
    };
    const result = Object.fromEntries(
      Object.entries(all).filter(([field]) => !locked(field as keyof SettingsView)),
    ) as SettingsUpdate;
    if (form.credentialSource === 'stored-keys') {
      const typed = secrets.accessKeyId.trim() !== '' || secrets.secretAccessKey !== '';
      if (typed) {
        if (secrets.accessKeyId.trim() === '' || secrets.secretAccessKey === '') {
          return 'Enter both the access key id and the secret access key.';
        }
        result.accessKeyId = secrets.accessKeyId.trim();
        result.secretAccessKey = secrets.secretAccessKey;
        if (secrets.sessionToken.trim() !== '') result.sessionToken = secrets.sessionToken.trim();
      } else if (!view?.hasStoredKeys) {
        return 'Enter an access key id and secret access key, or choose another credentials source.';
      }
    }
    return result;
  };

  const testConnection = async () => {
    const input = update();
    if (typeof input === 'string') return setTest({ ok: false, message: input });
    setBusy('test');
    setTest(null);
    const reply = await client['settings:testConnection'](input);
    setBusy(null);
    setTest(reply.ok ? reply.value : { ok: false, message: reply.error.message });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const input = update();
    if (typeof input === 'string') return setTest({ ok: false, message: input });
    setBusy('save');
    const reply = await client['settings:update'](input);
    setBusy(null);
    if (!reply.ok) return setTest({ ok: false, message: reply.error.message });
    setView(reply.value);
    setForm(formOf(reply.value));
    setSecrets(noSecrets);
    notify('info', 'Settings saved.');
    props.onClose();
  };

  const syncNow = async () => {
    setBusy('sync');
    const reply = await client['sync:start']({});
    setBusy(null);
    if (!reply.ok) notify('error', reply.error.message);
  };

  const set = <K extends keyof Form>(field: K, value: Form[K]) =>
    setForm((f) => (f ? { ...f, [field]: value } : f));
  const sync = props.sync;

  return (
    <Dialog open={props.open} title="Settings" onClose={props.onClose} className="settings-dialog">
      {loadError !== null && <p className="form-error">{loadError}</p>}
      {form === null || view === null ? (
        loadError === null && <p className="muted">Loading settings…</p>
      ) : (
        <form className="settings-form" onSubmit={save} noValidate>
          <fieldset className="pairs">
            <legend>Recordings bucket</legend>
            <TextField
              label="Bucket"
              value={form.bucket}
              locked={locked('bucket')}
              onChange={(v) => set('bucket', v)}
              placeholder="call-recordings"
            />
            <TextField
              label="Prefix"
              value={form.prefix}
              locked={locked('prefix')}
              onChange={(v) => set('prefix', v)}
              placeholder="egress-recordings/"
            />
            <TextField
              label="Region"
              value={form.region}
              locked={locked('region')}
              onChange={(v) => set('region', v)}
              placeholder="us-east-1"
            />
            <TextField
              label="Endpoint"
              value={form.endpoint}
              locked={locked('endpoint')}
              onChange={(v) => set('endpoint', v)}
              placeholder="Leave empty for AWS"
              hint="Only for S3-compatible storage (MinIO, R2, …)."
            />
            <CheckField
              label="Path-style addressing"
              checked={form.forcePathStyle}
              locked={locked('forcePathStyle')}
              onChange={(v) => set('forcePathStyle', v)}
            />
          </fieldset>

          <fieldset disabled={locked('credentialSource')}>
            <legend>Credentials</legend>
            {locked('credentialSource') && <p className="locked-note">Set by environment</p>}
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
                checked={form.credentialSource === 'profile'}
                onChange={() => set('credentialSource', 'profile')}
              />
              {form.credentialSource === 'profile' && (
                <TextField
                  label="Profile name"
                  value={form.profile}
                  locked={locked('profile')}
                  onChange={(v) => set('profile', v)}
                  placeholder="default"
                  nested
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
                checked={form.credentialSource === 'stored-keys'}
                onChange={() => set('credentialSource', 'stored-keys')}
              />
              {form.credentialSource === 'stored-keys' && (
                <div className="nested">
                  {view.hasStoredKeys && <p className="keys-stored">✓ Keys stored</p>}
                  <SecretField
                    label="Access key id"
                    value={secrets.accessKeyId}
                    onChange={(v) => setSecrets((s) => ({ ...s, accessKeyId: v }))}
                  />
                  <SecretField
                    label="Secret access key"
                    value={secrets.secretAccessKey}
                    onChange={(v) => setSecrets((s) => ({ ...s, secretAccessKey: v }))}
                  />
                  <SecretField
                    label="Session token (optional)"
                    value={secrets.sessionToken}
                    onChange={(v) => setSecrets((s) => ({ ...s, sessionToken: v }))}
                  />
                </div>
              )}
            </div>
          </fieldset>

          <fieldset>
            <legend>This computer</legend>
            <TextField
              label="Downloads folder"
              value={form.downloadsDir}
              locked={locked('downloadsDir')}
              onChange={(v) => set('downloadsDir', v)}
            />
            <TextField
              label="API port"
              value={form.apiPort}
              locked={locked('apiPort')}
              onChange={(v) => set('apiPort', v)}
              inputMode="numeric"
              hint="Scripts reach the Recording API on this port."
            />
          </fieldset>

          {test !== null && (
            <p className={test.ok ? 'form-success' : 'form-error'} role={test.ok ? 'status' : 'alert'}>
              {test.message}
            </p>
          )}

          <div className="sync-row">
            <button
              type="button"
              className="button"
              onClick={() => void syncNow()}
              disabled={busy === 'sync' || sync?.state === 'running'}
            >
              Sync now
            </button>
            <SyncProgress sync={sync} />
          </div>

          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              onClick={() => void testConnection()}
              disabled={busy !== null}
            >
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" className="button primary" disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function SyncProgress(props: { sync: SyncStatusView | null }) {
  const { sync } = props;
  if (sync === null) return <span className="muted">Not synced yet in this session.</span>;
  const counts = `${formatCount(sync.objectsListed)} objects listed, ${formatCount(sync.recordingsAdded)} new, ${formatCount(sync.recordingsRemoved)} removed`;
  const text: Record<SyncStatusView['state'], string> = {
    idle: 'Idle.',
    running: `Syncing… ${counts}`,
    succeeded: `Synced${sync.finishedAt ? ` ${new Date(sync.finishedAt).toLocaleTimeString()}` : ''}: ${counts}.`,
    failed: `Sync failed: ${sync.error ?? 'unknown error'}`,
    cancelled: 'Sync cancelled.',
  };
  return (
    <span className={sync.state === 'failed' ? 'form-error inline' : 'muted'} role="status">
      {sync.state === 'running' && <progress aria-label="Sync progress" />}
      {text[sync.state]}
    </span>
  );
}

function formOf(view: SettingsView): Form {
  return {
    bucket: view.bucket,
    prefix: view.prefix,
    region: view.region,
    endpoint: view.endpoint,
    forcePathStyle: view.forcePathStyle,
    credentialSource: view.credentialSource,
    profile: view.profile,
    downloadsDir: view.downloadsDir,
    apiPort: String(view.apiPort),
  };
}

function Field(props: {
  label: string;
  hint?: string;
  locked?: boolean;
  nested?: boolean;
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const note = props.locked ? 'Set by environment' : props.hint;
  return (
    <div className={`field${props.nested ? ' nested' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy: note ? hintId : undefined })}
      {note && (
        <p id={hintId} className={props.locked ? 'locked-note' : 'hint'}>
          {note}
        </p>
      )}
    </div>
  );
}

function TextField(props: {
  label: string;
  value: string;
  locked: boolean;
  onChange: (value: string) => void;
  placeholder?: string;
  hint?: string;
  nested?: boolean;
  inputMode?: 'numeric';
}) {
  return (
    <Field label={props.label} hint={props.hint} locked={props.locked} nested={props.nested}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="text"
          value={props.value}
          readOnly={props.locked}
          aria-describedby={describedBy}
          placeholder={props.locked ? undefined : props.placeholder}
          inputMode={props.inputMode}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** Write-only: never pre-filled, never read back; the browser is told not to remember it either. */
function SecretField(props: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <Field label={props.label}>
      {({ id }) => (
        <input
          id={id}
          type="password"
          value={props.value}
          autoComplete="new-password"
          spellCheck={false}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

function CheckField(props: {
  label: string;
  checked: boolean;
  locked: boolean;
  onChange: (value: boolean) => void;
}) {
  const hintId = useId();
  return (
    <div className="field check-field">
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={props.locked}
          aria-describedby={props.locked ? hintId : undefined}
          onChange={(event) => props.onChange(event.target.checked)}
        />
        {props.label}
      </label>
      {props.locked && (
        <p id={hintId} className="locked-note">
          Set by environment
        </p>
      )}
    </div>
  );
}

function Radio(props: {
  name: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: () => void;
}) {
  const hintId = useId();
  return (
    <label className="radio">
      <input
        type="radio"
        name={props.name}
        checked={props.checked}
        onChange={props.onChange}
        aria-describedby={props.hint ? hintId : undefined}
      />
      <span>
        {props.label}
        {props.hint && (
          <span id={hintId} className="hint">
            {props.hint}
          </span>
        )}
      </span>
    </label>
  );
}
