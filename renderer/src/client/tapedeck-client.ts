/**
 * The one object the renderer talks to. In the desktop app the preload bridge puts it on
 * `window.tapedeck`; in a browser (web mode, tests) it is the same contract over HTTP and SSE.
 * Nothing else in the renderer talks to main or the server.
 */
import type { ContractClient } from '../../../shared/contract.ts';
import { mediaUrlFor } from '../../../shared/transport.ts';
import { httpClient } from './http-client.ts';

declare global {
  interface Window {
    /** Exposed by the desktop preload (electron/preload), absent in a browser. */
    readonly tapedeck?: ContractClient;
  }
}

/** True in the desktop app: media then streams through its own scheme, and folders can be revealed. */
export const isDesktop: boolean = typeof window !== 'undefined' && window.tapedeck !== undefined;

export const client: ContractClient = window.tapedeck ?? httpClient();

/** Where the player streams a recording from (through main or the server, with Range support). */
export function recordingUrl(key: string): string {
  return mediaUrlFor(key, isDesktop);
}
