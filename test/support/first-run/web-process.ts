/**
 * `npm run demo` or `npm run serve` as their own process, the way a new user starts them, with a HOME
 * of the test's own (so `~/.aws` is what the test wrote) and only the environment the test gives:
 * for the first-run journey, which restarts the same process on the same data folder.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killHard, spawnTapedeck, whenExited } from '../tapedeck-process.ts';

const SCRIPTS = { demo: 'electron/core/cli/demo.ts', serve: 'electron/core/cli/serve.ts' } as const;

export interface WebProcess {
  /** The page's address, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every line the process logged so far (stderr and stdout). */
  readonly log: readonly string[];
  /** SIGTERM (as Ctrl-C would), SIGKILL after five seconds; resolves once it is gone. */
  stop(): Promise<void>;
}

export async function startWebProcess(
  command: keyof typeof SCRIPTS,
  options: { home: string; dataDir: string; env?: Record<string, string> },
): Promise<WebProcess> {
  const child = spawnTapedeck(
    SCRIPTS[command],
    [],
    {
      TAPEDECK_PORT: '0',
      TAPEDECK_DATA_DIR: options.dataDir,
      // Only the first sync at each start: a background one would race the test's own steps.
      TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
      ...options.env,
    },
    { home: options.home },
  );
  const log: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => log.push(line));
  const url = await readyUrl(child, log);
  return {
    url,
    log,
    async stop() {
      const exited = whenExited(child);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const ended = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
      ]);
      if (!ended) await killHard(child);
    },
  };
}

/** Resolves with the page's address once the process logs `Tapedeck on http://…/`. */
function readyUrl(child: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void killHard(child);
      reject(new Error(`Tapedeck did not start within 30 s:\n${log.join('\n')}`));
    }, 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      const match = /Tapedeck on (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Tapedeck exited (${code}) before it was ready:\n${log.join('\n')}`));
    });
  });
}
