import type { SyncStatusView } from '../../../shared/contract.ts';
import type { CatalogStore, ListedRecording } from '../catalog/catalog-store.ts';
import type { FolderListing, SyncCheckpointStore, UnfinishedRun } from '../catalog/sync-checkpoint-store.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { MAX_MANIFEST_BYTES, parseEgressManifest } from '../s3/egress-manifest.ts';
import type { FolderPlan, ListedObject, RecordingBucket } from '../s3/recording-bucket.ts';
import { FolderListingUnlikeS3Error, ManifestTooLargeError } from '../s3/recording-bucket.ts';
import { isTeamKey } from '../team/team-prefix.ts';
import { parseTranscript } from '../transcripts/parse-transcript.ts';
import type { TranscriptObjectReader } from '../transcripts/read-transcript-object.ts';
import { TranscriptTooLargeError } from '../transcripts/read-transcript-object.ts';
import type { TranscriptIngest } from '../transcripts/transcript-ingest.ts';
import {
  baseNameOf,
  TRANSCRIPT_SUFFIXES,
  transcriptBaseName,
  transcriptKeysFor,
  transcriptSuffixOf,
} from '../transcripts/transcript-keys.ts';
import { MAX_TRANSCRIPT_BYTES, type ParsedTranscript } from '../transcripts/transcript.ts';
import { Limiter, mapConcurrently } from './concurrency.ts';
import { reportProgress, SingleRun } from './single-run.ts';

/** A sync's progress and outcome, exactly as the contract sends it to the renderer. */
export type SyncStatus = SyncStatusView;
export type SyncState = SyncStatus['state'];

/** Folders listed at once: enough to keep S3 busy while the catalog writes the previous ones. */
export const FOLDER_CONCURRENCY = 4;
/** How the bucket is listed unless told otherwise (see ListingMode). */
export const DEFAULT_LISTING_MODE: ListingMode = 'flat';
/** Folders listed out of turn (for GETs) at once. */
const OUT_OF_TURN_CONCURRENCY = 4;
/** Egress manifests fetched at once, across all folders. */
export const MANIFEST_CONCURRENCY = 8;
/** Transcripts saved in one run past which the word index is merged at its end (see optimizeIndex). */
const OPTIMIZE_AFTER_TRANSCRIPTS = 500;
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
  transcriptsRead: 0,
  transcriptsSkipped: 0,
  resumedFrom: null,
  error: null,
};

/**
 * How the bucket is listed. `flat` (the default): every key under the prefix in key order, paged by
 * StartAfter; the date folders come out of the listing (see #listFlat). It works on any
 * S3-compatible server and measured as fast as folder listings with a quarter of the requests
 * (bench/listing-modes.ts). `folders`: the date folders found level by level with a `/` delimiter,
 * then each listed whole, several at once; it refuses servers whose delimiter listings leave
 * folders out.
 */
export type ListingMode = 'flat' | 'folders';

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
  /** Default DEFAULT_LISTING_MODE. */
  readonly mode?: ListingMode;
  /** Transcripts are read beside the recordings (and under `transcripts.prefix`) when given. */
  readonly transcripts?: TranscriptSyncOptions;
  /**
   * The team's folder (issue 12, team-prefix.ts): its keys are never recordings, manifests or
   * transcripts, and a folder listing does not go into it.
   */
  readonly teamPrefix?: string;
}

export interface TranscriptSyncOptions {
  readonly ingest: TranscriptIngest;
  readonly read: TranscriptObjectReader;
  /** A second place transcripts lie, with the recordings' path below it (`TAPEDECK_TRANSCRIPTS_PREFIX`). */
  readonly prefix: string | null;
}

/** The state of one run while it goes: where it is checkpointed and what counts as "seen". */
interface RunContext {
  readonly id: number;
  /** When the run first started (before any crash): rows older than this were not seen by it. */
  readonly startedAt: number;
  readonly signal: AbortSignal;
  /** Folders this run has written (before a resume too, and those a GET listed out of turn). */
  readonly done: Set<string>;
}

