/**
 * The main window: locked-down web preferences (security.ts), the app's own page, shown once it
 * has painted, and its size and place remembered between runs (window-state.ts).
 */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { PRODUCT_NAME } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { APP_ENTRY_URL } from './app-url.ts';
import { mainWindowWebPreferences } from './security.ts';
import {
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  readWindowState,
  writeWindowState,
  type WindowState,
} from './window-state.ts';

export interface MainWindowOptions {
  readonly preloadPath: string;
  /** Where window-state.json lives (the user-data folder). */
  readonly dataDir: string;
  readonly isDev: boolean;
  readonly log: Logger;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const saved = readWindowState(options.dataDir, workAreas, options.log);
  const window = new BrowserWindow({
    ...(saved?.bounds ?? DEFAULT_WINDOW_SIZE),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: PRODUCT_NAME,
    show: false,
    // The page's own background, so there is no white flash before it paints in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: mainWindowWebPreferences(options.preloadPath, options.isDev),
  });
  if (saved?.maximized) window.maximize();

  window.once('ready-to-show', () => {
    window.show();
    // The packaged-app test reads this line: the window is up (it cannot attach a debugger there).
    options.log.info(`window shown: ${APP_ENTRY_URL}`);
  });
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    options.log.error(`the window could not load ${url}: ${description} (${code})`);
    window.show();
  });
  window.on('close', () => saveState(window, options));

  window.loadURL(APP_ENTRY_URL).catch(() => {
    // did-fail-load has logged it and shown the window.
  });
  return window;
}

function saveState(window: BrowserWindow, options: MainWindowOptions): void {
  // Normal bounds: the size to return to when un-maximised, not the maximised size.
  const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
  try {
    writeWindowState(options.dataDir, state);
  } catch (error) {
    options.log.warn(`could not remember the window's place: ${String(error)}`);
  }
}
