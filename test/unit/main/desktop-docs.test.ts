/**
 * docs/desktop.md against the code it describes: what protects the recordings (and what does not),
 * what the desktop commands need, and the Linux sandbox workaround. A claim here that the code no
 * longer backs, or a need the docs stop mentioning, fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { PROJECT_DIR } from '../../../build/build-main.ts';
import { REBUILD_NEEDS } from '../../../build/prepare-electron-native.ts';
import { silentLogger } from '../../../electron/core/logger.ts';
import { serveMedia } from '../../../electron/main/protocol.ts';
import { mediaUrlFor } from '../../../shared/transport.ts';

const read = (path: string) => readFileSync(join(PROJECT_DIR, path), 'utf8');
const docs = read('docs/desktop.md');
/** The section on what protects the recordings. */
const protection = docs.slice(docs.indexOf('### What protects the recordings'));

describe('docs/desktop.md on what protects the recordings', () => {
  it('does not count the CORS header as a lock, because the handler answers a foreign origin', async () => {
    const openMedia = vi.fn(async () => ({
      status: 200,
      headers: { 'content-type': 'audio/mp4' },
      body: Readable.from([Buffer.from('audio')]),
    }));
    const request = new Request(mediaUrlFor('calls/a.mp4', true), {
      headers: { origin: 'https://evil.example' },
    });
    const response = await serveMedia(openMedia, request, silentLogger);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('audio');
    expect(docs).not.toMatch(/CORS allows only/);
    expect(protection).toMatch(/header is \*\*not\*\*\s+what protects them/);
  });

  it('names guards the shell really installs', () => {
    const security = read('electron/main/security.ts');
    const main = read('electron/main/main.ts');
    const protocol = read('electron/main/protocol.ts');
    for (const event of ['will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(security).toContain(`'${event}'`);
    }
    expect(protection).toContain('will-frame-navigate');
    expect(protection).toContain('will-redirect');
    expect(security).toContain("return { action: 'deny' }");
    expect(security).toMatch(/\['http', 'https', 'ws', 'wss', 'ftp', 'file'\]/);
    expect(protection).toContain('http(s), ws(s), ftp and file');
    // One registration, on the default session's protocol module (no partition of its own).
    expect(protocol).toContain('protocol.handle(MEDIA_SCHEME');
    expect(main).toMatch(/handleAppProtocols\(protocol,/);
    expect(protection).toContain('protocol.handle');
  });
});

describe('docs/desktop.md on what the desktop commands need', () => {
  it('says Node 22.12 and that the commands check it', () => {
    expect(docs).toMatch(/Node 22\.12 or later/);
    expect(docs).toContain('build/check-node-for-desktop.ts');
  });

  it('says the native rebuild needs the network and, without a prebuilt binary, a C++ toolchain', () => {
    expect(docs).toMatch(/\*\*needs the network\*\*/);
    expect(docs).toMatch(/\*\*needs a C\+\+ toolchain when no prebuilt binary is published\*\*/);
    expect(docs).toContain('out/electron-native');
    // The failure message points back here.
    expect(REBUILD_NEEDS).toContain('docs/desktop.md');
  });

  it('explains the Ubuntu 23.10+ sandbox abort and its workarounds', () => {
    const linux = docs.slice(docs.indexOf('## Linux: the Chromium sandbox'));
    expect(linux).toContain('The SUID sandbox helper binary was found, but is not configured');
    expect(linux).toMatch(/Install the `\.deb`/);
    expect(linux).toContain('apparmor_parser');
    expect(linux).toContain('npm start -- --no-sandbox');
  });
});
