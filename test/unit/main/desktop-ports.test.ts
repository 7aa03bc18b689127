import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { desktopPorts } from '../../../electron/main/desktop-ports.ts';

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-ports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ports() {
  const showItemInFolder = vi.fn();
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret' as const,
    encryptString: (plain: string) => Buffer.from(plain),
    decryptString: (encrypted: Buffer) => encrypted.toString(),
  };
  return {
    showItemInFolder,
    ports: desktopPorts({ safeStorage, shell: { showItemInFolder }, downloadsDir: dir }),
  };
}

describe('the desktop ports', () => {
  it('give the core the OS Downloads folder and the keychain', () => {
    const { ports: desktop } = ports();
    expect(desktop.defaultDownloadsDir).toBe(dir);
    expect(desktop.secretStore.isAvailable()).toBe(true);
  });

  it('show a downloaded file in the file manager', async () => {
    const file = join(dir, 'Louis Smith_+15103455686_2025-08-08_114445.mp4');
    writeFileSync(file, 'audio');
    const { ports: desktop, showItemInFolder } = ports();
    expect(await desktop.revealInFolder(file)).toBe(true);
    expect(showItemInFolder).toHaveBeenCalledWith(file);
  });

  it('say so when the file is gone, instead of opening an empty folder', async () => {
    const { ports: desktop, showItemInFolder } = ports();
    expect(await desktop.revealInFolder(join(dir, 'deleted.mp4'))).toBe(false);
    expect(showItemInFolder).not.toHaveBeenCalled();
  });
});