/** One folder's listing compared with the catalog: what to write, ready for one transaction. */
interface FolderWrite {
  readonly folder: string;
  /** When its listing began (unix ms): catalogued recordings seen since then are kept. */
  readonly listedSince: number;
  readonly objectCount: number;
  readonly changed: ListedRecording[];
  readonly outcomes: ManifestOutcome[];
  readonly manifestGone: string[];
  readonly gone: string[];
  readonly transcripts: TranscriptOutcome[];
  /** Recordings whose transcript file is gone from the bucket: their transcript goes too. */
  readonly transcriptGone: string[];
}

interface TranscriptOutcome {
  readonly recordingKey: string;
  readonly key: string;
  readonly etag: string | null;
  /** Null: skipped (logged). */
  readonly parsed: ParsedTranscript | null;
}

interface ManifestOutcome {
  readonly recording: ListedRecording;
  /** The manifest ETag to remember (undefined: remember nothing, read it again next time). */
  readonly etag: string | null | undefined;
  /** False: the manifest was skipped (logged). */
  readonly read: boolean;
}

/**
 * Copies the S3 listing under the prefix into the catalog, folder by folder, in the background.
 *
 * - Listing (see ListingMode): flat, in key order with StartAfter, the keys grouped into their
 *   `YYYY/MM/DD/` folders as they come; or folder by folder after finding the folders with a
 *   delimiter. Either way the unit of work is a date folder.
 * - Incremental: a folder's listing is compared with what the catalog holds for it; only new or
 *   changed recordings are written, and recordings the listing no longer shows are removed.
 * - Egress manifests beside recordings are read when new or changed (by ETag).
 * - Checkpoints: each folder's writes and its "done" mark are one transaction (a flat listing also
 *   records the key it resumes after). A run that does not complete (killed, cancelled, failed) is
 *   resumed by the next `run()`, which skips its finished folders. Only a completed run removes
 *   the recordings of folders that are gone, counting as "seen" whatever was listed since the
 *   ORIGINAL run started.
 * - Out of turn: `listFolderNow` runs the same folder step for one folder at once (a GET for a
 *   dispatch in a folder not listed yet); concurrent callers, and the run itself, share it.
 */
export class ListingSync {
  readonly #bucket: RecordingBucket;
  readonly #store: CatalogStore;
  readonly #checkpoints: SyncCheckpointStore;
  readonly #now: () => number;
  readonly #onProgress: (status: SyncStatus) => void;
  readonly #log: Logger;
  readonly #folderConcurrency: number;
  readonly #mode: ListingMode;
  readonly #manifests: Limiter;
  readonly #transcripts: TranscriptSyncOptions | null;
  readonly #teamPrefix: string;
  /** Transcript versions (key → ETag) found unusable: not read again until they change. */
  readonly #skippedTranscripts = new Map<string, string>();
  /** Transcripts saved in the run going (for merging the word index at its end). */
  #transcriptsSaved = 0;
  /** Out-of-turn folder listings at once: a few finish fast, rather than many slowly together. */
  readonly #outOfTurn = new Limiter(OUT_OF_TURN_CONCURRENCY);
  #status: SyncStatus = IDLE_SYNC_STATUS;
  readonly #run = new SingleRun<SyncStatus>();
  #cancelled = false;
  #lastLog = { at: 0, folders: 0 };
  /** The run going, if any (out-of-turn folder steps count toward it). */
  #active: RunContext | null = null;
  /** Folder steps in flight, by folder: whoever asks for a folder being listed waits for that listing. */
  readonly #folderSteps = new Map<string, Promise<void>>();

