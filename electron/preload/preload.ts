/**
 * The preload of the main window (sandboxed, context-isolated). Bundled with the contract into
 * out/preload/preload.cjs, because a sandboxed preload can require only 'electron' and a few
 * built-ins, never a local module.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeContract } from './contract-bridge.ts';

exposeContract(contextBridge, ipcRenderer);
