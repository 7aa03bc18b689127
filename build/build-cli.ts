/**
 * `npm run build:cli` (also `prepare`, so `npm ci` runs it): bundles the commands — serve, import,
 * sync, pull, demo — to plain JavaScript in out/cli/, so each runs as ONE Node process with nothing
 * compiled at start (issue 14). build/launch.mjs runs them, and rebuilds first when a source changed.
 *
 * - One CommonJS file per command (Node 20, the engines' floor), packages included: loading the AWS
 *   SDK, Fastify and zod as hundreds of separate modules cost about 0.5 s of CPU at every start.
 *   CommonJS, not ESM, because only a script can use V8's code cache on Node 20: build/launch.mjs
 *   keeps one beside each bundle, which spares compiling its 4.8 MB (0.15 s) at every start. Left
 *   out (loaded from node_modules): better-sqlite3 (native) and s3rver, which the demo patches in
 *   node_modules at run time (s3rver-delimiter-fix.ts). So the SDK is the bundle's own copy: a
 *   process preload cannot patch it (tests give the command an S3 server that needs no patch).
 * - Worker threads: a module started as `new URL('./x.ts', import.meta.url)` is bundled as an entry
 *   of its own, and that URL is rewritten to the bundled file beside the command (out/cli/x.cjs),
 *   which plain Node loads without tsx. An unknown one fails the build rather than ship a command
 *   that needs tsx at run time.
 * - Files the core reads beside its modules (SQL migrations, the demo library, the built page) are
 *   found where they are in the repository: `import.meta.url` keeps meaning the source file, as in
 *   the main-process bundle (keepSourceLocation).
 * - Written to a fresh folder, then swapped in: a command started during a build never loads half
 *   of one. out/cli/build-info.json lists the sources read, for the launcher's freshness check.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keepSourceLocation, PROJECT_DIR } from './build-main.ts';

/** The commands, by the name build/launch.mjs is given (its file in out/cli/ is `<name>.cjs`). */
export const CLI_ENTRIES = {
  serve: 'electron/core/cli/serve.ts',
  import: 'electron/core/cli/import.ts',
  sync: 'electron/core/cli/sync.ts',
  pull: 'electron/core/cli/pull-upstream.ts',
  demo: 'electron/core/cli/demo.ts',
} as const;

/** Modules the commands start in worker threads; each becomes out/cli/<its file name>.cjs. */
export const WORKER_ENTRIES = ['electron/core/import/stage-worker.ts'] as const;

/** Where the commands go, relative to the project (or to `outRoot`). */
export const CLI_OUT_DIR = 'out/cli';
export const BUILD_INFO_FILE = 'build-info.json';

/** Node 20.19 is the oldest Node the package supports (engines). */
const NODE_TARGET = 'node20.19';
/** Not bundled: see above. */
export const CLI_EXTERNAL = ['better-sqlite3', '@20minutes/s3rver'] as const;
/**
 * Besides the bundled sources, what makes a build stale: the installed packages (npm rewrites this
 * file at every install) and the build itself.
 */
const ALSO_INPUTS = ['node_modules/.package-lock.json', 'build/build-cli.ts', 'build/build-main.ts'];
/** The bundles' file extension: CommonJS in a package whose `.js` files are ES modules. */
export const CLI_EXTENSION = '.cjs';
/** What `import.meta.url` (the bundle's own, where keepSourceLocation left it) means in a CommonJS file. */
const META_URL = '__tapedeckMetaUrl';
const META_URL_SHIM = `const ${META_URL} = require('node:url').pathToFileURL(__filename).href;`;

export interface BuildCliOptions {
  readonly projectDir?: string;
  /** Where `out/` is; tests build elsewhere. */
  readonly outRoot?: string;
}

/** What build/launch.mjs reads to tell whether out/cli is older than its sources. */
export interface CliBuildInfo {
  readonly builtAt: number;
  /** Every source file bundled, relative to the project. */
  readonly inputs: readonly string[];
  readonly commands: Readonly<Record<keyof typeof CLI_ENTRIES, string>>;
}

export async function buildCli(options: BuildCliOptions = {}): Promise<{ dir: string; info: CliBuildInfo }> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const dir = join(options.outRoot ?? projectDir, CLI_OUT_DIR);
  const staging = `${dir}.building-${process.pid}-${Date.now()}`;
  mkdirSync(dirname(dir), { recursive: true });
  // Source times are compared with this: a file saved during the build counts as newer.
  const builtAt = Date.now();
  const workers = new Map(
    WORKER_ENTRIES.map((entry) => [join(projectDir, entry), `./${basename(entry, '.ts')}${CLI_EXTENSION}`]),
  );
  try {
    const result = await build({
      absWorkingDir: projectDir,
      entryPoints: [
        ...Object.entries(CLI_ENTRIES).map(([name, entry]) => ({ in: join(projectDir, entry), out: name })),
        ...WORKER_ENTRIES.map((entry) => ({ in: join(projectDir, entry), out: basename(entry, '.ts') })),
      ],
      outdir: staging,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outExtension: { '.js': CLI_EXTENSION },
      target: NODE_TARGET,
      external: [...CLI_EXTERNAL],
      // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow.
      mainFields: ['module', 'main'],
      banner: { js: META_URL_SHIM },
      define: { 'import.meta.url': META_URL },
      // import() becomes require(): Node 20 loses a script's dynamic-import loader when the script
      // comes from the code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and every module these
      // bundles load at run time (s3rver, Node's own) can be required.
      supported: { 'dynamic-import': false },
      // No source maps: Node reads them only with --enable-source-maps, and they double the build's time.
      sourcemap: false,
      metafile: true,
      logLevel: 'warning',
      legalComments: 'none',
      // No comments and no indentation: the bundle is then ASCII (esbuild escapes strings), which
      // build/launch.mjs reads without UTF-8 decoding. Names stay, so stack traces still say where.
      minifyWhitespace: true,
      // import.meta.url is rewritten as if the bundle were in `dir`, where it is swapped to.
      plugins: [keepSourceLocation(projectDir, join(dir, `serve${CLI_EXTENSION}`), { workers })],
    });
    const sources = Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes('node_modules/'))
      .map((input) => relative(projectDir, join(projectDir, input)).split(sep).join('/'));
    // Only those there now: a file that never existed (another package manager's install) must not
    // read as "gone" and rebuild at every start.
    const inputs = [...sources.sort(), ...ALSO_INPUTS.filter((input) => existsSync(join(projectDir, input)))];
    const commands = Object.fromEntries(
      Object.keys(CLI_ENTRIES).map((name) => [name, `${name}${CLI_EXTENSION}`]),
    ) as Record<keyof typeof CLI_ENTRIES, string>;
    const info: CliBuildInfo = { builtAt, inputs, commands };
    writeFileSync(join(staging, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
    // The swap: the old folder moves aside (one rename), the new one takes its place (another).
    const old = `${dir}.old-${process.pid}-${Date.now()}`;
    try {
      renameSync(dir, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(staging, dir);
    rmSync(old, { recursive: true, force: true });
    return { dir, info };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const { dir, info } = await buildCli();
  const where = relative(process.cwd(), dir) || '.';
  console.log(
    `built ${Object.keys(info.commands).length} commands in ${where}/ from ${info.inputs.length} sources (${Date.now() - started} ms)`,
  );
}
