/**
 * Where the renderer lives: our own privileged scheme, never `file://` (protocol.ts says why). One
 * origin, so the sender check, the navigation guard and the CSP all compare against the same thing.
 */
export const APP_SCHEME = 'tapedeck-app';
export const APP_HOST = 'app';
/** How Chromium serialises the origin of a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for a URL of the app's own pages (any path), false for everything else, including junk. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL gives custom schemes an opaque origin ("null"), so compare the parts instead.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
