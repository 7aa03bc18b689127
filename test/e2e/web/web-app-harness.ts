/**
 * What the browser end-to-end tests stand on: the real renderer (built once, when its sources are
 * newer than dist/renderer), the real `npm run demo` server on a free port with its own data and
 * downloads folders, and Debian's Chromium driven by playwright-core.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type {
  CallRow,
  LibraryStatus,
  MethodInput,
  MethodName,
  MethodOutput,
  Reply,
} from '../../../shared/contract.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER_OUT = join(ROOT, 'dist', 'renderer');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Builds dist/renderer when any renderer or shared source is newer; one worker at a time. */
export async function buildRendererIfStale(): Promise<void> {
  const lock = join(ROOT, 'dist', '.renderer-build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock); // atomic: the one worker that creates it builds
      break;
    } catch {
      // A lock older than two minutes is from a crashed run.
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() > deadline || Date.now() - lockedAt > 120_000) {
        rmSync(lock, { recursive: true, force: true });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
  try {
    const built = join(RENDERER_OUT, 'index.html');
    const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
    const sources = [join(ROOT, 'renderer'), join(ROOT, 'shared')];
    if (sources.some((dir) => newestMtime(dir) > builtAt)) {
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          'renderer/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        {
          cwd: ROOT,
          // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
          env: { ...process.env, NODE_ENV: 'production' },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export interface DemoServer {
  readonly url: string;
  readonly downloadsDir: string;
  readonly dataDir: string;
  /** Calls a contract method over web mode's HTTP route, as the renderer does. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Every call in the demo, newest first (what the list should show). */
  allCalls(): Promise<CallRow[]>;
  status(): Promise<LibraryStatus>;
  /** The bytes the media route streams for a recording. */
  mediaBytes(key: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Temp data and downloads folders for a demo server (kept across its restarts). */
function demoFolders(): { base: string; dataDir: string; downloadsDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'tapedeck-e2e-'));
  const dataDir = join(base, 'data');
  const downloadsDir = join(base, 'downloads');
  mkdirSync(dataDir);
  mkdirSync(downloadsDir);
  return { base, dataDir, downloadsDir };
}

/**
 * `npm run demo`'s entry point on port 0 over these folders, once its first sync succeeded. `stop`
 * of the DemoServer it answers is the caller's to define (end it, and maybe remove the folders).
 */
async function spawnDemo(folders: { dataDir: string; downloadsDir: string }): Promise<{
  child: ChildProcess;
  server: Omit<DemoServer, 'stop'>;
}> {
  const env: NodeJS.ProcessEnv = {};
  // Only what a clean machine has: no AWS or S3 settings of the developer's leak in.
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|S3_|TAPEDECK_)/.test(name)) env[name] = value;
  }
  Object.assign(env, {
    TAPEDECK_PORT: '0',
    TAPEDECK_DATA_DIR: folders.dataDir,
    TAPEDECK_DOWNLOADS_DIR: folders.downloadsDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/core/cli/demo.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readyUrl(child);

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const response = await fetch(`${url}/api/ipc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const reply = (await response.json()) as Reply<MethodOutput<M>>;
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
    return reply.value;
  };

  // The page is served before the first sync of the demo bucket ends; tests start from a synced library.
  const deadline = Date.now() + 30_000;
  while ((await call('library:status', {})).sync?.state !== 'succeeded') {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the demo library did not finish its first sync within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    child,
    server: {
      url,
      downloadsDir: folders.downloadsDir,
      dataDir: folders.dataDir,
      call,
      allCalls: async () => (await call('recordings:list', { limit: 1000 })).rows,
      status: () => call('library:status', {}),
      async mediaBytes(key) {
        const response = await fetch(`${url}/media/recordings/${encodeURIComponent(key)}`);
        if (!response.ok) throw new Error(`media ${key}: ${response.status}`);
        return Buffer.from(await response.arrayBuffer());
      },
    },
  };
}

/** `npm run demo`'s entry point on port 0, with temp data and downloads folders of its own. */
export async function startDemoServer(): Promise<DemoServer> {
  const folders = demoFolders();
  const { child, server } = await spawnDemo(folders);
  return {
    ...server,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(folders.base, { recursive: true, force: true });
    },
  };
}

/** Resolves with the page's address once the server logs `Tapedeck on http://127.0.0.1:PORT`. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => fail(new Error(`the demo server did not start within 30 s:\n${log}`)),
      30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Tapedeck on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        child.stderr?.resume(); // keep draining, or the server blocks on a full pipe
        resolve(match[1]);
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.resume();
    child.once('exit', (code) =>
      fail(new Error(`the demo server exited (${code}) before it was ready:\n${log}`)),
    );
  });
}

/** Debian's Chromium, headless; a fresh profile per launch (playwright makes a temp one). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (its own storage) at 1280×800 with the app open and its first rows on screen. */
export async function openApp(
  browser: Browser,
  server: DemoServer,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: false,
  });
  // Fail a step in seconds with what it waited for, rather than hang until the test's timeout.
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${server.url}/`);
  await page.getByRole('grid', { name: 'Calls' }).getByRole('row').nth(1).waitFor();
  return { context, page, errors };
}

export interface WebApp {
  readonly server: DemoServer;
  readonly browser: Browser;
  /** Every demo call, newest first, as the server listed them before the first test. */
  readonly calls: CallRow[];
  /** The page `open()` opened for the current test. */
  readonly page: Page;
  /** What that page logged as errors. */
  readonly errors: string[];
  /** Opens the app in a fresh context (see `openApp`) for the current test. */
  open(): Promise<void>;
}

/**
 * Registers a test file's hooks: the renderer built, the demo server and Chromium started once for
 * the file (and stopped after it), and after each test no page errors and the page's context closed.
 * `openEachTest` opens the app before every test; `closeEachTest: false` leaves the after-each step
 * to the file (for pages it opens itself).
 */
export function useWebApp(options: { openEachTest?: boolean; closeEachTest?: boolean } = {}): WebApp {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  let calls: CallRow[] | undefined;
  let opened: { page: Page; errors: string[] } | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useWebApp: no ${name} yet`);
    return value;
  };
  const app: WebApp = {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get calls() {
      return ready(calls, 'calls');
    },
    get page() {
      return ready(opened, 'page (call open() first)').page;
    },
    get errors() {
      return ready(opened, 'page (call open() first)').errors;
    },
    async open() {
      const { page, errors } = await openApp(app.browser, app.server);
      opened = { page, errors };
    },
  };

  beforeAll(async () => {
    await buildRendererIfStale();
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    calls = await server.allCalls();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  if (options.openEachTest) beforeEach(() => app.open());

  if (options.closeEachTest ?? true) {
    afterEach(async () => {
      expect(app.errors, 'the page logged errors').toEqual([]);
      await app.page.context().close();
      opened = undefined;
    });
  }

  return app;
}

/** The data rows the grid shows (not the header), by their customer cell. */
export async function visibleCustomers(page: Page): Promise<string[]> {
  return page.locator('.call-scroll [role="row"] .customer-name').allInnerTexts();
}

/** The player's <audio>: its clock, whether it plays, where it streams from. */
export async function audioState(
  page: Page,
): Promise<{ currentTime: number; paused: boolean; src: string; rate: number }> {
  return page.evaluate(() => {
    const audio = document.querySelector('audio');
    if (!audio) throw new Error('no <audio> element');
    return {
      currentTime: audio.currentTime,
      paused: audio.paused,
      src: audio.currentSrc || audio.src,
      rate: audio.playbackRate,
    };
  });
}

export async function waitForAudioTime(page: Page, atLeast: number, timeout = 10_000): Promise<void> {
  await page.waitForFunction((t) => (document.querySelector('audio')?.currentTime ?? 0) >= t, atLeast, {
    timeout,
  });
}

/** `{customer}_{phone digits}_{YYYY-MM-DD_HHMMSS}.mp4`, worked out from the recording key itself. */
export function expectedFileName(customer: string, key: string): string {
  const match = /(?:outbound|inbound)-(\d+)_(\d+)\.mp4$/.exec(key);
  if (!match?.[1] || !match[2]) throw new Error(`not an Egress key: ${key}`);
  const iso = new Date(Number(match[2]) * 1000).toISOString();
  return `${customer}_${match[1]}_${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '')}.mp4`;
}

/** Waits until a file with this exact name is in the folder; returns its path. */
export async function waitForFile(dir: string, name: string, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (readdirSync(dir).includes(name)) return join(dir, name);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not appear in ${dir}; it holds: ${readdirSync(dir).join(', ') || 'nothing'}`);
}

/**
 * A demo server that can be killed hard (SIGKILL, as a crash would) and started again on the same
 * data and downloads folders, to show what survives. `stop()` ends it and removes the folders.
 */
export interface RestartableDemoServer {
  /** The server now running (a restart gives it a new port, so a new address). */
  readonly server: DemoServer;
  kill(): Promise<void>;
  restart(): Promise<DemoServer>;
  stop(): Promise<void>;
}

export async function startRestartableDemoServer(): Promise<RestartableDemoServer> {
  const folders = demoFolders();
  const { base } = folders;
  let child: ChildProcess | null = null;

  const spawnOn = async (): Promise<DemoServer> => {
    const spawned = await spawnDemo(folders);
    child = spawned.child;
    return { ...spawned.server, stop: () => kill() };
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  let server = await spawnOn();
  return {
    get server() {
      return server;
    },
    kill,
    async restart() {
      server = await spawnOn();
      return server;
    },
    async stop() {
      await kill();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
