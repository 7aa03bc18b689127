import { createHash, randomUUID, type Hash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../../../shared/contract.ts';
import type { CallRecording } from '../catalog/call-queries.ts';
import type { RecordingObject } from '../s3/recording-object.ts';
import { writeFileAtomically } from '../fs/write-file-atomically.ts';
import { fullJitterDelay, waitBeforeRetry } from '../retry/backoff.ts';
import { ServiceError } from '../service-error.ts';

/** What the manager needs of the library that is open now. */
export interface DownloadLibrary {
  recordingOf(interactionId: string): CallRecording | null;
  /** Opens the object, from `range` (`bytes=N-`) when resuming. */
  open(key: string, signal: AbortSignal, range?: string): Promise<RecordingObject>;
}

export interface DownloadManagerOptions {
  readonly library: () => DownloadLibrary;
  readonly downloadsDir: () => string;
  readonly onProgress: (download: Download) => void;
  readonly reveal: (path: string) => Promise<boolean>;
  readonly concurrency?: number;
  /** Progress events per download at most this often (ms); state changes always go out. */
  readonly progressInterval?: number;
  /** Where unfinished downloads are remembered, so they resume after a crash or restart. */
  readonly journalFile?: string;
  /** Attempts per download when the connection drops (each resumes where the last stopped). */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff between attempts (ms), with full jitter. */
  readonly retryDelayMs?: number;
}

/** What the journal keeps of a download that has not finished. */
interface JournalEntry {
  readonly id: string;
  readonly interactionId: string | null;
  readonly key: string;
  readonly fileName: string;
  readonly dir: string;
  readonly etag: string | null;
  readonly expectedSize: number | null;
}

interface Job {
  download: Download;
  readonly abort: AbortController;
  readonly entry: JournalEntry;
  lastEmitted: number;
}

const PART_SUFFIX = '.tapedeck-part';

/** S3 refused, or the bytes were wrong: trying the same request again will not help. */
class FinalDownloadError extends ServiceError {}

/**
 * Saves recordings to the downloads folder: streamed to a hidden partial file, resumed with a Range
 * where the connection dropped (or where a crash stopped it: unfinished downloads are journalled),
 * checked (size, and MD5 against a single-part ETag), then linked into place under a name that was
 * free, so a file is never overwritten and never appears half-written under its final name.
 */
export class DownloadManager {
  readonly #options: DownloadManagerOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #queue: Job[] = [];
  #running = 0;

  constructor(options: DownloadManagerOptions) {
    this.#options = options;
  }

  /**
   * Queues the recordings of these calls. A call already being downloaded answers that download; a
   * call whose recording is already saved (same name, same size and, where S3 gives one, same MD5)
   * answers a finished download marked `alreadySaved`, so nothing is written twice.
   */
  start(interactionIds: readonly string[]): { downloads: Download[]; skipped: string[] } {
    const library = this.#options.library();
    const dir = this.#options.downloadsDir();
    const downloads: Download[] = [];
    const skipped: string[] = [];
    for (const interactionId of new Set(interactionIds)) {
      const recording = library.recordingOf(interactionId);
      if (!recording) {
        skipped.push(interactionId);
        continue;
      }
      const entry: JournalEntry = {
        id: randomUUID(),
        interactionId,
        key: recording.key,
        fileName: recording.fileName,
        dir,
        etag: recording.etag,
        expectedSize: recording.size,
      };
      downloads.push(this.#activeFor(entry) ?? this.#alreadySaved(entry) ?? this.#enqueue(entry));
    }
    if (downloads.length === 0 && skipped.length > 0) {
      throw new ServiceError(
        'not_found',
        skipped.length === 1
          ? 'This call has no recording to download (yet). Try "Sync now" if it was uploaded recently.'
          : `None of the ${skipped.length} selected calls has a recording to download.`,
      );
    }
    this.#saveJournal();
    this.#pump();
    return { downloads, skipped };
  }

  /**
   * Lists a CSV export (written by the calls domain) with the downloads, finished, so the reviewer
   * finds it where the recordings are.
   */
  recordExport(path: string, rows: number): Download {
    const size = statSync(path, { throwIfNoEntry: false })?.size ?? null;
    const id = randomUUID();
    const download: Download = {
      id,
      interactionId: null,
      key: '',
      fileName: basename(path),
      path,
      state: 'finished',
      receivedBytes: size ?? 0,
      totalBytes: size,
      error: null,
      kind: 'export',
      rows,
    };
    const entry: JournalEntry = {
      id,
      interactionId: null,
      key: '',
      fileName: download.fileName,
      dir: dirname(path),
      etag: null,
      expectedSize: size,
    };
    const job: Job = { download, abort: new AbortController(), entry, lastEmitted: 0 };
    this.#jobs.set(id, job);
    this.#emit(job, true);
    return download;
  }

  /** The same recording, into the same folder, still queued or running: one download is enough. */
  #activeFor(entry: JournalEntry): Download | null {
    for (const job of this.#jobs.values()) {
      const { state } = job.download;
      if (
        job.entry.key === entry.key &&
        job.entry.dir === entry.dir &&
        (state === 'queued' || state === 'running')
      )
        return job.download;
    }
    return null;
  }

  /**
   * The recording is already in the folder (saved earlier, in this session or another): answers a
   * finished download of that file instead of writing a copy.
   */
  #alreadySaved(entry: JournalEntry): Download | null {
    const earlier = [...this.#jobs.values()]
      .reverse()
      .find(
        (job) =>
          job.entry.key === entry.key &&
          job.download.state === 'finished' &&
          dirname(job.download.path) === entry.dir &&
          sameRecording(job.download.path, entry),
      );
    if (earlier) {
      this.#update(earlier, { alreadySaved: true });
      return earlier.download;
    }
    const path = join(entry.dir, entry.fileName);
    if (!sameRecording(path, entry)) return null;
    const size = entry.expectedSize ?? statSync(path).size;
    const job: Job = {
      download: {
        id: entry.id,
        interactionId: entry.interactionId,
        key: entry.key,
        fileName: entry.fileName,
        path,
        state: 'finished',
        receivedBytes: size,
        totalBytes: size,
        error: null,
        kind: 'recording',
        alreadySaved: true,
      },
      abort: new AbortController(),
      entry,
      lastEmitted: 0,
    };
    this.#jobs.set(entry.id, job);
    this.#emit(job, true);
    return job.download;
  }

  /** Picks up the downloads a crash or a quit interrupted, from where their partial files stop. */
  resumeInterrupted(): Download[] {
    const resumed = this.#readJournal()
      .filter((entry) => !this.#jobs.has(entry.id))
      .map((entry) => this.#enqueue(entry));
    this.#pump();
    return resumed;
  }

  cancel(id: string): Download {
    const job = this.#job(id);
    if (job.download.state === 'queued' || job.download.state === 'running') {
      job.abort.abort();
      if (job.download.state === 'queued') {
        this.#queue.splice(this.#queue.indexOf(job), 1);
        removePartial(partFileOf(job.entry));
        this.#update(job, { state: 'cancelled' });
        this.#saveJournal();
      }
    }
    return job.download;
  }

  list(): Download[] {
    return [...this.#jobs.values()].map((job) => job.download);
  }

  async reveal(id: string): Promise<boolean> {
    const job = this.#job(id);
    if (job.download.state !== 'finished') {
      throw new ServiceError('conflict', `${job.download.fileName} is not finished yet.`);
    }
    return this.#options.reveal(job.download.path);
  }

  /**
   * Stops every download because the app is closing: partial files and the journal stay, so the
   * next start resumes them.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#queue.length = 0;
    for (const job of this.#jobs.values()) job.abort.abort();
  }

  #closing = false;

  #enqueue(entry: JournalEntry): Download {
    const download: Download = {
      id: entry.id,
      interactionId: entry.interactionId,
      key: entry.key,
      fileName: entry.fileName,
      path: join(entry.dir, entry.fileName),
      state: 'queued',
      receivedBytes: 0,
      totalBytes: entry.expectedSize,
      error: null,
      kind: 'recording',
    };
    const job: Job = { download, abort: new AbortController(), entry, lastEmitted: 0 };
    this.#jobs.set(entry.id, job);
    this.#queue.push(job);
    this.#emit(job, true);
    return download;
  }

  #job(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw new ServiceError('not_found', 'No such download (it may be from before a restart).');
    return job;
  }

  #pump(): void {
    const limit = this.#options.concurrency ?? 3;
    while (this.#running < limit && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running += 1;
      void this.#run(job).finally(() => {
        this.#running -= 1;
        if (!this.#closing) this.#pump();
      });
    }
  }

  async #run(job: Job): Promise<void> {
    const { dir } = job.entry;
    const part = partFileOf(job.entry);
    this.#update(job, { state: 'running' });
    try {
      mkdirSync(dir, { recursive: true });
      const etag = job.entry.etag?.toLowerCase() ?? null;
      const verifiable = etag !== null && /^[0-9a-f]{32}$/.test(etag); // multipart ETags are not MD5s
      let { received, md5 } = await this.#receive(job, part);
      if (verifiable && md5 !== etag && received > 0) {
        // Pieces joined across a resume do not make the recording: fetch it whole, once.
        removePartial(part);
        ({ received, md5 } = await this.#receive(job, part));
      }
      if (verifiable && md5 !== etag) {
        throw new FinalDownloadError(
          's3_unavailable',
          'The downloaded bytes do not match the recording in S3 (MD5). Try again.',
        );
      }
      const path = placeWithoutOverwriting(part, join(dir, job.entry.fileName));
      this.#update(job, { state: 'finished', path, fileName: basename(path), receivedBytes: received });
    } catch (error) {
      if (this.#closing) return; // the partial file and the journal entry stay for the next start
      removePartial(part);
      if (job.abort.signal.aborted) {
        this.#update(job, { state: 'cancelled' });
      } else {
        this.#update(job, { state: 'failed', error: describeDownloadError(error, dir) });
      }
    }
    this.#saveJournal();
  }

  /**
   * Streams the object into the partial file. A dropped connection or a short answer is followed by
   * a ranged request for the rest, after a backoff with jitter; a partial file left by a crash is
   * continued the same way. Resolves with the size and MD5 of the whole file.
   */
  async #receive(job: Job, part: string): Promise<{ received: number; md5: string }> {
    // Left by an earlier run: its bytes count, and go into the checksum.
    let { received, md5 } = await readPartial(part);
    const maxAttempts = this.#options.maxAttempts ?? 4;
    let total = job.entry.expectedSize;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) {
        // A cancel ends the wait at once; the run's catch sees the aborted signal and says cancelled.
        await waitBeforeRetry(
          fullJitterDelay(attempt - 1, this.#options.retryDelayMs ?? 250),
          job.abort.signal,
        );
      }
      if (total !== null && received === total) break;
      try {
        const range = received > 0 ? `bytes=${received}-` : undefined;
        const object = await this.#options.library().open(job.entry.key, job.abort.signal, range);
        if (received > 0 && object.status !== 206) {
          // The server sent the whole object after all: start the file again.
          received = 0;
          md5.destroy();
          return this.#restart(job, part, object);
        }
        total = totalOf(object) ?? total;
        this.#update(job, { totalBytes: total });
        received = await this.#append(job, part, object, md5, received);
        if (total === null || received >= total) break;
        // Bytes still buffered for the file when the connection dropped were lost with it: the
        // next range starts where the file on disk ends, and the checksum covers just that.
        ({ received, md5 } = await readPartial(part));
        lastError = null;
      } catch (error) {
        if (job.abort.signal.aborted || error instanceof FinalDownloadError || isRefusal(error)) throw error;
        lastError = error;
        ({ received, md5 } = await readPartial(part));
      }
    }
    if (total !== null && received !== total) {
      if (lastError !== null) throw lastError;
      throw new ServiceError(
        's3_unavailable',
        `The download stopped early (${received} of ${total} bytes). Try again.`,
      );
    }
    return { received, md5: md5.digest('hex') };
  }

  /** A full answer where a range was asked for: the partial file is replaced from the start. */
  async #restart(
    job: Job,
    part: string,
    object: RecordingObject,
  ): Promise<{ received: number; md5: string }> {
    const md5 = createHash('md5');
    rmSync(part, { force: true });
    const total = totalOf(object) ?? job.entry.expectedSize;
    this.#update(job, { totalBytes: total });
    const received = await this.#append(job, part, object, md5, 0);
    if (total !== null && received !== total) {
      throw new ServiceError(
        's3_unavailable',
        `The download stopped early (${received} of ${total} bytes). Try again.`,
      );
    }
    return { received, md5: md5.digest('hex') };
  }

  async #append(job: Job, part: string, object: RecordingObject, md5: Hash, from: number): Promise<number> {
    let received = from;
    const count = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        received += chunk.length;
        md5.update(chunk);
        this.#update(job, { receivedBytes: received }, false);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        object.body,
        count,
        createWriteStream(part, { flags: from > 0 ? 'a' : 'w', mode: 0o644 }),
        {
          signal: job.abort.signal,
        },
      );
    } catch (error) {
      // What arrived before the drop is on disk; the caller resumes from there.
      if (isDiskError(error)) throw error;
      if (!job.abort.signal.aborted) return received;
      throw error;
    }
    return received;
  }

  #readJournal(): JournalEntry[] {
    const file = this.#options.journalFile;
    if (!file || !existsSync(file)) return [];
    try {
      const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return Array.isArray(entries) ? entries.filter(isJournalEntry) : [];
    } catch {
      return []; // an unreadable journal only means nothing is resumed
    }
  }

  #saveJournal(): void {
    const file = this.#options.journalFile;
    if (!file) return;
    const unfinished = [...this.#jobs.values()]
      .filter((job) => job.download.state === 'queued' || job.download.state === 'running')
      .map((job) => job.entry);
    try {
      writeFileAtomically(file, JSON.stringify(unfinished));
    } catch {
      // Without a journal a crash loses only the resumption, not the download itself.
    }
  }

  #update(job: Job, change: Partial<Download>, always = true): void {
    job.download = { ...job.download, ...change };
    this.#emit(job, always);
  }

  #emit(job: Job, always: boolean): void {
    const now = Date.now();
    if (!always && now - job.lastEmitted < (this.#options.progressInterval ?? 100)) return;
    job.lastEmitted = now;
    this.#options.onProgress(job.download);
  }
}

