/**
 * `npm run build:main`: bundles Electron's main process and the preload with esbuild.
 *
 * - main → out/main/main.js (ESM, Node 22 as in Electron 45). Our TypeScript (shell, core,
 *   shared) is bundled; every package in node_modules stays external and is loaded at run time,
 *   exactly as under tsx (better-sqlite3 is native and cannot be bundled anyway).
 * - preload → out/preload/preload.cjs (CommonJS, one file, only 'electron' external): a sandboxed
 *   preload can require nothing else, so the contract and zod are bundled into it.
 *
 * Bundling moves code, and the core finds files that ship beside its modules (SQL migrations, the
 * demo library) from `import.meta.url`. So in core and shared modules, `import.meta.url` is
 * rewritten to the URL of the module's original source file, resolved from the bundle at run
 * time: the files are found where they are in the repository, and in app.asar where the packaging
 * config puts them (same relative paths).
 */
import { build, type Plugin } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_LAYOUT } from '../electron/main/bundle-layout.ts';

export const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MAIN_ENTRY = 'electron/main/main.ts';
export const PRELOAD_ENTRY = 'electron/preload/preload.ts';
/** Electron 45 runs Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';

export interface BuildMainOptions {
  readonly projectDir?: string;
  /** Where `out/` is; tests build elsewhere. */
  readonly outRoot?: string;
  readonly minify?: boolean;
}

export interface BuiltFiles {
  readonly main: string;
  readonly preload: string;
}

const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/** `new URL('./x.ts', import.meta.url)`: a module started at run time (a worker thread's). */
const RUNTIME_MODULE_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+\.ts)\1\s*,\s*import\.meta\.url\s*\)/g;
/** Stands for the bundle's own `import.meta.url` while the module's are rewritten. */
const BUNDLE_URL = '__tapedeckBundleUrl__';

export interface KeepSourceLocationOptions {
  /**
   * Worker modules bundled beside the bundle: source file → its file next to the bundle
   * (`./stage-worker.js`). When given, `new URL('./x.ts', import.meta.url)` of one of them points
   * at the bundled file, and any other such URL fails the build (it would need tsx at run time).
   */
  readonly workers?: ReadonlyMap<string, string>;
}

/** Rewrites `import.meta.*` in a module to describe its source file, as seen from the bundle. */
export function keepSourceLocation(
  projectDir: string,
  bundleFile: string,
  options: KeepSourceLocationOptions = {},
): Plugin {
  const shellDirs = [join(projectDir, 'electron', 'main'), join(projectDir, 'electron', 'preload')];
  return {
    name: 'keep-source-location',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        const file = args.path;
        const ours = file.startsWith(projectDir + sep) && !file.includes(`${sep}node_modules${sep}`);
        // The shell locates files with app.getAppPath(), so only core and shared are rewritten.
        if (!ours || shellDirs.some((dir) => file.startsWith(dir + sep))) return undefined;
        let source = await readFile(file, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const { workers } = options;
        if (workers) {
          source = source.replace(RUNTIME_MODULE_URL, (_match, _quote, path: string) => {
            const bundled = workers.get(join(dirname(file), path));
            if (bundled === undefined) {
              throw new Error(
                `${relative(projectDir, file)} starts ${path} at run time: add it to the build's worker entries`,
              );
            }
            return `new URL(${JSON.stringify(bundled)}, ${BUNDLE_URL})`;
          });
        }
        const fromBundle = relative(dirname(bundleFile), file).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url)`;
        const contents = source.replace(IMPORT_META, (_match, property: string) => {
          if (property === 'url') return `${url}.href`;
          const path = `__tapedeckFileURLToPath(${url})`;
          return property === 'filename' ? path : `__tapedeckDirname(${path})`;
        });
        // Appended (imports are hoisted), so line numbers and the source map stay right.
        const helpers =
          "\nimport { fileURLToPath as __tapedeckFileURLToPath } from 'node:url';" +
          "\nimport { dirname as __tapedeckDirname } from 'node:path';\n";
        return { contents: contents.replaceAll(BUNDLE_URL, 'import.meta.url') + helpers, loader: 'ts' };
      });
    },
  };
}

export async function buildMain(options: BuildMainOptions = {}): Promise<BuiltFiles> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const outRoot = options.outRoot ?? projectDir;
  const main = join(outRoot, BUNDLE_LAYOUT.main);
  const preload = join(outRoot, BUNDLE_LAYOUT.preload);
  // Stale files from an earlier build must not be shipped.
  await rm(dirname(main), { recursive: true, force: true });
  await rm(dirname(preload), { recursive: true, force: true });
  const common = {
    absWorkingDir: projectDir,
    bundle: true,
    platform: 'node',
    sourcemap: 'linked',
    minify: options.minify ?? false,
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(projectDir, MAIN_ENTRY)],
      outfile: main,
      format: 'esm',
      target: NODE_TARGET,
      packages: 'external',
      plugins: [keepSourceLocation(projectDir, main)],
    }),
    build({
      ...common,
      entryPoints: [join(projectDir, PRELOAD_ENTRY)],
      outfile: preload,
      format: 'cjs',
      target: NODE_TARGET,
      external: ['electron'],
    }),
  ]);
  return { main, preload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildMain({ minify: process.argv.includes('--minify') });
  for (const file of Object.values(built)) console.log(`built ${relative(process.cwd(), file)}`);
}
