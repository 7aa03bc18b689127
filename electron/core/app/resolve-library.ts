import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { DEFAULT_S3_PREFIX } from '../../../shared/dispatch.ts';
import type { LibraryStatus, SettingsView } from '../../../shared/contract.ts';
import { normalisePrefix, readConfig, type S3Location } from '../config.ts';
import type { SavedSettings, StoredKeys } from '../settings/settings-store.ts';

type Env = Readonly<Record<string, string | undefined>>;
export type CredentialSource = LibraryStatus['credentials']['source'];

/** Which library to open, from the environment first and the saved settings second. */
export interface LibraryChoice {
  readonly mode: 'demo' | 'bucket' | 'unconfigured';
  readonly location: S3Location | null;
  /** undefined: the SDK's default chain (env keys, AWS_PROFILE, SSO, roles). */
  readonly credentials: S3ClientConfig['credentials'] | undefined;
  readonly credentialSource: CredentialSource;
}

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
};

export function lockedByEnvironment(env: Env): string[] {
  return Object.entries(ENVIRONMENT_OVERRIDES)
    .filter(([, names]) => names.some((name) => env[name]?.trim()))
    .map(([field]) => field);
}

/**
 * Decides what to open. The environment wins (so `serve` and scripts behave as documented); a bucket
 * saved in the app comes next; with neither, the desktop app and `npm run demo` open the demo.
 */
export function chooseLibrary(
  env: Env,
  saved: SavedSettings,
  storedKeys: StoredKeys | null,
  options: { demoWhenUnconfigured: boolean; forceDemo?: boolean },
): LibraryChoice {
  if (options.forceDemo)
    return { mode: 'demo', location: null, credentials: undefined, credentialSource: 'demo' };
  const fromEnv = readConfig(env).s3;
  const location: S3Location | null =
    fromEnv ??
    (saved.bucket.trim()
      ? {
          bucket: saved.bucket.trim(),
          prefix: normalisePrefix(saved.prefix || DEFAULT_S3_PREFIX),
          region: saved.region.trim() || undefined,
          endpoint: saved.endpoint.trim().replace(/\/+$/, '') || undefined,
          forcePathStyle: saved.forcePathStyle,
        }
      : null);
  if (!location) {
    return options.demoWhenUnconfigured
      ? { mode: 'demo', location: null, credentials: undefined, credentialSource: 'demo' }
      : { mode: 'unconfigured', location: null, credentials: undefined, credentialSource: 'none' };
  }
  return { mode: 'bucket', location, ...credentialsFor(env, saved, storedKeys) };
}

function credentialsFor(
  env: Env,
  saved: SavedSettings,
  storedKeys: StoredKeys | null,
): Pick<LibraryChoice, 'credentials' | 'credentialSource'> {
  if (env.AWS_ACCESS_KEY_ID?.trim()) return { credentials: undefined, credentialSource: 'environment' };
  if (env.AWS_PROFILE?.trim()) return { credentials: undefined, credentialSource: 'profile' };
  if (saved.credentialSource === 'profile' && saved.profile.trim()) {
    // fromIni follows the profile wherever it leads: SSO, role assumption, credential_process.
    return { credentials: fromIni({ profile: saved.profile.trim() }), credentialSource: 'profile' };
  }
  if (saved.credentialSource === 'stored-keys' && storedKeys) {
    return { credentials: { ...storedKeys }, credentialSource: 'stored-keys' };
  }
  return { credentials: undefined, credentialSource: 'default-chain' };
}

export function settingsView(
  saved: SavedSettings,
  env: Env,
  hasStoredKeys: boolean,
  effective: { downloadsDir: string; apiPort: number; syncIntervalMinutes: number },
): SettingsView {
  const config = readConfig(env);
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
    lockedByEnvironment: lockedByEnvironment(env),
  };
}
