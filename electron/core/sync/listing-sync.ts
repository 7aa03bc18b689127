import type { SyncStatusView } from '../../../shared/contract.ts';
import type { CatalogStore, ListedRecording } from '../catalog/catalog-store.ts';
import type { SyncCheckpointStore } from '../catalog/sync-checkpoint-store.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { MAX_MANIFEST_BYTES, parseEgressManifest } from '../s3/egress-manifest.ts';
import type { ListedObject, RecordingBucket } from '../s3/recording-bucket.ts';
import { ManifestTooLargeError } from '../s3/recording-bucket.ts';
import { Limiter, mapConcurrently } from './concurrency.ts';
import { reportProgress, SingleRun } from './single-run.ts';

/** A sync's progress and outcome, exactly as the contract sends it to the renderer. */
export type SyncStatus = SyncStatusView;
export type SyncState = SyncStatus['state'];

/** Folders listed at once: enough to keep S3 busy while the catalog writes the previous ones. */
export const FOLDER_CONCURRENCY = 4;
/** Egress manifests fetched at once, across all folders. */
export const MANIFEST_CONCURRENCY = 8;
/** Headless progress lines: one at most this often (ms), or every this many folders. */
const LOG_EVERY_MS = 2000;
const LOG_EVERY_FOLDERS = 100;

