/**
 * main.js as built, run under plain Node with a fake Electron (fake-electron/): the composition
 * root itself, which the other unit tests cannot reach. It starts the real core on the demo
 * library, and the IPC and protocol handlers main registered are called as the window would.
 * What this cannot show (real Chromium, the real sandbox) the desktop e2e tests do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, PROJECT_DIR } from '../../../build/build-main.ts';
import { readConfig } from '../../../electron/core/config.ts';
import { EVENT_NAMES, METHOD_NAMES } from '../../../shared/contract.ts';

const FAKE_DIR = fileURLToPath(new URL('./fake-electron/', import.meta.url));

interface RunResult {
  code: number | null;
  result: Record<string, unknown>;
  quit: { quits: number; prevented: number } | null;
  stderr: string;
}

let outRoot: string;
let dataDir: string;
let run: RunResult;

let main: string;

function runMain(env: Record<string, string | undefined>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', join(FAKE_DIR, 'register.mjs'), '--import', join(FAKE_DIR, 'scenario.mjs'), main],
      {
        cwd: PROJECT_DIR,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          FAKE_ELECTRON_BUNDLE: main,
          FAKE_ELECTRON_APP_ROOT: PROJECT_DIR,
          TAPEDECK_PORT: '0',
          ...env,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = (prefix: string) => {
        const found = stdout.split('\n').find((text) => text.startsWith(prefix));
        return found ? JSON.parse(found.slice(prefix.length)) : null;
      };
      resolve({
        code,
        result: line('FAKE-ELECTRON-RESULT ') ?? {},
        quit: line('FAKE-ELECTRON-QUIT '),
        stderr,
      });
    });
  });
}

beforeAll(async () => {
  outRoot = mkdtempSync(join(tmpdir(), 'tapedeck-fake-electron-'));
  dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-fake-electron-data-'));
  ({ main } = await buildMain({ outRoot }));
  run = await runMain({ TAPEDECK_DATA_DIR: dataDir, TAPEDECK_DOWNLOADS_DIR: join(dataDir, 'downloads') });
}, 90_000);

afterAll(() => {
  rmSync(outRoot, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('main.js under a fake Electron', () => {
  it('runs its scenario to the end', () => {
    expect(run.result.failed, run.stderr).toBeUndefined();
    expect(run.result.errors).toEqual([]);
  });

  it('registers the schemes and the sandbox before ready, and both protocol handlers after', () => {
    expect(run.result).toMatchObject({
      registeredBeforeReady: true,
      privilegedSchemes: ['tapedeck-app', 'tapedeck-media'],
      sandboxEnabled: true,
      protocolSchemes: ['tapedeck-app', 'tapedeck-media'],
    });
  });

  it('registers one IPC handler per contract method', () => {
    expect(run.result.ipcChannels).toEqual([...METHOD_NAMES].sort());
  });

  it('opens one locked-down window on the app page and shows it', () => {
    expect(run.result).toMatchObject({
      windowCount: 1,
      windowShown: true,
      loadedUrl: 'tapedeck-app://app/index.html',
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
      windowOpen: { action: 'deny' },
      permissionCheck: false,
      remoteRequestCancelled: true,
    });
    expect((run.result.webPreferences as { preload: string }).preload).toBe(
      join(PROJECT_DIR, 'out', 'preload', 'preload.cjs'),
    );
  });

  it('answers the window from the real core on the demo library, with its local API on', () => {
    expect(run.result.status).toMatchObject({
      mode: 'demo',
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    // The scenario lists the calls with a recording: one per recording of the demo.
    const recordings = readdirSync(join(PROJECT_DIR, 'electron/core/demo/library')).filter((name) =>
      name.endsWith('.mp4'),
    );
    expect(run.result.rows).toBe(recordings.length);
  });

  it('refuses a bad sender and a bad payload', () => {
    expect(run.result.forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(run.result.invalidCode).toBe('invalid_input');
  });

  it('serves the page with the CSP, and streams a Range of a recording', () => {
    expect(run.result.page).toMatchObject({ csp: expect.stringContaining("default-src 'self'") });
    expect(run.result.media).toEqual({
      status: 206,
      contentRange: expect.stringMatching(/^bytes 0-99\/\d+$/),
      bytes: 100,
    });
  });

  it('forwards core events to the window once it has loaded', () => {
    const channels = run.result.eventChannels as string[];
    expect(channels.length).toBeGreaterThan(0);
    for (const channel of channels) expect(EVENT_NAMES).toContain(channel);
  });

  it('keeps its user data and its log in TAPEDECK_DATA_DIR', () => {
    expect(run.result).toMatchObject({ logsDir: join(dataDir, 'logs'), mainLogWritten: true });
  });

  it('builds the menu', () => {
    expect(run.result.menu).toEqual(
      process.platform === 'darwin'
        ? ['Tapedeck', 'File', 'Edit', 'View', 'Window', 'Help']
        : ['File', 'Edit', 'View', 'Window', 'Help'],
    );
  });

  it('holds the quit until the core has closed, then quits', () => {
    expect(run.quit).toEqual({ quits: 2, prevented: 1 });
    expect(run.code).toBe(0);
  });
});

describe('main.js with no TAPEDECK_DATA_DIR', () => {
  let home: string;
  let started: RunResult;
  /** A person's environment: a home folder, nothing moved. */
  let env: Record<string, string>;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'tapedeck-fake-home-'));
    env = { HOME: home, APPDATA: join(home, 'AppData', 'Roaming') };
    started = await runMain({
      ...env,
      FAKE_ELECTRON_SCENARIO: 'identity',
      TAPEDECK_DOWNLOADS_DIR: join(home, 'Downloads'),
    });
  }, 90_000);

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('keeps its data in the folder `serve` uses, so both open one catalog', () => {
    expect(started.result.errors, started.stderr).toEqual([]);
    const headless = readConfig(env).dataDir;
    expect(started.result.userData).toBe(headless);
    if (process.platform === 'linux') expect(headless).toBe(join(home, '.config', 'Tapedeck'));
  });

  it('is called by the product name everywhere: the app, About, the window and the menus', () => {
    const { productName } = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
      productName?: string;
    };
    expect(productName).toBe('Tapedeck');
    expect(started.result).toMatchObject({
      appName: 'Tapedeck',
      aboutPanel: { applicationName: 'Tapedeck' },
      windowTitle: 'Tapedeck',
    });
    if (process.platform === 'darwin') expect((started.result.menu as string[])[0]).toBe('Tapedeck');
  });
});
