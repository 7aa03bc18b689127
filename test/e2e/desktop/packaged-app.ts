/**
 * Finding and reading the app `npm run dist -- --dir` packaged (out/release): its executable, its
 * app.asar, and the tools to look inside (electron-builder's own @electron/asar).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../../build/build-main.ts';

export const RELEASE_DIR = join(PROJECT_DIR, 'out', 'release');

export interface PackagedApp {
  /** The folder electron-builder unpacked the app into (`linux-unpacked`, `mac-arm64`, …). */
  readonly dir: string;
  /** What to run. */
  readonly executable: string;
  /** What @electron/fuses reads and flips: the .app on macOS, the executable elsewhere. */
  readonly fusesPath: string;
  readonly asar: string;
  /** The .app bundle, on macOS. */
  readonly appBundle: string | null;
}

/**
 * The unpacked app for this OS under `releaseDir`, or null. Names as electron-builder 26 makes
 * them: `linux-unpacked/tapedeck` (package name, lower case), `win-unpacked/Tapedeck.exe` and
 * `mac[-arch]/Tapedeck.app` (productName); an arch suffix when it is not the default.
 */
export function findPackagedApp(
  releaseDir: string = RELEASE_DIR,
  platform: NodeJS.Platform = process.platform,
  productName = 'Tapedeck',
  packageName = 'tapedeck',
): PackagedApp | null {
  let entries: string[];
  try {
    entries = readdirSync(releaseDir);
  } catch {
    return null;
  }
  for (const entry of entries.sort()) {
    const dir = join(releaseDir, entry);
    if (platform === 'darwin' && /^mac(?:-[a-z0-9]+)?$/.test(entry)) {
      const appBundle = join(dir, `${productName}.app`);
      const app: PackagedApp = {
        dir,
        executable: join(appBundle, 'Contents', 'MacOS', productName),
        fusesPath: appBundle,
        asar: join(appBundle, 'Contents', 'Resources', 'app.asar'),
        appBundle,
      };
      if (existsSync(app.executable)) return app;
    }
    const os = platform === 'win32' ? 'win' : platform === 'linux' ? 'linux' : null;
    if (os && new RegExp(`^${os}(?:-[a-z0-9]+)?-unpacked$`).test(entry)) {
      const executable = join(dir, platform === 'win32' ? `${productName}.exe` : packageName);
      const app: PackagedApp = {
        dir,
        executable,
        fusesPath: executable,
        asar: join(dir, 'resources', 'app.asar'),
        appBundle: null,
      };
      if (existsSync(app.executable)) return app;
    }
  }
  return null;
}

interface AsarModule {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, file: string): Buffer;
}

/** @electron/asar as electron-builder uses it (resolved through it, not hoisting). */
export function asarModule(): AsarModule {
  const fromProject = createRequire(join(PROJECT_DIR, 'package.json'));
  const fromBuilder = createRequire(fromProject.resolve('electron-builder/package.json'));
  const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
  return fromLib('@electron/asar') as AsarModule;
}
