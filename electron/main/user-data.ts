/**
 * Where the desktop app keeps its user data (catalog, settings, window state, Chromium's own data,
 * the single-instance lock). `TAPEDECK_DATA_DIR` moves it: tests give each run a fresh one, and a
 * portable install keeps everything beside it. Otherwise it is the folder `serve` uses
 * (`defaultDataDir`, named after package.json's productName), so both share one catalog whatever
 * Electron would have derived from the package name.
 */
import { resolve } from 'node:path';
import { defaultDataDir } from '../core/config.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The folder to use instead of the default, or null to keep the default. */
export function dataDirOverride(env: Env, cwd: string = process.cwd()): string | null {
  const value = env.TAPEDECK_DATA_DIR?.trim();
  return value ? resolve(cwd, value) : null;
}

/** The user-data folder of the desktop app: the override, else the one headless mode uses. */
export function desktopDataDir(
  env: Env,
  cwd: string = process.cwd(),
  platform: NodeJS.Platform = process.platform,
): string {
  return dataDirOverride(env, cwd) ?? defaultDataDir(env, platform);
}