/** The size and running MD5 of what a partial file holds (nothing when there is none). */
async function readPartial(part: string): Promise<{ received: number; md5: Hash }> {
  const md5 = createHash('md5');
  let received = 0;
  if (existsSync(part)) {
    for await (const chunk of createReadStream(part)) {
      md5.update(chunk as Buffer);
      received += (chunk as Buffer).length;
    }
  }
  return { received, md5 };
}

function partFileOf(entry: JournalEntry): string {
  return join(entry.dir, `.${entry.id}${PART_SUFFIX}`);
}

/** The object's whole size: from `Content-Range` (`bytes 100-199/1000`) or the length of a full answer. */
function totalOf(object: RecordingObject): number | null {
  const match = object.contentRange ? /\/(\d+)$/.exec(object.contentRange) : null;
  if (match) return Number(match[1]);
  return object.status === 200 ? object.contentLength : null;
}

function isRefusal(error: unknown): boolean {
  return error instanceof ServiceError && (error.code === 's3_refused' || error.code === 'not_found');
}

function isDiskError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    ['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'ENOTDIR', 'EISDIR'].includes(code)
  );
}

function isJournalEntry(value: unknown): value is JournalEntry {
  const entry = value as Partial<JournalEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    /^[0-9a-f-]{36}$/.test(entry.id) &&
    typeof entry.key === 'string' &&
    typeof entry.fileName === 'string' &&
    typeof entry.dir === 'string'
  );
}

