import type { App, Session, WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/logger.ts';
import { APP_ENTRY_URL } from '../../../electron/main/app-url.ts';
import {
  APP_RESPONSE_HEADERS,
  CONTENT_SECURITY_POLICY,
  GRANTED_PERMISSIONS,
  guardWebContents,
  installSessionGuards,
  installWebContentsGuards,
  isAllowedNavigation,
  isBlockedRequest,
  mainWindowWebPreferences,
} from '../../../electron/main/security.ts';

/** A preventable Electron event. */
const preventable = (fields: object = {}) => ({ ...fields, preventDefault: vi.fn() });

function fakeWebContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler;
    },
  });
  return {
    contents,
    webContents: contents as unknown as WebContents,
    open: (url: string) => openHandler?.({ url }),
  };
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('the window web preferences', () => {
  const preferences = mainWindowWebPreferences('/app/out/preload/preload.cjs', false);

  it('isolate the page from Node and from the preload, in the sandbox', () => {
    expect(preferences).toMatchObject({
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
    });
    expect(preferences.preload).toBe('/app/out/preload/preload.cjs');
  });

  it('turn DevTools off in the packaged app only', () => {
    expect(preferences.devTools).toBe(false);
    expect(mainWindowWebPreferences('/p', true).devTools).toBe(true);
  });
});

describe('the Content-Security-Policy', () => {
  const policy = directives(CONTENT_SECURITY_POLICY);

  it('loads everything from the app itself by default', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
  });

  it('never allows evaluated or inline script, or any remote source', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(
      /unsafe-eval|unsafe-inline|wasm-unsafe-eval|\*|https?:|data:.*script/,
    );
  });

  it('lets the player stream, and the waveform fetch, from the media scheme only', () => {
    expect(policy.get('media-src')).toEqual(["'self'", 'tapedeck-media:']);
    expect(policy.get('connect-src')).toEqual(["'self'", 'tapedeck-media:']);
  });

  it('forbids plugins, frames, framing, base changes and forms', () => {
    for (const name of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action']) {
      expect(policy.get(name), name).toEqual(["'none'"]);
    }
  });

  it('is sent with every response of the app, with nosniff', () => {
    expect(APP_RESPONSE_HEADERS['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(APP_RESPONSE_HEADERS['x-content-type-options']).toBe('nosniff');
  });
});

describe('navigation', () => {
  it.each([APP_ENTRY_URL, 'tapedeck-app://app/', 'tapedeck-app://app/index.html#/settings'])(
    'lets the app load its own page %s',
    (url) => expect(isAllowedNavigation(url)).toBe(true),
  );

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8000/',
    'file:///etc/passwd',
    'tapedeck-app://evil/index.html',
    'tapedeck-app://user@app/index.html',
    'tapedeck-media://recordings/x.mp4',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
  ])('blocks navigation to %s', (url) => expect(isAllowedNavigation(url)).toBe(false));
});

describe('the web contents guards', () => {
  it('are installed on every web contents the app creates', () => {
    const app = new EventEmitter();
    installWebContentsGuards(app as unknown as App, silentLogger);
    const { contents, webContents, open } = fakeWebContents();
    app.emit('web-contents-created', {}, webContents);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(contents.listenerCount('will-frame-navigate')).toBe(1);
  });

  it('block navigation and redirects away from the app, in any frame', () => {
    const { contents, webContents } = fakeWebContents();
    guardWebContents(webContents, silentLogger);
    const away = preventable({ url: 'https://example.com/' });
    const redirect = preventable({ url: 'https://example.com/' });
    const home = preventable({ url: APP_ENTRY_URL });
    contents.emit('will-frame-navigate', away);
    contents.emit('will-redirect', redirect);
    contents.emit('will-frame-navigate', home);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(redirect.preventDefault).toHaveBeenCalled();
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('deny every new window, even one for the app itself', () => {
    const { webContents, open } = fakeWebContents();
    guardWebContents(webContents, silentLogger);
    expect(open(APP_ENTRY_URL)).toEqual({ action: 'deny' });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
  });

  it('block attaching a webview', () => {
    const { contents, webContents } = fakeWebContents();
    guardWebContents(webContents, silentLogger);
    const attach = preventable();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});

describe('the session guards', () => {
  function guardedSession() {
    const emitter = new EventEmitter();
    const handlers: {
      request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
      check?: (contents: unknown, permission: string) => boolean;
      beforeRequest?: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
    } = {};
    const session = Object.assign(emitter, {
      setPermissionRequestHandler: (handler: typeof handlers.request) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: typeof handlers.check) => (handlers.check = handler),
      webRequest: {
        onBeforeRequest: (handler: typeof handlers.beforeRequest) => (handlers.beforeRequest = handler),
      },
    });
    installSessionGuards(session as unknown as Session, silentLogger);
    return { emitter, handlers };
  }

  it('grants no permission at all', () => {
    expect(GRANTED_PERMISSIONS.size).toBe(0);
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'fullscreen',
    'unknown',
  ])('denies a request for %s, and reports it as not granted when checked', (permission) => {
    const { handlers } = guardedSession();
    const callback = vi.fn();
    handlers.request!({}, permission, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(handlers.check!({}, permission)).toBe(false);
  });

  it.each([
    ['https://example.com/tracker.js', true],
    ['http://127.0.0.1:8000/recordings', true],
    ['wss://example.com/socket', true],
    ['file:///etc/passwd', true],
    ['tapedeck-app://app/assets/index.js', false],
    ['tapedeck-media://recordings/a.mp4', false],
    ['data:image/png;base64,AAAA', false],
    ['blob:tapedeck-app://app/1234', false],
    ['devtools://devtools/bundled/inspector.html', false],
  ])('cancels a page request to %s: %s', (url, cancel) => {
    expect(isBlockedRequest(url)).toBe(cancel);
    const { handlers } = guardedSession();
    const callback = vi.fn();
    handlers.beforeRequest!({ url }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel });
  });

  it('cancels any download a page starts (the core saves recordings)', () => {
    const { emitter } = guardedSession();
    const download = preventable();
    emitter.emit('will-download', download, { getURL: () => 'tapedeck-media://recordings/a.mp4' });
    expect(download.preventDefault).toHaveBeenCalled();
  });
});
