/**
 * What only a desktop has, passed into the core as small interfaces (Electron implements them in
 * electron/main; headless mode and tests pass plain ones), so the core never imports Electron.
 */

/** Encrypted storage for credentials typed into the app (Electron `safeStorage` on the desktop). */
export interface SecretStore {
  /** False where nothing can be encrypted (headless mode): typed keys are then refused, clearly. */
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

export interface AppPorts {
  readonly secretStore: SecretStore;
  /** Shows a file in the OS file manager; false when that is not possible (headless). */
  revealInFolder(path: string): Promise<boolean>;
  /** The OS Downloads folder (Electron `app.getPath('downloads')`). */
  readonly defaultDownloadsDir: string;
}

/** Headless mode and tests: no keychain, no file manager. */
export const headlessPorts = (defaultDownloadsDir: string): AppPorts => ({
  secretStore: {
    isAvailable: () => false,
    encrypt: () => {
      throw new Error(
        'Keys can only be stored by the desktop app. Set AWS_PROFILE or AWS_ACCESS_KEY_ID instead.',
      );
    },
    decrypt: () => {
      throw new Error('No keychain in headless mode.');
    },
  },
  revealInFolder: async () => false,
  defaultDownloadsDir,
});
