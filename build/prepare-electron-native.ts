/**
 * Gives `electron .` a better-sqlite3 built for Electron, without touching the one in node_modules.
 *
 * better-sqlite3 is a native module compiled for one ABI: node_modules holds Node's (tests, `npm run
 * serve`), and Electron 45 needs its own. Rebuilding node_modules in place for Electron would break
 * every Node test, so this keeps a second copy in out/node_modules/better-sqlite3, which Node's
 * resolution finds first from out/main/main.js. The packaged app does not use it: electron-builder
 * rebuilds its own copy (build/dist.ts). The result is cached by Electron version, platform and arch.
 *
 * It uses @electron/rebuild (prebuilt binary if one is published, else a local compile against
 * Electron's headers), so the first run needs the network, like installing Electron itself.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR } from './build-main.ts';

const MODULE = 'better-sqlite3';
const STAMP_FILE = '.tapedeck-electron-abi';

interface RebuildModule {
  rebuild(options: {
    buildPath: string;
    electronVersion: string;
    arch?: string;
    onlyModules?: string[];
    force?: boolean;
  }): Promise<void>;
}

async function versionOf(projectDir: string, name: string): Promise<string> {
  const json = JSON.parse(await readFile(join(projectDir, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return json.version;
}

/**
 * @electron/rebuild comes with electron-builder (a dev dependency): resolve it through it rather
 * than relying on how npm hoisted it.
 */
async function loadRebuild(projectDir: string): Promise<RebuildModule> {
  const fromProject = createRequire(join(projectDir, 'package.json'));
  const fromBuilder = createRequire(fromProject.resolve('electron-builder/package.json'));
  const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
  return (await import(pathToFileURL(fromLib.resolve('@electron/rebuild')).href)) as RebuildModule;
}

export async function prepareElectronNative(projectDir = PROJECT_DIR, force = false): Promise<string> {
  const target = join(projectDir, 'out', 'node_modules', MODULE);
  const stamp = [
    `electron ${await versionOf(projectDir, 'electron')}`,
    `${MODULE} ${await versionOf(projectDir, MODULE)}`,
    `${process.platform}-${process.arch}`,
  ].join('\n');
  const existing = await readFile(join(target, STAMP_FILE), 'utf8').catch(() => null);
  if (!force && existing === stamp) return target;

  // Rebuild a copy in a staging folder with its own package.json (what @electron/rebuild walks).
  const staging = join(projectDir, 'out', 'electron-native');
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'node_modules'), { recursive: true });
  await writeFile(
    join(staging, 'package.json'),
    JSON.stringify({ name: 'tapedeck-electron-native', private: true, dependencies: { [MODULE]: '*' } }),
  );
  const source = join(projectDir, 'node_modules', MODULE);
  const nodeBuild = join(source, 'build'); // Node's binary: not wanted in the Electron copy
  await cp(source, join(staging, 'node_modules', MODULE), {
    recursive: true,
    filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep),
  });
  const { rebuild } = await loadRebuild(projectDir);
  await rebuild({
    buildPath: staging,
    electronVersion: await versionOf(projectDir, 'electron'),
    arch: process.arch,
    onlyModules: [MODULE],
    force: true,
  });
  await writeFile(join(staging, 'node_modules', MODULE, STAMP_FILE), stamp);
  await rm(target, { recursive: true, force: true });
  await mkdir(join(projectDir, 'out', 'node_modules'), { recursive: true });
  await rename(join(staging, 'node_modules', MODULE), target);
  await rm(staging, { recursive: true, force: true });
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = await prepareElectronNative(PROJECT_DIR, process.argv.includes('--force'));
  console.log(`${MODULE} for Electron: ${target}`);
}
