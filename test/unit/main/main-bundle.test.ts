/**
 * The bundles `npm run build:main` makes, checked without Electron: the preload runs in a
 * sandbox-like context that offers only 'electron', main loads only what the package ships, and
 * the files the core finds beside its modules are found from the bundle and are packaged.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, PROJECT_DIR, type BuiltFiles } from '../../../build/build-main.ts';
import { APP_FILES } from '../../../build/electron-builder.config.ts';
import { METHOD_NAMES } from '../../../shared/contract.ts';
import { isPacked, listFiles } from './packaging-support.ts';

let outRoot: string;
let built: BuiltFiles;
let mainSource: string;

beforeAll(async () => {
  outRoot = mkdtempSync(join(tmpdir(), 'tapedeck-bundle-'));
  built = await buildMain({ outRoot });
  mainSource = readFileSync(built.main, 'utf8');
}, 60_000);

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('the preload bundle', () => {
  /** Runs the bundle the way a sandboxed preload runs: CommonJS, and `require` knows only electron. */
  function runPreload() {
    const exposed: Array<[string, Record<string, unknown>]> = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]),
      },
      ipcRenderer: { invoke: async () => ({ ok: true }), on() {}, removeListener() {} },
    };
    const required: string[] = [];
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(built.preload, 'utf8'), {
      require: sandboxRequire,
      module,
      exports: module.exports,
      console,
    });
    return { exposed, required };
  }

  it('is one file that requires nothing but electron', () => {
    const { required } = runPreload();
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it('exposes exactly window.tapedeck with the contract methods and on()', () => {
    const { exposed } = runPreload();
    expect(exposed.map(([key]) => key)).toEqual(['tapedeck']);
    expect(Object.keys(exposed[0]![1]).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
  });
});

describe('the main bundle', () => {
  const packageJson = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
    main?: string;
    type?: string;
    dependencies: Record<string, string>;
  };

  it('is an ES module where package.json says main is', () => {
    expect(packageJson.type).toBe('module');
    expect(packageJson.main).toBe(relative(outRoot, built.main).split(sep).join('/'));
    expect(mainSource).toMatch(/^import .* from "electron";$/m);
  });

  it('imports at run time only Node built-ins, electron and production dependencies', () => {
    const specifiers = [...mainSource.matchAll(/^import\s[^;]*?from\s+"([^"]+)";$/gm)].map(
      (match) => match[1]!,
    );
    expect(specifiers.length).toBeGreaterThan(0);
    const dynamic = [...mainSource.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1]!);
    const packageOf = (specifier: string) =>
      specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    for (const specifier of [...specifiers, ...dynamic]) {
      if (specifier.startsWith('node:') || builtinModules.includes(specifier) || specifier === 'electron')
        continue;
      expect(Object.keys(packageJson.dependencies), specifier).toContain(packageOf(specifier));
    }
  });

  describe('files the core finds beside its modules', () => {
    const rewritten = () =>
      [...mainSource.matchAll(/new URL\("([^"]+\.ts)", import\.meta\.url\)/g)].map((match) =>
        resolve(dirname(built.main), match[1]!),
      );

    it('are found from the bundle where the sources are', () => {
      const modules = rewritten();
      expect(modules.map((file) => relative(PROJECT_DIR, file).split(sep).join('/'))).toEqual(
        expect.arrayContaining([
          'electron/core/catalog/open-catalog.ts',
          'electron/core/demo/demo-library.ts',
        ]),
      );
      for (const file of modules) expect(existsSync(file), file).toBe(true);
      expect(mainSource).not.toMatch(/import\.meta\.(dirname|filename)/);
    });

    it('are packaged at the same place (everything but code, docs and scripts)', () => {
      for (const module of rewritten()) {
        const assets = listFiles(dirname(module), new Set(), PROJECT_DIR).filter(
          (file) => !/\.(ts|md|sh)$/.test(file) && statSync(join(PROJECT_DIR, file)).isFile(),
        );
        for (const asset of assets) expect(isPacked(asset, APP_FILES), asset).toBe(true);
      }
    });
  });
});
