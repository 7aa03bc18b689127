/**
 * The app as installed: what `npm run dist -- --dir` packaged, started the way a person starts it
 * (no Playwright: the inspector fuse is off in the package), checked for its window and its local
 * API port, its fuses, its signature on macOS, and what app.asar holds.
 *
 * It needs the Electron binary and a packaged build, so it runs as `npm run test:packaged` (which
 * packages first) or after `npm run dist -- --dir`. It does not package by itself: electron-builder
 * rebuilds better-sqlite3 inside node_modules while it runs, which would break every other test
 * running beside it. Where either is missing, every test is reported as skipped, with one loud line
 * saying why (never as a pass).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../build/build-main.ts';
import { chromiumSandboxArgs, electronBinary, launchEnv } from './desktop-app.ts';
import { asarModule, findPackagedApp, RELEASE_DIR } from './packaged-app.ts';

const packaged = process.env.TAPEDECK_PACKAGED_RELEASE_DIR
  ? findPackagedApp(process.env.TAPEDECK_PACKAGED_RELEASE_DIR)
  : findPackagedApp();
const skipReason =
  electronBinary() === null
    ? 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD), so electron-builder cannot package here'
    : packaged === null
      ? `no packaged app in ${RELEASE_DIR} — run \`npm run test:packaged\` (or \`npm run dist -- --dir\` first)`
      : null;
if (skipReason !== null) console.warn(`PACKAGED APP E2E SKIPPED: ${skipReason}`);

/** A fuse's state is the ASCII byte in the wire ('0' off, '1' on); @electron/fuses does not export its enum. */
const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) } as const;

const ourPackage = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
  version: string;
  productName: string;
};

/** Resolves with the first match of `pattern` in what the process writes to stderr. */
function waitForLine(child: ChildProcess, output: { text: string }, pattern: RegExp, timeoutMs: number) {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output.text);
      if (match) {
        clearTimeout(timer);
        child.stderr?.off('data', check);
        child.off('exit', exited);
        resolve(match);
      }
    };
    const exited = (code: number | null) =>
      reject(new Error(`the packaged app exited (${code}) before logging ${pattern}:\n${output.text}`));
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; the app logged:\n${output.text}`)),
      timeoutMs,
    );
    child.stderr?.on('data', check);
    child.once('exit', exited);
    check();
  });
}

// Runs everywhere: a finder that looked in the wrong place would skip these tests for ever.
describe("finding electron-builder's unpacked app", () => {
  const release = mkdtempSync(join(tmpdir(), 'tapedeck-release-'));
  afterAll(() => rmSync(release, { recursive: true, force: true }));
  const touch = (...parts: string[]) => {
    mkdirSync(join(release, ...parts.slice(0, -1)), { recursive: true });
    writeFileSync(join(release, ...parts), '');
  };

  it('finds the executable and app.asar for Linux, Windows and macOS, and nothing when absent', () => {
    expect(findPackagedApp(release, 'linux')).toBeNull();
    touch('linux-unpacked', 'tapedeck');
    touch('win-unpacked', 'Tapedeck.exe');
    touch('mac-arm64', 'Tapedeck.app', 'Contents', 'MacOS', 'Tapedeck');
    touch('Tapedeck-0.1.0.AppImage');
    expect(findPackagedApp(release, 'linux')).toMatchObject({
      executable: join(release, 'linux-unpacked', 'tapedeck'),
      asar: join(release, 'linux-unpacked', 'resources', 'app.asar'),
    });
    expect(findPackagedApp(release, 'win32')?.executable).toBe(join(release, 'win-unpacked', 'Tapedeck.exe'));
    expect(findPackagedApp(release, 'darwin')).toMatchObject({
      fusesPath: join(release, 'mac-arm64', 'Tapedeck.app'),
      asar: join(release, 'mac-arm64', 'Tapedeck.app', 'Contents', 'Resources', 'app.asar'),
    });
  });
});

describe.skipIf(skipReason !== null)('the packaged app', () => {
  const app = packaged!;

  it('is a build of this version, named for the product', () => {
    const inside = JSON.parse(asarModule().extractFile(app.asar, 'package.json').toString('utf8')) as {
      version: string;
      productName?: string;
    };
    expect(inside.version, 'a stale package: run `npm run dist -- --dir` again').toBe(ourPackage.version);
    expect(inside.productName).toBe(ourPackage.productName);
  });

  it('ships the bundles and the page, without source maps or the renderer-only packages', () => {
    const files = asarModule()
      .listPackage(app.asar, { isPack: false })
      .map((file) => file.replaceAll('\\', '/'));
    expect(files).toEqual(expect.arrayContaining(['/out/main/main.js', '/dist/renderer/index.html']));
    expect(files.some((file) => file.startsWith('/node_modules/better-sqlite3/'))).toBe(true);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const name of ['react', 'react-dom', '@tanstack/react-virtual']) {
      expect(
        files.some((file) => file.startsWith(`/node_modules/${name}/`)),
        name,
      ).toBe(false);
    }
  });

  it('has its fuses flipped as configured', async () => {
    const wire = await getCurrentFuseWire(app.fusesPath);
    expect({
      runAsNode: wire[FuseV1Options.RunAsNode],
      nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      inspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
      grantFile: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
      asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      onlyAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      cookies: wire[FuseV1Options.EnableCookieEncryption],
    }).toEqual({
      runAsNode: FuseState.DISABLE,
      nodeOptions: FuseState.DISABLE,
      inspect: FuseState.DISABLE,
      grantFile: FuseState.DISABLE,
      asarIntegrity: FuseState.ENABLE,
      onlyAsar: FuseState.ENABLE,
      cookies: FuseState.ENABLE,
    });
  });

  it.runIf(process.platform === 'darwin')(
    'is validly signed after the fuses were flipped (ad hoc at least)',
    () => {
      const verify = spawnSync('codesign', ['--verify', '--deep', '--strict', app.appBundle!], {
        encoding: 'utf8',
      });
      expect(verify.status, verify.stderr).toBe(0);
    },
  );

  describe('started as a person starts it', () => {
    let child: ChildProcess;
    const output = { text: '' };
    let dataDir: string;
    let downloadsDir: string;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-packaged-'));
      downloadsDir = mkdtempSync(join(tmpdir(), 'tapedeck-packaged-downloads-'));
      child = spawn(app.executable, chromiumSandboxArgs(), {
        cwd: tmpdir(),
        env: launchEnv(dataDir, downloadsDir),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    });

    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    });

    it('opens its window on the app page', async () => {
      await waitForLine(child, output, /window shown: tapedeck-app:\/\/app\/index\.html/, 60_000);
    }, 70_000);

    it('answers on its local API port, from the demo library', async () => {
      const [, apiUrl] = await waitForLine(
        child,
        output,
        /local Recording API on (http:\/\/127\.0\.0\.1:\d+)/,
        60_000,
      );
      const spec = await fetch(`${apiUrl}/openapi.json`);
      expect(spec.status).toBe(200);
      expect(((await spec.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
      const list = await fetch(`${apiUrl}/recordings?limit=1`);
      expect(list.status).toBe(200);
    }, 70_000);

    it('keeps its log in the user-data folder (a packaged app has no terminal)', () => {
      const log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
      expect(log).toContain('window shown: tapedeck-app://app/index.html');
      expect(log).toMatch(/local Recording API on http:\/\/127\.0\.0\.1:\d+/);
    });

    it.runIf(process.platform !== 'win32')(
      'quits cleanly when asked to (SIGTERM)',
      async () => {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      },
      20_000,
    );
  });
});
