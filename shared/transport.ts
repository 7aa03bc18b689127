/**
 * Where the contract travels besides IPC: the headless server's HTTP routes for web mode, and the
 * URLs the player streams audio from. Both sides build their addresses from here.
 */

/** Web mode: `POST {IPC_HTTP_PREFIX}{method}` with the input as JSON answers a Reply. */
export const IPC_HTTP_PREFIX = '/api/ipc/';
/** Web mode: server-sent events, one `event:` per contract event name. */
export const EVENTS_HTTP_PATH = '/api/events';

/** The desktop app's privileged scheme for streaming recordings through main. */
export const MEDIA_SCHEME = 'tapedeck-media';
/** Web mode's route for the same. */
export const MEDIA_HTTP_PREFIX = '/media/recordings/';

/** The player's source for a recording: through main, with Range support, never a presigned URL. */
export function mediaUrlFor(key: string, desktop: boolean): string {
  const path = encodeURIComponent(key);
  return desktop ? `${MEDIA_SCHEME}://recordings/${path}` : `${MEDIA_HTTP_PREFIX}${path}`;
}
