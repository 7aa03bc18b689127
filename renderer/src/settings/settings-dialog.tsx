import { createContext, type FormEvent, type ReactNode, useContext, useEffect, useId, useState } from 'react';
import type {
  SettingsUpdate,
  SettingsView,
  SyncStatusView,
  UpstreamSyncStatusView,
} from '../../../shared/contract.ts';
import { client } from '../client/tapedeck-client.ts';
import { syncNotes, syncStateText, upstreamStateText } from '../library/sync-text.ts';
import { Dialog } from '../ui/dialog.tsx';
import { useNotify } from '../ui/notices.tsx';

/** Numbers are edited as text, so a half-typed value is not lost or coerced. */
type Form = Omit<
  SettingsView,
  'hasStoredKeys' | 'lockedByEnvironment' | 'apiPort' | 'syncIntervalMinutes'
> & { apiPort: string; syncIntervalMinutes: string };
/** The form's text fields: what a `SettingText` row edits. */
type TextKey = { [K in keyof Form]: string extends Form[K] ? K : never }[keyof Form];
/** Typed into the app, sent once, never read back (the renderer never sees a stored key). */
type Secrets = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const noSecrets: Secrets = { accessKeyId: '', secretAccessKey: '', sessionToken: '' };

type Outcome = { ok: boolean; message: string } | null;

/** The longest background-sync interval Settings accepts: a week, in minutes. */
const MAX_SYNC_INTERVAL_MINUTES = 10_080;

/** What a row of the form needs to show and edit its setting. */
interface FormBinding {
  readonly form: Form;
  readonly locked: (field: keyof SettingsView) => boolean;
  readonly set: <K extends keyof Form>(field: K, value: Form[K]) => void;
}

const FormContext = createContext<FormBinding | null>(null);

/** Where recordings come from and where downloads go; Test connection, Save, Sync now. */
export function SettingsDialog(props: {
  open: boolean;
  onClose: () => void;
  sync: SyncStatusView | null;
  /** The pull from the upstream Recording API, or null when none is configured. */
  upstream: UpstreamSyncStatusView | null;
}) {
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
    const interval = form.syncIntervalMinutes.trim();
    const minutes = /^\d+$/.test(interval) ? Number(interval) : Number.NaN;
    if (!Number.isInteger(minutes) || minutes > MAX_SYNC_INTERVAL_MINUTES)
      return `Background sync must be a whole number of minutes from 0 (off) to ${MAX_SYNC_INTERVAL_MINUTES}.`;
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
      syncIntervalMinutes: minutes,
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
  const binding: FormBinding | null = form === null ? null : { form, locked, set };

  return (
    <Dialog open={props.open} title="Settings" onClose={props.onClose} className="settings-dialog">
      {loadError !== null && <p className="form-error">{loadError}</p>}
      {form === null || view === null || binding === null ? (
        loadError === null && <p className="muted">Loading settings…</p>
      ) : (
        <FormContext.Provider value={binding}>
          <form className="settings-form" onSubmit={save} noValidate>
            <fieldset className="pairs">
              <legend>Recordings bucket</legend>
              <SettingText field="bucket" label="Bucket" placeholder="call-recordings" />
              <SettingText field="prefix" label="Prefix" placeholder="egress-recordings/" />
              <SettingText field="region" label="Region" placeholder="us-east-1" />
              <SettingText
                field="endpoint"
                label="Endpoint"
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
                  <SettingText field="profile" label="Profile name" placeholder="default" nested />
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
              <SettingText field="downloadsDir" label="Downloads folder" />
              <SettingText
                field="apiPort"
                label="API port"
                inputMode="numeric"
                hint="Scripts reach the Recording API on this port."
              />
              <SettingText
                field="syncIntervalMinutes"
                label="Background sync every"
                unit="minutes"
                inputMode="numeric"
                hint="0 turns background sync off; Sync now always works."
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
              {props.upstream !== null && <UpstreamProgress upstream={props.upstream} />}
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
        </FormContext.Provider>
      )}
    </Dialog>
  );
}

function SyncProgress(props: { sync: SyncStatusView | null }) {
  const { sync } = props;
  if (sync === null) return <span className="muted">Not synced yet in this session.</span>;
  // Folder counts make the bar determinate once the run knows how many folders it will list.
  const known = sync.state === 'running' && sync.foldersTotal > 0;
  return (
    <span className={sync.state === 'failed' ? 'form-error inline' : 'muted'} role="status">
      {sync.state === 'running' &&
        (known ? (
          <progress aria-label="Sync progress" value={sync.foldersDone} max={sync.foldersTotal} />
        ) : (
          <progress aria-label="Sync progress" />
        ))}
      {syncStateText(sync)}
      {syncNotes(sync).map((note) => (
        <span key={note.text} className={note.warning ? 'sync-note warning' : 'sync-note'}>
          {' · '}
          {note.text}
        </span>
      ))}
    </span>
  );
}

/** The upstream Recording API's pull, on its own line under the S3 sync. */
function UpstreamProgress(props: { upstream: UpstreamSyncStatusView }) {
  const { upstream } = props;
  return (
    <span
      className={`upstream-status ${upstream.state === 'failed' ? 'form-error inline' : 'muted'}`}
      role="status"
      aria-label="Upstream API"
    >
      {upstream.state === 'running' && <progress aria-label="Upstream pull progress" />}
      {upstreamStateText(upstream)}
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
    syncIntervalMinutes: String(view.syncIntervalMinutes),
  };
}

/** One row of the form: a text setting, read from and written to the form, locked by the environment. */
function SettingText(props: {
  field: TextKey;
  label: string;
  placeholder?: string;
  hint?: string;
  nested?: boolean;
  inputMode?: 'numeric';
  unit?: string;
}) {
  const binding = useContext(FormContext);
  if (binding === null) throw new Error('SettingText outside the settings form');
  const { field, ...rest } = props;
  return (
    <TextField
      {...rest}
      value={binding.form[field]}
      locked={binding.locked(field)}
      onChange={(value) => binding.set(field, value)}
    />
  );
}

/** What a field says under it: the environment's lock, or its hint. */
function FieldNote(props: { id: string; locked: boolean; hint?: string }) {
  const note = props.locked ? 'Set by environment' : props.hint;
  if (!note) return null;
  return (
    <p id={props.id} className={props.locked ? 'locked-note' : 'hint'}>
      {note}
    </p>
  );
}

function Field(props: {
  label: string;
  hint?: string;
  locked?: boolean;
  nested?: boolean;
  children: (ids: { id: string; labelId: string; describedBy: string | undefined }) => ReactNode;
}) {
  const id = useId();
  const labelId = useId();
  const hintId = useId();
  const noted = props.locked || Boolean(props.hint);
  return (
    <div className={`field${props.nested ? ' nested' : ''}`}>
      <label id={labelId} htmlFor={id}>
        {props.label}
      </label>
      {props.children({ id, labelId, describedBy: noted ? hintId : undefined })}
      <FieldNote id={hintId} locked={props.locked ?? false} hint={props.hint} />
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
  /** A word after the box (`minutes`), read as part of the field's name. */
  unit?: string;
}) {
  const unitId = useId();
  return (
    <Field label={props.label} hint={props.hint} locked={props.locked} nested={props.nested}>
      {({ id, labelId, describedBy }) => {
        const input = (
          <input
            id={id}
            aria-labelledby={props.unit === undefined ? undefined : `${labelId} ${unitId}`}
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
      <FieldNote id={hintId} locked={props.locked} />
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
