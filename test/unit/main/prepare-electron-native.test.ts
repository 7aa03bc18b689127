/**
 * build/prepare-electron-native.ts in a throwaway project, with @electron/rebuild replaced: the
 * real one needs the network and perhaps a compiler, neither of which a unit test may count on.
 * What is checked is what the script does around it: the staging folder, the previous build, the
 * cache stamp and the message when the rebuild fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PrepareElectronNativeError,
  prepareElectronNative,
  type RebuildModule,
} from '../../../build/prepare-electron-native.ts';

let project: string;
const staging = () => join(project, 'out', 'electron-native');
const target = () => join(project, 'out', 'node_modules', 'better-sqlite3');

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'tapedeck-native-'));
  write(join(project, 'node_modules', 'electron', 'package.json'), '{"version":"45.5.0"}');
  const sqlite = join(project, 'node_modules', 'better-sqlite3');
  write(join(sqlite, 'package.json'), '{"version":"12.9.0"}');
  write(join(sqlite, 'lib', 'index.js'), 'module.exports = {};');
  write(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'built for Node');
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

/** A rebuild that compiles (writes the binary) or fails the way a missing toolchain does. */
function rebuilder(outcome: 'builds' | 'fails') {
  const rebuild = vi.fn<RebuildModule['rebuild']>(async ({ buildPath }) => {
    // Like @electron/rebuild, it works inside the staging folder before it can fail.
    const module = join(buildPath, 'node_modules', 'better-sqlite3');
    write(join(module, 'build', 'Release', 'obj', 'half-built.o'), 'partial');
    if (outcome === 'fails') throw new Error('gyp ERR! stack Error: not found: make');
    write(join(module, 'build', 'Release', 'better_sqlite3.node'), 'built for Electron');
  });
  return { rebuild, load: async () => ({ rebuild }) };
}

describe('preparing better-sqlite3 for Electron', () => {
  it("builds a copy without Node's binary, stamps it, and reuses it next time", async () => {
    const first = rebuilder('builds');
    expect(await prepareElectronNative(project, false, first.load)).toBe(target());
    expect(readFileSync(join(target(), 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(
      'built for Electron',
    );
    expect(readFileSync(join(target(), '.tapedeck-electron-abi'), 'utf8')).toContain('electron 45.5.0');
    expect(existsSync(staging())).toBe(false);
    // Node's own copy is untouched.
    expect(
      readFileSync(
        join(project, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
        'utf8',
      ),
    ).toBe('built for Node');

    const second = rebuilder('builds');
    await prepareElectronNative(project, false, second.load);
    expect(second.rebuild).not.toHaveBeenCalled();
  });

  it('cleans its staging folder when the rebuild fails, keeps the previous build, and says what it needs', async () => {
    await prepareElectronNative(project, false, rebuilder('builds').load);
    const failing = rebuilder('fails');
    const error = await prepareElectronNative(project, true, failing.load).catch((caught: unknown) => caught);
    expect(failing.rebuild).toHaveBeenCalledOnce();
    expect(error).toBeInstanceOf(PrepareElectronNativeError);
    const message = (error as Error).message;
    expect(message).toContain(
      'Could not build better-sqlite3 for Electron 45.5.0: gyp ERR! stack Error: not found: make',
    );
    expect(message).toMatch(/needs the network/);
    expect(message).toMatch(/C\+\+ toolchain/);
    expect(message).toContain('docs/desktop.md');
    expect(existsSync(staging())).toBe(false);
    expect(readFileSync(join(target(), 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(
      'built for Electron',
    );
  });

  it('leaves nothing behind when the first rebuild fails', async () => {
    await expect(prepareElectronNative(project, false, rebuilder('fails').load)).rejects.toThrow(
      PrepareElectronNativeError,
    );
    expect(existsSync(staging())).toBe(false);
    expect(existsSync(target())).toBe(false);
  });
});
