/**
 * What the desktop gives the core (AppPorts): the OS keychain, the file manager and the Downloads
 * folder. Electron objects are passed in, so this is tested under plain Node.
 */
import type { Shell } from 'electron';
import { stat } from 'node:fs/promises';
import type { AppPorts } from '../core/app/app-ports.ts';
import { safeStorageSecretStore, type SafeStorageApi } from './secret-store.ts';

export interface DesktopPortsOptions {
  readonly safeStorage: SafeStorageApi;
  readonly shell: Pick<Shell, 'showItemInFolder'>;
  /** `app.getPath('downloads')`. */
  readonly downloadsDir: string;
  readonly platform?: NodeJS.Platform;
}

export function desktopPorts(options: DesktopPortsOptions): AppPorts {
  return {
    secretStore: safeStorageSecretStore(options.safeStorage, options.platform),
    defaultDownloadsDir: options.downloadsDir,
    async revealInFolder(path) {
      // showItemInFolder says nothing when the file is gone; check first so the UI can.
      const exists = await stat(path).then(
        () => true,
        () => false,
      );
      if (exists) options.shell.showItemInFolder(path);
      return exists;
    },
  };
}
