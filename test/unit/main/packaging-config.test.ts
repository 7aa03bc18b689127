/**
 * `npm run dist` cannot run here (no Electron binary, no signing), so its configuration is checked
 * instead: loaded and schema-validated the way electron-builder does, then held to what Tapedeck
 * needs (fuses, asar, targets, icons) and to what the build actually produces.
 */
import type { Configuration } from 'electron-builder';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromFile } from 'vite';
import { buildMain, PROJECT_DIR } from '../../../build/build-main.ts';
import { APP_FILES } from '../../../build/electron-builder.config.ts';
import { ICNS_TYPES, PNG_SIGNATURE } from '../../../build/make-icons.ts';
import { BUNDLE_LAYOUT } from '../../../electron/main/bundle-layout.ts';
import { isPacked, listFiles } from './packaging-support.ts';

const CONFIG_FILE = 'build/electron-builder.config.ts';

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null): Promise<Configuration>;
  validateConfiguration(
    config: Configuration,
    debugLogger: { isEnabled: boolean; add(): void },
  ): Promise<void>;
}

/** electron-builder's own config loader and schema check (it ships in app-builder-lib). */
function electronBuilderConfigModule(): ConfigModule {
  const fromProject = createRequire(join(PROJECT_DIR, 'package.json'));
  const fromBuilder = createRequire(fromProject.resolve('electron-builder/package.json'));
  return fromBuilder('app-builder-lib/out/util/config/config.js') as ConfigModule;
}

let config: Configuration;
/** `files` as electron-builder normalised it (`[{ filter: [...] }]`), back to a list of globs. */
let filePatterns: string[];
let outRoot: string;
/** What a build puts in the app directory, relative to it: bundles, renderer, repository files. */
let produced: string[];

beforeAll(async () => {
  const { getConfig, validateConfiguration } = electronBuilderConfigModule();
  config = await getConfig(PROJECT_DIR, CONFIG_FILE);
  await validateConfiguration(config, { isEnabled: false, add() {} });
  filePatterns = ([config.files ?? []].flat() as Array<string | { filter?: string | string[] }>).flatMap(
    (entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()),
  );

  outRoot = mkdtempSync(join(tmpdir(), 'tapedeck-packaging-'));
  await buildMain({ outRoot });
  const renderer = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    join(PROJECT_DIR, 'renderer', 'vite.config.ts'),
  );
  const rendererOut = resolve(renderer!.config.root ?? PROJECT_DIR, renderer!.config.build?.outDir ?? 'dist');
  expect(rendererOut).toBe(join(PROJECT_DIR, BUNDLE_LAYOUT.rendererDir));
  produced = [
    ...listFiles(outRoot),
    `${BUNDLE_LAYOUT.rendererDir}/index.html`,
    ...listFiles(PROJECT_DIR, new Set(['node_modules', '.git', 'out', 'dist'])),
  ];
}, 60_000);

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('the packaging config', () => {
  it('names the app', () => {
    expect(config.appId).toBe('com.tapedeck.app');
    expect(config.productName).toBe('Tapedeck');
  });

  it('packs the app into an asar, with the native SQLite module unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
  });

  it('turns off run-as-node, NODE_OPTIONS and the inspector, and only loads the checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds dmg and zip on macOS, an NSIS installer on Windows, AppImage and deb on Linux', () => {
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('publishes nothing by itself', () => {
    expect(config.publish).toBeNull();
  });

  it('writes installers outside everything it packs', () => {
    const output = config.directories?.output;
    expect(output).toBeDefined();
    expect(isPacked(`${output}/Tapedeck-0.1.0.AppImage`, filePatterns)).toBe(false);
    expect(output).not.toBe('dist');
  });
});

describe('what the package contains', () => {
  it('is exactly the declared app files', () => {
    expect(filePatterns).toEqual([...APP_FILES]);
  });

  it.each([...APP_FILES])('%s matches something the build produces', (pattern) => {
    expect(produced.filter((file) => isPacked(file, [pattern])).length).toBeGreaterThan(0);
  });

  it('has the bundles and the page main loads', () => {
    for (const file of [
      BUNDLE_LAYOUT.main,
      BUNDLE_LAYOUT.preload,
      `${BUNDLE_LAYOUT.rendererDir}/index.html`,
    ]) {
      expect(isPacked(file, APP_FILES), file).toBe(true);
    }
  });

  it('leaves out sources, tests, docs, the dev-only Electron build of SQLite and build scripts', () => {
    for (const file of [
      'electron/main/main.ts',
      'electron/core/app/tapedeck-app.ts',
      'shared/contract.ts',
      'test/unit/main/ipc.test.ts',
      'renderer/index.html',
      'out/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'build/build-main.ts',
      'electron/core/demo/library/make-demo-library.sh',
      'electron/core/demo/library/README.md',
    ]) {
      expect(isPacked(file, APP_FILES), file).toBe(false);
    }
  });
});

describe('the icons', () => {
  const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

  it('has a 1024×1024 PNG for Linux and as the source of the others', () => {
    const png = readFileSync(join(PROJECT_DIR, 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect(pngSize(png)).toEqual([1024, 1024]);
  });

  it('has an ICNS with a PNG for every size macOS asks for, up to 1024', () => {
    const icns = readFileSync(join(PROJECT_DIR, 'build', 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Array<[string, number]> = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      const data = icns.subarray(at + 8, at + icns.readUInt32BE(at + 4));
      expect(data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      const [width, height] = pngSize(data);
      expect(width).toBe(height);
      found.push([icns.toString('ascii', at, at + 4), width!]);
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  it('has an ICO from 16 to 256 px', () => {
    const ico = readFileSync(join(PROJECT_DIR, 'build', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
      const entry = 6 + 16 * index;
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + ico.readUInt32LE(entry + 8)).toBeLessThanOrEqual(ico.length);
      return ico[entry] === 0 ? 256 : ico[entry]!;
    });
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });
});
