/**
 * `npm run serve|import|sync|pull|demo`: `node build/launch.mjs COMMAND [ARGS…]` runs the command's
 * bundle from out/cli/ in this very process (one Node process, nothing compiled at start). `npm ci`
 * builds the bundles (`prepare`); when they are missing, or a source they were built from is newer
 * (a `git pull`, an edit), they are rebuilt first, in a child that has ended before the command
 * starts. Plain JavaScript: it must run before anything is built.
 *
 * The bundle is compiled from V8's code cache (a `.v8cache` file beside it, written after its first
 * run): compiling 4.8 MB of JavaScript took 0.15 s of a 0.6 s start, loading the cache takes 0.07 s.
 * Node 20 has no code cache for ES modules, hence CommonJS bundles run as a script here.
 */
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import vm from 'node:vm';

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
/** build/build-cli.ts writes the bundles and this file there. */
const CLI_DIR = join(PROJECT_DIR, 'out', 'cli');
const BUILD_INFO = 'build-info.json';

/**
 * Why the bundles in `cliDir` cannot be used as they are (missing, or which input changed since
 * they were built), or null when they are current. Inputs are relative to `projectDir`.
 */
export function staleReason(projectDir, cliDir) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(cliDir, BUILD_INFO), 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const input of info.inputs) {
    let modified;
    try {
      modified = statSync(join(projectDir, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (modified > info.builtAt) return `${input} changed`;
  }
  return null;
}

/** The bundle of `command`, built or rebuilt first if needed; exits with a clear line if it cannot be. */
function bundleOf(command) {
  const reason = staleReason(PROJECT_DIR, CLI_DIR);
  if (reason !== null) {
    process.stderr.write(`tapedeck: building the commands first (${reason})…\n`);
    // The build's own output goes to stderr: a command's stdout is its answer.
    const build = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'build/build-cli.ts')], {
      cwd: PROJECT_DIR,
      stdio: ['ignore', 2, 2],
    });
    if (build.status !== 0) {
      process.stderr.write(
        'tapedeck: could not build the commands (see above). Run `npm ci` in the project folder, then try again.\n',
      );
      process.exit(1);
    }
  }
  const info = JSON.parse(readFileSync(join(CLI_DIR, BUILD_INFO), 'utf8'));
  const file = Object.hasOwn(info.commands, command) ? info.commands[command] : undefined;
  if (typeof file !== 'string') {
    process.stderr.write(
      `tapedeck: no command "${command}". Commands: ${Object.keys(info.commands).join(', ')}.\n`,
    );
    process.exit(2);
  }
  return join(CLI_DIR, file);
}

/**
 * Where the code cache of `bundle` is kept: V8 refuses a cache made by another V8 or for another
 * source, and the name keeps one per Node version and CPU so switching Node does not thrash it.
 */
export function codeCacheFile(bundle) {
  return `${bundle}.${process.version}-${process.arch}.v8cache`;
}

/**
 * Runs a CommonJS bundle as Node's own loader would (module, require, __filename, dynamic import),
 * compiled from its code cache when there is a good one. Without one (the first run, a new Node), it
 * is compiled as usual and the cache written once the bundle's top level has run, so the functions
 * compiled by then are in it. A cache that cannot be written (a read-only install) is no error.
 */
export function runWithCodeCache(bundle) {
  // The build writes ASCII (build-cli.ts): as latin1 it is the same text without the UTF-8 decoding,
  // and V8 parses one-byte text faster (together 50 ms of 4.8 MB).
  const bytes = readFileSync(bundle);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = codeCacheFile(bundle);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = new Module(bundle, undefined);
  module.filename = bundle;
  const require = createRequire(bundle);
  require.main = module;
  script.runInThisContext().call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
  return { cached: cachedData !== undefined && !script.cachedDataRejected };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const command = process.argv[2] ?? '';
  const bundle = bundleOf(command);
  // The command reads its own arguments from argv[2] on, as when it is run directly.
  process.argv.splice(1, 2, bundle);
  runWithCodeCache(bundle);
}
