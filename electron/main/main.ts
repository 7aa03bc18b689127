/**
 * The desktop app's entry point: a thin shell around the core (electron/core/app). It names the app
 * and its user-data folder (the one `serve` uses, or TAPEDECK_DATA_DIR), keeps to one instance, registers the schemes, installs the security
 * guards, starts the core, wires IPC and the media protocol, and opens the window. On quit it closes
 * the core (the HTTP API, downloads, the catalog) before the process ends.
 *
 * Ordering matters: everything before `whenReady` runs at module load, which Electron guarantees
 * happens before `ready` for a bundled ESM entry with no top-level await.
 */
import {
  BrowserWindow,
  Menu,
  app,
  clipboard,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { join } from 'node:path';
import { startTapedeckApp, type TapedeckApp } from '../core/app/tapedeck-app.ts';
import { PRODUCT_NAME } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { BUNDLE_LAYOUT } from './bundle-layout.ts';
import { desktopPorts } from './desktop-ports.ts';
import { RendererEventQueue, forwardEventsTo, registerContractHandlers } from './ipc.ts';
import { mainLogger } from './main-log.ts';
import { applicationMenuTemplate } from './menu.ts';
import { PRIVILEGED_SCHEMES, handleAppProtocols } from './protocol.ts';
import { installSessionGuards, installWebContentsGuards } from './security.ts';
import { dataDirOverride, desktopDataDir } from './user-data.ts';
import { createMainWindow } from './window.ts';

/** How long quitting waits for the core to close before giving up on it. */
const CLOSE_TIMEOUT_MS = 5_000;

// Before anything reads userData, and before the single-instance lock, which is keyed on it (so
// tests with their own folders can run side by side). Set, not left to Electron: its default comes
// from package.json as it finds it, and the folder must be the one `serve` opens (one catalog).
app.setName(PRODUCT_NAME);
app.setPath('userData', desktopDataDir(process.env));
if (dataDirOverride(process.env)) {
  // Logs go with a moved folder (by default macOS keeps them in ~/Library/Logs/Tapedeck).
  app.setAppLogsPath(join(app.getPath('userData'), 'logs'));
}

if (app.requestSingleInstanceLock()) {
  startShell(mainLogger(app.getPath('logs')));
} else {
  // Another Tapedeck has this user-data folder; it brings its window forward (second-instance).
  app.quit();
}

function startShell(log: Logger): void {
  const isDev = !app.isPackaged;
  const appRoot = app.getAppPath();
  const events = new RendererEventQueue(log);
  let mainWindow: BrowserWindow | null = null;
  let core: Promise<TapedeckApp> | null = null;

  protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
  // Every renderer sandboxed, whatever its own preferences say.
  app.enableSandbox();
  installWebContentsGuards(app, log);

  const openWindow = () => {
    const window = createMainWindow({
      preloadPath: join(appRoot, BUNDLE_LAYOUT.preload),
      dataDir: app.getPath('userData'),
      isDev,
      log,
    });
    forwardEventsTo(events, window.webContents);
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  void app.whenReady().then(() => {
    installSessionGuards(session.defaultSession, log);
    app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion() });
    // The window loads while the core starts (the demo library takes a moment); IPC and media
    // requests wait for it.
    const started = startTapedeckApp({
      dataDir: app.getPath('userData'),
      ports: desktopPorts({ safeStorage, shell, downloadsDir: app.getPath('downloads') }),
      log,
      webMode: false,
      demo: 'when-unconfigured',
      portTakenIsFatal: false,
    });
    core = started;
    handleAppProtocols(protocol, {
      rendererDir: join(appRoot, BUNDLE_LAYOUT.rendererDir),
      openMedia: async (key, range) => (await started).openMedia(key, range),
      log,
    });
    registerContractHandlers({
      ipcMain,
      core: { call: async (method, input) => (await started).call(method, input) },
      getWindow: () => mainWindow,
      log,
    });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        applicationMenuTemplate({
          platform: process.platform,
          appName: app.getName(),
          isDev,
          openDataFolder: () => void shell.openPath(app.getPath('userData')),
          copyApiAddress: () =>
            void started.then(
              (running) => clipboard.writeText(running.apiUrl ?? 'The local API is off.'),
              () => clipboard.writeText('Tapedeck did not start; see main.log.'),
            ),
        }),
      ),
    );
    openWindow();
    started.then(
      (running) => {
        running.onEvent((event, payload) => events.push(event, payload));
        log.info(running.apiUrl ? `local Recording API on ${running.apiUrl}` : 'the local API is off');
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`could not start: ${message}`);
        dialog.showErrorBox('Tapedeck could not start', message);
        app.quit();
      },
    );
  });

  app.on('activate', () => {
    // macOS: clicking the Dock icon with no window open opens one.
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  closeCoreBeforeQuit(() => core, log);
  // Ctrl-C in the terminal running `npm start`, or a service manager: quit the normal way.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

/**
 * Holds the quit until the core has closed (in-flight downloads stopped, the HTTP API closed, the
 * catalog checkpointed), then lets it go. A core that hangs gets CLOSE_TIMEOUT_MS.
 */
function closeCoreBeforeQuit(getCore: () => Promise<TapedeckApp> | null, log: Logger): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    const core = getCore();
    if (state === 'closed' || core === null) return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn(`the core did not close within ${CLOSE_TIMEOUT_MS} ms; quitting anyway`);
        resolve();
      }, CLOSE_TIMEOUT_MS);
    });
    Promise.race([core.then((running) => running.close()), timeout])
      .catch((error: unknown) => log.error(`closing the core failed: ${String(error)}`))
      .finally(() => {
        clearTimeout(timer);
        state = 'closed';
        app.quit();
      });
  });
}
