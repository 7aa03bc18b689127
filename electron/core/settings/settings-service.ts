import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { SettingsUpdate, SettingsView } from '../../../shared/contract.ts';
import type { AppPorts } from '../app/app-ports.ts';
import { describeLocation, readConfig, readSyncInterval } from '../config.ts';
import { chooseLibrary } from '../library/choose-library.ts';
import type { LibrarySession, S3ClientFactory } from '../library/library-session.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import type { SettingsStore } from './settings-store.ts';
import { userInfo } from 'node:os';
import { bucketFolders } from './bucket-folders.ts';
import { settingsView } from './settings-view.ts';

type Env = Readonly<Record<string, string | undefined>>;

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'reviewer'; // no user entry (some containers)
  }
}

/** What changes where recordings come from: saving one of these may open another library. */
const LOCATION_FIELDS = [
  'bucket',
  'prefix',
  'region',
  'endpoint',
  'forcePathStyle',
  'transcriptsPrefix',
  'teamPrefix',
] as const;
const CREDENTIAL_FIELDS = [
  'credentialSource',
  'profile',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
] as const;

export interface SettingsServiceOptions {
  readonly env: Env;
  readonly store: SettingsStore;
  readonly session: LibrarySession;
  readonly ports: AppPorts;
  readonly createS3Client: S3ClientFactory;
  /** Told when the sync interval may have changed. */
  readonly onSyncIntervalChanged: () => void;
}

/**
 * The settings domain: what is saved, what is in effect (the environment wins), testing a bucket
 * before saving it, and saving — which opens the bucket at once when it changes what should be open.
 */
export class SettingsService {
  readonly #options: SettingsServiceOptions;

  constructor(options: SettingsServiceOptions) {
    this.#options = options;
  }

  /** Where downloads go: TAPEDECK_DOWNLOADS_DIR, else Settings, else the OS Downloads folder. */
  downloadsDir(): string {
    const { env, store, ports } = this.#options;
    return (
      env.TAPEDECK_DOWNLOADS_DIR?.trim() || store.current.downloadsDir.trim() || ports.defaultDownloadsDir
    );
  }

  /** TAPEDECK_PORT (or PORT) wins; else the port saved in Settings (default 8000). */
  apiPort(): number {
    const { env, store } = this.#options;
    return env.TAPEDECK_PORT?.trim() || env.PORT?.trim() ? readConfig(env).port : store.current.apiPort;
  }

  /** Who this machine's reviews are by: TAPEDECK_REVIEWER, else Settings, else the OS user name. */
  reviewerName(): string {
    const { env, store } = this.#options;
    return env.TAPEDECK_REVIEWER?.trim() || store.current.reviewerName.trim() || osUserName();
  }

  /**
   * Where transcripts lie apart from the recordings (same path below it): TAPEDECK_TRANSCRIPTS_PREFIX,
   * else Settings; null when neither sets one (transcripts are then only looked for beside them).
   */
  transcriptsPrefix(): string | null {
    return bucketFolders(this.#options.env, this.#options.store.current).transcriptsPrefix;
  }

  /**
   * Where the team's reviews are shared in the bucket: TAPEDECK_TEAM_PREFIX, else Settings; null
   * when neither sets one (team-prefix.ts then puts it at `tapedeck/` beside the recordings prefix).
   */
  teamPrefix(): string | null {
    return bucketFolders(this.#options.env, this.#options.store.current).teamPrefix;
  }

  syncIntervalMinutes(): number {
    return readSyncInterval(this.#options.env) ?? this.#options.store.current.syncIntervalMinutes;
  }

  view(): SettingsView {
    const { env, store, ports } = this.#options;
    const available = ports.secretStore.isAvailable();
    return settingsView(
      store.current,
      env,
      store.current.encryptedKeys !== null,
      {
        available,
        reason: available
          ? null
          : 'Keys can only be stored by the desktop app (it keeps them in the OS keychain). Here, use an AWS profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment.',
      },
      {
        downloadsDir: this.downloadsDir(),
        apiPort: this.apiPort(),
        syncIntervalMinutes: this.syncIntervalMinutes(),
        reviewerName: this.reviewerName(),
        transcriptsPrefix: this.transcriptsPrefix(),
        teamPrefix: this.teamPrefix(),
      },
    );
  }

  /** Saves, then opens the library the settings now name when that changed. */
  async update(change: SettingsUpdate): Promise<SettingsView> {
    this.#options.store.update(change);
    if ('syncIntervalMinutes' in change) this.#options.onSyncIntervalChanged();
    await this.#options.session.settingsChanged(
      CREDENTIAL_FIELDS.some((field) => field in change),
      LOCATION_FIELDS.some((field) => field in change),
    );
    return this.view();
  }

  /** Lists the first objects under the prefix with these (unsaved) settings, and says what it found. */
  async testConnection(change: SettingsUpdate): Promise<{ ok: boolean; message: string }> {
    const { env, store, createS3Client } = this.#options;
    const preview = store.preview(change);
    const choice = chooseLibrary(env, preview.settings, preview.keys, { demoWhenUnconfigured: false });
    if (!choice.location) return { ok: false, message: 'Enter a bucket name first.' };
    const { bucket, prefix } = choice.location;
    const where = describeLocation(choice.location);
    const client = createS3Client(choice.location, choice.credentials, choice.profile);
    try {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 100 }),
      );
      const recordings = (page.Contents ?? []).filter((object) => object.Key?.endsWith('.mp4')).length;
      return {
        ok: true,
        message:
          page.KeyCount === 0
            ? `Connected to ${where}, but there is nothing under this prefix yet. Check the prefix.`
            : `Connected to ${where}: ${recordings} recording${recordings === 1 ? '' : 's'} in the first ${page.KeyCount} objects.`,
      };
    } catch (error) {
      return { ok: false, message: describeS3Failure(error, where).message };
    } finally {
      client.destroy();
    }
  }
}
