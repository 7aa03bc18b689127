/**
 * The core's SecretStore over Electron's `safeStorage` (Keychain on macOS, DPAPI on Windows,
 * libsecret/KWallet on Linux). Keys typed into Settings are encrypted with it and never leave main.
 */
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../core/app/app-ports.ts';

export type SafeStorageApi = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export const NO_KEYCHAIN_MESSAGE =
  'No OS keychain is available to store keys safely. Use an AWS profile (AWS_PROFILE) or environment credentials instead.';

/**
 * On Linux without a keyring, Chromium falls back to `basic_text`: a hard-coded key, so the
 * "encrypted" secret is readable by anyone with the file. We treat that as no keychain at all.
 */
export function safeStorageSecretStore(
  safeStorage: SafeStorageApi,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const isAvailable = () =>
    safeStorage.isEncryptionAvailable() &&
    (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  return {
    isAvailable,
    encrypt(plain) {
      if (!isAvailable()) throw new Error(NO_KEYCHAIN_MESSAGE);
      return safeStorage.encryptString(plain);
    },
    decrypt(encrypted) {
      if (!isAvailable()) throw new Error(NO_KEYCHAIN_MESSAGE);
      return safeStorage.decryptString(encrypted);
    },
  };
}
