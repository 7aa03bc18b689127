import { CheckField, TextField } from '../ui/form-fields.tsx';
import { pinnedReason, type TextSetting } from './settings-form.ts';
import type { LoadedSettings } from './use-settings-form.ts';

/** Where the recordings are: bucket, prefix, region, endpoint, path-style, and the transcripts' and team's folders. */
export function BucketSection(props: { settings: LoadedSettings }) {
  const { view, form, set } = props.settings;
  const text = (field: TextSetting, label: string, extra: { placeholder?: string; hint?: string } = {}) => (
    <TextField
      label={label}
      value={form[field]}
      onChange={(value) => set(field, value)}
      disabledReason={pinnedReason(view, field)}
      invalid={props.settings.invalid(field)}
      {...extra}
    />
  );
  return (
    <fieldset className="pairs">
      <legend>Recordings bucket</legend>
      {text('bucket', 'Bucket', { placeholder: 'call-recordings' })}
      {text('prefix', 'Prefix', { placeholder: 'egress-recordings/' })}
      {text('region', 'Region', {
        placeholder: 'us-east-1',
        hint: 'The bucket’s region, as the AWS console shows it.',
      })}
      {text('endpoint', 'Endpoint', {
        placeholder: 'Leave empty for AWS',
        hint: 'Only for S3-compatible storage (MinIO, R2, …).',
      })}
      {text('transcriptsPrefix', 'Transcripts prefix', {
        placeholder: 'Leave empty: beside the recordings',
        hint: 'Transcripts are always looked for beside each recording (same name, .transcript.json, .vtt or .srt). If yours are kept elsewhere in the bucket with the same path below it, e.g. transcripts/2025/08/08/…, enter that folder.',
      })}
      {text('teamPrefix', 'Team prefix', {
        placeholder: 'tapedeck/',
        hint: 'Where the team’s reviews are shared in the bucket. Leave empty for tapedeck/ beside the recordings prefix (egress-recordings/ → tapedeck/); the sync never reads it as recordings.',
      })}
      <CheckField
        label="Path-style addressing"
        hint="For servers that want http://host/bucket/key (MinIO, most S3-compatible storage)."
        checked={form.forcePathStyle}
        disabledReason={pinnedReason(view, 'forcePathStyle')}
        onChange={(value) => set('forcePathStyle', value)}
      />
    </fieldset>
  );
}
