import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { syncIntervalMinutesSchema, type SettingsUpdate } from '../../../shared/contract.ts';
import type { SecretStore } from '../app/app-ports.ts';
import { ConfigError, normalisePrefix, readEndpoint, readOptionalPrefix } from '../config.ts';
import { writeFileAtomically } from '../fs/write-file-atomically.ts';
import type { Logger } from '../logger.ts';
import { ServiceError } from '../service-error.ts';

export const SETTINGS_FILE_NAME = 'settings.json';

/** What is saved on disk. Keys typed into the app are kept only encrypted by the OS keychain. */
const savedSettingsSchema = z.object({
  version: z.literal(1),
  bucket: z.string().default(''),
  prefix: z.string().default(''),
  region: z.string().default(''),
  endpoint: z.string().default(''),
  forcePathStyle: z.boolean().default(false),
  credentialSource: z.enum(['default-chain', 'profile', 'stored-keys']).default('default-chain'),
  profile: z.string().default(''),
  downloadsDir: z.string().default(''),
  apiPort: z.number().int().min(0).max(65535).default(8000),
  syncIntervalMinutes: syncIntervalMinutesSchema.default(15),
  /** The name reviews are signed with; empty: the OS user name (see reviewerName). */
  reviewerName: z.string().default(''),
  /** Where transcripts lie apart from the recordings (`folder/`), or null. */
  transcriptsPrefix: z.string().nullable().default(null),
  /** Where the team's reviews are shared (`folder/`), or null for the default. */
  teamPrefix: z.string().nullable().default(null),
  /** base64 of SecretStore.encrypt(JSON of the keys), or null. */
  encryptedKeys: z.string().nullable().default(null),
});

export type SavedSettings = z.output<typeof savedSettingsSchema>;

export interface StoredKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export const DEFAULT_SETTINGS: SavedSettings = savedSettingsSchema.parse({ version: 1 });

/**
 * The settings saved from the app, in `settings.json` in the data folder, validated on every read:
 * an unreadable or invalid file is set aside (renamed `.invalid`) and logged, never trusted.
 */
export class SettingsStore {
  readonly #file: string;
  readonly #secrets: SecretStore;
  readonly #log: Logger;
  #current: SavedSettings;

  constructor(dataDir: string, secrets: SecretStore, log: Logger) {
    mkdirSync(dataDir, { recursive: true });
    this.#file = join(dataDir, SETTINGS_FILE_NAME);
    this.#secrets = secrets;
    this.#log = log;
    this.#current = this.#read();
  }

  get current(): SavedSettings {
    return this.#current;
  }

  /** Applies a change from the app; keys in it are encrypted, never written in plain text. */
  update(change: SettingsUpdate): SavedSettings {
    const { accessKeyId, secretAccessKey, sessionToken, ...plain } = change;
    let encryptedKeys = this.#current.encryptedKeys;
    if (accessKeyId !== undefined || secretAccessKey !== undefined || sessionToken !== undefined) {
      encryptedKeys = this.#encryptKeys({ accessKeyId, secretAccessKey, sessionToken });
    }
    const next = savedSettingsSchema.parse({ ...this.#current, ...normalise(plain), encryptedKeys });
    writeFileAtomically(this.#file, `${JSON.stringify(next, null, 2)}\n`);
    this.#current = next;
    return next;
  }

  /** Settings as they would be with this change, without saving (for "Test connection"). */
  preview(change: SettingsUpdate): { settings: SavedSettings; keys: StoredKeys | null } {
    const { accessKeyId, secretAccessKey, sessionToken, ...plain } = change;
    const settings = savedSettingsSchema.parse({ ...this.#current, ...normalise(plain) });
    const typed = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : null;
    return { settings, keys: typed ?? this.storedKeys() };
  }

  storedKeys(): StoredKeys | null {
    if (this.#current.encryptedKeys === null) return null;
    try {
      return JSON.parse(
        this.#secrets.decrypt(Buffer.from(this.#current.encryptedKeys, 'base64')),
      ) as StoredKeys;
    } catch {
      this.#log.warn(
        'The stored AWS keys could not be decrypted (another user or machine?); enter them again.',
      );
      return null;
    }
  }

  #encryptKeys(keys: {
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
  }): string | null {
    const accessKeyId = keys.accessKeyId?.trim() ?? '';
    const secretAccessKey = keys.secretAccessKey?.trim() ?? '';
    const typedToken = keys.sessionToken?.trim() ?? '';
    if (accessKeyId === '' && secretAccessKey === '' && typedToken === '') return null; // clearing the keys
    if (accessKeyId === '' || secretAccessKey === '') {
      throw new ServiceError('invalid_input', 'Enter both the access key id and the secret access key.');
    }
    if (!this.#secrets.isAvailable()) {
      throw new ServiceError(
        'invalid_input',
        'Keys can only be stored by the desktop app (with the OS keychain). Here, set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.',
      );
    }
    const sessionToken = typedToken || undefined;
    const stored: StoredKeys = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    return this.#secrets.encrypt(JSON.stringify(stored)).toString('base64');
  }

  #read(): SavedSettings {
    if (!existsSync(this.#file)) return DEFAULT_SETTINGS;
    try {
      return savedSettingsSchema.parse(JSON.parse(readFileSync(this.#file, 'utf8')));
    } catch (error) {
      const aside = `${this.#file}.invalid`;
      renameSync(this.#file, aside);
      this.#log.warn(
        `${this.#file} was not valid settings (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
          `moved it to ${aside} and started from defaults.`,
      );
      return DEFAULT_SETTINGS;
    }
  }
}

/** Drops fields not given, and reads the rest as the environment's equivalents are read. */
function normalise(
  change: Omit<SettingsUpdate, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
): Partial<SavedSettings> {
  const given = Object.fromEntries(
    Object.entries(change).filter(([, v]) => v !== undefined),
  ) as Partial<SavedSettings>;
  if (given.bucket !== undefined) given.bucket = given.bucket.trim();
  if (given.prefix !== undefined) given.prefix = normalisePrefix(given.prefix);
  for (const [field, name] of [
    ['transcriptsPrefix', 'The transcripts prefix'],
    ['teamPrefix', 'The team prefix'],
  ] as const) {
    if (given[field] === undefined) continue;
    try {
      given[field] = readOptionalPrefix(given[field], name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ServiceError('invalid_input', error.message);
    }
  }
  if (given.endpoint !== undefined) {
    try {
      given.endpoint = readEndpoint(given.endpoint.trim() || undefined) ?? '';
    } catch (error) {
      throw new ServiceError(
        'invalid_input',
        (error as Error).message.replace('AWS_ENDPOINT_URL_S3', 'The endpoint'),
      );
    }
  }
  return given;
}
