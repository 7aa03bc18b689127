import { describe, expect, it } from 'vitest';
import {
  NO_KEYCHAIN_MESSAGE,
  safeStorageSecretStore,
  type SafeStorageApi,
} from '../../../electron/main/secret-store.ts';

/** A safeStorage that "encrypts" by reversing, so the round trip is visible. */
function fakeSafeStorage(
  available: boolean,
  backend: ReturnType<SafeStorageApi['getSelectedStorageBackend']>,
) {
  const api: SafeStorageApi = {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from([...plain].reverse().join('')),
    decryptString: (encrypted) => [...encrypted.toString()].reverse().join(''),
  };
  return api;
}

describe('the safeStorage secret store', () => {
  it('encrypts and decrypts through safeStorage where a keychain is available', () => {
    const store = safeStorageSecretStore(fakeSafeStorage(true, 'unknown'), 'darwin');
    expect(store.isAvailable()).toBe(true);
    const encrypted = store.encrypt('AKIAEXAMPLE');
    expect(encrypted.toString()).not.toBe('AKIAEXAMPLE');
    expect(store.decrypt(encrypted)).toBe('AKIAEXAMPLE');
  });

  it('works with a Linux keyring', () => {
    expect(safeStorageSecretStore(fakeSafeStorage(true, 'gnome_libsecret'), 'linux').isAvailable()).toBe(
      true,
    );
  });

  it("refuses Linux's basic_text fallback: its key is hard-coded, so nothing would be protected", () => {
    const store = safeStorageSecretStore(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(store.isAvailable()).toBe(false);
    expect(() => store.encrypt('secret')).toThrow(NO_KEYCHAIN_MESSAGE);
  });

  it('refuses to encrypt when the OS offers no encryption, with a message for a person', () => {
    const store = safeStorageSecretStore(fakeSafeStorage(false, 'unknown'), 'win32');
    expect(store.isAvailable()).toBe(false);
    expect(() => store.encrypt('secret')).toThrow(/AWS profile/);
    expect(() => store.decrypt(Buffer.from('x'))).toThrow(NO_KEYCHAIN_MESSAGE);
  });
});
