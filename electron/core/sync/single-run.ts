import { setMaxListeners } from 'node:events';
import type { Logger } from '../logger.ts';

/**
 * One run at a time, for the syncs: starting while a run goes joins it (the caller gets that run's
 * outcome), and cancelling aborts its requests through the controller the task was given.
 */
export class SingleRun<T> {
  #running: Promise<T> | null = null;
  #abort: AbortController | null = null;

  get running(): boolean {
    return this.#running !== null;
  }

  /** Starts `task` unless a run is going; either way, resolves with how that run ended. */
  run(task: (abort: AbortController) => Promise<T>): Promise<T> {
    if (!this.#running) {
      const abort = new AbortController();
      // Every in-flight request of a run listens on its signal: there may be many at once.
      setMaxListeners(0, abort.signal);
      this.#abort = abort;
      this.#running = task(abort).finally(() => {
        this.#running = null;
        this.#abort = null;
      });
    }
    return this.#running;
  }

  /** Resolves once the run going (if any) has ended, however it ended. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running.then(noop, noop);
  }

  /** Aborts the run going, if there is one. */
  cancel(): void {
    this.#abort?.abort();
  }
}

function noop(): void {}

/** Tells a progress listener; a listener's failure is logged and never ends the run that reports. */
export function reportProgress<S>(listener: (status: S) => void, status: S, log: Logger, what: string): void {
  try {
    listener(status);
  } catch (error) {
    log.warn(`${what} progress listener failed: ${String(error)}`);
  }
}
