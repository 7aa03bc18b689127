/**
 * The settings form as data: what it edits, what the environment pins (and says why), and the
 * update it sends — checked with the contract's own schema, so the dialog accepts exactly what the
 * core does, with a message that names the field and the rule.
 */
import type { z } from 'zod';
import {
  SYNC_INTERVAL_MAX_MINUTES,
  settingsUpdateSchema,
  type SettingsUpdate,
  type SettingsView,
} from '../../../shared/contract.ts';

/** Numbers are edited as text, so a half-typed value is not lost or coerced. */
export interface SettingsForm {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  credentialSource: SettingsView['credentialSource'];
  profile: string;
  downloadsDir: string;
  apiPort: string;
  syncIntervalMinutes: string;
  reviewerName: string;
  /** Empty: none (transcripts only beside the recordings). */
  transcriptsPrefix: string;
  /** Empty: the default team folder. */
  teamPrefix: string;
}

/** The form's text fields: what a text row edits. */
export type TextSetting = {
  [K in keyof SettingsForm]: SettingsForm[K] extends string ? K : never;
}[keyof SettingsForm];

/** Typed into the app, sent once, never read back (the renderer never sees a stored key). */
export interface Secrets {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export const noSecrets: Secrets = { accessKeyId: '', secretAccessKey: '', sessionToken: '' };

/** Where the problem is, so the dialog can mark that field; `form` when it is no single field. */
export type Problem = { field: keyof SettingsForm | keyof Secrets | 'form'; message: string };
export type Checked = { ok: true; update: SettingsUpdate } | { ok: false; problem: Problem };

export function formOf(view: SettingsView): SettingsForm {
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
    reviewerName: view.reviewerName,
    transcriptsPrefix: view.transcriptsPrefix ?? '',
    teamPrefix: view.teamPrefix ?? '',
  };
}

/**
 * Why a setting cannot be changed in the dialog, or null when it can: the variable that pins it,
 * e.g. "Set by S3_BUCKET in the environment, which wins over Settings".
 */
export function pinnedReason(view: SettingsView, setting: keyof SettingsForm): string | null {
  const pin = view.pinnedByEnvironment.find((entry) => entry.setting === setting);
  if (pin) return `Set by ${pin.variable} in the environment, which wins over Settings`;
  // A core that names no variable still says that the environment decides.
  return view.lockedByEnvironment.includes(setting) ? 'Set by environment, which wins over Settings' : null;
}

/** What each field is called on screen, for messages that name it. */
const LABELS: Readonly<Record<keyof SettingsForm | keyof Secrets, string>> = {
  bucket: 'Bucket',
  prefix: 'Prefix',
  region: 'Region',
  endpoint: 'Endpoint',
  forcePathStyle: 'Path-style addressing',
  credentialSource: 'Credentials',
  profile: 'Profile name',
  downloadsDir: 'Downloads folder',
  apiPort: 'API port',
  syncIntervalMinutes: 'Background sync',
  reviewerName: 'Reviewer name',
  transcriptsPrefix: 'Transcripts prefix',
  teamPrefix: 'Team prefix',
  accessKeyId: 'Access key id',
  secretAccessKey: 'Secret access key',
  sessionToken: 'Session token',
};

/** Messages for the rules a number field has; text fields get theirs from the schema's limits. */
const NUMBER_RULES: Partial<Record<keyof SettingsForm, string>> = {
  apiPort: 'The API port must be a whole number from 0 to 65535.',
  syncIntervalMinutes: `Background sync must be a whole number of minutes from 0 (off) to ${SYNC_INTERVAL_MAX_MINUTES}.`,
};

/** `"45"` is 45; anything that is not a plain number is NaN, which the schema refuses. */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The update Save and Test connection send: every setting the environment does not pin, keys only
 * when typed. Validated with `settingsUpdateSchema`; the first problem is returned, naming its field.
 */
export function checkSettings(form: SettingsForm, secrets: Secrets, view: SettingsView): Checked {
  const all: Record<keyof SettingsForm, unknown> = {
    bucket: form.bucket.trim(),
    prefix: form.prefix.trim(),
    region: form.region.trim(),
    endpoint: form.endpoint.trim(),
    forcePathStyle: form.forcePathStyle,
    credentialSource: form.credentialSource,
    profile: form.profile.trim(),
    downloadsDir: form.downloadsDir.trim(),
    apiPort: numberOf(form.apiPort),
    syncIntervalMinutes: numberOf(form.syncIntervalMinutes),
    reviewerName: form.reviewerName.trim(),
    transcriptsPrefix: form.transcriptsPrefix.trim(),
    teamPrefix: form.teamPrefix.trim(),
  };
  const candidate: Record<string, unknown> = Object.fromEntries(
    Object.entries(all).filter(([field]) => pinnedReason(view, field as keyof SettingsForm) === null),
  );

  const credentials = credentialProblem(form, secrets, view);
  if (credentials !== null) return { ok: false, problem: credentials };
  if (form.credentialSource === 'stored-keys' && secrets.accessKeyId.trim() !== '') {
    candidate.accessKeyId = secrets.accessKeyId.trim();
    candidate.secretAccessKey = secrets.secretAccessKey;
    if (secrets.sessionToken.trim() !== '') candidate.sessionToken = secrets.sessionToken.trim();
  }

  const parsed = settingsUpdateSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, update: parsed.data };
  const [issue] = parsed.error.issues;
  return { ok: false, problem: problemOf(issue) };
}

/** What the schema cannot say: a chosen source needs its name or its keys. */
function credentialProblem(form: SettingsForm, secrets: Secrets, view: SettingsView): Problem | null {
  if (pinnedReason(view, 'credentialSource') !== null) return null;
  if (form.credentialSource === 'profile' && form.profile.trim() === '' && !pinnedReason(view, 'profile')) {
    return {
      field: 'profile',
      message:
        'Enter the AWS profile’s name (a [profile …] of ~/.aws/config), or choose another credentials source.',
    };
  }
  if (form.credentialSource !== 'stored-keys') return null;
  const typedId = secrets.accessKeyId.trim() !== '';
  const typedSecret = secrets.secretAccessKey !== '';
  if (typedId !== typedSecret) {
    return {
      field: typedId ? 'secretAccessKey' : 'accessKeyId',
      message: 'Enter both the access key id and the secret access key.',
    };
  }
  if (!typedId && !view.hasStoredKeys) {
    return {
      field: 'accessKeyId',
      message: view.storedKeys.available
        ? 'Enter an access key id and secret access key, or choose another credentials source.'
        : (view.storedKeys.reason ?? 'Keys cannot be stored here: choose another credentials source.'),
    };
  }
  return null;
}

function problemOf(issue: z.core.$ZodIssue | undefined): Problem {
  if (issue === undefined) return { field: 'form', message: 'These settings are not valid.' };
  const key = issue.path[0];
  const field = typeof key === 'string' && key in LABELS ? (key as keyof typeof LABELS) : null;
  if (field === null) return { field: 'form', message: issue.message };
  const rule = field in NUMBER_RULES ? NUMBER_RULES[field as keyof SettingsForm] : undefined;
  if (rule !== undefined) return { field, message: rule };
  if (issue.code === 'too_big') {
    return { field, message: `${LABELS[field]} is too long: at most ${String(issue.maximum)} characters.` };
  }
  return { field, message: `${LABELS[field]}: ${issue.message}` };
}
