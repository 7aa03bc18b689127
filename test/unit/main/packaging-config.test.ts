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
import { APP_FILES, APP_FILES_EXCLUDED } from '../../../build/electron-builder.config.ts';
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

/** electron-builder's package.json: app-builder-lib resolves from there. */
function electronBuilderDir(): string {
  return createRequire(join(PROJECT_DIR, 'package.json')).resolve('electron-builder/package.json');
}

/** electron-builder's own config loader and schema check (it ships in app-builder-lib). */
function electronBuilderConfigModule(): ConfigModule {
  return createRequire(electronBuilderDir())('app-builder-lib/out/util/config/config.js') as ConfigModule;
}

interface PackageJson {
  productName?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const packageJson = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as PackageJson;

/** The package a bare specifier names: `react-dom/client` → `react-dom`, `@a/b/c` → `@a/b`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The packages a built bundle loads at run time (static and dynamic imports of bare names). */
function packagesLoadedBy(bundle: string): string[] {
  const found = new Set<string>();
  for (const match of bundle.matchAll(/\b(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g)) {
    const specifier = match[1]!;
    if (!/^(?:@[\w.-]+\/)?[\w.-]+(?:\/[\w./-]*)?$/.test(specifier) || specifier.startsWith('.')) continue;
    if (specifier.startsWith('node:') || specifier === 'electron') continue;
    found.add(packageOf(specifier));
  }
  return [...found].sort();
}

/** The packages the renderer's sources import (Vite bundles them all into dist/renderer). */
function packagesImportedByRenderer(): string[] {
  const found = new Set<string>();
  const sources = listFiles(join(PROJECT_DIR, 'renderer', 'src')).filter((file) => /\.tsx?$/.test(file));
  for (const file of sources) {
    const text = readFileSync(join(PROJECT_DIR, 'renderer', 'src', file), 'utf8');
    for (const match of text.matchAll(/\bfrom\s+'([^'.][^']*)'/g)) found.add(packageOf(match[1]!));
  }
  return [...found].sort();
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
  it('names the app from package.json, the one place Electron and `serve` also read', () => {
    expect(config.appId).toBe('com.tapedeck.app');
    // electron-builder's own rule: the config's productName, else package.json's.
    expect(config.productName).toBeUndefined();
    expect(packageJson.productName).toBe('Tapedeck');
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

  it('re-signs an unsigned Apple Silicon build ad hoc after flipping the fuses, so it launches', () => {
    expect(config.electronFuses?.resetAdHocDarwinSignature).toBe(true);
  });

  it('flips the fuses before signing, and nothing of ours touches the binary after', () => {
    // A hook that flipped fuses (or otherwise wrote the binary) after signing breaks the signature.
    expect(config.afterSign ?? null).toBeNull();
    expect(config.afterPack ?? null).toBeNull();
    expect(config.afterAllArtifactBuild ?? null).toBeNull();
    // The installed electron-builder's own order: fuses, then the signature (pinned on upgrade).
    const packager = readFileSync(
      createRequire(electronBuilderDir()).resolve('app-builder-lib/out/platformPackager.js'),
      'utf8',
    );
    const fuses = packager.indexOf('await this.doAddElectronFuses(packContext)');
    const sign = packager.indexOf('await this.doSignAfterPack(');
    expect(fuses, 'electron-builder no longer flips fuses where this test expects').toBeGreaterThan(0);
    expect(sign).toBeGreaterThan(fuses);
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
  it('is exactly the declared app files, less the exclusions', () => {
    expect(filePatterns).toEqual([...APP_FILES, ...APP_FILES_EXCLUDED]);
  });

  it('leaves out source maps, which the build does write', () => {
    const maps = produced.filter((file) => file.endsWith('.map') && isPacked(file, APP_FILES));
    expect(maps).toContain(`${BUNDLE_LAYOUT.main}.map`);
    for (const map of maps) expect(isPacked(map, filePatterns), map).toBe(false);
    expect(isPacked(BUNDLE_LAYOUT.main, filePatterns)).toBe(true);
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

describe('the packages that ship (production dependencies)', () => {
  it('include every package main loads at run time (else the installed app cannot start)', () => {
    const loaded = packagesLoadedBy(readFileSync(join(outRoot, BUNDLE_LAYOUT.main), 'utf8'));
    expect(loaded).toContain('better-sqlite3');
    const missing = loaded.filter((name) => !(name in packageJson.dependencies));
    expect(missing, 'move these to dependencies').toEqual([]);
  });

  it('leave out what only the renderer imports: Vite has bundled it into dist/renderer', () => {
    const loaded = new Set(packagesLoadedBy(readFileSync(join(outRoot, BUNDLE_LAYOUT.main), 'utf8')));
    const rendererOnly = packagesImportedByRenderer().filter((name) => !loaded.has(name));
    expect(rendererOnly).toEqual(expect.arrayContaining(['react', 'react-dom', '@tanstack/react-virtual']));
    const shipped = rendererOnly.filter((name) => name in packageJson.dependencies);
    expect(shipped, 'move these to devDependencies: they would ship in app.asar').toEqual([]);
    for (const name of rendererOnly) expect(packageJson.devDependencies, name).toHaveProperty([name]);
  });

  it('leave the preload with nothing to load but electron (a sandboxed preload can require nothing else)', () => {
    expect(packagesLoadedBy(readFileSync(join(outRoot, BUNDLE_LAYOUT.preload), 'utf8'))).toEqual([]);
    const preload = readFileSync(join(outRoot, BUNDLE_LAYOUT.preload), 'utf8');
    const required = [...preload.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    expect([...new Set(required)]).toEqual(['electron']);
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
