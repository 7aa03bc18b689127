import type { WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { headlessPorts } from '../../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../../electron/core/app/tapedeck-app.ts';
import { silentLogger } from '../../../electron/core/logger.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../../electron/main/app-url.ts';
import {
  FORBIDDEN_REPLY,
  RendererEventQueue,
  answerInvoke,
  forwardEventsTo,
  registerContractHandlers,
  senderProblem,
  type ContractCaller,
  type FrameIdentity,
  type InvokeEvent,
  type IpcMainRegistry,
  type TrustedWindow,
} from '../../../electron/main/ipc.ts';
import { METHOD_NAMES, type Reply } from '../../../shared/contract.ts';

const topFrame: FrameIdentity = { url: APP_ENTRY_URL, parent: null, processId: 7, routingId: 1 };
const window: TrustedWindow = {
  isDestroyed: () => false,
  webContents: { id: 3, mainFrame: topFrame },
};
const fromOurWindow: InvokeEvent = { sender: { id: 3 }, senderFrame: { ...topFrame } };

/** An ipcMain that, like Electron's, refuses a second handler on a channel. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEvent, input: unknown) => Promise<Reply<unknown>>>();
  const ipcMain: IpcMainRegistry = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function recordingCore(): ContractCaller & { calls: Array<[unknown, unknown]> } {
  const calls: Array<[unknown, unknown]> = [];
  return {
    calls,
    call: async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: 'answered' };
    },
  };
}

describe('the sender check', () => {
  it('accepts the top frame of our window showing the app', () => {
    expect(senderProblem(fromOurWindow, window)).toBeNull();
    expect(
      senderProblem({ ...fromOurWindow, senderFrame: { ...topFrame, url: `${APP_ORIGIN}/` } }, window),
    ).toBeNull();
  });

  it.each<[string, InvokeEvent, TrustedWindow | null]>([
    ['no window', fromOurWindow, null],
    ['a destroyed window', fromOurWindow, { ...window, isDestroyed: () => true }],
    ['another web contents', { ...fromOurWindow, sender: { id: 4 } }, window],
    ['a frame that is gone', { ...fromOurWindow, senderFrame: null }, window],
    [
      'a subframe',
      { ...fromOurWindow, senderFrame: { ...topFrame, parent: topFrame, routingId: 2 } },
      window,
    ],
    ['another frame id', { ...fromOurWindow, senderFrame: { ...topFrame, routingId: 9 } }, window],
    ['another renderer process', { ...fromOurWindow, senderFrame: { ...topFrame, processId: 8 } }, window],
    ['a web page', { ...fromOurWindow, senderFrame: { ...topFrame, url: 'https://evil.example/' } }, window],
    [
      'a local file',
      { ...fromOurWindow, senderFrame: { ...topFrame, url: 'file:///tmp/index.html' } },
      window,
    ],
    ['another host', { ...fromOurWindow, senderFrame: { ...topFrame, url: 'tapedeck-app://evil/' } }, window],
    [
      'the media scheme',
      { ...fromOurWindow, senderFrame: { ...topFrame, url: 'tapedeck-media://recordings/x' } },
      window,
    ],
    ['a blank page', { ...fromOurWindow, senderFrame: { ...topFrame, url: 'about:blank' } }, window],
  ])('refuses a message from %s', (_what, event, trusted) => {
    expect(senderProblem(event, trusted)).toEqual(expect.any(String));
  });

  it('refuses a frame that cannot be read (disposed) instead of throwing', () => {
    const disposed = {
      sender: { id: 3 },
      get senderFrame(): FrameIdentity {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(senderProblem(disposed, window)).toMatch(/could not be read/);
  });
});

describe('the IPC wrapper', () => {
  it('registers every contract method exactly once, and nothing else', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const handle = vi.spyOn(ipcMain, 'handle');
    registerContractHandlers({ ipcMain, core: recordingCore(), getWindow: () => window, log: silentLogger });
    expect(handle).toHaveBeenCalledTimes(METHOD_NAMES.length);
    expect([...handlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('removes every handler it registered', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerContractHandlers({
      ipcMain,
      core: recordingCore(),
      getWindow: () => window,
      log: silentLogger,
    });
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers forbidden to a bad sender without calling the core', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const core = recordingCore();
    const log = { ...silentLogger, warn: vi.fn() };
    registerContractHandlers({ ipcMain, core, getWindow: () => window, log });
    const reply = await handlers.get('settings:get')!(
      { ...fromOurWindow, senderFrame: { ...topFrame, url: 'https://evil.example/' } },
      {},
    );
    expect(reply).toEqual(FORBIDDEN_REPLY);
    expect(reply.ok ? null : reply.error.code).toBe('forbidden');
    expect(core.calls).toEqual([]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('settings:get refused'));
  });

  it('passes a message from our window to the core under its own method name', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const core = recordingCore();
    registerContractHandlers({ ipcMain, core, getWindow: () => window, log: silentLogger });
    for (const method of METHOD_NAMES) await handlers.get(method)!(fromOurWindow, { from: method });
    expect(core.calls).toEqual(METHOD_NAMES.map((method) => [method, { from: method }]));
  });

  it('reads the window at each message, so a re-created window is the trusted one', async () => {
    let current: TrustedWindow | null = null;
    const core = recordingCore();
    const options = { core, getWindow: () => current, log: silentLogger };
    expect(await answerInvoke('library:status', fromOurWindow, {}, options)).toEqual(FORBIDDEN_REPLY);
    current = window;
    expect(await answerInvoke('library:status', fromOurWindow, {}, options)).toEqual({
      ok: true,
      value: 'answered',
    });
  });

  it('answers a value, never a rejection, when the core failed to start', async () => {
    const failed: ContractCaller = {
      call: () => Promise.reject(new Error('catalog is newer than this app')),
    };
    const reply = await answerInvoke(
      'library:status',
      fromOurWindow,
      {},
      {
        core: failed,
        getWindow: () => window,
        log: silentLogger,
      },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  describe('with the real core behind it', () => {
    let dataDir: string;
    let core: TapedeckApp;
    let handlers: ReturnType<typeof fakeIpcMain>['handlers'];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-ipc-'));
      core = await startTapedeckApp({
        dataDir,
        env: {},
        ports: headlessPorts(dataDir),
        listen: false,
        demo: 'never',
      });
      const fake = fakeIpcMain();
      handlers = fake.handlers;
      registerContractHandlers({ ipcMain: fake.ipcMain, core, getWindow: () => window, log: silentLogger });
    });

    afterAll(async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it.each<[string, string, unknown]>([
      ['a limit of the wrong type', 'recordings:list', { limit: 'all' }],
      ['a limit over the maximum', 'recordings:list', { limit: 1_000_000 }],
      ['a field the method does not take', 'settings:update', { isAdmin: true }],
      ['no interaction ids', 'downloads:start', { interactionIds: [] }],
      ['a string instead of an object', 'downloads:cancel', 'd1'],
      ['an oversized key', 'recordings:waveform', { key: 'k'.repeat(5000) }],
    ])('answers invalid_input for %s', async (_what, method, input) => {
      const reply = await handlers.get(method)!(fromOurWindow, input);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.any(String) },
      });
    });

    it('answers a valid call with a value', async () => {
      const reply = await handlers.get('recordings:list')!(fromOurWindow, { limit: 5 });
      expect(reply).toMatchObject({ ok: true, value: { rows: [], total: 0, offset: 0 } });
    });

    it('still refuses a bad sender before the core validates anything', async () => {
      const reply = await handlers.get('recordings:list')!(
        { ...fromOurWindow, sender: { id: 99 } },
        { limit: 'all' },
      );
      expect(reply).toEqual(FORBIDDEN_REPLY);
    });
  });
});

describe('the renderer event queue', () => {
  function target() {
    return {
      sent: [] as Array<[string, unknown]>,
      destroyed: false,
      send(channel: string, payload: unknown) {
        this.sent.push([channel, payload]);
      },
      isDestroyed() {
        return this.destroyed;
      },
    };
  }

  it('holds events until the page has loaded, then sends them in order', () => {
    const queue = new RendererEventQueue(silentLogger);
    const window = target();
    queue.attach(window);
    queue.push('sync:progress', { n: 1 });
    queue.push('library:changed', { n: 2 });
    expect(window.sent).toEqual([]);
    queue.markReady();
    expect(window.sent).toEqual([
      ['sync:progress', { n: 1 }],
      ['library:changed', { n: 2 }],
    ]);
    queue.push('downloads:progress', { n: 3 });
    expect(window.sent).toHaveLength(3);
  });

  it('holds events with no window at all, and sends them to the next one', () => {
    const queue = new RendererEventQueue(silentLogger);
    queue.push('sync:progress', { n: 1 });
    const window = target();
    queue.attach(window);
    queue.markReady();
    expect(window.sent).toEqual([['sync:progress', { n: 1 }]]);
  });

  it('queues again while the page reloads', () => {
    const queue = new RendererEventQueue(silentLogger);
    const window = target();
    queue.attach(window);
    queue.markReady();
    queue.markLoading();
    queue.push('sync:progress', { n: 1 });
    expect(window.sent).toEqual([]);
    queue.markReady();
    expect(window.sent).toHaveLength(1);
  });

  it('keeps only the newest events when the page never loads', () => {
    const queue = new RendererEventQueue(silentLogger, 3);
    for (let n = 1; n <= 5; n += 1) queue.push('downloads:progress', { n });
    const window = target();
    queue.attach(window);
    queue.markReady();
    expect(window.sent.map(([, payload]) => payload)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
  });

  it('never sends on a channel the contract does not name', () => {
    const queue = new RendererEventQueue(silentLogger);
    const window = target();
    queue.attach(window);
    queue.markReady();
    queue.push('recordings:list' as never, {});
    expect(window.sent).toEqual([]);
  });

  it('goes on after a payload that cannot be sent', () => {
    const queue = new RendererEventQueue(silentLogger);
    const sent: string[] = [];
    queue.attach({
      isDestroyed: () => false,
      send(channel) {
        if (channel === 'sync:progress') throw new Error('An object could not be cloned.');
        sent.push(channel);
      },
    });
    queue.push('sync:progress', {});
    queue.push('library:changed', {});
    queue.markReady();
    expect(sent).toEqual(['library:changed']);
  });

  it('follows a web contents: ready when loaded, queueing on navigation and after a crash', () => {
    const contents = Object.assign(new EventEmitter(), {
      sent: [] as string[],
      send(channel: string) {
        this.sent.push(channel);
      },
      isDestroyed: () => false,
      isLoading: () => true,
      getURL: () => '',
    });
    const queue = new RendererEventQueue(silentLogger);
    forwardEventsTo(queue, contents as unknown as WebContents);
    queue.push('sync:progress', {});
    expect(contents.sent).toEqual([]);
    contents.emit('did-finish-load');
    expect(contents.sent).toEqual(['sync:progress']);
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    queue.push('library:changed', {});
    expect(contents.sent).toEqual(['sync:progress']);
    contents.emit('did-finish-load');
    contents.emit('render-process-gone');
    queue.push('downloads:progress', {});
    expect(contents.sent).toEqual(['sync:progress', 'library:changed']);
    contents.emit('destroyed');
    expect(queue.pending).toBe(1);
  });
});
