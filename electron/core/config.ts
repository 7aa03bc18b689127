import { homedir } from 'node:os';
import { join } from 'node:path';
import { SYNC_INTERVAL_MAX_MINUTES } from '../../shared/contract/shapes.ts';
import { DEFAULT_S3_PREFIX } from '../../shared/dispatch.ts';
import packageJson from '../../package.json' with { type: 'json' };

/**
 * The product's name, from package.json's `productName`: Electron names the app and its user-data
 * folder after it, electron-builder the installers, and `serve` finds the same folder below.
 */
export const PRODUCT_NAME: string = packageJson.productName;

/** Where the recordings are; null when `S3_BUCKET` is not set (the API then answers 500 as documented). */
export interface S3Location {
  readonly bucket: string;
  /** Always ends in `/` (or is empty for the bucket root). */
  readonly prefix: string;
  /** `AWS_REGION`; undefined lets the SDK read the profile's region. */
  readonly region: string | undefined;
  /** `AWS_ENDPOINT_URL_S3` for S3-compatible servers. */
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  /**
   * `TAPEDECK_TRANSCRIPTS_PREFIX` (else Settings): a second place transcripts lie, with the
   * recordings' path below it; null or absent: only beside the recordings.
   */
  readonly transcriptsPrefix?: string | null;
  /** `TAPEDECK_TEAM_PREFIX` (else Settings): the team's folder; null or absent: team-prefix.ts's default. */
  readonly teamPrefix?: string | null;
}

/** How messages and the library status name a location: `s3://calls/egress-recordings/ (http://…)`. */
export function describeLocation(location: Pick<S3Location, 'bucket' | 'prefix' | 'endpoint'>): string {
  const { bucket, prefix, endpoint } = location;
  return `s3://${bucket}/${prefix}${endpoint ? ` (${endpoint})` : ''}`;
}

export interface TapedeckConfig {
  readonly s3: S3Location | null;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `INTERACTIONS_FILE`: imported when `serve` starts. */
  readonly interactionsFile: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration from the environment, with a clear error for a value we cannot use. */
export function readConfig(env: Env = process.env): TapedeckConfig {
  const bucket = nonEmpty(env.S3_BUCKET);
  return {
    s3: bucket
      ? {
          bucket,
          prefix: normalisePrefix(env.S3_PREFIX ?? DEFAULT_S3_PREFIX),
          region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
          endpoint: readEndpoint(nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL)),
          forcePathStyle: readBoolean('S3_FORCE_PATH_STYLE', env.S3_FORCE_PATH_STYLE),
          transcriptsPrefix: readTranscriptsPrefix(env),
          teamPrefix: readTeamPrefix(env),
        }
      : null,
    host: nonEmpty(env.TAPEDECK_HOST) ?? '127.0.0.1',
    port: readPort(env),
    dataDir: nonEmpty(env.TAPEDECK_DATA_DIR) ?? defaultDataDir(env),
    interactionsFile: nonEmpty(env.INTERACTIONS_FILE),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `calls` → `calls/`; a leading `/` is dropped; empty stays empty (the bucket root). */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * An optional folder in the bucket (the transcripts or the team prefix) as `what` names it: null
 * when empty; `folder/` form; a leading slash is refused (S3 keys do not start with one, so a
 * prefix that does would find nothing, silently).
 */
export function readOptionalPrefix(value: string | null | undefined, what: string): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed.startsWith('/')) {
    const example = trimmed.replace(/^\/+/, '');
    throw new ConfigError(
      `${what} must not start with a slash (S3 keys do not): got "${trimmed}"` +
        (example ? `; write it as "${normalisePrefix(example)}".` : '.'),
    );
  }
  return normalisePrefix(trimmed);
}

/** `TAPEDECK_TRANSCRIPTS_PREFIX`: where transcripts lie apart from the recordings; null when unset. */
export function readTranscriptsPrefix(env: Env = process.env): string | null {
  return readOptionalPrefix(env.TAPEDECK_TRANSCRIPTS_PREFIX, 'TAPEDECK_TRANSCRIPTS_PREFIX');
}

/** `TAPEDECK_TEAM_PREFIX`: where the team's reviews are shared in the bucket; null when unset. */
export function readTeamPrefix(env: Env = process.env): string | null {
  return readOptionalPrefix(env.TAPEDECK_TEAM_PREFIX, 'TAPEDECK_TEAM_PREFIX');
}

export function readEndpoint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`AWS_ENDPOINT_URL_S3 is not a URL: "${value}". Use e.g. http://127.0.0.1:9000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`AWS_ENDPOINT_URL_S3 must be http:// or https://, got "${value}".`);
  }
  return value.replace(/\/+$/, '');
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', '']);

function readBoolean(name: string, value: string | undefined): boolean {
  const word = (value ?? '').trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}".`);
}

function readPort(env: Env): number {
  const [name, value] = env.TAPEDECK_PORT?.trim()
    ? ['TAPEDECK_PORT', env.TAPEDECK_PORT.trim()]
    : env.PORT?.trim()
      ? ['PORT', env.PORT.trim()]
      : ['', '8000'];
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}".`);
  }
  return port;
}

/** The folder Electron's `app.getPath('userData')` uses, so the desktop app and `serve` share one catalog. */
export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}

/** `TAPEDECK_SYNC_INTERVAL_MINUTES`: minutes between background syncs (0: off); undefined when unset. */
export function readSyncInterval(env: Env = process.env): number | undefined {
  const value = env.TAPEDECK_SYNC_INTERVAL_MINUTES?.trim();
  if (!value) return undefined;
  const minutes = Number(value);
  if (!/^\d+$/.test(value) || minutes > SYNC_INTERVAL_MAX_MINUTES) {
    throw new ConfigError(
      `TAPEDECK_SYNC_INTERVAL_MINUTES must be a whole number of minutes from 0 (off) to ${SYNC_INTERVAL_MAX_MINUTES} (a week), got "${value}".`,
    );
  }
  return minutes;
}
