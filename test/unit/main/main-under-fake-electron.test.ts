/**
 * main.js as built, run under plain Node with a fake Electron (fake-electron/): the composition
 * root itself, which the other unit tests cannot reach. It starts the real core on the demo
 * library, and the IPC and protocol handlers main registered are called as the window would.
 * What this cannot show (real Chromium, the real sandbox) the desktop e2e tests do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, PROJECT_DIR } from '../../../build/build-main.ts';
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

function runMain(main: string): Promise<RunResult> {
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
          TAPEDECK_DATA_DIR: dataDir,
          TAPEDECK_DOWNLOADS_DIR: join(dataDir, 'downloads'),
          TAPEDECK_PORT: '0',
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
  const { main } = await buildMain({ outRoot });
  run = await runMain(main);
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
