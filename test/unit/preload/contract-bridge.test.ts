import type { ContextBridge, IpcRendererEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, type ContractClient } from '../../../shared/contract.ts';
import {
  BRIDGE_KEY,
  contractBridge,
  exposeContract,
  type IpcRendererApi,
} from '../../../electron/preload/contract-bridge.ts';

type Relay = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** An ipcRenderer that records what the bridge does with it. */
function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Relay>>();
  const invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({
    ok: true,
    value: { channel, args },
  }));
  const api = {
    invoke,
    on(channel: string, listener: Relay) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return api;
    },
    removeListener(channel: string, listener: Relay) {
      listeners.get(channel)?.delete(listener);
      return api;
    },
  };
  const emit = (channel: string, payload: unknown) => {
    const event = { sender: 'ipcRenderer itself' } as unknown as IpcRendererEvent;
    for (const listener of listeners.get(channel) ?? []) listener(event, payload);
  };
  return { ipcRenderer: api as unknown as IpcRendererApi, invoke, listeners, emit };
}

function exposedBridge() {
  const fake = fakeIpcRenderer();
  const exposed: Array<[string, unknown]> = [];
  const contextBridge: Pick<ContextBridge, 'exposeInMainWorld'> = {
    exposeInMainWorld: (key, api) => void exposed.push([key, api]),
  };
  exposeContract(contextBridge, fake.ipcRenderer);
  return { ...fake, exposed };
}

describe('the preload bridge', () => {
  it('exposes exactly one object, window.tapedeck, with the contract methods and on()', () => {
    const { exposed } = exposedBridge();
    expect(exposed).toHaveLength(1);
    const [key, api] = exposed[0]!;
    expect(key).toBe(BRIDGE_KEY);
    expect(Object.keys(api as object).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    for (const value of Object.values(api as object)) expect(typeof value).toBe('function');
  });

  it('invokes the channel named after the method, with the input as it was given', async () => {
    const { ipcRenderer, invoke } = fakeIpcRenderer();
    const bridge = contractBridge(ipcRenderer);
    const reply = await bridge['recordings:list']({ search: 'Smith', limit: 5 });
    expect(invoke).toHaveBeenCalledExactlyOnceWith('recordings:list', { search: 'Smith', limit: 5 });
    expect(reply).toEqual({
      ok: true,
      value: { channel: 'recordings:list', args: [{ search: 'Smith', limit: 5 }] },
    });
  });

  it('sends an empty object for a method called without input', async () => {
    const { ipcRenderer, invoke } = fakeIpcRenderer();
    await (contractBridge(ipcRenderer)['library:status'] as () => Promise<unknown>)();
    expect(invoke).toHaveBeenCalledWith('library:status', {});
  });

  it.each(METHOD_NAMES)('routes %s to its own channel', async (method) => {
    const { ipcRenderer, invoke } = fakeIpcRenderer();
    await (contractBridge(ipcRenderer)[method] as (input: unknown) => Promise<unknown>)({});
    expect(invoke.mock.calls.map(([channel]) => channel)).toEqual([method]);
  });

  it('passes a contract event on with only its payload, never the IPC event', () => {
    const { ipcRenderer, emit } = fakeIpcRenderer();
    const listener = vi.fn();
    contractBridge(ipcRenderer).on('downloads:progress', listener);
    emit('downloads:progress', { id: 'd1' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ id: 'd1' });
  });

  it('stops passing events on after unsubscribing', () => {
    const { ipcRenderer, emit, listeners } = fakeIpcRenderer();
    const listener = vi.fn();
    const unsubscribe = contractBridge(ipcRenderer).on('sync:progress', listener);
    unsubscribe();
    emit('sync:progress', { state: 'running' });
    expect(listener).not.toHaveBeenCalled();
    expect(listeners.get('sync:progress')?.size ?? 0).toBe(0);
  });

  it.each(['downloads:start', 'ipc-message', '__proto__', 'toString', '', 42, null])(
    'refuses to listen on %j, which is not a contract event',
    (event) => {
      const { ipcRenderer, listeners } = fakeIpcRenderer();
      const on = contractBridge(ipcRenderer).on as (event: unknown, listener: unknown) => unknown;
      expect(() => on(event, () => {})).toThrow(TypeError);
      expect(listeners.size).toBe(0);
    },
  );

  it('refuses a listener that is not a function', () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const on = contractBridge(ipcRenderer).on as (event: unknown, listener: unknown) => unknown;
    expect(() => on('sync:progress', 'alert(1)')).toThrow(TypeError);
  });

  it('listens on every contract event', () => {
    const { ipcRenderer, listeners } = fakeIpcRenderer();
    const bridge: ContractClient = contractBridge(ipcRenderer);
    for (const event of EVENT_NAMES) bridge.on(event, () => {});
    expect([...listeners.keys()].sort()).toEqual([...EVENT_NAMES].sort());
  });
});