/**
 * Moves the finished partial file to `wanted`, or to `name (2).mp4`, `name (3).mp4`… when that is
 * taken. A hard link fails rather than replace an existing file, so no race overwrites one.
 */
export function placeWithoutOverwriting(part: string, wanted: string): string {
  const extension = extname(wanted);
  const stem = wanted.slice(0, wanted.length - extension.length);
  for (let n = 1; n < 1000; n += 1) {
    const candidate = n === 1 ? wanted : `${stem} (${n})${extension}`;
    try {
      linkSync(part, candidate);
      unlinkSync(part);
      return candidate;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (existsSync(candidate)) continue;
      renameSync(part, candidate);
      return candidate;
    }
  }
  throw new ServiceError(
    'conflict',
    `Too many files named like ${basename(wanted)} in the downloads folder.`,
  );
}

/**
 * Whether the file at `path` is this recording: its size is the object's and, when the ETag is a
 * single-part MD5, so is its checksum. Without a known size nothing is assumed (a copy is written).
 */
function sameRecording(path: string, entry: JournalEntry): boolean {
  let stat;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch {
    return false; // the folder is not usable: the download itself will say why
  }
  if (!stat?.isFile() || entry.expectedSize === null || stat.size !== entry.expectedSize) return false;
  const etag = entry.etag?.toLowerCase() ?? null;
  if (etag === null || !/^[0-9a-f]{32}$/.test(etag)) return true;
  try {
    return createHash('md5').update(readFileSync(path)).digest('hex') === etag;
  } catch {
    return false;
  }
}

/** Removes a partial file; when the folder itself is unusable (ENOTDIR…) there is nothing to remove. */
function removePartial(part: string): void {
  try {
    rmSync(part, { force: true });
  } catch {
    // Reported through the download's own error; a failed clean-up must not leave it "running".
  }
}

function describeDownloadError(error: unknown, dir: string): string {
  if (error instanceof ServiceError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOSPC') return `The disk is full (${dir}). Free some space and try again.`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `No permission to write to ${dir}. Choose another downloads folder in Settings.`;
  }
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return `The downloads folder ${dir} is not usable. Choose another in Settings.`;
  return `The download failed: ${error instanceof Error ? error.message : String(error)}`;
}
