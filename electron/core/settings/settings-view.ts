import { DEFAULT_S3_PREFIX } from '../../../shared/dispatch.ts';
import type { SettingsView } from '../../../shared/contract.ts';
import { normalisePrefix, readConfig } from '../config.ts';
import type { SavedSettings } from './settings-store.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Settings an environment variable overrides, by the settings field they replace. */
const ENVIRONMENT_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  bucket: ['S3_BUCKET'],
  prefix: ['S3_PREFIX'],
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  endpoint: ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'],
  forcePathStyle: ['S3_FORCE_PATH_STYLE'],
  profile: ['AWS_PROFILE'],
  credentialSource: ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE'],
  downloadsDir: ['TAPEDECK_DOWNLOADS_DIR'],
  apiPort: ['TAPEDECK_PORT', 'PORT'],
  syncIntervalMinutes: ['TAPEDECK_SYNC_INTERVAL_MINUTES'],
  reviewerName: ['TAPEDECK_REVIEWER'],
  transcriptsPrefix: ['TAPEDECK_TRANSCRIPTS_PREFIX'],
  teamPrefix: ['TAPEDECK_TEAM_PREFIX'],
};

/** Each setting the environment pins, with the variable that pins it. */
export function pinnedByEnvironment(env: Env): { setting: string; variable: string }[] {
  return Object.entries(ENVIRONMENT_OVERRIDES).flatMap(([setting, names]) => {
    const variable = names.find((name) => env[name]?.trim());
    return variable ? [{ setting, variable }] : [];
  });
}

/** The settings as the page sees them: what is in effect, what the environment pins, never a secret. */
export function settingsView(
  saved: SavedSettings,
  env: Env,
  hasStoredKeys: boolean,
  storedKeys: SettingsView['storedKeys'],
  effective: {
    downloadsDir: string;
    apiPort: number;
    syncIntervalMinutes: number;
    reviewerName: string;
    transcriptsPrefix: string | null;
    teamPrefix: string | null;
  },
): SettingsView {
  const config = readConfig(env);
  const pinned = pinnedByEnvironment(env);
  return {
    bucket: config.s3?.bucket ?? saved.bucket,
    prefix: config.s3?.prefix ?? normalisePrefix(saved.prefix || DEFAULT_S3_PREFIX),
    region: config.s3?.region ?? saved.region,
    endpoint: config.s3?.endpoint ?? saved.endpoint,
    forcePathStyle: config.s3?.forcePathStyle ?? saved.forcePathStyle,
    credentialSource: saved.credentialSource,
    profile: env.AWS_PROFILE?.trim() || saved.profile,
    hasStoredKeys,
    downloadsDir: effective.downloadsDir,
    apiPort: effective.apiPort,
    syncIntervalMinutes: effective.syncIntervalMinutes,
    reviewerName: effective.reviewerName,
    transcriptsPrefix: effective.transcriptsPrefix,
    teamPrefix: effective.teamPrefix,
    lockedByEnvironment: pinned.map((pin) => pin.setting),
    pinnedByEnvironment: pinned,
    storedKeys,
  };
}
