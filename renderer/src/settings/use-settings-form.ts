/**
 * The settings dialog's state: the view read when it opens, what is typed, and what Test
 * connection, Save and Sync now do with it. The verdict of the latest check stays beside its button.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SettingsView } from '../../../shared/contract.ts';
import { client } from '../client/tapedeck-client.ts';
import { useNotify } from '../ui/notices.tsx';
import {
  checkSettings,
  formOf,
  noSecrets,
  type Problem,
  type Secrets,
  type SettingsForm,
} from './settings-form.ts';

/** What Test connection or Save found: success, or what is wrong (and with which field). */
export type Verdict =
  { ok: true; message: string } | { ok: false; message: string; field: Problem['field'] | null };

export type Busy = 'test' | 'save' | 'sync' | null;

export interface SettingsFormState {
  readonly view: SettingsView | null;
  readonly form: SettingsForm | null;
  readonly secrets: Secrets;
  readonly loadError: string | null;
  readonly verdict: Verdict | null;
  readonly busy: Busy;
  set<K extends keyof SettingsForm>(field: K, value: SettingsForm[K]): void;
  setSecret(field: keyof Secrets, value: string): void;
  testConnection(): Promise<void>;
  /** Resolves true once saved. */
  save(): Promise<boolean>;
  syncNow(): Promise<void>;
}

export function useSettingsForm(open: boolean): SettingsFormState {
  const notify = useNotify();
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [secrets, setSecrets] = useState<Secrets>(noSecrets);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [busy, setBusy] = useState<Busy>(null);

  // Read afresh each time the dialog opens: the environment or another window may have changed it.
  useEffect(() => {
    if (!open) return;
    setVerdict(null);
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
  }, [open]);

  const set = useCallback(<K extends keyof SettingsForm>(field: K, value: SettingsForm[K]) => {
    setForm((current) => (current ? { ...current, [field]: value } : current));
  }, []);

  const setSecret = useCallback((field: keyof Secrets, value: string) => {
    setSecrets((current) => ({ ...current, [field]: value }));
  }, []);

  /** The update to send, or null after showing what is wrong with the form. */
  const checked = () => {
    if (form === null || view === null) {
      setVerdict({ ok: false, message: 'Settings are not loaded yet.', field: null });
      return null;
    }
    const result = checkSettings(form, secrets, view);
    if (result.ok) return result.update;
    setVerdict({ ok: false, message: result.problem.message, field: result.problem.field });
    return null;
  };

  const testConnection = async () => {
    const update = checked();
    if (update === null) return;
    setBusy('test');
    setVerdict(null);
    const reply = await client['settings:testConnection'](update);
    setBusy(null);
    setVerdict(
      reply.ok
        ? reply.value.ok
          ? { ok: true, message: reply.value.message }
          : { ok: false, message: reply.value.message, field: null }
        : { ok: false, message: reply.error.message, field: null },
    );
  };

  const save = async () => {
    const update = checked();
    if (update === null) return false;
    setBusy('save');
    const reply = await client['settings:update'](update);
    setBusy(null);
    if (!reply.ok) {
      setVerdict({ ok: false, message: reply.error.message, field: null });
      return false;
    }
    setView(reply.value);
    setForm(formOf(reply.value));
    setSecrets(noSecrets);
    setVerdict(null);
    notify('info', 'Settings saved.');
    return true;
  };

  const syncNow = async () => {
    setBusy('sync');
    const reply = await client['sync:start']({});
    setBusy(null);
    if (!reply.ok) notify('error', reply.error.message);
  };

  return { view, form, secrets, loadError, verdict, busy, set, setSecret, testConnection, save, syncNow };
}

/** What a section of the form needs once the settings are loaded. */
export interface LoadedSettings {
  readonly view: SettingsView;
  readonly form: SettingsForm;
  readonly set: SettingsFormState['set'];
  /** Whether the latest check found this field wrong (it is marked invalid). */
  readonly invalid: (field: Problem['field']) => boolean;
}
