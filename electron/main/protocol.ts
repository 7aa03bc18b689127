/**
 * The two schemes the window loads from.
 *
 * `tapedeck-app://app/…` serves the built renderer (dist/renderer) and nothing else. We use our own
 * scheme rather than `file://` because a `file://` page shares an origin with every file on the disk
 * (fetch, service workers and frames over file:// get extra privileges in Electron), cannot carry
 * response headers (so no real CSP header), and makes "is this our page?" a path comparison. Here
 * the origin is exactly the app, every response carries the CSP, and a path outside the renderer
 * folder is refused. It also lets the packaged app turn off the `GrantFileProtocolExtraPrivileges`
 * fuse.
 *
 * `tapedeck-media://recordings/{key}` streams a catalogued recording through the core, passing the
 * player's Range header on, so seeking works, no presigned URL expires under a reviewer and the
 * bucket needs no CORS.
 *
 * Handlers are plain `(Request) => Promise<Response>` functions: tested under Node without Electron.
 */
import type { CustomScheme, Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { MEDIA_SCHEME } from '../../shared/transport.ts';
import type { MediaResponse } from '../core/playback/media-response.ts';
import type { Logger } from '../core/logger.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-url.ts';
import { APP_RESPONSE_HEADERS } from './security.ts';

export const MEDIA_HOST = 'recordings';

/**
 * Registered before `ready` (Electron allows it once). `standard` gives each scheme a real origin
 * and relative URLs; `secure` makes it a secure context; `stream` lets audio start before the
 * whole body arrives; `corsEnabled` + `supportFetchAPI` let the page fetch a recording's bytes for
 * its waveform under CORS. Neither bypasses CSP.
 */
export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
  {
    scheme: MEDIA_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
  },
];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function textResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...APP_RESPONSE_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...headers },
  });
}

/**
 * The file under `rendererDir` a request asks for, or null when the path leaves that folder or is
 * not a path at all. `/` is the index page.
 */
export function rendererFileFor(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path.endsWith('/')) path += 'index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/** `tapedeck-app://app/…`: a file of the built renderer, with the CSP, or 404. */
export async function serveRendererFile(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textResponse(405, 'Method not allowed', { allow: 'GET, HEAD' });
  }
  const file = rendererFileFor(rendererDir, request.url);
  if (file === null) return textResponse(404, 'Not found');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    if (file === resolve(rendererDir, 'index.html')) {
      // The most likely first-run mistake; say how to fix it instead of showing a blank window.
      return textResponse(404, 'The renderer is not built. Run `npm run build:renderer` (npm start does).');
    }
    return textResponse(404, 'Not found');
  }
  const headers = {
    ...APP_RESPONSE_HEADERS,
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(bytes.byteLength),
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
}

/** The recording key a media URL names, or null. Keys are one encoded path segment (mediaUrlFor). */
export function mediaKeyFor(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== MEDIA_HOST) return null;
  try {
    const key = decodeURIComponent(parsed.pathname.slice(1));
    return key === '' || key.includes('\0') ? null : key;
  } catch {
    return null;
  }
}

export type OpenMedia = (key: string, range: string | undefined) => Promise<MediaResponse>;

function jsonError(status: number, detail: string): Response {
  return new Response(JSON.stringify({ detail }), {
    status,
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': APP_ORIGIN },
  });
}

/** `tapedeck-media://recordings/{key}`: the core's stream as a web Response, Range and all. */
export async function serveMedia(openMedia: OpenMedia, request: Request, log: Logger): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return jsonError(405, 'Method not allowed');
  const key = mediaKeyFor(request.url);
  if (key === null) return jsonError(404, 'Not a recording URL.');
  let media: MediaResponse;
  try {
    media = await openMedia(key, request.headers.get('range') ?? undefined);
  } catch (error) {
    log.error(`media ${key}: ${error instanceof Error ? error.message : String(error)}`);
    return jsonError(502, 'The recording could not be streamed. See the log for details.');
  }
  const headers = {
    ...media.headers,
    // Lets our page's fetch read the bytes (the waveform). Not a lock: the handler answers whoever
    // asks; what keeps other pages away is that none can load (docs/desktop.md, "What protects…").
    'access-control-allow-origin': APP_ORIGIN,
    'access-control-expose-headers': 'content-range, content-length, accept-ranges',
  };
  if (request.method === 'HEAD' || media.body === null) {
    media.body?.destroy();
    return new Response(request.method === 'HEAD' ? null : (media.errorBody ?? null), {
      status: media.status,
      headers,
    });
  }
  // Cancelling the web stream (a seek, a closed window) destroys the Node stream and its S3 request.
  const body = Readable.toWeb(media.body) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: media.status, headers });
}

export interface ProtocolHandlerOptions {
  readonly rendererDir: string;
  readonly openMedia: OpenMedia;
  readonly log: Logger;
}

/** Installs both handlers on the default session's protocol (after `ready`). */
export function handleAppProtocols(
  protocol: Pick<Protocol, 'handle'>,
  options: ProtocolHandlerOptions,
): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(options.rendererDir, request));
  protocol.handle(MEDIA_SCHEME, (request) => serveMedia(options.openMedia, request, options.log));
}
