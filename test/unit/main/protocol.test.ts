import type { Protocol } from 'electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaResponse } from '../../../electron/core/playback/media-response.ts';
import { silentLogger } from '../../../electron/core/logger.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../../electron/main/app-url.ts';
import {
  PRIVILEGED_SCHEMES,
  handleAppProtocols,
  mediaKeyFor,
  rendererFileFor,
  serveMedia,
  serveRendererFile,
  type OpenMedia,
} from '../../../electron/main/protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.ts';
import { MEDIA_SCHEME, mediaUrlFor } from '../../../shared/transport.ts';

const KEY = 'egress-recordings/2025/08/08/outbound-15103455686_1754653485.mp4';

describe('the privileged schemes', () => {
  it('make the app and the media scheme standard and secure, and neither bypasses CSP', () => {
    expect(PRIVILEGED_SCHEMES.map((scheme) => scheme.scheme)).toEqual(['tapedeck-app', MEDIA_SCHEME]);
    for (const { privileges } of PRIVILEGED_SCHEMES) {
      expect(privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
      expect(privileges?.bypassCSP).toBeFalsy();
      expect(privileges?.allowServiceWorkers).toBeFalsy();
    }
  });

  it('let audio stream from the media scheme, and the page read it under CORS', () => {
    const media = PRIVILEGED_SCHEMES.find((scheme) => scheme.scheme === MEDIA_SCHEME)!;
    expect(media.privileges).toMatchObject({ stream: true, corsEnabled: true });
  });

  it('are both handled', () => {
    const handle = vi.fn();
    handleAppProtocols({ handle } as unknown as Protocol, {
      rendererDir: '/r',
      openMedia: vi.fn(),
      log: silentLogger,
    });
    expect(handle.mock.calls.map(([scheme]) => scheme)).toEqual(['tapedeck-app', MEDIA_SCHEME]);
  });
});

describe('the app scheme', () => {
  let rendererDir: string;
  let outside: string;

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'tapedeck-protocol-'));
    rendererDir = join(outside, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tapedeck</title>');
    writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
  });

  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('serves the index page with the CSP and a content type', async () => {
    const response = await serveRendererFile(rendererDir, new Request(APP_ENTRY_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Tapedeck</title>');
  });

  it('serves / as the index page, and assets by relative path', async () => {
    expect((await serveRendererFile(rendererDir, new Request(`${APP_ORIGIN}/`))).status).toBe(200);
    const script = await serveRendererFile(rendererDir, new Request(`${APP_ORIGIN}/assets/index-abc.js`));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers 404 for a file that is not there', async () => {
    const response = await serveRendererFile(rendererDir, new Request(`${APP_ORIGIN}/nope.js`));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('says how to build the renderer when it is not built', async () => {
    const response = await serveRendererFile(join(outside, 'missing'), new Request(APP_ENTRY_URL));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/npm run build:renderer/);
  });

  it('answers HEAD without a body, and refuses other methods', async () => {
    const head = await serveRendererFile(rendererDir, new Request(APP_ENTRY_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await serveRendererFile(
      rendererDir,
      new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }),
    );
    expect(post.status).toBe(405);
  });

  it.each([
    `${APP_ORIGIN}/../secret.txt`,
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/..%2fsecret.txt`,
    `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
    `${APP_ORIGIN}/..%5csecret.txt`,
    `${APP_ORIGIN}/%00index.html`,
    `${APP_ORIGIN}/%E0%A4%A`,
    'tapedeck-app://other/index.html',
    'https://app/index.html',
  ])('never serves a file outside the renderer folder: %s', async (url) => {
    const file = rendererFileFor(rendererDir, url);
    if (file !== null) expect(file.startsWith(rendererDir)).toBe(true);
    const response = await serveRendererFile(rendererDir, new Request(url));
    expect(await response.text()).not.toBe('secret');
  });
});

describe('the media scheme', () => {
  const bytes = Buffer.from('0123456789');

  function media(status: number, body: Readable | null, headers: Record<string, string> = {}): MediaResponse {
    return { status, headers: { 'content-type': 'audio/mp4', ...headers }, body };
  }

  it('reads back the key the renderer built with mediaUrlFor', () => {
    expect(mediaKeyFor(mediaUrlFor(KEY, true))).toBe(KEY);
    expect(mediaKeyFor(mediaUrlFor('odd name #1?.mp4', true))).toBe('odd name #1?.mp4');
  });

  it.each([
    'tapedeck-media://other/x.mp4',
    'tapedeck-media://recordings/',
    'https://recordings/x',
    'nonsense',
  ])('finds no key in %s', (url) => expect(mediaKeyFor(url)).toBeNull());

  it('streams a Range of the recording with its status, headers and bytes', async () => {
    const openMedia = vi.fn<OpenMedia>(async () =>
      media(206, Readable.from([bytes.subarray(2, 6)]), {
        'content-range': 'bytes 2-5/10',
        'content-length': '4',
        'accept-ranges': 'bytes',
      }),
    );
    const response = await serveMedia(
      openMedia,
      new Request(mediaUrlFor(KEY, true), { headers: { range: 'bytes=2-5' } }),
      silentLogger,
    );
    expect(openMedia).toHaveBeenCalledWith(KEY, 'bytes=2-5');
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(response.headers.get('content-type')).toBe('audio/mp4');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('2345');
  });

  it('asks for the whole recording when the player sends no Range', async () => {
    const openMedia = vi.fn<OpenMedia>(async () => media(200, Readable.from([bytes])));
    const response = await serveMedia(openMedia, new Request(mediaUrlFor(KEY, true)), silentLogger);
    expect(openMedia).toHaveBeenCalledWith(KEY, undefined);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("passes the core's error status and detail on", async () => {
    const openMedia: OpenMedia = async () => ({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: null,
      errorBody: JSON.stringify({ detail: 'That recording is not in the catalog.' }),
    });
    const response = await serveMedia(openMedia, new Request(mediaUrlFor(KEY, true)), silentLogger);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'That recording is not in the catalog.' });
  });

  it('answers 502 with a detail when the core throws, and logs why', async () => {
    const log = { ...silentLogger, error: vi.fn() };
    const response = await serveMedia(
      async () => {
        throw new Error('socket hang up');
      },
      new Request(mediaUrlFor(KEY, true)),
      log,
    );
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ detail: expect.any(String) });
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('socket hang up'));
  });

  it('answers 404 for a URL that names no recording, without asking the core', async () => {
    const openMedia = vi.fn<OpenMedia>();
    const response = await serveMedia(openMedia, new Request('tapedeck-media://recordings/'), silentLogger);
    expect(response.status).toBe(404);
    expect(openMedia).not.toHaveBeenCalled();
  });

  it('answers HEAD with the headers only, closing the stream', async () => {
    const body = Readable.from([bytes]);
    const response = await serveMedia(
      async () => media(200, body, { 'content-length': '10' }),
      new Request(mediaUrlFor(KEY, true), { method: 'HEAD' }),
      silentLogger,
    );
    expect(response.headers.get('content-length')).toBe('10');
    expect(await response.text()).toBe('');
    expect(body.destroyed).toBe(true);
  });

  it('stops reading from S3 when the player cancels (a seek, a closed window)', async () => {
    const body = new Readable({ read() {} });
    body.push(bytes);
    const response = await serveMedia(
      async () => media(200, body),
      new Request(mediaUrlFor(KEY, true)),
      silentLogger,
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(() => expect(body.destroyed).toBe(true));
  });
});
