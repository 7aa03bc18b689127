import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../../electron/core/app/app-ports.ts';
import type { Logger } from '../../../../electron/core/logger.ts';
import { ServiceError } from '../../../../electron/core/service-error.ts';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE_NAME,
  SettingsStore,
} from '../../../../electron/core/settings/settings-store.ts';

const SEALED = Buffer.from('sealed-by-test-keychain:');
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** A stand-in for the OS keychain: XORs the text and marks it, so it can tell its own output. */
function fakeKeychain(available = true): SecretStore {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  return {
    isAvailable: () => available,
    encrypt: (plain) => Buffer.concat([SEALED, xor(Buffer.from(plain, 'utf8'))]),
    decrypt: (encrypted) => {
      if (!encrypted.subarray(0, SEALED.length).equals(SEALED))
        throw new Error('not sealed by this keychain');
      return xor(encrypted.subarray(SEALED.length)).toString('utf8');
    },
  };
}

function capturingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (message) => warnings.push(message), error() {} };
}

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-settings-'));
  file = join(dir, SETTINGS_FILE_NAME);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function storeOn(secrets = fakeKeychain(), log: Logger = capturingLogger()): SettingsStore {
  return new SettingsStore(dir, secrets, log);
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('reading settings', () => {
  it('starts from the defaults when there is no settings file, without writing one', () => {
    const store = storeOn();

    expect(store.current).toEqual(DEFAULT_SETTINGS);
    expect(store.current).toMatchObject({ bucket: '', credentialSource: 'default-chain', apiPort: 8000 });
    expect(store.storedKeys()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('creates the data folder when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    new SettingsStore(nested, fakeKeychain(), capturingLogger()).update({ bucket: 'calls' });
    expect(JSON.parse(readFileSync(join(nested, SETTINGS_FILE_NAME), 'utf8'))).toMatchObject({
      bucket: 'calls',
    });
  });

  it('sets a file that is not JSON aside as settings.json.invalid, logs it and uses the defaults', () => {
    writeFileSync(file, '{ "version": 1, "bucket": ');
    const log = capturingLogger();
    const store = storeOn(fakeKeychain(), log);

    expect(store.current).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.invalid`, 'utf8')).toBe('{ "version": 1, "bucket": ');
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain(`moved it to ${file}.invalid and started from defaults`);
  });

  it('sets aside valid JSON that breaks the schema too, rather than trusting part of it', () => {
    writeFileSync(file, JSON.stringify({ version: 1, bucket: 'calls', apiPort: 'eight thousand' }));
    const log = capturingLogger();
    const store = storeOn(fakeKeychain(), log);

    expect(store.current.bucket).toBe('');
    expect(existsSync(`${file}.invalid`)).toBe(true);
    expect(log.warnings[0]).toContain(`${file} was not valid settings`);
  });

  it('fills in fields an older file does not have', () => {
    writeFileSync(file, JSON.stringify({ version: 1, bucket: 'calls' }));
    expect(storeOn().current).toEqual({ ...DEFAULT_SETTINGS, bucket: 'calls' });
  });
});

describe('saving settings', () => {
  it('persists a change: another store on the same folder reads it back', () => {
    storeOn().update({ bucket: 'calls', prefix: 'egress-recordings/', region: 'us-west-2', apiPort: 8123 });

    expect(storeOn().current).toMatchObject({
      bucket: 'calls',
      prefix: 'egress-recordings/',
      region: 'us-west-2',
      apiPort: 8123,
      endpoint: '',
    });
  });

  it('saves the transcripts and team prefixes as folders, empty as none, and refuses a leading slash', () => {
    const store = storeOn();
    expect(store.current).toMatchObject({ transcriptsPrefix: null, teamPrefix: null });
    store.update({ transcriptsPrefix: ' transcripts ', teamPrefix: 'acme/tapedeck/' });
    expect(storeOn().current).toMatchObject({
      transcriptsPrefix: 'transcripts/',
      teamPrefix: 'acme/tapedeck/',
    });

    const before = readFileSync(file, 'utf8');
    const error = thrown(() => store.update({ bucket: 'other', transcriptsPrefix: '/transcripts' }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      message:
        'The transcripts prefix must not start with a slash (S3 keys do not): got "/transcripts"; write it as "transcripts/".',
    });
    expect(readFileSync(file, 'utf8')).toBe(before);

    store.update({ transcriptsPrefix: '', teamPrefix: null });
    expect(storeOn().current).toMatchObject({ transcriptsPrefix: null, teamPrefix: null });
  });

  it('keeps what a change does not mention', () => {
    const store = storeOn();
    store.update({ bucket: 'calls', region: 'us-west-2' });
    store.update({ region: 'eu-west-1' });

    expect(storeOn().current).toMatchObject({ bucket: 'calls', region: 'eu-west-1' });
  });

  it('writes the file atomically: valid JSON, readable only by the user, no temporary file left', () => {
    const store = storeOn();
    store.update({ bucket: 'first' });
    store.update({ bucket: 'second' });

    expect(readdirSync(dir)).toEqual([SETTINGS_FILE_NAME]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(store.current);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes nothing for a preview, which only shows what the change would give', () => {
    const store = storeOn();
    const preview = store.preview({
      bucket: 'calls',
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
    });

    expect(preview.settings.bucket).toBe('calls');
    expect(preview.keys).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      sessionToken: undefined,
    });
    expect(existsSync(file)).toBe(false);
    expect(store.current.bucket).toBe('');
    expect(store.storedKeys()).toBeNull();
  });

  it('previews with the stored keys when none are typed', () => {
    const store = storeOn();
    store.update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    const before = readFileSync(file, 'utf8');

    expect(store.preview({ region: 'eu-west-1' }).keys).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('keys typed into the app', () => {
  it('stores them only encrypted by the keychain: the secret never appears in settings.json', () => {
    const store = storeOn();
    store.update({
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      sessionToken: 'token-123',
    });

    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(SECRET_ACCESS_KEY);
    expect(onDisk).not.toContain(ACCESS_KEY_ID);
    expect(onDisk).not.toContain('token-123');
    const encrypted = Buffer.from(JSON.parse(onDisk).encryptedKeys as string, 'base64');
    expect(encrypted.subarray(0, SEALED.length).equals(SEALED)).toBe(true);
  });

  it('gives them back, trimmed, to a store opened later with the same keychain', () => {
    storeOn().update({
      accessKeyId: ` ${ACCESS_KEY_ID} `,
      secretAccessKey: `${SECRET_ACCESS_KEY}\n`,
      sessionToken: 'token-123',
    });

    expect(storeOn().storedKeys()).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      sessionToken: 'token-123',
    });
  });

  it('keeps the stored keys through a change that does not touch them', () => {
    const store = storeOn();
    store.update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    store.update({ bucket: 'calls' });

    expect(storeOn().storedKeys()?.secretAccessKey).toBe(SECRET_ACCESS_KEY);
  });

  it('removes them when both are cleared', () => {
    const store = storeOn();
    store.update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    store.update({ accessKeyId: '', secretAccessKey: '' });

    expect(store.storedKeys()).toBeNull();
    expect(storeOn().storedKeys()).toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8')).encryptedKeys).toBeNull();
  });

  it('refuses only one of the two keys, saving nothing', () => {
    const store = storeOn();
    store.update({ bucket: 'calls' });
    const before = readFileSync(file, 'utf8');
    const error = thrown(() => store.update({ bucket: 'other', accessKeyId: ACCESS_KEY_ID }));

    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      message: 'Enter both the access key id and the secret access key.',
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.current.bucket).toBe('calls');
  });

  it('refuses a session token on its own instead of dropping the stored keys', () => {
    const store = storeOn();
    store.update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    const error = thrown(() => store.update({ sessionToken: 'token-123' }));

    expect(error).toMatchObject({
      code: 'invalid_input',
      message: 'Enter both the access key id and the secret access key.',
    });
    expect(storeOn().storedKeys()?.accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it('refuses keys without a keychain, telling to use AWS_PROFILE or environment keys', () => {
    const store = storeOn(fakeKeychain(false));
    const error = thrown(() =>
      store.update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY }),
    );

    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toMatch(/AWS_PROFILE/);
    expect((error as ServiceError).message).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(existsSync(file)).toBe(false);
  });

  it('warns and treats keys another keychain sealed as absent', () => {
    storeOn().update({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
    const log = capturingLogger();
    const otherMachine: SecretStore = {
      ...fakeKeychain(),
      decrypt: () => {
        throw new Error('cannot decrypt');
      },
    };

    expect(storeOn(otherMachine, log).storedKeys()).toBeNull();
    expect(log.warnings).toEqual([
      'The stored AWS keys could not be decrypted (another user or machine?); enter them again.',
    ]);
  });
});
