import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, type MenuOptions } from '../../../electron/main/menu.ts';

function template(overrides: Partial<MenuOptions> = {}) {
  return applicationMenuTemplate({
    platform: 'linux',
    appName: 'Tapedeck',
    isDev: false,
    openDataFolder: vi.fn(),
    copyApiAddress: vi.fn(),
    ...overrides,
  });
}

/** Every role anywhere in the menu. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

const labels = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label);

describe('the application menu', () => {
  it('follows macOS: the app menu first, then File, Edit, View, Window, Help', () => {
    const mac = template({ platform: 'darwin' });
    expect(labels(mac)).toEqual(['Tapedeck', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles([mac[0]!])).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles([mac[1]!])).toEqual(['close']);
    expect(roles(mac)).toContain('pasteAndMatchStyle');
    expect(roles(mac)).toContain('front');
  });

  it('puts Quit under File and About under Help on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const menu = template({ platform });
      expect(labels(menu)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      expect(roles([menu[0]!])).toEqual(['quit']);
      expect(roles([menu[4]!])).toContain('about');
    }
  });

  it('has the editing roles text fields need (their accelerators come with the roles)', () => {
    expect(roles(template())).toEqual(
      expect.arrayContaining([
        'undo',
        'redo',
        'cut',
        'copy',
        'paste',
        'selectAll',
        'zoomIn',
        'zoomOut',
        'resetZoom',
      ]),
    );
  });

  it('offers reload and DevTools only in development', () => {
    const packaged = roles(template({ isDev: false }));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(packaged).not.toContain(role);
    expect(roles(template({ isDev: true }))).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']),
    );
  });

  it('has Help items that copy the API address and open the data folder', () => {
    const openDataFolder = vi.fn();
    const copyApiAddress = vi.fn();
    const help = template({ openDataFolder, copyApiAddress }).find((item) => item.label === 'Help')!;
    const items = help.submenu as MenuItemConstructorOptions[];
    const click = (label: string) => (items.find((item) => item.label === label)!.click as () => void)();
    click('Copy Local API Address');
    click('Open Data Folder');
    expect(copyApiAddress).toHaveBeenCalledOnce();
    expect(openDataFolder).toHaveBeenCalledOnce();
  });
});
