import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Download } from '../../../../shared/contract.ts';
import {
  DownloadManager,
  placeWithoutOverwriting,
  type DownloadLibrary,
} from '../../../../electron/core/downloads/download-manager.ts';
import type { RecordingObject } from '../../../../electron/core/s3/recording-object.ts';
import { ServiceError } from '../../../../electron/core/service-error.ts';

const LOUIS_FILE = 'Louis Smith_15103455686_2025-08-08_114445.mp4';

/** A recording the fake library serves: its bytes, and how the object in "S3" describes them. */
interface FakeRecording {
  readonly bytes: Buffer;
  readonly fileName?: string;
  /** Defaults to the MD5 of the bytes, as S3 gives for a single-part upload. */
  readonly etag?: string | null;
  /** Defaults to the number of bytes. */
  readonly contentLength?: number | null;
  /** Defaults to the bytes in three chunks. */
  readonly body?: () => Readable;
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** Bytes that differ at every offset, so a dropped or repeated chunk cannot go unnoticed. */
function recordingBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

function inThreeChunks(bytes: Buffer): Readable {
  const third = Math.ceil(bytes.length / 3);
  return Readable.from([
    bytes.subarray(0, third),
    bytes.subarray(third, 2 * third),
    bytes.subarray(2 * third),
  ]);
}

/** A body that delivers its first chunk and then hangs, like a stalled connection. */
function stalledBody(first: Buffer): () => Readable {
  return () => {
    const body = new Readable({ read() {} });
    body.push(first);
    return body;
  };
}

let root: string;
let downloadsDir: string;
let events: Download[];
let revealed: string[];
let opened: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tapedeck-downloads-'));
  downloadsDir = join(root, 'Downloads');
  events = [];
  revealed = [];
  opened = [];
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function fakeLibrary(recordings: Record<string, FakeRecording>): DownloadLibrary {
  const keyOf = (id: string) => `egress-recordings/2025/08/08/${id}.mp4`;
  const byKey = new Map(Object.entries(recordings).map(([id, recording]) => [keyOf(id), recording]));
  return {
    recordingOf: (interactionId) => {
      const recording = recordings[interactionId];
      if (!recording) return null;
      return {
        interactionId,
        key: keyOf(interactionId),
        size: recording.bytes.length,
        etag: recording.etag === undefined ? md5(recording.bytes) : recording.etag,
        fileName: recording.fileName ?? LOUIS_FILE,
      };
    },
    open: async (key): Promise<RecordingObject> => {
      const recording = byKey.get(key);
      if (!recording) throw new Error(`no object ${key}`);
      opened.push(key);
      return {
        status: 200,
        body: recording.body ? recording.body() : inThreeChunks(recording.bytes),
        contentLength:
          recording.contentLength === undefined ? recording.bytes.length : recording.contentLength,
        contentRange: null,
        etag: recording.etag === undefined ? md5(recording.bytes) : recording.etag,
        contentType: 'audio/mp4',
      };
    },
  };
}

function managerOf(
  recordings: Record<string, FakeRecording>,
  options: { dir?: string; concurrency?: number } = {},
): DownloadManager {
  const library = fakeLibrary(recordings);
  return new DownloadManager({
    library: () => library,
    downloadsDir: () => options.dir ?? downloadsDir,
    onProgress: (download) => events.push(download),
    reveal: async (path) => {
      revealed.push(path);
      return true;
    },
    concurrency: options.concurrency ?? 3,
    progressInterval: 0,
  });
}

const TERMINAL: readonly Download['state'][] = ['finished', 'failed', 'cancelled'];

async function settled(manager: DownloadManager, id: string): Promise<Download> {
  return vi.waitFor(
    () => {
      const download = manager.list().find((candidate) => candidate.id === id);
      if (!download || !TERMINAL.includes(download.state)) throw new Error(`download ${id} still going`);
      return download;
    },
    { timeout: 5000, interval: 5 },
  );
}

async function running(id: string): Promise<void> {
  await vi.waitFor(
    () => {
      const started = events.some((event) => event.id === id && event.receivedBytes > 0);
      if (!started) throw new Error(`download ${id} has received nothing yet`);
    },
    { timeout: 5000, interval: 5 },
  );
}

function onlyDownload(result: { downloads: Download[] }): Download {
  expect(result.downloads).toHaveLength(1);
  return result.downloads[0]!;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('downloading a recording', () => {
  it('saves the exact bytes under the download name, creating the downloads folder', async () => {
    const bytes = recordingBytes(150_000);
    const manager = managerOf({ louis: { bytes } });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(download.state).toBe('finished');
    expect(download.path).toBe(join(downloadsDir, LOUIS_FILE));
    expect(download.fileName).toBe(LOUIS_FILE);
    expect(readFileSync(download.path).equals(bytes)).toBe(true);
    expect(readdirSync(downloadsDir)).toEqual([LOUIS_FILE]);
  });

  it('reports progress from queued to finished, ending with every byte received', async () => {
    const bytes = recordingBytes(90_000);
    const manager = managerOf({ louis: { bytes } });
    const { id } = onlyDownload(manager.start(['louis']));
    await settled(manager, id);

    const mine = events.filter((event) => event.id === id);
    expect(mine[0]).toMatchObject({ state: 'queued', receivedBytes: 0, totalBytes: bytes.length });
    expect(mine.at(-1)).toMatchObject({
      state: 'finished',
      receivedBytes: bytes.length,
      totalBytes: bytes.length,
      error: null,
    });
    const received = mine.map((event) => event.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(mine.some((event) => event.state === 'running' && event.receivedBytes > 0)).toBe(true);
    expect(mine.some((event) => event.receivedBytes > 0 && event.receivedBytes < bytes.length)).toBe(true);
  });

  it('never overwrites a file of the same name: the new one becomes "name (2).mp4"', async () => {
    const bytes = recordingBytes(4096);
    const manager = managerOf({ louis: { bytes } });
    mkdirSync(downloadsDir);
    writeFileSync(join(downloadsDir, LOUIS_FILE), 'the file the user already had');

    const second = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(second.fileName).toBe('Louis Smith_15103455686_2025-08-08_114445 (2).mp4');
    expect(second.path).toBe(join(downloadsDir, second.fileName));
    expect(readFileSync(second.path).equals(bytes)).toBe(true);
    expect(readFileSync(join(downloadsDir, LOUIS_FILE), 'utf8')).toBe('the file the user already had');
  });

  it('answers a call already downloading with that download, not a second copy', async () => {
    const bytes = recordingBytes(120_000);
    const manager = managerOf({ louis: { bytes } });
    const first = onlyDownload(manager.start(['louis']));
    const second = onlyDownload(manager.start(['louis']));
    expect(second.id).toBe(first.id);
    const done = await settled(manager, first.id);

    expect(done.state).toBe('finished');
    expect(readdirSync(downloadsDir)).toEqual([LOUIS_FILE]);
    expect(manager.list()).toHaveLength(1);
  });

  it('a recording already saved is answered as saved, at its path, and nothing is written again', async () => {
    const bytes = recordingBytes(30_000);
    const manager = managerOf({ louis: { bytes } });
    const first = await settled(manager, onlyDownload(manager.start(['louis'])).id);
    expect(first.alreadySaved).toBeUndefined();
    opened.length = 0;

    const again = onlyDownload(manager.start(['louis']));
    expect(again).toMatchObject({ state: 'finished', alreadySaved: true, path: first.path, id: first.id });
    expect(opened).toEqual([]); // S3 was not asked again
    expect(readdirSync(downloadsDir)).toEqual([LOUIS_FILE]);
    await manager.reveal(again.id);
    expect(revealed).toEqual([first.path]);
  });

  it('recognises a file saved before a restart by its size and MD5, and only that one', async () => {
    const bytes = recordingBytes(20_000);
    mkdirSync(downloadsDir);
    writeFileSync(join(downloadsDir, LOUIS_FILE), bytes);
    const manager = managerOf({ louis: { bytes } });
    const again = onlyDownload(manager.start(['louis']));
    expect(again).toMatchObject({ state: 'finished', alreadySaved: true, fileName: LOUIS_FILE });
    expect(opened).toEqual([]);

    // Same name and size, other bytes: a different recording, so a copy is written beside it.
    const other = Buffer.from(bytes);
    other[0] = (other[0] ?? 0) ^ 0xff;
    writeFileSync(join(downloadsDir, LOUIS_FILE), other);
    const fresh = managerOf({ louis: { bytes } });
    const copy = await settled(fresh, onlyDownload(fresh.start(['louis'])).id);
    expect(copy.alreadySaved).toBeUndefined();
    expect(copy.fileName).toBe('Louis Smith_15103455686_2025-08-08_114445 (2).mp4');
    expect(readFileSync(copy.path).equals(bytes)).toBe(true);
  });

  it('lists a CSV export as a finished download of kind "export", and can reveal it', async () => {
    const manager = managerOf({});
    mkdirSync(downloadsDir);
    const path = join(downloadsDir, 'tapedeck-calls-2025-08-09-101500.csv');
    writeFileSync(path, 'interaction_id\r\nabc\r\n');
    const download = manager.recordExport(path, 1);
    expect(download).toMatchObject({
      kind: 'export',
      state: 'finished',
      fileName: 'tapedeck-calls-2025-08-09-101500.csv',
      path,
      rows: 1,
      totalBytes: 21,
    });
    expect(events.at(-1)).toEqual(download);
    expect(manager.list()).toEqual([download]);
    await manager.reveal(download.id);
    expect(revealed).toEqual([path]);
  });

  it('downloads a call selected twice in one request once', () => {
    const manager = managerOf({ louis: { bytes: recordingBytes(10) } });
    expect(manager.start(['louis', 'louis']).downloads).toHaveLength(1);
  });
});

describe('a download that goes wrong', () => {
  it('fails on an MD5 (ETag) mismatch and leaves no file, partial or final', async () => {
    const bytes = recordingBytes(50_000);
    const manager = managerOf({ louis: { bytes, etag: md5(Buffer.from('what S3 really holds')) } });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(download.state).toBe('failed');
    expect(download.error).toBe('The downloaded bytes do not match the recording in S3 (MD5). Try again.');
    expect(readdirSync(downloadsDir)).toEqual([]);
  });

  it('skips the MD5 check for a multipart ETag, which is not an MD5 of the file', async () => {
    const bytes = recordingBytes(50_000);
    const manager = managerOf({ louis: { bytes, etag: '9b2cf535f27731c974343645a3985328-3' } });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(download.state).toBe('finished');
    expect(readFileSync(download.path).equals(bytes)).toBe(true);
  });

  it('fails when the body ends before Content-Length, and leaves nothing behind', async () => {
    const bytes = recordingBytes(30_000);
    const manager = managerOf({ louis: { bytes, etag: null, contentLength: 40_000 } });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(download.state).toBe('failed');
    expect(download.error).toBe('The download stopped early (30000 of 40000 bytes). Try again.');
    expect(readdirSync(downloadsDir)).toEqual([]);
  });

  it('fails with the folder named and a pointer to Settings when the downloads folder cannot be made', async () => {
    const aFile = join(root, 'not-a-folder');
    writeFileSync(aFile, 'a regular file');
    const dir = join(aFile, 'Downloads'); // mkdir under a file: ENOTDIR
    const manager = managerOf({ louis: { bytes: recordingBytes(100) } }, { dir });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    expect(download.state).toBe('failed');
    expect(download.error).toBe(`The downloads folder ${dir} is not usable. Choose another in Settings.`);
    expect(readFileSync(aFile, 'utf8')).toBe('a regular file');
  });
});

describe('cancelling', () => {
  it('stops a running download and removes its partial file', async () => {
    const manager = managerOf({
      louis: { bytes: recordingBytes(1_000_000), body: stalledBody(Buffer.alloc(1000)) },
    });
    const { id } = onlyDownload(manager.start(['louis']));
    await running(id);
    // The first bytes are counted before the write stream has opened its file: wait for the file.
    await vi.waitFor(
      () => expect(readdirSync(downloadsDir).some((name) => name.endsWith('.tapedeck-part'))).toBe(true),
      { timeout: 5000, interval: 5 },
    );

    manager.cancel(id);
    const download = await settled(manager, id);

    expect(download.state).toBe('cancelled');
    expect(download.error).toBeNull();
    expect(readdirSync(downloadsDir)).toEqual([]);
  });

  it('cancels a queued download at once, without ever opening it', async () => {
    const manager = managerOf(
      {
        slow: { bytes: recordingBytes(1_000_000), body: stalledBody(Buffer.alloc(1000)) },
        louis: { bytes: recordingBytes(100) },
      },
      { concurrency: 1 },
    );
    const slow = onlyDownload(manager.start(['slow']));
    const queued = onlyDownload(manager.start(['louis']));

    expect(manager.cancel(queued.id).state).toBe('cancelled');
    manager.cancel(slow.id);
    await settled(manager, slow.id);

    expect(opened).toEqual(['egress-recordings/2025/08/08/slow.mp4']);
    expect(existsSync(join(downloadsDir, LOUIS_FILE))).toBe(false);
  });

  it('answers not_found for a download it does not know', () => {
    const manager = managerOf({});
    expect(thrown(() => manager.cancel('from-before-a-restart'))).toMatchObject({ code: 'not_found' });
  });
});

describe('calls without a recording', () => {
  it('downloads the others and returns these as skipped', async () => {
    const manager = managerOf({ louis: { bytes: recordingBytes(100) } });
    const result = manager.start(['louis', 'no-recording']);

    expect(result.skipped).toEqual(['no-recording']);
    expect(result.downloads.map((download) => download.interactionId)).toEqual(['louis']);
    await settled(manager, result.downloads[0]!.id);
  });

  it('refuses a single call without a recording, suggesting a sync', () => {
    const manager = managerOf({});
    const error = thrown(() => manager.start(['no-recording']));

    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'not_found',
      message: 'This call has no recording to download (yet). Try "Sync now" if it was uploaded recently.',
    });
    expect(manager.list()).toEqual([]);
  });

  it('refuses a selection where no call has a recording, saying how many were selected', () => {
    const manager = managerOf({});
    expect(thrown(() => manager.start(['a', 'b', 'c']))).toMatchObject({
      code: 'not_found',
      message: 'None of the 3 selected calls has a recording to download.',
    });
  });
});

describe('revealing a download', () => {
  it('shows a finished download in the file manager', async () => {
    const manager = managerOf({ louis: { bytes: recordingBytes(100) } });
    const download = await settled(manager, onlyDownload(manager.start(['louis'])).id);

    await expect(manager.reveal(download.id)).resolves.toBe(true);
    expect(revealed).toEqual([join(downloadsDir, LOUIS_FILE)]);
  });

  it('refuses with conflict while the download is not finished', async () => {
    const manager = managerOf({
      louis: { bytes: recordingBytes(1_000_000), body: stalledBody(Buffer.alloc(10)) },
    });
    const { id } = onlyDownload(manager.start(['louis']));
    await running(id);

    await expect(manager.reveal(id)).rejects.toMatchObject({
      code: 'conflict',
      message: `${LOUIS_FILE} is not finished yet.`,
    });
    expect(revealed).toEqual([]);
    manager.cancel(id);
    await settled(manager, id);
  });
});

describe('placeWithoutOverwriting', () => {
  it('takes the wanted name, then "(2)", then "(3)", keeping every earlier file', () => {
    const wanted = join(root, 'call.mp4');
    const placed = ['first', 'second', 'third'].map((content) => {
      const part = join(root, `.${content}.tapedeck-part`);
      writeFileSync(part, content);
      const path = placeWithoutOverwriting(part, wanted);
      expect(existsSync(part)).toBe(false);
      return path;
    });

    expect(placed).toEqual([wanted, join(root, 'call (2).mp4'), join(root, 'call (3).mp4')]);
    expect(placed.map((path) => readFileSync(path, 'utf8'))).toEqual(['first', 'second', 'third']);
  });

  it('fills the first free number rather than counting past a gap', () => {
    writeFileSync(join(root, 'call.mp4'), 'old');
    writeFileSync(join(root, 'call (3).mp4'), 'old three');
    const part = join(root, '.x.tapedeck-part');
    writeFileSync(part, 'new');

    expect(placeWithoutOverwriting(part, join(root, 'call.mp4'))).toBe(join(root, 'call (2).mp4'));
    expect(readFileSync(join(root, 'call (3).mp4'), 'utf8')).toBe('old three');
  });
});

describe('resuming', () => {
  /** A library that answers Range requests as S3 does, and records them. */
  function rangedLibrary(
    bytes: Buffer,
    ranges: (string | undefined)[],
    firstBody?: () => Readable,
  ): DownloadLibrary {
    let opens = 0;
    return {
      recordingOf: (interactionId) => ({
        interactionId,
        key: 'egress-recordings/2025/08/08/call.mp4',
        size: bytes.length,
        etag: md5(bytes),
        fileName: LOUIS_FILE,
      }),
      open: async (_key, _signal, range) => {
        opens += 1;
        ranges.push(range);
        const from = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
        const rest = bytes.subarray(from);
        return {
          status: range ? 206 : 200,
          body: opens === 1 && firstBody ? firstBody() : inThreeChunks(rest),
          contentLength: rest.length,
          contentRange: range ? `bytes ${from}-${bytes.length - 1}/${bytes.length}` : null,
          etag: md5(bytes),
          contentType: 'audio/mp4',
        };
      },
    };
  }

  it('continues after a quit from where the partial file stops, with a Range, and verifies the whole file', async () => {
    const bytes = recordingBytes(50_000);
    const journalFile = join(root, 'downloads-journal.json');
    const ranges: (string | undefined)[] = [];
    const first = new DownloadManager({
      library: () => rangedLibrary(bytes, ranges, stalledBody(bytes.subarray(0, 20_000))),
      downloadsDir: () => downloadsDir,
      onProgress: (download) => events.push(download),
      reveal: async () => true,
      journalFile,
      progressInterval: 0,
    });
    const [started] = first.start(['call']).downloads;
    await vi.waitFor(() => {
      const current = first.list()[0]!;
      if (current.receivedBytes < 20_000) throw new Error('not yet');
    });
    await first.close(); // the app quits (or crashes) mid-download
    const parts = readdirSync(downloadsDir).filter((name) => name.endsWith('.tapedeck-part'));
    expect(parts).toHaveLength(1);
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([
      expect.objectContaining({ id: started!.id }),
    ]);

    const second = new DownloadManager({
      library: () => rangedLibrary(bytes, ranges),
      downloadsDir: () => downloadsDir,
      onProgress: (download) => events.push(download),
      reveal: async () => true,
      journalFile,
      progressInterval: 0,
    });
    const [resumed] = second.resumeInterrupted();
    expect(resumed!.id).toBe(started!.id);
    const done = await settled(second, started!.id);
    expect(done.state).toBe('finished');
    expect(ranges).toEqual([undefined, 'bytes=20000-']);
    expect(readFileSync(join(downloadsDir, LOUIS_FILE)).equals(bytes)).toBe(true);
    expect(readdirSync(downloadsDir)).toEqual([LOUIS_FILE]);
    expect(JSON.parse(readFileSync(journalFile, 'utf8'))).toEqual([]);
  });

  it('fetches the whole recording again when a partial file left behind does not match it (MD5)', async () => {
    const bytes = recordingBytes(30_000);
    const journalFile = join(root, 'downloads-journal.json');
    const id = '0f0f0f0f-0000-4000-8000-000000000001';
    mkdirSync(downloadsDir, { recursive: true });
    writeFileSync(join(downloadsDir, `.${id}.tapedeck-part`), Buffer.alloc(10_000, 7)); // wrong bytes
    writeFileSync(
      journalFile,
      JSON.stringify([
        {
          id,
          interactionId: 'call',
          key: 'k.mp4',
          fileName: LOUIS_FILE,
          dir: downloadsDir,
          etag: md5(bytes),
          expectedSize: bytes.length,
        },
      ]),
    );
    const ranges: (string | undefined)[] = [];
    const retried = new DownloadManager({
      library: () => rangedLibrary(bytes, ranges),
      downloadsDir: () => downloadsDir,
      onProgress: () => {},
      reveal: async () => true,
      journalFile,
    });
    retried.resumeInterrupted();
    const done = await settled(retried, id);
    expect(done.state).toBe('finished');
    expect(ranges).toEqual(['bytes=10000-', undefined]);
    expect(readFileSync(join(downloadsDir, LOUIS_FILE)).equals(bytes)).toBe(true);
    expect(readdirSync(downloadsDir)).toEqual([LOUIS_FILE]);
  });
});