/** The status before any run. */
export const IDLE_SYNC_STATUS: SyncStatus = {
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

export interface ListingSyncOptions {
  /** Where runs are checkpointed (the same catalog database as `store`). */
  readonly checkpoints: SyncCheckpointStore;
  readonly now?: () => number;
  /** Called after every folder, and when the run starts and ends. */
  readonly onProgress?: (status: SyncStatus) => void;
  /** Start, progress (every ~2 s) and end lines, for headless runs. */
  readonly log?: Logger;
  readonly folderConcurrency?: number;
  readonly manifestConcurrency?: number;
}

/** The state of one run while it goes: where it is checkpointed and what counts as "seen". */
interface RunContext {
  readonly id: number;
  /** When the run first started (before any crash): rows older than this were not seen by it. */
  readonly startedAt: number;
  readonly signal: AbortSignal;
  readonly manifests: Limiter;
}

interface ManifestOutcome {
  readonly recording: ListedRecording;
  /** The manifest ETag to remember (undefined: remember nothing, read it again next time). */
  readonly etag: string | null | undefined;
  /** False: the manifest was skipped (logged). */
  readonly read: boolean;
}

/**
 * Copies the S3 listing under the prefix into the catalog, one folder at a time, in the background.
 *
 * - Folders: the `YYYY/MM/DD/` folders are found level by level with a delimiter, then each is
 *   listed whole (paged), several at once. Other folders under the prefix are listed whole too.
 * - Incremental: a folder's listing is compared with what the catalog holds for it; only new or
 *   changed recordings are written, and recordings the listing no longer shows are removed.
 * - Egress manifests beside recordings are read when new or changed (by ETag).
 * - Checkpoints: each folder's writes and its "done" mark are one transaction. A run that does not
 *   complete (killed, cancelled, failed) is resumed by the next `run()`, which skips its finished
 *   folders. Only a completed run removes the recordings of folders that are gone, counting as
 *   "seen" whatever was listed since the ORIGINAL run started.
 */
export class ListingSync {
  readonly #bucket: RecordingBucket;
  readonly #store: CatalogStore;
  readonly #checkpoints: SyncCheckpointStore;
  readonly #now: () => number;
  readonly #onProgress: (status: SyncStatus) => void;
  readonly #log: Logger;
  readonly #folderConcurrency: number;
  readonly #manifestConcurrency: number;
  #status: SyncStatus = IDLE_SYNC_STATUS;
  readonly #run = new SingleRun<SyncStatus>();
  #cancelled = false;
  #lastLog = { at: 0, folders: 0 };

  constructor(bucket: RecordingBucket, store: CatalogStore, options: ListingSyncOptions) {
    this.#bucket = bucket;
    this.#store = store;
    this.#checkpoints = options.checkpoints;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress ?? (() => {});
    this.#log = options.log ?? silentLogger;
    this.#folderConcurrency = options.folderConcurrency ?? FOLDER_CONCURRENCY;
    this.#manifestConcurrency = options.manifestConcurrency ?? MANIFEST_CONCURRENCY;
  }

  status(): SyncStatus {
    return this.#status;
  }

  /** Starts a sync (resuming an unfinished one) unless one is running; either way, resolves when it ends. */
  run(): Promise<SyncStatus> {
    return this.#run.run((abort) => this.#sync(abort));
  }

  /** Stops the running sync: in-flight S3 requests are aborted, its checkpoint is kept for the next run. */
  cancel(): void {
    if (!this.#run.running) return;
    this.#cancelled = true;
    this.#run.cancel();
  }

  async #sync(abort: AbortController): Promise<SyncStatus> {
    this.#cancelled = false;
    const location = this.#bucket.where;
    const startedAt = this.#now();
    this.#update({ ...IDLE_SYNC_STATUS, state: 'running', startedAt: new Date(startedAt).toISOString() });
    let runId: number | null = null;
    try {
      const unfinished = this.#checkpoints.unfinishedRun(location);
      if (unfinished) this.#checkpoints.setRunState(unfinished.id, 'running');
      runId = unfinished?.id ?? this.#checkpoints.startRun(location, startedAt);
      const run: RunContext = {
        id: runId,
        startedAt: unfinished?.startedAt ?? startedAt,
        signal: abort.signal,
        manifests: new Limiter(this.#manifestConcurrency),
      };

      const plan = await this.#bucket.planFolders(abort.signal);
      const folders = [...plan.dateFolders, ...plan.otherFolders].sort();
      const done = unfinished?.doneFolders ?? new Set<string>();
      const pending = folders.filter((folder) => !done.has(folder));
      const resumedFrom = unfinished ? (pending[0] ?? this.#bucket.location.prefix) : null;
      this.#update({
        ...this.#status,
        foldersTotal: folders.length,
        foldersDone: folders.length - pending.length,
        objectsListed: plan.looseObjects,
        resumedFrom,
      });
      this.#log.info(
        unfinished
          ? `sync ${location}: resuming the run started ${new Date(run.startedAt).toISOString()} from ${resumedFrom}; ` +
              `${folders.length - pending.length} of ${folders.length} folders already done`
          : `sync ${location}: ${folders.length} folders to list`,
      );
      this.#lastLog = { at: this.#now(), folders: this.#status.foldersDone };

      await mapConcurrently(pending, this.#folderConcurrency, (folder) => this.#syncFolder(folder, run));
      if (abort.signal.aborted) return this.#end('cancelled', null, runId);

      // Folders the catalog has but the bucket no longer does: everything in them is gone.
      const listed = new Set(plan.dateFolders);
      let removed = 0;
      for (const folder of this.#checkpoints.cataloguedDateFolders(this.#bucket.location.prefix)) {
        if (!listed.has(folder)) removed += this.#store.removeRecordingsNotListedSince(folder, run.startedAt);
      }
      this.#checkpoints.finishRun(runId, this.#now());
      this.#update({ ...this.#status, recordingsRemoved: this.#status.recordingsRemoved + removed });
      return this.#end('succeeded', null, runId);
    } catch (error) {
      if (this.#cancelled) return this.#end('cancelled', null, runId);
      abort.abort(); // the other folders' requests
      return this.#end('failed', error instanceof Error ? error.message : String(error), runId);
    }
  }

  /** Lists one folder whole and brings the catalog in line with it, checkpoint included. */
  async #syncFolder(folder: string, run: RunContext): Promise<void> {
    if (run.signal.aborted) return;
    const listedSince = this.#now();
    const objects = await this.#bucket.listAll(folder, run.signal);
    if (run.signal.aborted) return;

    const catalogued = this.#checkpoints.cataloguedIn(folder);
    const manifests = new Map<string, ListedObject>();
    const recordings: ListedRecording[] = [];
    for (const object of objects) {
      const recording = this.#bucket.toRecording(object);
      if (recording) recordings.push(recording);
      else if (object.key.endsWith('.json'))
        manifests.set(`${object.key.slice(0, -'.json'.length)}.mp4`, object);
    }

    const changed: ListedRecording[] = [];
    const toRead: { recording: ListedRecording; manifest: ListedObject; changed: boolean }[] = [];
    const manifestGone: string[] = [];
    for (const recording of recordings) {
      const before = catalogued.get(recording.key);
      catalogued.delete(recording.key);
      const isChanged =
        !before ||
        before.size !== recording.size ||
        before.etag !== recording.etag ||
        before.lastModified !== recording.lastModified;
      const manifest = manifests.get(recording.key);
      if (manifest && (manifest.etag === null || manifest.etag !== before?.manifestEtag)) {
        toRead.push({ recording, manifest, changed: isChanged });
      } else {
        if (isChanged) changed.push(recording);
        if (!manifest && before?.manifestEtag) manifestGone.push(recording.key);
      }
    }
    // What is left in `catalogued` is what the listing no longer shows.
    const gone = [...catalogued.keys()];

    const outcomes = await Promise.all(
      toRead.map((item) => run.manifests.run(() => this.#readManifest(item.recording, item.manifest, run))),
    );
    if (run.signal.aborted) return;
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.read || toRead[index]!.changed) changed.push(outcome.recording);
    }

    const { added, removed } = this.#checkpoints.atomically(() => {
      const now = this.#now();
      const added = changed.length > 0 ? this.#store.upsertRecordings(changed, now) : 0;
      for (const outcome of outcomes) {
        if (outcome.etag !== undefined)
          this.#checkpoints.setManifestEtag(outcome.recording.key, outcome.etag);
      }
      for (const key of manifestGone) this.#checkpoints.setManifestEtag(key, null);
      // A key is its own prefix (nothing else starts with `….mp4`): this removes exactly that
      // recording, unless a live look-up saw it after this folder's listing began.
      let removed = 0;
      for (const key of gone) removed += this.#store.removeRecordingsNotListedSince(key, listedSince);
      this.#checkpoints.markFolderDone(run.id, folder, now);
      return { added, removed };
    });

    const status = this.#status;
    this.#update({
      ...status,
      objectsListed: status.objectsListed + objects.length,
      recordingsAdded: status.recordingsAdded + added,
      recordingsRemoved: status.recordingsRemoved + removed,
      foldersDone: status.foldersDone + 1,
      manifestsRead: status.manifestsRead + outcomes.filter((outcome) => outcome.read).length,
      manifestsSkipped: status.manifestsSkipped + outcomes.filter((outcome) => !outcome.read).length,
    });
    this.#maybeLogProgress();
  }

  /**
   * Reads a recording's manifest. A missing one is nothing; an unusable one (malformed, too large,
   * unreadable) is logged and skipped, never fatal. Only a cancel or a failed run stops it.
   */
  async #readManifest(
    recording: ListedRecording,
    manifest: ListedObject,
    run: RunContext,
  ): Promise<ManifestOutcome> {
    const skip = (reason: string, remember: boolean): ManifestOutcome => {
      this.#log.warn(`sync: skipped the Egress manifest ${manifest.key}: ${reason}`);
      // A manifest that cannot be used as it is stays skipped until it changes; a failed read is retried.
      return { recording, etag: remember ? manifest.etag : undefined, read: false };
    };
    if (manifest.size !== null && manifest.size > MAX_MANIFEST_BYTES) {
      return skip(
        `it is ${manifest.size.toLocaleString('en-US')} bytes, more than the 1 MiB a manifest may have`,
        true,
      );
    }
    let text: string;
    try {
      text = await this.#bucket.readManifest(manifest.key, run.signal);
    } catch (error) {
      if (run.signal.aborted) throw error;
      if (error instanceof ManifestTooLargeError) return skip(error.message, true);
      return skip(`it could not be read (${error instanceof Error ? error.message : String(error)})`, false);
    }
    const reading = parseEgressManifest(text, recording.key);
    if (!reading.ok) return skip(reading.problem, true);
    return { recording: { ...recording, manifest: reading.facts }, etag: manifest.etag, read: true };
  }

  #maybeLogProgress(): void {
    const { foldersDone, foldersTotal, objectsListed } = this.#status;
    const now = this.#now();
    if (now - this.#lastLog.at < LOG_EVERY_MS && foldersDone - this.#lastLog.folders < LOG_EVERY_FOLDERS)
      return;
    if (foldersDone === foldersTotal) return; // the end line follows
    this.#lastLog = { at: now, folders: foldersDone };
    this.#log.info(
      `sync: ${foldersDone}/${foldersTotal} folders, ${objectsListed.toLocaleString('en-US')} objects listed`,
    );
  }

  #end(state: SyncState, error: string | null, runId: number | null): SyncStatus {
    try {
      if (runId !== null && state !== 'succeeded')
        this.#checkpoints.setRunState(runId, state === 'failed' ? 'failed' : 'cancelled');
    } catch (checkpointError) {
      // The catalog was closed under a cancelled run (the app quitting): the checkpoint as last written stands.
      this.#log.warn(`sync: could not record the run's end: ${String(checkpointError)}`);
    }
    this.#update({ ...this.#status, state, error, finishedAt: new Date(this.#now()).toISOString() });
    const s = this.#status;
    const n = (value: number) => value.toLocaleString('en-US');
    const totals =
      `${n(s.foldersDone)}/${n(s.foldersTotal)} folders, ${n(s.objectsListed)} objects listed, ` +
      `${n(s.recordingsAdded)} recordings added, ${n(s.recordingsRemoved)} removed, ` +
      `${n(s.manifestsRead)} manifests read, ${n(s.manifestsSkipped)} skipped`;
    if (state === 'succeeded') this.#log.info(`sync done: ${totals}`);
    else if (state === 'cancelled') this.#log.info(`sync cancelled (the next sync resumes it): ${totals}`);
    else this.#log.warn(`sync failed (the next sync resumes it): ${error}; ${totals}`);
    return s;
  }

  #update(status: SyncStatus): void {
    this.#status = status;
    reportProgress(this.#onProgress, status, this.#log, 'Sync');
  }
}
