import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, mkdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../../../shared/contract.ts';
import type { CallRecording } from '../catalog/call-queries.ts';
import type { RecordingObject } from '../s3/recording-object.ts';
import { ServiceError } from '../service-error.ts';

/** What the manager needs of the library that is open now. */
export interface DownloadLibrary {
  recordingOf(interactionId: string): CallRecording | null;
  open(key: string, signal: AbortSignal): Promise<RecordingObject>;
}

export interface DownloadManagerOptions {
  readonly library: () => DownloadLibrary;
  readonly downloadsDir: () => string;
  readonly onProgress: (download: Download) => void;
  readonly reveal: (path: string) => Promise<boolean>;
  readonly concurrency?: number;
  /** Progress events per download at most this often (ms); state changes always go out. */
  readonly progressInterval?: number;
}

interface Job {
  download: Download;
  readonly abort: AbortController;
  readonly etag: string | null;
  readonly expectedSize: number | null;
  lastEmitted: number;
}

const PART_SUFFIX = '.tapedeck-part';

/**
 * Saves recordings to the downloads folder: streamed to a hidden partial file, checked (size, and
 * MD5 against a single-part ETag), then linked into place under a name that was free, so a file is
 * never overwritten and never appears half-written under its final name.
 */
export class DownloadManager {
  readonly #options: DownloadManagerOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #queue: Job[] = [];
  #running = 0;

  constructor(options: DownloadManagerOptions) {
    this.#options = options;
  }

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
      const download: Download = {
        id: randomUUID(),
        interactionId,
        key: recording.key,
        fileName: recording.fileName,
        path: join(dir, recording.fileName),
        state: 'queued',
        receivedBytes: 0,
        totalBytes: recording.size,
        error: null,
      };
      const job: Job = {
        download,
        abort: new AbortController(),
        etag: recording.etag,
        expectedSize: recording.size,
        lastEmitted: 0,
      };
      this.#jobs.set(download.id, job);
      this.#queue.push(job);
      downloads.push(download);
      this.#emit(job, true);
    }
    if (downloads.length === 0 && skipped.length > 0) {
      throw new ServiceError(
        'not_found',
        skipped.length === 1
          ? 'This call has no recording to download (yet). Try "Sync now" if it was uploaded recently.'
          : `None of the ${skipped.length} selected calls has a recording to download.`,
      );
    }
    this.#pump();
    return { downloads, skipped };
  }

  cancel(id: string): Download {
    const job = this.#job(id);
    if (job.download.state === 'queued' || job.download.state === 'running') {
      job.abort.abort();
      if (job.download.state === 'queued') {
        this.#queue.splice(this.#queue.indexOf(job), 1);
        this.#update(job, { state: 'cancelled' });
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

  /** Stops every download (the app is closing); partial files are removed. */
  async close(): Promise<void> {
    for (const job of this.#jobs.values()) job.abort.abort();
    this.#queue.length = 0;
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
        this.#pump();
      });
    }
  }

  async #run(job: Job): Promise<void> {
    const dir = this.#options.downloadsDir();
    const part = join(dir, `.${job.download.id}${PART_SUFFIX}`);
    this.#update(job, { state: 'running' });
    try {
      mkdirSync(dir, { recursive: true });
      const object = await this.#options.library().open(job.download.key, job.abort.signal);
      const total = object.contentLength ?? job.expectedSize;
      this.#update(job, { totalBytes: total });
      const md5 = createHash('md5');
      let received = 0;
      const count = new Transform({
        transform: (chunk: Buffer, _encoding, done) => {
          received += chunk.length;
          md5.update(chunk);
          this.#update(job, { receivedBytes: received }, false);
          done(null, chunk);
        },
      });
      await pipeline(object.body, count, createWriteStream(part, { flags: 'w', mode: 0o644 }), {
        signal: job.abort.signal,
      });
      if (total !== null && received !== total) {
        throw new ServiceError(
          's3_unavailable',
          `The download stopped early (${received} of ${total} bytes). Try again.`,
        );
      }
      const etag = object.etag ?? job.etag;
      if (etag && /^[0-9a-f]{32}$/i.test(etag) && md5.digest('hex') !== etag.toLowerCase()) {
        throw new ServiceError(
          's3_unavailable',
          'The downloaded bytes do not match the recording in S3 (MD5). Try again.',
        );
      }
      const path = placeWithoutOverwriting(part, join(dir, job.download.fileName));
      this.#update(job, { state: 'finished', path, fileName: basename(path), receivedBytes: received });
    } catch (error) {
      removePartial(part);
      if (job.abort.signal.aborted) {
        this.#update(job, { state: 'cancelled' });
      } else {
        this.#update(job, { state: 'failed', error: describeDownloadError(error, dir) });
      }
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
