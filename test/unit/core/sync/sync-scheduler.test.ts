import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler } from '../../../../electron/core/sync/sync-scheduler.ts';

const MINUTE = 60_000;

describe('SyncScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a sync every interval, timed from the end of the last one', async () => {
    const run = vi.fn(() => Promise.resolve());
    const scheduler = new SyncScheduler({ intervalMinutes: () => 5, run });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(run).toHaveBeenCalledTimes(3);
    scheduler.stop();
  });

  it('never starts a sync while the last one runs', async () => {
    let finish: () => void = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const scheduler = new SyncScheduler({ intervalMinutes: () => 1, run });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.reschedule(); // e.g. the setting was saved while it runs
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it('follows a changed interval on reschedule(); 0 turns it off; stop() ends it', async () => {
    let minutes = 10;
    const run = vi.fn(() => Promise.resolve());
    const scheduler = new SyncScheduler({ intervalMinutes: () => minutes, run });
    scheduler.start();
    minutes = 1;
    scheduler.reschedule();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    minutes = 0;
    scheduler.reschedule();
    expect(scheduler.scheduled).toBe(false);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    minutes = 1;
    scheduler.reschedule();
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('logs a failed sync and keeps the schedule', async () => {
    const warnings: string[] = [];
    const run = vi.fn(() => Promise.reject(new Error('S3 is unreachable')));
    const scheduler = new SyncScheduler({
      intervalMinutes: () => 1,
      run,
      log: { info() {}, warn: (message) => warnings.push(message), error() {} },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(run).toHaveBeenCalledTimes(2);
    expect(warnings).toEqual([
      'background sync failed: S3 is unreachable',
      'background sync failed: S3 is unreachable',
    ]);
    scheduler.stop();
  });

  it('does not keep the process alive: its timer is unref()d', () => {
    const scheduler = new SyncScheduler({ intervalMinutes: () => 1, run: () => Promise.resolve() });
    const unref = vi.spyOn(globalThis, 'setTimeout');
    scheduler.start();
    const timer = unref.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    scheduler.stop();
  });
});
