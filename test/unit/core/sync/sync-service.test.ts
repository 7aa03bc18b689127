import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../electron/core/logger.ts';
import { IDLE_SYNC_STATUS } from '../../../../electron/core/sync/listing-sync.ts';
import { SyncService, type SyncTarget } from '../../../../electron/core/sync/sync-service.ts';

const IDLE = IDLE_SYNC_STATUS;

function target(ran: string[], withBucket = true): SyncTarget {
  return {
    current: {
      library: {
        storage: withBucket
          ? {
              listing: {
                status: () => IDLE,
                run: async () => {
                  ran.push('listing');
                  return IDLE;
                },
              },
            }
          : null,
      },
      upstream: {
        run: async () => {
          ran.push('upstream');
          return { state: 'succeeded' } as never;
        },
      },
    },
  };
}

describe('SyncService', () => {
  it('runs the listing, the upstream pull and every registered participant as one sync', async () => {
    const ran: string[] = [];
    const sync = new SyncService(target(ran), { intervalMinutes: () => 0, log: silentLogger });
    sync.register({
      name: 'reviews',
      run: async () => {
        ran.push('reviews');
      },
    });
    await sync.run();
    expect(ran.sort()).toEqual(['listing', 'reviews', 'upstream']);
  });

  it('a failing part does not stop the others', async () => {
    const ran: string[] = [];
    const sync = new SyncService(target(ran), { intervalMinutes: () => 0, log: silentLogger });
    sync.register({ name: 'broken', run: () => Promise.reject(new Error('offline')) });
    await expect(sync.run()).resolves.toBeUndefined();
    expect(ran.sort()).toEqual(['listing', 'upstream']);
  });

  it('refuses to start without a bucket, saying what to do', () => {
    const sync = new SyncService(target([], false), { intervalMinutes: () => 0, log: silentLogger });
    expect(() => sync.start()).toThrow(/No S3 bucket is configured.*Open Settings.*S3_BUCKET/);
  });
});
