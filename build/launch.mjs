/**
 * `npm run serve|import|sync|pull|demo`: `node build/launch.mjs COMMAND [ARGS…]` runs the command's
 * bundle from out/cli/ in this very process (one Node process, nothing compiled at start). `npm ci`
 * builds the bundles (`prepare`); when they are missing, or a source they were built from is newer
 * (a `git pull`, an edit), they are rebuilt first, in a child that has ended before the command
 * starts. Plain JavaScript: it must run before anything is built.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const command = process.argv[2] ?? '';
  const bundle = bundleOf(command);
  // The command reads its own arguments from argv[2] on, as when it is run directly.
  process.argv.splice(1, 2, bundle);
  await import(pathToFileURL(bundle).href);
}