  constructor(bucket: RecordingBucket, store: CatalogStore, options: ListingSyncOptions) {
    this.#bucket = bucket;
    this.#store = store;
    this.#checkpoints = options.checkpoints;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress ?? (() => {});
    this.#log = options.log ?? silentLogger;
    this.#folderConcurrency = options.folderConcurrency ?? FOLDER_CONCURRENCY;
    this.#manifests = new Limiter(options.manifestConcurrency ?? MANIFEST_CONCURRENCY);
    this.#mode = options.mode ?? DEFAULT_LISTING_MODE;
    this.#transcripts = options.transcripts ?? null;
    this.#teamPrefix = options.teamPrefix ?? '';
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

  /** Since when the catalog holds everything the date folder `{prefix}YYYY/MM/DD/` had (see FolderListing). */
  folderListing(folder: string): FolderListing {
    return this.#checkpoints.folderListing(this.#bucket.where, folder);
  }

  /**
   * Lists one date folder now and brings the catalog in line with it: the sync's own folder step,
   * out of turn (a GET for a dispatch in a folder no sync has been through yet). A folder being
   * listed already (by the sync or another caller) is not listed again: this waits for that listing.
   * The sync still lists the folder in its turn (only its own listing counts as synced).
   */
  listFolderNow(folder: string): Promise<void> {
    return this.#folderStep(folder, () =>
      this.#outOfTurn.run(async () => {
        const listedSince = this.#now();
        const objects = await this.#bucket.listAll(folder);
        this.#commit(await this.#prepare(folder, objects, listedSince, undefined), null);
      }),
    );
  }

  /** One step per folder at a time: a second caller gets the first one's promise. */
  #folderStep(folder: string, step: () => Promise<void>): Promise<void> {
    return this.#folderSteps.get(folder) ?? this.#register(folder, step());
  }

  /** Makes `step` the folder's listing in flight (the latest one: callers from now on wait for it). */
  #register(folder: string, step: Promise<void>): Promise<void> {
    const promise = step.finally(() => {
      if (this.#folderSteps.get(folder) === promise) this.#folderSteps.delete(folder);
    });
    promise.catch(() => {}); // the callers see its failure; no one waiting is no unhandled rejection
    this.#folderSteps.set(folder, promise);
    return promise;
  }

  async #sync(abort: AbortController): Promise<SyncStatus> {
    this.#cancelled = false;
    this.#transcriptsSaved = 0;
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
        done: new Set(unfinished?.doneFolders ?? []),
      };
      this.#active = run;

      // A run resumed after a flat listing's key goes on flat; otherwise the mode decides.
      const listed =
        this.#mode === 'flat' || unfinished?.resumeAfter
          ? await this.#listFlat(run, unfinished)
          : await this.#listByFolder(await this.#planFolders(abort.signal), run, unfinished);
      if (abort.signal.aborted || listed === null) return this.#end('cancelled', null, runId);

      // Folders the catalog has but the bucket no longer does: everything in them is gone.
      let removed = 0;
      for (const folder of this.#checkpoints.cataloguedDateFolders(this.#bucket.location.prefix)) {
        if (listed.has(folder)) continue;
        const keys = [...this.#checkpoints.cataloguedIn(folder).keys()];
        removed += this.#store.removeRecordingsNotListedSince(folder, run.startedAt);
        this.#transcripts?.ingest.removeOrphans(keys);
      }
      this.#checkpoints.finishRun(runId, this.#now());
      if (this.#transcriptsSaved >= OPTIMIZE_AFTER_TRANSCRIPTS)
        this.#transcripts?.ingest.store.optimizeIndex();
      this.#update({
        ...this.#status,
        foldersTotal: this.#status.foldersDone,
        recordingsRemoved: this.#status.recordingsRemoved + removed,
      });
      return this.#end('succeeded', null, runId);
    } catch (error) {
      if (this.#cancelled) return this.#end('cancelled', null, runId);
      abort.abort(); // the other folders' requests
      return this.#end('failed', error instanceof Error ? error.message : String(error), runId);
    } finally {
      this.#active = null;
    }
  }

  /**
   * The folders, found with delimiter listings, checked against one page of a flat listing (the
   * oldest keys): a server whose folder listings leave folders out (s3rver leaves out folders that
   * hold only folders) would make a complete sync forget recordings, so it is refused.
   */
  async #planFolders(signal: AbortSignal): Promise<FolderPlan> {
    const plan = await this.#bucket.planFolders(signal);
    const known = new Set(plan.dateFolders);
    for await (const page of this.#bucket.listFlat(undefined, signal)) {
      const right = page.objects.every((object) => {
        const folder = this.#bucket.dateFolderOf(object.key);
        return folder === null || known.has(folder);
      });
      if (!right) throw new FolderListingUnlikeS3Error(this.#bucket.where);
      break;
    }
    return plan;
  }

  /** Folder by folder, as planned; returns the date folders the bucket has (null: cancelled). */
  async #listByFolder(
    plan: FolderPlan,
    run: RunContext,
    unfinished: UnfinishedRun | null,
  ): Promise<ReadonlySet<string> | null> {
    const folders = [
      ...plan.dateFolders,
      ...plan.otherFolders.filter((folder) => !isTeamKey(folder, this.#teamPrefix)),
    ].sort();
    const pending = folders.filter((folder) => !run.done.has(folder));
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
        ? `sync ${this.#bucket.where}: resuming the run started ${new Date(run.startedAt).toISOString()} from ${resumedFrom}; ` +
            `${folders.length - pending.length} of ${folders.length} folders already done`
        : `sync ${this.#bucket.where}: ${folders.length} folders to list`,
    );
    this.#lastLog = { at: this.#now(), folders: this.#status.foldersDone };

    await mapConcurrently(pending, this.#folderConcurrency, async (folder) => {
      // A GET listing this folder out of turn: that listing first, then the sync's own.
      await this.#folderSteps.get(folder)?.catch(() => {});
      if (run.signal.aborted) return;
      await this.#folderStep(folder, async () => {
        if (run.signal.aborted) return;
        const listedSince = this.#now();
        const objects = await this.#bucket.listAll(folder, run.signal);
        if (run.signal.aborted) return;
        const write = await this.#prepare(folder, objects, listedSince, run.signal);
        if (!run.signal.aborted) this.#commit(write, run);
      });
    });
    return run.signal.aborted ? null : new Set(plan.dateFolders);
  }

  /**
   * The whole prefix in key order, with StartAfter (from where an interrupted flat run got to). Keys
   * of one date folder are contiguous, so a folder is complete when the first key past it arrives;
   * its manifests are read while the listing goes on (a few folders ahead at most), and folders are
   * written strictly in key order, each with the key to resume after. Objects outside date folders
   * are counted, as the folder listing counts them. Returns the date folders the bucket has.
   */
  async #listFlat(run: RunContext, unfinished: UnfinishedRun | null): Promise<ReadonlySet<string> | null> {
    const resumeAfter = unfinished?.resumeAfter ?? undefined;
    const seen = new Set(run.done);
    const doneBefore = run.done.size;
    this.#update({
      ...this.#status,
      foldersDone: doneBefore,
      foldersTotal: Math.max(
        doneBefore,
        this.#checkpoints.cataloguedDateFolders(this.#bucket.location.prefix).length,
      ),
    });
    this.#log.info(
      unfinished
        ? `sync ${this.#bucket.where}: resuming the run started ${new Date(run.startedAt).toISOString()} ` +
            `after ${resumeAfter ?? 'the start'}; ${doneBefore} folders already done`
        : `sync ${this.#bucket.where}: listing every key under the prefix`,
    );
    this.#lastLog = { at: this.#now(), folders: doneBefore };

    // Folders listed but not written yet, oldest first; each one's write waits for the one before.
    let written: Promise<void> = Promise.resolve();
    const inFlight = new Set<Promise<void>>();
    let loose = 0;
    const enqueue = async (folder: string, objects: ListedObject[], listedSince: number) => {
      seen.add(folder);
      if (unfinished && this.#status.resumedFrom === null)
        this.#update({ ...this.#status, resumedFrom: folder });
      const lastKey = objects.at(-1)!.key;
      const uncounted = loose;
      loose = 0;
      // Its manifests are read now (after a GET's listing of it, if one is going); its write waits for its turn.
      const going = this.#folderSteps.get(folder);
      const prepare = () => this.#prepare(folder, objects, listedSince, run.signal);
      const prepared: Promise<FolderWrite | null> = run.done.has(folder)
        ? Promise.resolve(null)
        : going
          ? going.then(prepare, prepare)
          : prepare();
      prepared.catch(() => {}); // its failure is the write's, below
      const write = written.then(async () => {
        const ready = await prepared;
        if (run.signal.aborted) return;
        if (ready === null) {
          // Written before a resume (a folder-by-folder run's): only the resume point moves on.
          this.#checkpoints.setResumeAfter(run.id, lastKey);
          this.#update({
            ...this.#status,
            objectsListed: this.#status.objectsListed + objects.length + uncounted,
          });
          return;
        }
        this.#commit(ready, run, lastKey, uncounted);
      });
      written = write;
      // A GET for this folder meanwhile waits for this write instead of listing it again.
      if (!run.done.has(folder)) this.#register(folder, write);
      inFlight.add(write);
      void write.then(
        () => inFlight.delete(write),
        () => inFlight.delete(write),
      );
      if (inFlight.size >= this.#folderConcurrency) await Promise.race(inFlight);
    };

    type Folder = { folder: string; objects: ListedObject[]; listedSince: number };
    let current = null as Folder | null;
    for await (const page of this.#bucket.listFlat(resumeAfter, run.signal, this.#now)) {
      for (const object of page.objects) {
        const folder = this.#bucket.dateFolderOf(object.key);
        if (folder === null) {
          loose += 1;
          continue;
        }
        if (current?.folder !== folder) {
          if (current) await enqueue(current.folder, current.objects, current.listedSince);
          current = { folder, objects: [], listedSince: page.requestedAt };
        }
        current.objects.push(object);
      }
      if (run.signal.aborted) break;
    }
    if (current && !run.signal.aborted) await enqueue(current.folder, current.objects, current.listedSince);
    await written;
    if (run.signal.aborted) return null;
    this.#update({
      ...this.#status,
      objectsListed: this.#status.objectsListed + loose,
      resumedFrom: unfinished ? (this.#status.resumedFrom ?? this.#bucket.location.prefix) : null,
    });
    return seen;
  }

  /**
   * Compares one folder's listing with the catalog and reads the manifests and transcripts that
   * are new or changed (by ETag). The team's keys are left alone.
   */
  async #prepare(
    folder: string,
    objects: readonly ListedObject[],
    listedSince: number,
    signal: AbortSignal | undefined,
  ): Promise<FolderWrite> {
    const catalogued = this.#checkpoints.cataloguedIn(folder);
    const manifests = new Map<string, ListedObject>();
    /** Transcript objects by the base name they share with a recording, beside it. */
    const transcriptsBeside = new Map<string, ListedObject>();
    const recordings: ListedRecording[] = [];
    for (const object of objects) {
      if (isTeamKey(object.key, this.#teamPrefix)) continue;
      const recording = this.#bucket.toRecording(object);
      if (recording) recordings.push(recording);
      else if (transcriptSuffixOf(object.key) !== null) {
        if (this.#transcripts) keepPreferred(transcriptsBeside, transcriptBaseName(object.key)!, object);
      } else if (object.key.endsWith('.json'))
        manifests.set(`${object.key.slice(0, -'.json'.length)}.mp4`, object);
    }
    const transcriptsUnder = await this.#transcriptsUnderPrefix(folder, signal);

    const changed: ListedRecording[] = [];
    const toRead: { recording: ListedRecording; manifest: ListedObject; changed: boolean }[] = [];
    const manifestGone: string[] = [];
    const transcriptsToRead: { recording: ListedRecording; object: ListedObject }[] = [];
    const transcriptGone: string[] = [];
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
      if (this.#transcripts) {
        const base = baseNameOf(recording.key);
        const transcript = transcriptsBeside.get(base) ?? transcriptsUnder?.get(base);
        const stored = this.#transcripts.ingest.sourceOf(recording.key);
        if (transcript) {
          const known =
            transcript.etag !== null &&
            ((stored?.key === transcript.key && stored.etag === transcript.etag) ||
              this.#skippedTranscripts.get(transcript.key) === transcript.etag);
          if (!known) transcriptsToRead.push({ recording, object: transcript });
        } else if (stored && transcriptsUnder !== undefined && this.#fromBucket(stored, recording.key)) {
          transcriptGone.push(recording.key);
        }
      }
    }
    // What is left in `catalogued` is what the listing no longer shows.
    const gone = [...catalogued.keys()];

    const outcomes = await Promise.all(
      toRead.map((item) =>
        this.#manifests.run(() => this.#readManifest(item.recording, item.manifest, signal)),
      ),
    );
    const manifestStart = new Map<string, number | null>();
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.read || toRead[index]!.changed) changed.push(outcome.recording);
      if (outcome.read)
        manifestStart.set(outcome.recording.key, outcome.recording.manifest?.startedMs ?? null);
    }
    // After the manifests: a LiveKit history is placed by its recording's manifest start.
    const transcripts = await Promise.all(
      transcriptsToRead.map((item) =>
        this.#manifests.run(() =>
          this.#readTranscript(item.recording, item.object, manifestStart.get(item.recording.key), signal),
        ),
      ),
    );
    return {
      folder,
      listedSince,
      objectCount: objects.length,
      changed,
      outcomes,
      manifestGone,
      gone,
      transcripts,
      transcriptGone,
    };
  }

  /**
   * The transcripts under the transcripts prefix for a date folder (same path below it), by base
   * name in recording terms; an empty map without a transcripts prefix. Undefined when that listing
   * failed (logged): nothing is then taken for gone.
   */
  async #transcriptsUnderPrefix(
    folder: string,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, ListedObject> | undefined> {
    const found = new Map<string, ListedObject>();
    const prefix = this.#transcripts?.prefix;
    const recordingsPrefix = this.#bucket.location.prefix;
    if (!prefix || this.#bucket.dateFolderOf(folder) !== folder) return found;
    const below = folder.slice(recordingsPrefix.length);
    let objects: ListedObject[];
    try {
      objects = await this.#bucket.listAll(prefix + below, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      this.#log.warn(
        `sync: could not list the transcripts under ${prefix}${below} (${error instanceof Error ? error.message : String(error)}); ` +
          'the next sync tries again',
      );
      return undefined;
    }
    for (const object of objects) {
      const base = transcriptBaseName(object.key);
      if (base !== null && base.startsWith(prefix))
        keepPreferred(found, recordingsPrefix + base.slice(prefix.length), object);
    }
    return found;
  }

  /** Whether a saved transcript came from this bucket (not from a local file an import read). */
  #fromBucket(stored: { key: string; etag: string | null }, recordingKey: string): boolean {
    if (stored.etag !== null) return true;
    const prefix = this.#transcripts?.prefix;
    const candidates = transcriptKeysFor(recordingKey);
    if (prefix)
      candidates.push(
        ...transcriptKeysFor(recordingKey, { recordings: this.#bucket.location.prefix, transcripts: prefix }),
      );
    return candidates.includes(stored.key);
  }

  /**
   * Reads and parses a recording's transcript. An unusable one (malformed, unrecognised, too
   * large, unreadable) is logged with the reason and skipped, never fatal; the version found
   * unusable is not read again until it changes. Only a cancel or a failed run stops it.
   */
  async #readTranscript(
    recording: ListedRecording,
    object: ListedObject,
    manifestStartMs: number | null | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TranscriptOutcome> {
    const { ingest, read } = this.#transcripts!;
    const skip = (reason: string, remember: boolean): TranscriptOutcome => {
      const kept = ingest.sourceOf(recording.key) ? ' (the transcript saved before is kept)' : '';
      this.#log.warn(`sync: skipped the transcript ${object.key}: ${reason}${kept}`);
      if (remember && object.etag !== null) this.#skippedTranscripts.set(object.key, object.etag);
      return { recordingKey: recording.key, key: object.key, etag: object.etag, parsed: null };
    };
    if (object.size !== null && object.size > MAX_TRANSCRIPT_BYTES) {
      return skip(
        `it is ${object.size.toLocaleString('en-US')} bytes, more than the ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB a transcript is read up to`,
        true,
      );
    }
    let content: Uint8Array;
    try {
      content = await read(object.key, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof TranscriptTooLargeError) return skip(error.message, true);
      return skip(`it could not be read (${error instanceof Error ? error.message : String(error)})`, false);
    }
    const reading = parseTranscript(content, {
      recordingStart: ingest.alignmentFor(recording, manifestStartMs),
    });
    if (!reading.ok) return skip(reading.problem, true);
    this.#skippedTranscripts.delete(object.key);
    return { recordingKey: recording.key, key: object.key, etag: object.etag, parsed: reading.transcript };
  }

  /**
   * Writes a prepared folder in one transaction with its checkpoint: the run's "done" mark (and a
   * flat run's resume key), and when the folder was listed.
   */
  #commit(write: FolderWrite, run: RunContext | null, resumeAfter?: string, looseObjects = 0): void {
    const { added, removed, transcripts } = this.#checkpoints.atomically(() => {
      const now = this.#now();
      const added = write.changed.length > 0 ? this.#store.upsertRecordings(write.changed, now) : 0;
      for (const outcome of write.outcomes) {
        if (outcome.etag !== undefined)
          this.#checkpoints.setManifestEtag(outcome.recording.key, outcome.etag);
      }
      for (const key of write.manifestGone) this.#checkpoints.setManifestEtag(key, null);
      // A key is its own prefix (nothing else starts with `….mp4`): this removes exactly that
      // recording, unless a live look-up saw it after this folder's listing began.
      let removed = 0;
      for (const key of write.gone)
        removed += this.#store.removeRecordingsNotListedSince(key, write.listedSince);
      const transcripts = this.#writeTranscripts(write);
      if (this.#bucket.dateFolderOf(write.folder) === write.folder)
        this.#checkpoints.markFolderListed(this.#bucket.where, write.folder, write.listedSince, run !== null);
      if (run) {
        this.#checkpoints.markFolderDone(run.id, write.folder, now);
        if (resumeAfter !== undefined) this.#checkpoints.setResumeAfter(run.id, resumeAfter);
      }
      return { added, removed, transcripts };
    });
    if (!run || run !== this.#active) return;
    run.done.add(write.folder);

    const status = this.#status;
    const foldersDone = status.foldersDone + 1;
    this.#update({
      ...status,
      objectsListed: status.objectsListed + write.objectCount + looseObjects,
      recordingsAdded: status.recordingsAdded + added,
      recordingsRemoved: status.recordingsRemoved + removed,
      foldersDone,
      foldersTotal: Math.max(status.foldersTotal, foldersDone),
      manifestsRead: status.manifestsRead + write.outcomes.filter((outcome) => outcome.read).length,
      manifestsSkipped: status.manifestsSkipped + write.outcomes.filter((outcome) => !outcome.read).length,
      transcriptsRead: status.transcriptsRead + transcripts.read,
      transcriptsSkipped: status.transcriptsSkipped + transcripts.skipped,
    });
    this.#maybeLogProgress();
  }

  /**
   * Saves a folder's transcripts (inside #commit's transaction, after its recordings), forgets those
   * whose file or recording is gone; counts what was read and skipped.
   */
  #writeTranscripts(write: FolderWrite): { read: number; skipped: number } {
    const ingest = this.#transcripts?.ingest;
    if (!ingest) return { read: 0, skipped: 0 };
    let read = 0;
    let skipped = 0;
    for (const outcome of write.transcripts) {
      if (outcome.parsed === null) {
        skipped += 1;
        continue;
      }
      try {
        ingest.save({ recording_key: outcome.recordingKey }, outcome.parsed, {
          key: outcome.key,
          etag: outcome.etag,
        });
        read += 1;
      } catch (error) {
        // Only a transcript the store refuses (too many turns) gets here: skipped like a bad file.
        this.#log.warn(
          `sync: skipped the transcript ${outcome.key}: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (outcome.etag !== null) this.#skippedTranscripts.set(outcome.key, outcome.etag);
        skipped += 1;
      }
    }
    for (const key of write.transcriptGone) ingest.remove(key);
    ingest.removeOrphans(write.gone);
    this.#transcriptsSaved += read;
    return { read, skipped };
  }

  /**
   * Reads a recording's manifest. A missing one is nothing; an unusable one (malformed, too large,
   * unreadable) is logged and skipped, never fatal. Only a cancel or a failed run stops it.
   */
  async #readManifest(
    recording: ListedRecording,
    manifest: ListedObject,
    signal: AbortSignal | undefined,
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
      text = await this.#bucket.readManifest(manifest.key, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
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
      `${n(s.manifestsRead)} manifests read, ${n(s.manifestsSkipped)} skipped, ` +
      `${n(s.transcriptsRead)} transcripts read, ${n(s.transcriptsSkipped)} skipped`;
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

/** Keeps, for each base name, the transcript of the most preferred suffix (TRANSCRIPT_SUFFIXES' order). */
function keepPreferred(found: Map<string, ListedObject>, base: string, object: ListedObject): void {
  const rank = (key: string) => TRANSCRIPT_SUFFIXES.indexOf(transcriptSuffixOf(key)!);
  const kept = found.get(base);
  if (!kept || rank(object.key) < rank(kept.key)) found.set(base, object);
}
