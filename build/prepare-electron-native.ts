/**
 * Gives `electron .` a better-sqlite3 built for Electron, without touching the one in node_modules.
 *
 * better-sqlite3 is a native module compiled for one ABI: node_modules holds Node's (tests, `npm run
 * serve`), and Electron 45 needs its own. Rebuilding node_modules in place for Electron would break
 * every Node test, so this keeps a second copy in out/node_modules/better-sqlite3, which Node's
 * resolution finds first from out/main/main.js. The packaged app does not use it: electron-builder
 * rebuilds its own copy (build/dist.ts). The result is cached by Electron version, platform and arch.
 *
 * It uses @electron/rebuild: a prebuilt binary if better-sqlite3 publishes one for this Electron,
 * platform and arch, else a local compile against Electron's headers. So the first run needs the
 * network (like installing Electron itself) and, without a prebuilt binary, a C++ toolchain. A
 * failed run leaves no staging folder behind and the previous Electron build, if any, in place.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR } from './build-main.ts';

const MODULE = 'better-sqlite3';
const STAMP_FILE = '.tapedeck-electron-abi';

export interface RebuildModule {
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
export async function loadRebuild(projectDir: string): Promise<RebuildModule> {
  const fromProject = createRequire(join(projectDir, 'package.json'));
  const fromBuilder = createRequire(fromProject.resolve('electron-builder/package.json'));
  const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
  return (await import(pathToFileURL(fromLib.resolve('@electron/rebuild')).href)) as RebuildModule;
}

/** What to do when the rebuild fails, for the message. */
export const REBUILD_NEEDS =
  "It downloads a prebuilt binary or Electron's headers (it needs the network) and, when no prebuilt " +
  'binary is published for this Electron, platform and arch, compiles one (it needs a C++ toolchain: ' +
  'build-essential and python3 on Linux, the Xcode command-line tools on macOS, Visual Studio Build ' +
  'Tools on Windows). See docs/desktop.md.';

export class PrepareElectronNativeError extends Error {
  override readonly name = 'PrepareElectronNativeError';
}

export async function prepareElectronNative(
  projectDir = PROJECT_DIR,
  force = false,
  rebuilder: (projectDir: string) => Promise<RebuildModule> = loadRebuild,
): Promise<string> {
  const target = join(projectDir, 'out', 'node_modules', MODULE);
  const electronVersion = await versionOf(projectDir, 'electron');
  const stamp = [
    `electron ${electronVersion}`,
    `${MODULE} ${await versionOf(projectDir, MODULE)}`,
    `${process.platform}-${process.arch}`,
  ].join('\n');
  const existing = await readFile(join(target, STAMP_FILE), 'utf8').catch(() => null);
  if (!force && existing === stamp) return target;

  // Rebuild a copy in a staging folder with its own package.json (what @electron/rebuild walks).
  const staging = join(projectDir, 'out', 'electron-native');
  await rm(staging, { recursive: true, force: true });
  try {
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
    const { rebuild } = await rebuilder(projectDir);
    await rebuild({
      buildPath: staging,
      electronVersion,
      arch: process.arch,
      onlyModules: [MODULE],
      force: true,
    });
    await writeFile(join(staging, 'node_modules', MODULE, STAMP_FILE), stamp);
  } catch (error) {
    // A half-built copy must not be mistaken for a build next time, nor fill the disk.
    await rm(staging, { recursive: true, force: true });
    const cause = error instanceof Error ? error.message : String(error);
    throw new PrepareElectronNativeError(
      `Could not build ${MODULE} for Electron ${electronVersion}: ${cause}\n${REBUILD_NEEDS}`,
      { cause: error },
    );
  }
  // Only now is the previous build replaced.
  await rm(target, { recursive: true, force: true });
  await mkdir(join(projectDir, 'out', 'node_modules'), { recursive: true });
  await rename(join(staging, 'node_modules', MODULE), target);
  await rm(staging, { recursive: true, force: true });
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const target = await prepareElectronNative(PROJECT_DIR, process.argv.includes('--force'));
    console.log(`${MODULE} for Electron: ${target}`);
  } catch (error) {
    if (!(error instanceof PrepareElectronNativeError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
