import { spawn, type ChildProcess } from 'node:child_process';
import type { ChildMessage, ParentMessage } from './child-messages.ts';

export interface MemoryUse {
  /** Bytes resident now. */
  readonly rss: number;
  /** Bytes resident at the peak, over the child's whole life. */
  readonly maxRss: number;
}

/** A server running in a child process (see child-messages.ts for what it says). */
export interface ServerChild {
  readonly url: string;
  memory(): Promise<MemoryUse>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/** Starts `node [nodeArgs] script [args]` with an IPC channel and resolves once it listens. */
export async function startServerChild(
  nodeArgs: readonly string[],
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ServerChild> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let url: string;
  try {
    url = await waitFor(child, (message) => (message.type === 'listening' ? message.url : undefined));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    memory() {
      const answer = waitFor(child, (message) =>
        message.type === 'memory' ? { rss: message.rss, maxRss: message.maxRss } : undefined,
      );
      child.send({ type: 'memory?' } satisfies ParentMessage);
      return answer;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The first message `pick` accepts; rejects if the child exits or stays silent too long. */
function waitFor<T>(child: ChildProcess, pick: (message: ChildMessage) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: ChildMessage) => {
      const value = pick(message);
      if (value === undefined) return;
      done();
      resolve(value);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`server child ${child.spawnargs.join(' ')} exited (${signal ?? code})`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`server child ${child.spawnargs.join(' ')} did not answer in time`));
    }, START_TIMEOUT_MS);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
