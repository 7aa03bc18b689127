/* global process, setTimeout, setImmediate, structuredClone -- Node globals (plain JS: it runs before any TypeScript loader) */
/**
 * Just enough of Electron's main-process API for main.js to run under plain Node, recording what
 * main does with it. Behaviour the shell relies on is kept: `ready` comes after the entry module
 * has run, registerSchemesAsPrivileged is refused after ready, a second ipcMain handler on a
 * channel throws, will-quit can be prevented, loadURL ends in did-finish-load and ready-to-show.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** As Electron names an unpackaged app (`electron .`): package.json's productName, else its name. */
function nameFromPackageJson() {
  const json = JSON.parse(readFileSync(join(process.env.FAKE_ELECTRON_APP_ROOT, 'package.json'), 'utf8'));
  return json.productName ?? json.name;
}

/** Electron's `appData` folder: the per-user configuration folder of the platform. */
function appDataDir() {
  const home = process.env.HOME ?? homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (process.platform === 'win32') return process.env.APPDATA ?? join(home, 'AppData', 'Roaming');
  return process.env.XDG_CONFIG_HOME ?? join(home, '.config');
}

export const recorded = {
  privilegedSchemes: null,
  registeredBeforeReady: false,
  sandboxEnabled: false,
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  menu: null,
  windows: [],
  permissionRequest: null,
  permissionCheck: null,
  beforeRequest: null,
  errors: [],
  aboutPanel: null,
  quits: 0,
  willQuitPrevented: 0,
};

let ready = false;
let nextId = 1;

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = nameFromPackageJson();
  // Fixed from the name it starts with: main is expected to set the folder itself.
  paths = {
    userData: join(appDataDir(), this.name),
    logs: join(tmpdir(), 'fake-electron-logs'),
    downloads: join(tmpdir(), 'fake-electron-downloads'),
  };
  readyPromise = null;

  setPath(name, value) {
    if (ready && name === 'userData') throw new Error('userData moved after ready');
    this.paths[name] = value;
  }
  setAppLogsPath(path) {
    this.paths.logs = path;
  }
  getPath(name) {
    return this.paths[name];
  }
  getAppPath() {
    return process.env.FAKE_ELECTRON_APP_ROOT;
  }
  getName() {
    return this.name;
  }
  setName(name) {
    this.name = name;
  }
  getVersion() {
    return '0.0.0-fake';
  }
  setAboutPanelOptions(options) {
    recorded.aboutPanel = options;
  }
  requestSingleInstanceLock() {
    return true;
  }
  enableSandbox() {
    if (ready) throw new Error('enableSandbox after ready');
    recorded.sandboxEnabled = true;
  }
  /**
   * Electron emits `ready` once the ESM entry has been evaluated. main.js asks for it from its
   * synchronous top level, so the next macrotask is after its evaluation.
   */
  whenReady() {
    this.readyPromise ??= new Promise((resolve) => {
      setTimeout(() => {
        ready = true;
        this.emit('ready');
        resolve();
      }, 0);
    });
    return this.readyPromise;
  }
  isReady() {
    return ready;
  }
  quit() {
    recorded.quits += 1;
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('before-quit', event);
    this.emit('will-quit', event);
    if (event.defaultPrevented) {
      recorded.willQuitPrevented += 1;
      return;
    }
    this.emit('quit');
    setImmediate(() => process.exit(0));
  }
}

export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (ready) throw new Error('registerSchemesAsPrivileged after ready');
    recorded.privilegedSchemes = schemes;
    recorded.registeredBeforeReady = true;
  },
  handle(scheme, handler) {
    if (!ready) throw new Error('protocol.handle before ready');
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handle(channel, listener) {
    if (recorded.ipcHandlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    recorded.ipcHandlers.set(channel, listener);
  },
  removeHandler(channel) {
    recorded.ipcHandlers.delete(channel);
  },
};

class FakeWebContents extends EventEmitter {
  id = nextId++;
  sent = [];
  url = '';
  loading = false;
  mainFrame = { url: '', parent: null, processId: 11, routingId: this.id };
  send(channel, payload) {
    this.sent.push([channel, structuredClone(payload)]);
  }
  isDestroyed() {
    return false;
  }
  isLoading() {
    return this.loading;
  }
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static all = [];
  static getAllWindows() {
    return BrowserWindow.all;
  }
  constructor(options) {
    super();
    if (!ready) throw new Error('BrowserWindow before ready');
    this.options = options;
    this.webContents = new FakeWebContents();
    this.shown = false;
    BrowserWindow.all.push(this);
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    this.webContents.loading = true;
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    this.webContents.loading = false;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  show() {
    this.shown = true;
  }
  maximize() {}
  isMaximized() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: this.options.width, height: this.options.height };
  }
  focus() {}
  restore() {}
}

export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu(menu) {
    recorded.menu = menu;
  },
};

export const session = {
  defaultSession: Object.assign(new EventEmitter(), {
    setPermissionRequestHandler(handler) {
      recorded.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      recorded.permissionCheck = handler;
    },
    webRequest: {
      onBeforeRequest(handler) {
        recorded.beforeRequest = handler;
      },
    },
  }),
};

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const nativeTheme = { shouldUseDarkColors: false };
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('no keychain in the fake');
  },
  decryptString: () => {
    throw new Error('no keychain in the fake');
  },
};
export const shell = { showItemInFolder() {}, openPath: async () => '' };
export const clipboard = { writeText() {} };
export const dialog = {
  showErrorBox(title, message) {
    recorded.errors.push(`${title}: ${message}`);
  },
};
