import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { RecordingBucket } from '../s3/recording-bucket.ts';

export type SyncState = 'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface SyncStatus {
  readonly state: SyncState;
  /** ISO-8601, or null before the first sync. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly objectsListed: number;
  readonly recordingsAdded: number;
  readonly recordingsRemoved: number;
  /** Why the last sync failed, for a person. */
  readonly error: string | null;
}

const IDLE: SyncStatus = {
  state: 'idle',
  startedAt: null,
  finishedAt: null,
  objectsListed: 0,
  recordingsAdded: 0,
  recordingsRemoved: 0,
  error: null,
};

/**
 * Copies the S3 listing under the prefix into the catalog, a page at a time, in the background.
 * Recordings a complete listing no longer shows are removed (an interrupted one removes nothing).
 */
export class ListingSync {
  readonly #bucket: RecordingBucket;
  readonly #store: CatalogStore;
  readonly #now: () => number;
  readonly #onProgress: (status: SyncStatus) => void;
  #status: SyncStatus = IDLE;
  #running: Promise<SyncStatus> | null = null;
  #abort: AbortController | null = null;

  constructor(
    bucket: RecordingBucket,
    store: CatalogStore,
    options: { now?: () => number; onProgress?: (status: SyncStatus) => void } = {},
  ) {
    this.#bucket = bucket;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress ?? (() => {});
  }

  status(): SyncStatus {
    return this.#status;
  }

  /** Starts a sync unless one is running; either way, resolves when that one ends. */
  run(): Promise<SyncStatus> {
    this.#running ??= this.#sync().finally(() => {
      this.#running = null;
      this.#abort = null;
    });
    return this.#running;
  }

  cancel(): void {
    this.#abort?.abort();
  }

  async #sync(): Promise<SyncStatus> {
    const abort = new AbortController();
    this.#abort = abort;
    const startedAt = this.#now();
    this.#update({ ...IDLE, state: 'running', startedAt: new Date(startedAt).toISOString() });
    try {
      for await (const page of this.#bucket.listPages(undefined, abort.signal)) {
        const added = this.#store.upsertRecordings(page.recordings, this.#now());
        this.#update({
          ...this.#status,
          objectsListed: this.#status.objectsListed + page.objectCount,
          recordingsAdded: this.#status.recordingsAdded + added,
        });
        if (abort.signal.aborted) break;
      }
      if (abort.signal.aborted) return this.#finish('cancelled', null);
      const removed = this.#store.removeRecordingsNotListedSince(this.#bucket.location.prefix, startedAt);
      this.#update({ ...this.#status, recordingsRemoved: removed });
      return this.#finish('succeeded', null);
    } catch (error) {
      if (abort.signal.aborted) return this.#finish('cancelled', null);
      return this.#finish('failed', error instanceof Error ? error.message : String(error));
    }
  }

  #finish(state: SyncState, error: string | null): SyncStatus {
    this.#update({ ...this.#status, state, error, finishedAt: new Date(this.#now()).toISOString() });
    return this.#status;
  }

  #update(status: SyncStatus): void {
    this.#status = status;
    this.#onProgress(status);
  }
}
