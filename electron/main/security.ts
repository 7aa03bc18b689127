/**
 * The security settings of the shell, in one place: the window's web preferences, the
 * Content-Security-Policy of the app's own responses, and guards installed on every web contents
 * and on the session (navigation, new windows, webviews, permissions, remote requests, downloads).
 *
 * Electron objects are passed in (types only here), so the decisions are tested under plain Node.
 */
import type { App, Session, WebContents, WebPreferences } from 'electron';
import { MEDIA_SCHEME } from '../../shared/transport.ts';
import type { Logger } from '../core/logger.ts';
import { isAppUrl } from './app-url.ts';

/**
 * The main window's renderer: no Node, its own JavaScript world, Chromium's sandbox, same-origin
 * policy on. DevTools only in development.
 */
export function mainWindowWebPreferences(preloadPath: string, isDev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: isDev,
  };
}

/**
 * Sent with every page and asset of the app (protocol.ts). Everything from the app itself, audio
 * and its bytes (for the waveform) from the media scheme, no inline or evaluated script, no
 * plugins, no frames, no forms. The renderer's own `<meta>` policy applies too; the stricter wins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  `media-src 'self' ${MEDIA_SCHEME}:`,
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "worker-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers every response of the app's own scheme carries. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The app may reload its own pages; it may never be navigated anywhere else. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Permissions the renderer may have. None: playback needs none, and every one granted is a way in
 * for a compromised page. To allow one, add it here with the reason.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/**
 * Requests the session refuses outright: the app never loads remote content or local files in a
 * page (the core's S3 traffic goes through Node, not the session). Our own schemes, `data:`,
 * `blob:` and Chromium's internal ones (DevTools) pass.
 */
export function isBlockedRequest(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined || ['http', 'https', 'ws', 'wss', 'ftp', 'file'].includes(scheme);
}

/** Guards for every web contents the app ever creates (the window, DevTools, anything unexpected). */
export function installWebContentsGuards(app: Pick<App, 'on'>, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
}

export function guardWebContents(contents: WebContents, log: Logger): void {
  // will-frame-navigate covers the main frame and subframes; will-redirect a server redirect.
  contents.on('will-frame-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn(`blocked navigation to ${event.url.slice(0, 200)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn(`blocked redirect to ${event.url.slice(0, 200)}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`denied a new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a webview');
  });
}

/** Guards on the session every window uses: permissions, remote requests, browser downloads. */
export function installSessionGuards(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'on' | 'webRequest'>,
  log: Logger,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = GRANTED_PERMISSIONS.has(permission);
    if (!granted) log.warn(`denied permission ${permission}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));
  session.webRequest.onBeforeRequest((details, callback) => {
    const cancel = isBlockedRequest(details.url);
    if (cancel) log.warn(`blocked a request to ${details.url.slice(0, 200)}`);
    callback({ cancel });
  });
  // Recordings are saved by the core (checked, renamed into place); a page never starts a download.
  session.on('will-download', (event, item) => {
    event.preventDefault();
    log.warn(`blocked a browser download of ${item.getURL().slice(0, 200)}`);
  });
}
