import type { FormEvent } from 'react';
import type { SyncStatusView, UpstreamSyncStatusView } from '../../../shared/contract.ts';
import { Dialog } from '../ui/dialog.tsx';
import { BucketSection } from './bucket-section.tsx';
import { CredentialsSection } from './credentials-section.tsx';
import { SettingsActions } from './settings-actions.tsx';
import { SyncSection } from './sync-section.tsx';
import { ThisComputerSection } from './this-computer-section.tsx';
import { type LoadedSettings, useSettingsForm } from './use-settings-form.ts';

/** Where recordings come from and where downloads go; Test connection, Save, Sync now. */
export function SettingsDialog(props: {
  open: boolean;
  onClose: () => void;
  sync: SyncStatusView | null;
  /** The pull from the upstream Recording API, or null when none is configured. */
  upstream: UpstreamSyncStatusView | null;
}) {
  const state = useSettingsForm(props.open);
  const { view, form, verdict } = state;
  const settings: LoadedSettings | null =
    view === null || form === null
      ? null
      : {
          view,
          form,
          set: state.set,
          invalid: (field) => verdict !== null && !verdict.ok && verdict.field === field,
        };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await state.save()) props.onClose();
  };

  return (
    <Dialog open={props.open} title="Settings" onClose={props.onClose} className="settings-dialog">
      {state.loadError !== null && <p className="form-error">{state.loadError}</p>}
      {settings === null ? (
        state.loadError === null && <p className="muted">Loading settings…</p>
      ) : (
        <form className="settings-form" onSubmit={save} noValidate>
          <BucketSection settings={settings} />
          <CredentialsSection settings={settings} secrets={state.secrets} onSecret={state.setSecret} />
          <ThisComputerSection settings={settings} />
          <SyncSection
            sync={props.sync}
            upstream={props.upstream}
            busy={state.busy === 'sync'}
            onSyncNow={() => void state.syncNow()}
          />
          <SettingsActions verdict={verdict} busy={state.busy} onTest={() => void state.testConnection()} />
        </form>
      )}
    </Dialog>
  );
}
