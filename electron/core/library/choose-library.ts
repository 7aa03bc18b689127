import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { DEFAULT_S3_PREFIX } from '../../../shared/dispatch.ts';
import type { LibraryStatus } from '../../../shared/contract.ts';
import { normalisePrefix, readConfig, type S3Location } from '../config.ts';
import { withBucketFolders } from '../settings/bucket-folders.ts';
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
  /** The profile saved in Settings, when credentials come from it: its region applies too. */
  readonly profile?: string;
}

export const DEMO_CHOICE: LibraryChoice = {
  mode: 'demo',
  location: null,
  credentials: undefined,
  credentialSource: 'demo',
};

/**
 * Decides what to open. The environment wins (so `serve` and scripts behave as documented); a bucket
 * saved in the app comes next; with neither, the desktop app and `npm run demo` open the demo.
 */
export function chooseLibrary(
  env: Env,
  saved: SavedSettings,
  storedKeys: StoredKeys | null,
  options: { demoWhenUnconfigured: boolean },
): LibraryChoice {
  const fromEnv = readConfig(env).s3;
  const chosen: S3Location | null =
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
  // The transcripts and team folders come from the environment, else Settings, whichever gave the bucket.
  const location = chosen && withBucketFolders(chosen, env, saved);
  if (!location) {
    return options.demoWhenUnconfigured
      ? DEMO_CHOICE
      : { mode: 'unconfigured', location: null, credentials: undefined, credentialSource: 'none' };
  }
  return { mode: 'bucket', location, ...credentialsFor(env, saved, storedKeys) };
}

function credentialsFor(
  env: Env,
  saved: SavedSettings,
  storedKeys: StoredKeys | null,
): Pick<LibraryChoice, 'credentials' | 'credentialSource' | 'profile'> {
  if (env.AWS_ACCESS_KEY_ID?.trim()) return { credentials: undefined, credentialSource: 'environment' };
  if (env.AWS_PROFILE?.trim()) return { credentials: undefined, credentialSource: 'profile' };
  if (saved.credentialSource === 'profile' && saved.profile.trim()) {
    // fromIni follows the profile wherever it leads: SSO, role assumption, credential_process.
    return {
      credentials: fromIni({ profile: saved.profile.trim() }),
      credentialSource: 'profile',
      profile: saved.profile.trim(),
    };
  }
  if (saved.credentialSource === 'stored-keys' && storedKeys) {
    return { credentials: { ...storedKeys }, credentialSource: 'stored-keys' };
  }
  return { credentials: undefined, credentialSource: 'default-chain' };
}
