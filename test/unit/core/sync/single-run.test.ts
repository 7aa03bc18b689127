import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../electron/core/logger.ts';
import { reportProgress, SingleRun } from '../../../../electron/core/sync/single-run.ts';

describe('SingleRun', () => {
  it('joins a run that is going instead of starting a second, and starts afresh once it ended', async () => {
    const run = new SingleRun<number>();
    let started = 0;
    let finish: (value: number) => void = () => {};
    const task = () => {
      started += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const first = run.run(task);
    const second = run.run(task);
    expect(started).toBe(1);
    expect(run.running).toBe(true);
    finish(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(run.running).toBe(false);
    const third = run.run(task);
    finish(8);
    expect(await third).toBe(8);
    expect(started).toBe(2);
  });

  it('idle waits for the run going to end, however it ends, and is at once done when nothing runs', async () => {
    const run = new SingleRun<number>();
    await run.idle();
    let fail: (error: Error) => void = () => {};
    const going = run.run(() => new Promise<number>((_resolve, reject) => (fail = reject)));
    going.catch(() => {});
    let idle = false;
    const waiting = run.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    fail(new Error('S3 is unreachable'));
    await waiting;
    expect(idle).toBe(true);
    expect(run.running).toBe(false);
  });

  it('cancel aborts the signal the running task was given', async () => {
    const run = new SingleRun<string>();
    const outcome = run.run(
      (abort) =>
        new Promise<string>((resolve) => abort.signal.addEventListener('abort', () => resolve('aborted'))),
    );
    run.cancel();
    expect(await outcome).toBe('aborted');
  });
});

describe('reportProgress', () => {
  it('logs a listener that throws instead of passing the error on', () => {
    const warnings: string[] = [];
    const log: Logger = { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
    expect(() =>
      reportProgress(
        () => {
          throw new Error('boom');
        },
        { n: 1 },
        log,
        'Sync',
      ),
    ).not.toThrow();
    expect(warnings).toEqual(['Sync progress listener failed: Error: boom']);
  });
});
