/**
 * The desktop commands stop on a Node too old for Electron's tooling, with a message that says so,
 * instead of failing deep inside Electron's download or the rebuild of better-sqlite3.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../build/build-main.ts';
import {
  checkNodeForDesktop,
  desktopNodeRequirements,
  parseVersion,
} from '../../../build/check-node-for-desktop.ts';

const scripts = (
  JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('the Node check of the desktop commands', () => {
  it('reads versions and the simple ranges packages declare', () => {
    expect(parseVersion('v22.12.0')).toEqual([22, 12, 0]);
    expect(parseVersion('>= 22.12.0')).toEqual([22, 12, 0]);
    expect(parseVersion('>=22.12')).toEqual([22, 12, 0]);
    expect(parseVersion('^20 || >=22')).toBeNull();
  });

  it("takes the minimum from Electron's tooling as installed: Node 22.12 for Electron 45", () => {
    const requirements = desktopNodeRequirements(PROJECT_DIR);
    const packages = requirements.map((requirement) => requirement.by.split(' ')[0]);
    expect(packages).toEqual(expect.arrayContaining(['electron', '@electron/get', '@electron/rebuild']));
    for (const requirement of requirements) {
      expect(checkNodeForDesktop('22.12.0', [requirement]), requirement.by).toBeNull();
    }
    expect(checkNodeForDesktop('20.19.0', requirements)).not.toBeNull();
  });

  it('refuses Node 20.19 and 22.11 with what to do, and lets 22.12 and later through', () => {
    const requirements = [
      { by: '@electron/rebuild 4.2.1', minimum: '22.12.0' },
      { by: 'electron 45.5.0', minimum: '22.12.0' },
    ];
    const message = checkNodeForDesktop('20.19.0', requirements, '`npm start`');
    expect(message).toContain('`npm start` needs Node 22.12.0 or later; this is Node 20.19.0.');
    expect(message).toContain('@electron/rebuild 4.2.1 requires it');
    expect(message).toMatch(/Install Node 22/);
    expect(message).toMatch(/npm run serve.*still run on Node 20\.19/);
    expect(checkNodeForDesktop('22.11.9', requirements)).toContain('needs Node 22.12.0');
    expect(checkNodeForDesktop('22.12.0', requirements)).toBeNull();
    expect(checkNodeForDesktop('24.1.0', requirements)).toBeNull();
  });

  it('names the highest minimum when the packages disagree', () => {
    const message = checkNodeForDesktop('22.12.0', [
      { by: 'a 1.0.0', minimum: '20.0.0' },
      { by: 'b 2.0.0', minimum: '24.0.0' },
    ]);
    expect(message).toContain('needs Node 24.0.0 or later');
    expect(message).toContain('b 2.0.0 requires it');
  });

  it('runs first in `npm start` and `npm run dist`, and not in the web and headless commands', () => {
    expect(scripts.start).toMatch(/^tsx build\/check-node-for-desktop\.ts start && /);
    expect(scripts.dist).toMatch(/^tsx build\/check-node-for-desktop\.ts dist && /);
    for (const name of ['serve', 'demo', 'import', 'sync', 'build:renderer']) {
      expect(scripts[name], name).not.toContain('check-node-for-desktop');
    }
  });

  it('as a command: exits 1 with the message on an older Node, 0 on a new enough one', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_DIR, 'build', 'check-node-for-desktop.ts'), 'dist'],
      { cwd: PROJECT_DIR, encoding: 'utf8' },
    );
    const tooOld = checkNodeForDesktop(process.versions.node, desktopNodeRequirements(PROJECT_DIR)) !== null;
    expect(run.status, run.stderr).toBe(tooOld ? 1 : 0);
    if (tooOld) expect(run.stderr).toContain('`npm run dist` needs Node 22.12');
    else expect(run.stderr).toBe('');
  });
});
