import { describe, expect, it } from 'vitest';
import { dataDirOverride } from '../../../electron/main/user-data.ts';

describe('TAPEDECK_DATA_DIR', () => {
  it('moves the user-data folder, resolved against the working directory', () => {
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: '/srv/tapedeck' }, '/home/qa')).toBe('/srv/tapedeck');
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: ' portable-data ' }, '/opt/Tapedeck')).toBe(
      '/opt/Tapedeck/portable-data',
    );
  });

  it("keeps Electron's default when it is unset or blank", () => {
    expect(dataDirOverride({}, '/home/qa')).toBeNull();
    expect(dataDirOverride({ TAPEDECK_DATA_DIR: '  ' }, '/home/qa')).toBeNull();
  });
});
