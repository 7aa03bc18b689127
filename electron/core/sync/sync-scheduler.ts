import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';

export interface SyncSchedulerOptions {
  /** Minutes between syncs, read at every (re)scheduling; 0 turns the background sync off. */
  readonly intervalMinutes: () => number;
  /** Runs one sync; resolves when it ends (a rejection is logged, and the schedule goes on). */
  readonly run: () => Promise<unknown>;
  readonly log?: Logger;
}

/**
 * Runs a sync every N minutes in the background. The next sync is timed from the end of the last
 * one, so two never overlap; the timer is unref'd, so it never keeps a process alive on its own.
 */
export class SyncScheduler {
  readonly #intervalMinutes: () => number;
  readonly #run: () => Promise<unknown>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #stopped = true;

  constructor(options: SyncSchedulerOptions) {
    this.#intervalMinutes = options.intervalMinutes;
    this.#run = options.run;
    this.#log = options.log ?? silentLogger;
  }

  /** Starts the schedule (the first sync comes one interval from now). */
  start(): void {
    this.#stopped = false;
    this.reschedule();
  }

  /** The interval changed: the next sync is one (new) interval from now; 0 cancels it. */
  reschedule(): void {
    if (this.#stopped) return;
    this.#clear();
    if (this.#running) return; // the running sync schedules the next when it ends
    const minutes = this.#intervalMinutes();
    if (!(minutes > 0)) return;
    this.#timer = setTimeout(() => void this.#tick(), minutes * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  /** Whether a sync is scheduled (false when off, stopped, or while one runs). */
  get scheduled(): boolean {
    return this.#timer !== null;
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    this.#running = true;
    try {
      await this.#run();
    } catch (error) {
      this.#log.warn(`background sync failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#running = false;
      this.reschedule();
    }
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
