/**
 * Runs the real Tapedeck commands (`npm run import`, `npm run serve`) as their own processes, the way
 * npm does (tsx), with only the environment a test gives: for the integration and soak tests that
 * check what a person running them would see.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Reply } from '../../shared/contract.ts';
import { IPC_HTTP_PREFIX } from '../../shared/transport.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRELOAD = join(ROOT, 'test/support/emulator-quirks-preload.ts');
const SERVE = 'electron/core/cli/serve.ts';

export interface TapedeckOptions {
  /** HOME for the process: a test's own folder, so nothing of the real user's is read. */
  readonly home: string;
  /** Load the S3 emulator's quirks preload (default); false runs the command exactly as shipped. */
  readonly preload?: boolean;
  /** Holds the child while it runs, so an afterEach can kill what a failed test left behind. */
  readonly running?: Set<ChildProcess>;
}

export interface ServeOptions extends TapedeckOptions {
  /** Also receives every stdout and stderr line, for a test that searches all the process printed. */
  readonly output?: string[];
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

export interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  /** serve's stderr, a line an entry, kept for as long as it runs. */
  readonly log: string[];
  readonly exited: Promise<Exit>;
}

/** Starts a Tapedeck command (a script under the repository root), stdout and stderr piped, env only as given. */
export function spawnTapedeck(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  options: TapedeckOptions,
): ChildProcess {
  const imports = options.preload === false ? ['--import', 'tsx'] : ['--import', 'tsx', '--import', PRELOAD];
  const child = spawn(process.execPath, [...imports, join(ROOT, script), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: options.home,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { running } = options;
  if (running) {
    running.add(child);
    child.once('exit', () => running.delete(child));
  }
  return child;
}

/** Resolves with how the child ended (at once if it already has), for tests that wait on it. */
export function whenExited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGKILL (a crash, nothing cleaned up) unless it already ended; resolves once it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  const done = whenExited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await done;
}

/** Runs a command to its end and returns what it printed, for one-shot commands such as import. */
export async function runTapedeck(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  options: TapedeckOptions,
): Promise<RunResult> {
  const child = spawnTapedeck(script, args, env, options);
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  const { code } = await whenExited(child);
  return { code, stdout, stderr, output };
}

/** Starts `serve` on a free port and resolves with its base URL once it logs that it listens. */
export async function startServe(env: Record<string, string>, options: ServeOptions): Promise<Served> {
  const child = spawnTapedeck(SERVE, [], { TAPEDECK_PORT: '0', ...env }, options);
  const exited = whenExited(child);
  const { output } = options;
  if (output) createInterface({ input: child.stdout! }).on('line', (line) => output.push(line));
  else child.stdout!.resume(); // read and dropped, so a full pipe never stalls serve
  const log: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      output?.push(line);
      const match = /Recording API on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${log.join('\n')}`)));
  });
  return { url, child, log, exited };
}

/** A contract call's HTTP status, its body exactly as sent, and that body parsed. */
export interface ContractAnswer<T> {
  readonly status: number;
  readonly text: string;
  readonly reply: Reply<T>;
}

/** Calls a contract method over web mode's `POST /api/ipc/{method}`, as the page in a browser does. */
export async function callContract<T = unknown>(
  url: string,
  method: string,
  input: unknown = {},
): Promise<ContractAnswer<T>> {
  const response = await fetch(`${url}${IPC_HTTP_PREFIX}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  return { status: response.status, text, reply: JSON.parse(text) as Reply<T> };
}
