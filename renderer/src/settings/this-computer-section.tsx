import { useDisplayZone, type DisplayZone } from '../preferences/display-zone.ts';
import { ChoiceField, TextField } from '../ui/form-fields.tsx';
import { pinnedReason, type TextSetting } from './settings-form.ts';
import type { LoadedSettings } from './use-settings-form.ts';

const ZONES: readonly { value: DisplayZone; label: string }[] = [
  { value: 'local', label: 'Local' },
  { value: 'utc', label: 'UTC' },
];

/** What belongs to this computer and this person: downloads, the API port, sync, name, time zone. */
export function ThisComputerSection(props: { settings: LoadedSettings }) {
  const { view, form, set, invalid } = props.settings;
  const [zone, setZone] = useDisplayZone();
  const text = (
    field: TextSetting,
    label: string,
    extra: { hint?: string; unit?: string; inputMode?: 'numeric'; placeholder?: string } = {},
  ) => (
    <TextField
      label={label}
      value={form[field]}
      onChange={(value) => set(field, value)}
      disabledReason={pinnedReason(view, field)}
      invalid={invalid(field)}
      {...extra}
    />
  );
  return (
    <fieldset>
      <legend>This computer</legend>
      {text('downloadsDir', 'Downloads folder')}
      {text('apiPort', 'API port', {
        inputMode: 'numeric',
        hint: 'Scripts reach the Recording API on this port.',
      })}
      {text('syncIntervalMinutes', 'Background sync every', {
        unit: 'minutes',
        inputMode: 'numeric',
        hint: '0 turns background sync off; Sync now always works.',
      })}
      {text('reviewerName', 'Reviewer name', { hint: 'Your reviews are signed with this name.' })}
      <ChoiceField
        label="Times shown in"
        value={zone}
        options={ZONES}
        onChange={setZone}
        hint="Applies at once to the list, the filters and the player, in this browser."
      />
    </fieldset>
  );
}
