/**
 * The desktop app end to end, with Playwright's `_electron`: the same flows as the browser tests
 * (the demo list, search, playback, download, shortcuts) plus what only the shell can prove
 * (navigation blocked, new windows denied, exactly the contract on `window.tapedeck`, no Node in the
 * page, sender validation, one instance, the window's place remembered).
 *
 * Each test gets a fresh user-data folder. Without the Electron binary (here it is not downloaded:
 * ELECTRON_SKIP_BINARY_DOWNLOAD) every test is reported as skipped, with one loud line saying why.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../build/build-main.ts';
import { METHOD_NAMES, type CallRow, type ContractClient } from '../../../shared/contract.ts';
import {
  buildDesktopApp,
  chromiumSandboxArgs,
  electronBinary,
  launchDesktopApp,
  launchEnv,
  type RunningApp,
} from './desktop-app.ts';

declare global {
  interface Window {
    tapedeck?: ContractClient;
  }
}

const binary = electronBinary();
if (binary === null) {
  console.warn(
    'DESKTOP E2E SKIPPED: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD) — run `npm ci` without it to run these',
  );
}

const TIMEOUT = 90_000;

// Runs everywhere: the flags every launch of these tests gets, by hand or through Playwright.
describe('launch flags of the desktop tests', () => {
  it("turn off Chromium's OS sandbox on Linux (as Playwright does) and as root, nowhere else", () => {
    expect(chromiumSandboxArgs('linux', 1000)).toEqual(['--no-sandbox']);
    expect(chromiumSandboxArgs('linux', 0)).toEqual(['--no-sandbox']);
    expect(chromiumSandboxArgs('darwin', 0)).toEqual(['--no-sandbox']);
    expect(chromiumSandboxArgs('darwin', 501)).toEqual([]);
    expect(chromiumSandboxArgs('win32', null)).toEqual([]);
  });
});

describe.skipIf(binary === null)('the desktop app', () => {
  let running: RunningApp | null = null;
  const launch = async (options: { dataDir?: string } = {}) => {
    running = await launchDesktopApp(binary!, options);
    return running;
  };

  beforeAll(() => buildDesktopApp(), 600_000);

  afterEach(async () => {
    await running?.close();
    running = null;
  });

  const callRows = (desktop: RunningApp) =>
    desktop.page.getByRole('grid', { name: 'Calls' }).locator('[role="row"][data-interaction-id]');

  /** The demo's calls that have a recording, from the contract itself, once the first sync found them. */
  const callsWithRecording = async (desktop: RunningApp): Promise<CallRow[]> => {
    let rows: CallRow[] = [];
    await expect
      .poll(
        async () => {
          rows = await desktop.page.evaluate(async () => {
            const reply = await window.tapedeck!['recordings:list']({ hasRecording: true, limit: 100 });
            if (!reply.ok) throw new Error(reply.error.message);
            return reply.value.rows;
          });
          return rows.length;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    return rows;
  };

  it(
    'opens on the demo library and lists its calls',
    async () => {
      const desktop = await launch();
      await expect.poll(() => callRows(desktop).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
      expect(await desktop.page.getByRole('note', { name: 'Demo library' }).isVisible()).toBe(true);
      expect(await desktop.page.title()).toBe('Tapedeck');
    },
    TIMEOUT,
  );

  it(
    'narrows the list as a search is typed',
    async () => {
      const desktop = await launch();
      await expect.poll(() => callRows(desktop).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
      await desktop.page.getByRole('searchbox', { name: 'Search' }).fill('Smith');
      await expect.poll(() => callRows(desktop).count()).toBe(1);
      expect(await callRows(desktop).first().textContent()).toContain('Smith');
    },
    TIMEOUT,
  );

  it(
    'plays a recording through the media protocol, and Space pauses it',
    async () => {
      const desktop = await launch();
      const [call] = await callsWithRecording(desktop);
      await desktop.page.locator(`[data-interaction-id="${call!.interaction_id}"]`).dblclick();
      const audio = desktop.page.locator('audio[data-role="tapedeck-player"]');
      await expect
        .poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 20_000 })
        .toBeGreaterThan(0.5);
      expect(await audio.evaluate((a: HTMLAudioElement) => a.currentSrc)).toMatch(
        /^tapedeck-media:\/\/recordings\//,
      );
      await desktop.page.locator('body').press('Space');
      await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
      expect(await desktop.page.getByRole('button', { name: 'Play', exact: true }).isVisible()).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'downloads a recording to the downloads folder under its file name, with all its bytes',
    async () => {
      const desktop = await launch();
      const [call] = await callsWithRecording(desktop);
      const recording = call!.recording!;
      await desktop.page.locator(`[data-interaction-id="${call!.interaction_id}"]`).click();
      await desktop.page.getByRole('button', { name: 'Download', exact: true }).click();
      const file = join(desktop.downloadsDir, recording.fileName);
      await expect
        .poll(() => existsSync(file) && statSync(file).size, { timeout: 20_000 })
        .toBe(recording.size);
      expect(readdirSync(desktop.downloadsDir)).toEqual([recording.fileName]);
    },
    TIMEOUT,
  );

  it(
    'answers the keyboard: / focuses the search, ? lists the shortcuts',
    async () => {
      const desktop = await launch();
      await expect.poll(() => callRows(desktop).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await desktop.page.locator('body').press('/');
      expect(await desktop.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        'Search',
      );
      await desktop.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await desktop.page.keyboard.press('?');
      await expect.poll(() => desktop.page.getByRole('dialog').count()).toBe(1);
    },
    TIMEOUT,
  );

  it(
    'exposes exactly the contract on window.tapedeck, and no Node in the page',
    async () => {
      const desktop = await launch();
      const page = await desktop.page.evaluate(() => ({
        keys: Object.keys(window.tapedeck ?? {}).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        module: typeof (globalThis as { module?: unknown }).module,
      }));
      expect(page).toEqual({
        keys: [...METHOD_NAMES, 'on'].sort(),
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
      });
    },
    TIMEOUT,
  );

  it(
    'blocks navigation away from the app',
    async () => {
      const desktop = await launch();
      const before = desktop.page.url();
      expect(before).toBe('tapedeck-app://app/index.html');
      await desktop.page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await desktop.page.waitForTimeout(1_000);
      expect(desktop.page.url()).toBe(before);
    },
    TIMEOUT,
  );

  it(
    'denies window.open and every permission',
    async () => {
      const desktop = await launch();
      const result = await desktop.page.evaluate(async () => ({
        opened: window.open('https://example.com/') === null,
        notifications: await Notification.requestPermission(),
      }));
      expect(result).toEqual({ opened: true, notifications: 'denied' });
      expect(desktop.app.windows()).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    'refuses contract calls from any window but the main one',
    async () => {
      const desktop = await launch();
      const reply = await desktop.app.evaluate(
        async ({ BrowserWindow }, preload) => {
          const other = new BrowserWindow({
            show: false,
            webPreferences: { preload, sandbox: true, contextIsolation: true },
          });
          await other.loadURL('about:blank');
          const answer: unknown = await other.webContents.executeJavaScript(
            "window.tapedeck['settings:get']({})",
          );
          other.destroy();
          return answer;
        },
        join(PROJECT_DIR, 'out', 'preload', 'preload.cjs'),
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    },
    TIMEOUT,
  );

  it(
    'keeps to one instance per user-data folder',
    async () => {
      const desktop = await launch();
      // Started by hand, so it needs the flags Playwright gave the first (else, on Ubuntu 23.10+,
      // it aborts on the SUID sandbox and the exit code says nothing about the single-instance lock).
      const second = spawn(binary!, [...chromiumSandboxArgs(), PROJECT_DIR], {
        cwd: PROJECT_DIR,
        env: launchEnv(desktop.dataDir, desktop.downloadsDir),
        stdio: 'ignore',
      });
      const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
      expect(code).toBe(0);
      expect(desktop.app.windows()).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "remembers the window's size and place",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-desktop-'));
      try {
        const first = await launch({ dataDir });
        await first.app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows()[0]!.setBounds({ x: 64, y: 64, width: 1000, height: 700 }),
        );
        const bounds = await first.app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows()[0]!.getBounds(),
        );
        await first.close();
        running = null;
        const second = await launch({ dataDir });
        expect(
          await second.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds()),
        ).toEqual(bounds);
      } finally {
        await running?.close();
        running = null;
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
