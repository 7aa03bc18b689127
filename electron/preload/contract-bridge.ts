/**
 * The preload's whole job, derived from the contract: one object on `window.tapedeck` with one
 * function per contract method (each an `ipcRenderer.invoke` on the channel of that name) and `on`
 * for contract events. Nothing else crosses: not ipcRenderer, not the IPC event object, not a
 * channel the contract does not name.
 *
 * Electron objects are passed in (types only here), so this is tested under plain Node.
 */
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { clientFrom, isEventName, type ContractClient } from '../../shared/contract.ts';

/** The global the renderer reads (`window.tapedeck`). */
export const BRIDGE_KEY = 'tapedeck';

export type IpcRendererApi = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function contractBridge(ipcRenderer: IpcRendererApi): ContractClient {
  const on: ContractClient['on'] = (event, listener) => {
    if (!isEventName(event)) throw new TypeError(`"${String(event)}" is not a Tapedeck event.`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // Only the payload is passed on: the IPC event would hand the page ipcRenderer itself.
    const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, relay);
    return () => {
      ipcRenderer.removeListener(event, relay);
    };
  };
  return clientFrom((method, input) => ipcRenderer.invoke(method, input), on);
}

export function exposeContract(
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipcRenderer: IpcRendererApi,
): void {
  contextBridge.exposeInMainWorld(BRIDGE_KEY, contractBridge(ipcRenderer));
}
