import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../electron/core/config.ts';
import { dataDirOverride, desktopDataDir } from '../../../electron/main/user-data.ts';

describe('TAPEDECK_DATA_DIR', () => {
  it('moves the user-data folder, resolved against the working directory', () => {
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: '/srv/tapedeck' }, '/home/qa')).toBe('/srv/tapedeck');
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: ' portable-data ' }, '/opt/Tapedeck')).toBe(
      '/opt/Tapedeck/portable-data',
    );
  });

  it('keeps the default when it is unset or blank', () => {
    expect(dataDirOverride({}, '/home/qa')).toBeNull();
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: '  ' }, '/home/qa')).toBeNull();
  });
});

describe("the desktop app's user-data folder", () => {
  it('is the folder `serve` uses, on every OS, named Tapedeck', () => {
    const cases: Array<[NodeJS.Platform, Record<string, string>, string]> = [
      ['linux', { HOME: '/home/qa' }, join('/home/qa', '.config', 'Tapedeck')],
      ['linux', { HOME: '/home/qa', XDG_CONFIG_HOME: '/cfg' }, join('/cfg', 'Tapedeck')],
      ['darwin', { HOME: '/Users/qa' }, join('/Users/qa', 'Library', 'Application Support', 'Tapedeck')],
      [
        'win32',
        { HOME: 'C:/Users/qa', APPDATA: 'C:/Users/qa/AppData/Roaming' },
        join('C:/Users/qa/AppData/Roaming', 'Tapedeck'),
      ],
    ];
    for (const [platform, env, expected] of cases) {
      expect(desktopDataDir(env, '/work', platform), platform).toBe(expected);
    }
    // The headless side, on this machine.
    const here = { HOME: '/home/qa', APPDATA: 'C:/Users/qa/AppData/Roaming' };
    expect(desktopDataDir(here)).toBe(readConfig(here).dataDir);
  });

  it('follows TAPEDECK_DATA_DIR as `serve` does', () => {
    const env = { HOME: '/home/qa', TAPEDECK_DATA_DIR: '/srv/tapedeck' };
    expect(desktopDataDir(env, '/work', 'linux')).toBe('/srv/tapedeck');
    expect(readConfig(env).dataDir).toBe('/srv/tapedeck');
  });
});
