import { describe, expect, it } from 'vitest';
import { syncReply } from '../../../../electron/core/http/sync-reply.ts';

describe('syncReply', () => {
  it('answers every field of the status in snake_case, values unchanged', () => {
    expect(
      syncReply({
        state: 'failed',
        startedAt: '2025-08-08T10:00:00.000Z',
        finishedAt: '2025-08-08T10:00:05.000Z',
        objectsListed: 12,
        recordingsAdded: 3,
        recordingsRemoved: 1,
        foldersDone: 2,
        foldersTotal: 4,
        manifestsRead: 5,
        manifestsSkipped: 6,
        transcriptsRead: 7,
        transcriptsSkipped: 8,
        resumedFrom: '2025/08/07/',
        error: 'S3 refused',
      }),
    ).toEqual({
      sync: {
        state: 'failed',
        started_at: '2025-08-08T10:00:00.000Z',
        finished_at: '2025-08-08T10:00:05.000Z',
        objects_listed: 12,
        recordings_added: 3,
        recordings_removed: 1,
        folders_done: 2,
        folders_total: 4,
        manifests_read: 5,
        manifests_skipped: 6,
        transcripts_read: 7,
        transcripts_skipped: 8,
        resumed_from: '2025/08/07/',
        error: 'S3 refused',
      },
    });
  });

  it('answers null without a bucket', () => {
    expect(syncReply(null)).toEqual({ sync: null });
  });
});
