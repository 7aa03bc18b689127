/* global process, setTimeout, console, Request -- Node globals (plain JS: it runs before any TypeScript loader) */
/**
 * Drives main.js once it is up under the fake Electron: calls the IPC handlers and protocol handlers
 * main registered, as the window would, and prints what came back as one JSON line. Then quits, the
 * way a person would, and reports how the quit went.
 */
import { app, recorded } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const RESULT = 'FAKE-ELECTRON-RESULT ';
const QUIT = 'FAKE-ELECTRON-QUIT ';

async function until(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What names the app and where its data goes, as main set them up. */
function identity(window) {
  return {
    appName: app.getName(),
    userData: app.getPath('userData'),
    logsDir: app.getPath('logs'),
    aboutPanel: recorded.aboutPanel,
    windowTitle: window.options.title,
    menu: recorded.menu?.map((item) => item.label) ?? null,
  };
}

async function run() {
  const window = await until(() => recorded.windows[0], 'the window');
  await until(() => window.webContents.url !== '', 'the page to load');
  if (process.env.FAKE_ELECTRON_SCENARIO === 'identity') {
    // Only where things go: quit as soon as the window is up.
    console.log(RESULT + JSON.stringify({ ...identity(window), errors: recorded.errors }));
    app.quit();
    return;
  }
  const frame = window.webContents.mainFrame;
  const fromWindow = { sender: window.webContents, senderFrame: frame };
  const invoke = (method, input, event = fromWindow) => recorded.ipcHandlers.get(method)(event, input);

  // The sync writes folder by folder: the list is complete once it has succeeded.
  await until(async () => {
    const reply = await invoke('library:status', {});
    return reply.ok && reply.value.sync?.state === 'succeeded' ? true : null;
  }, 'the demo sync');
  const rows = (await invoke('recordings:list', { hasRecording: true })).value.rows;
  const status = await invoke('library:status', {});
  const forbidden = await invoke(
    'settings:get',
    {},
    { sender: window.webContents, senderFrame: { ...frame, url: 'https://evil.example/' } },
  );
  const invalid = await invoke('recordings:list', { limit: 'all' });

  const page = await recorded.protocolHandlers.get('tapedeck-app')(
    new Request('tapedeck-app://app/index.html'),
  );
  const key = rows[0].recording.key;
  const media = await recorded.protocolHandlers.get('tapedeck-media')(
    new Request(`tapedeck-media://recordings/${encodeURIComponent(key)}`, {
      headers: { range: 'bytes=0-99' },
    }),
  );
  const mediaBytes = (await media.arrayBuffer()).byteLength;
  await until(() => window.webContents.sent.length > 0, 'an event forwarded to the window', 10_000);

  const result = {
    ...identity(window),
    registeredBeforeReady: recorded.registeredBeforeReady,
    privilegedSchemes: recorded.privilegedSchemes.map((scheme) => scheme.scheme),
    sandboxEnabled: recorded.sandboxEnabled,
    ipcChannels: [...recorded.ipcHandlers.keys()].sort(),
    protocolSchemes: [...recorded.protocolHandlers.keys()].sort(),
    windowCount: recorded.windows.length,
    windowShown: window.shown,
    webPreferences: window.options.webPreferences,
    loadedUrl: window.webContents.url,
    windowOpen: window.webContents.windowOpenHandler?.({ url: 'https://example.com/' }),
    permissionCheck: recorded.permissionCheck?.(null, 'media', 'tapedeck-app://app', {}),
    remoteRequestCancelled: await new Promise((resolve) =>
      recorded.beforeRequest({ url: 'https://example.com/x.js' }, (response) => resolve(response.cancel)),
    ),
    menu: recorded.menu.map((item) => item.label),
    status: status.ok ? { mode: status.value.mode, apiUrl: status.value.apiUrl } : status,
    rows: rows.length,
    forbidden,
    invalidCode: invalid.ok ? null : invalid.error.code,
    page: { status: page.status, csp: page.headers.get('content-security-policy') },
    media: { status: media.status, contentRange: media.headers.get('content-range'), bytes: mediaBytes },
    eventChannels: [...new Set(window.webContents.sent.map(([channel]) => channel))],
    errors: recorded.errors,
    mainLogWritten: existsSync(join(app.getPath('logs'), 'main.log')),
  };
  console.log(RESULT + JSON.stringify(result));
  app.on('quit', () =>
    console.log(QUIT + JSON.stringify({ quits: recorded.quits, prevented: recorded.willQuitPrevented })),
  );
  app.quit();
}

// Not whenReady(): in the fake, that call is what schedules `ready` (main.js makes it).
app.once('ready', () =>
  run().catch((error) => {
    console.log(RESULT + JSON.stringify({ failed: String(error?.stack ?? error) }));
    process.exit(1);
  }),
);
