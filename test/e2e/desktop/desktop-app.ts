/**
 * Launching the real desktop app for end-to-end tests: Playwright's `_electron`, the repository's
 * build, and a fresh user-data folder (TAPEDECK_DATA_DIR) and downloads folder for every launch,
 * so tests never share state.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { PROJECT_DIR } from '../../../build/build-main.ts';
import { prepareElectronNative } from '../../../build/prepare-electron-native.ts';

/**
 * The Electron binary npm installed, or null. Not `require('electron')`: without the binary that
 * tries to download it, and here the download is skipped on purpose (ELECTRON_SKIP_BINARY_DOWNLOAD).
 */
export function electronBinary(): string | null {
  const packageDir = dirname(
    createRequire(join(PROJECT_DIR, 'package.json')).resolve('electron/package.json'),
  );
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(distDir, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** What `npm start` builds before `electron .`: the renderer, main and preload, and SQLite for Electron. */
export async function buildDesktopApp(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = (args: string[]) =>
    execFileSync(npm, args, { cwd: PROJECT_DIR, stdio: 'inherit', shell: process.platform === 'win32' });
  run(['run', 'build:renderer']);
  run(['run', 'build:main']);
  await prepareElectronNative(PROJECT_DIR);
}

/**
 * Chromium flags every test launch of Electron gets, the same for Playwright's launch and for one
 * started by hand (the second-instance test, the packaged app). On Linux Playwright itself puts
 * `--no-sandbox` first: on Ubuntu 23.10+ AppArmor denies the unprivileged user namespaces
 * Chromium's sandbox needs, it falls back to the SUID helper, and the one in node_modules (or an
 * unpacked build) is not setuid root, so Electron aborts before any window. As root (CI
 * containers) Chromium refuses its sandbox on every OS. The page still runs as Electron's
 * sandboxed renderer (no Node, a preload that can require only electron); what is lost is
 * Chromium's OS-level sandbox, for the test run only (docs/desktop.md).
 */
export function chromiumSandboxArgs(
  platform: NodeJS.Platform = process.platform,
  /** Null where there are no uids (Windows). */
  uid: number | null = process.getuid?.() ?? null,
): string[] {
  return platform === 'linux' || uid === 0 ? ['--no-sandbox'] : [];
}

export interface RunningApp {
  readonly app: ElectronApplication;
  readonly page: Page;
  readonly dataDir: string;
  readonly downloadsDir: string;
  close(): Promise<void>;
}

/** The environment of a test launch: no bucket or credentials of the machine (so the demo opens). */
export function launchEnv(dataDir: string, downloadsDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(AWS_|S3_|TAPEDECK_)|^INTERACTIONS_FILE$|^PORT$/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    TAPEDECK_DATA_DIR: dataDir,
    TAPEDECK_DOWNLOADS_DIR: downloadsDir,
    // Any free port: tests run side by side, and 8000 may be a developer's own server.
    TAPEDECK_PORT: '0',
  };
}

export async function launchDesktopApp(
  executablePath: string,
  options: { dataDir?: string } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tapedeck-desktop-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'tapedeck-downloads-'));
  const app = await _electron.launch({
    executablePath,
    args: [...chromiumSandboxArgs(), PROJECT_DIR],
    cwd: PROJECT_DIR,
    env: launchEnv(dataDir, downloadsDir),
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return {
    app,
    page,
    dataDir,
    downloadsDir,
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}
