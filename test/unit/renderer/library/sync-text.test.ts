/** How a sync and an upstream pull read on screen: the header's pill, Settings' sync line, the first sync. */
import { describe, expect, it } from 'vitest';
import {
  firstSyncText,
  folderName,
  syncNotes,
  syncProgressText,
  syncStateText,
  upstreamStateText,
} from '../../../../renderer/src/library/sync-text.ts';
import type { LibraryStatus, SyncStatusView, UpstreamSyncStatusView } from '../../../../shared/contract.ts';

const FINISHED = '2025-08-08T12:05:09.000Z';
/** 12:05:09 UTC as this machine's locale writes a time (`12:05:09 PM` in en-US). */
const FINISHED_UTC = new Date(FINISHED).toLocaleTimeString(undefined, { timeZone: 'UTC' });

function sync(change: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    state: 'succeeded',
    startedAt: '2025-08-08T12:04:00.000Z',
    finishedAt: FINISHED,
    objectsListed: 0,
    recordingsAdded: 0,
    recordingsRemoved: 0,
    foldersDone: 0,
    foldersTotal: 0,
    manifestsRead: 0,
    manifestsSkipped: 0,
    transcriptsRead: 0,
    transcriptsSkipped: 0,
    resumedFrom: null,
    error: null,
    ...change,
  };
}

function upstream(change: Partial<UpstreamSyncStatusView> = {}): UpstreamSyncStatusView {
  return {
    state: 'succeeded',
    startedAt: '2025-08-08T12:04:00.000Z',
    finishedAt: FINISHED,
    pagesFetched: 0,
    interactionsCached: 0,
    itemsSkipped: 0,
    error: null,
    resumedFromOffset: null,
    ...change,
  };
}

function status(change: Partial<LibraryStatus> = {}): LibraryStatus {
  return {
    mode: 'bucket',
    location: 's3://team-calls/egress-recordings/',
    counts: { interactions: 0, withRecording: 0, recordings: 0 },
    facets: { statuses: [], outcomes: [] },
    sync: null,
    upstream: null,
    credentials: { source: 'profile', expiresAt: null },
    problem: null,
    apiUrl: null,
    bucketConfigured: true,
    ...change,
  };
}

describe('syncProgressText', () => {
  it('counts folders once the run knows them, with thousands separated', () => {
    expect(syncProgressText(sync({ foldersDone: 12, foldersTotal: 30, objectsListed: 3400 }))).toBe(
      '12 of 30 folders, 3,400 objects',
    );
    expect(syncProgressText(sync({ foldersDone: 0, foldersTotal: 1, objectsListed: 1 }))).toBe(
      '0 of 1 folder, 1 object',
    );
  });

  it('says only the objects listed before the folders are known', () => {
    expect(syncProgressText(sync({ objectsListed: 7 }))).toBe('7 objects listed');
  });
});

describe('syncStateText', () => {
  it('says a finished sync’s time, folders and counts', () => {
    const text = syncStateText(
      sync({ foldersTotal: 3, objectsListed: 1250, recordingsAdded: 40, recordingsRemoved: 2 }),
      'utc',
    );
    expect(FINISHED_UTC).toContain('12:05:09');
    expect(text).toBe(`Synced ${FINISHED_UTC} UTC: 3 folders, 1,250 objects listed, 40 new, 2 removed.`);
  });

  it('shows the time in the computer’s zone unless UTC is chosen', () => {
    const local = new Date(FINISHED).toLocaleTimeString();
    expect(syncStateText(sync({ objectsListed: 1 }))).toBe(
      `Synced ${local}: 1 object listed, 0 new, 0 removed.`,
    );
  });

  it('leaves the folders out when none were counted, and the time when there is none', () => {
    expect(syncStateText(sync({ finishedAt: null, objectsListed: 2 }))).toBe(
      'Synced: 2 objects listed, 0 new, 0 removed.',
    );
    expect(syncStateText(sync({ finishedAt: 'not a date', objectsListed: 2 }))).toBe(
      'Synced: 2 objects listed, 0 new, 0 removed.',
    );
  });

  it('says how a running sync is going, why one failed, and that one was cancelled', () => {
    expect(syncStateText(sync({ state: 'running', finishedAt: null, foldersDone: 1, foldersTotal: 4 }))).toBe(
      'Syncing… 1 of 4 folders, 0 objects',
    );
    expect(syncStateText(sync({ state: 'failed', error: 'S3 refused the request (AccessDenied).' }))).toBe(
      'Sync failed: S3 refused the request (AccessDenied).',
    );
    expect(syncStateText(sync({ state: 'failed' }))).toBe('Sync failed: unknown error');
    expect(syncStateText(sync({ state: 'cancelled' }))).toBe('Sync cancelled.');
    expect(syncStateText(sync({ state: 'idle' }))).toBe('Idle.');
  });
});

