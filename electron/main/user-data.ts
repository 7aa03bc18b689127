/**
 * `TAPEDECK_DATA_DIR` moves the user-data folder (catalog, settings, window state, Chromium's own
 * data): tests give each run a fresh one, and a portable install keeps everything beside it.
 */
import { resolve } from 'node:path';

/** The folder to use instead of Electron's default, or null to keep the default. */
export function dataDirOverride(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): string | null {
  const value = env.TAPEDECK_DATA_DIR?.trim();
  return value ? resolve(cwd, value) : null;
}
