import type { SyncStatusView } from '../../../shared/contract.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { RecordingBucket } from '../s3/recording-bucket.ts';

/** A sync's progress and outcome, exactly as the contract sends it to the renderer. */
export type SyncStatus = SyncStatusView;
export type SyncState = SyncStatus['state'];

const IDLE: SyncStatus = {
  state: 'idle',
  startedAt: null,
  finishedAt: null,
  objectsListed: 0,
  recordingsAdded: 0,
  recordingsRemoved: 0,
  foldersDone: 0,
  foldersTotal: 0,
  manifestsRead: 0,
  manifestsSkipped: 0,
  resumedFrom: null,
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