describe('syncNotes', () => {
  it('notes where a run resumed, the manifests read, and warns about skipped ones', () => {
    expect(
      syncNotes(
        sync({ resumedFrom: 'egress-recordings/2025/08/07/', manifestsRead: 1, manifestsSkipped: 2 }),
      ),
    ).toEqual([
      { text: 'Resumed from 2025/08/07/', warning: false },
      { text: '1 manifest read', warning: false },
      { text: '2 manifests skipped (unreadable or malformed)', warning: true },
    ]);
  });

  it('has nothing to note for a plain run', () => {
    expect(syncNotes(sync())).toEqual([]);
  });
});

describe('firstSyncText', () => {
  it('shows a new bucket’s first sync from before it starts until it ends', () => {
    expect(firstSyncText(status(), null)).toBe('Starting the first sync of this bucket…');
    expect(firstSyncText(status(), sync({ state: 'idle' }))).toBe('Starting the first sync of this bucket…');
    expect(
      firstSyncText(status(), sync({ state: 'running', foldersDone: 2, foldersTotal: 5, objectsListed: 80 })),
    ).toBe('First sync of this bucket… 2 of 5 folders, 80 objects');
  });

  it('says nothing once the bucket has calls, once the sync ended, or for the demo', () => {
    const running = sync({ state: 'running' });
    const withCalls = status({ counts: { interactions: 3, withRecording: 3, recordings: 3 } });
    expect(firstSyncText(withCalls, running)).toBeNull();
    expect(firstSyncText(status(), sync({ state: 'succeeded' }))).toBeNull();
    expect(firstSyncText(status(), sync({ state: 'failed', error: 'no' }))).toBeNull();
    expect(firstSyncText(status({ mode: 'demo' }), running)).toBeNull();
    expect(firstSyncText(null, running)).toBeNull();
  });
});

describe('upstreamStateText', () => {
  it('says what a finished pull fetched, skipped and where it resumed', () => {
    expect(
      upstreamStateText(
        upstream({ pagesFetched: 4, interactionsCached: 1200, itemsSkipped: 3, resumedFromOffset: 400 }),
        'utc',
      ),
    ).toBe(
      `Pulled from the upstream API ${FINISHED_UTC} UTC: 4 pages, 1,200 calls cached, 3 items skipped (resumed from offset 400).`,
    );
  });

  it('reads each state in one line', () => {
    expect(upstreamStateText(upstream({ state: 'idle' }))).toBe('Upstream API: not pulled yet.');
    expect(upstreamStateText(upstream({ state: 'running', pagesFetched: 1, interactionsCached: 1 }))).toBe(
      'Pulling from the upstream API… 1 page, 1 call cached',
    );
    expect(upstreamStateText(upstream({ state: 'failed', error: 'HTTP 503' }))).toBe(
      'Upstream pull failed: HTTP 503',
    );
    expect(upstreamStateText(upstream({ state: 'failed' }))).toBe('Upstream pull failed: unknown error');
    expect(upstreamStateText(upstream({ state: 'cancelled' }))).toBe('Upstream pull cancelled.');
  });
});

describe('folderName', () => {
  it('shortens a date folder to its date, and leaves any other folder as it is', () => {
    expect(folderName('egress-recordings/2025/08/07/')).toBe('2025/08/07/');
    expect(folderName('team/2024/12/31')).toBe('2024/12/31');
    expect(folderName('egress-recordings/')).toBe('egress-recordings/');
  });
});
