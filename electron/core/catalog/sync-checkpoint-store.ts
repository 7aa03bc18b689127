import type { CatalogDatabase } from './open-catalog.ts';

/** A sync run that did not complete, as the next run resumes it. */
export interface UnfinishedRun {
  readonly id: number;
  /** Unix ms when it first started: recordings not listed since then are the ones to remove. */
  readonly startedAt: number;
  readonly state: 'running' | 'cancelled' | 'failed';
  /** Key prefixes of the folders it completed. */
  readonly doneFolders: ReadonlySet<string>;
  /** A flat listing's place: every folder up to this key is done (null: start from the top). */
  readonly resumeAfter: string | null;
}

/** What the catalog holds of one recording, for comparing with a fresh listing. */
export interface CataloguedObject {
  readonly key: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly lastModified: number | null;
  readonly manifestEtag: string | null;
}

/** Since when the catalog holds a date folder's listing (unix ms; null: never). */
export interface FolderListing {
  readonly listed: number | null;
  readonly synced: number | null;
}

/** Successful runs kept (without their folder lists) as a history; older ones are deleted. */
const RUNS_KEPT = 20;
/** `YYYY/MM/DD/`: the length of a date folder's name under the prefix. */
const DATE_FOLDER_LENGTH = 11;

/**
 * The sync's own reads and writes of the catalog (migration 005): run checkpoints, the catalog's
 * view of a folder (to list only what changed), and the manifest ETags. Recordings themselves are
 * written through CatalogStore, which keeps interactions linked.
 */
export class SyncCheckpointStore {
  readonly #db: CatalogDatabase;
  readonly #statements;

  constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#statements = {
      unfinishedRun: db.prepare<
        [],
        {
          id: number;
          location: string;
          started_at: number;
          state: UnfinishedRun['state'];
          resume_after: string | null;
        }
      >(
        `SELECT id, location, started_at, state, resume_after FROM sync_runs
          WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`,
      ),
      doneFolders: db.prepare<[number], { folder: string }>(
        'SELECT folder FROM sync_folders WHERE run_id = ?',
      ),
      abandonRuns: db.prepare<[]>(
        "UPDATE sync_runs SET state = 'failed', finished_at = started_at WHERE finished_at IS NULL",
      ),
      insertRun: db.prepare<[string, number]>(
        "INSERT INTO sync_runs (location, started_at, state) VALUES (?, ?, 'running')",
      ),
      setState: db.prepare<[string, number]>('UPDATE sync_runs SET state = ? WHERE id = ?'),
      finishRun: db.prepare<[number, number]>(
        "UPDATE sync_runs SET state = 'succeeded', finished_at = ? WHERE id = ?",
      ),
      folderDone: db.prepare<[number, string, number]>(
        'INSERT OR REPLACE INTO sync_folders (run_id, folder, done_at) VALUES (?, ?, ?)',
      ),
      forgetFolders: db.prepare<[]>(
        'DELETE FROM sync_folders WHERE run_id IN (SELECT id FROM sync_runs WHERE finished_at IS NOT NULL)',
      ),
      pruneRuns: db.prepare<[number]>(
        'DELETE FROM sync_runs WHERE finished_at IS NOT NULL AND id NOT IN (SELECT id FROM sync_runs ORDER BY id DESC LIMIT ?)',
      ),
      // A key range rather than LIKE: it uses the unique index on key.
      folderObjects: db.prepare<
        [string, string],
        {
          key: string;
          size: number | null;
          etag: string | null;
          last_modified: number | null;
          manifest_etag: string | null;
        }
      >(
        `SELECT key, size, etag, last_modified, manifest_etag FROM recordings
          WHERE key >= ? AND key < ?`,
      ),
      dateFolders: db.prepare<[number, string, string], { folder: string }>(
        'SELECT DISTINCT substr(key, 1, ?) AS folder FROM recordings WHERE key >= ? AND key < ?',
      ),
      setManifestEtag: db.prepare<[string | null, string]>(
        'UPDATE recordings SET manifest_etag = ? WHERE key = ?',
      ),
      setResumeAfter: db.prepare<[string, number]>('UPDATE sync_runs SET resume_after = ? WHERE id = ?'),
      folderListed: db.prepare<[string, string, number, number | null]>(
        `INSERT INTO listed_folders (location, folder, listed_at, synced_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (location, folder) DO UPDATE SET listed_at = max(listed_at, excluded.listed_at),
           synced_at = coalesce(max(synced_at, excluded.synced_at), synced_at, excluded.synced_at)`,
      ),
      listing: db.prepare<[string, string], { listed_at: number; synced_at: number | null }>(
        'SELECT listed_at, synced_at FROM listed_folders WHERE location = ? AND folder = ?',
      ),
      lastCompleteListing: db
        .prepare<[string], number>(
          `SELECT max(started_at) FROM sync_runs WHERE location = ? AND state = 'succeeded'`,
        )
        .pluck(),
    };
  }

  /**
   * The run to resume: the newest one, if it did not complete and lists this location. A run of
   * another location is never resumed (the catalog forgot that location's recordings when it
   * changed, so its "done" folders no longer are); the next startRun gives it up.
   */
  unfinishedRun(location: string): UnfinishedRun | null {
    const run = this.#statements.unfinishedRun.get();
    if (!run || run.location !== location) return null;
    const doneFolders = new Set(this.#statements.doneFolders.all(run.id).map((row) => row.folder));
    return {
      id: run.id,
      startedAt: run.started_at,
      state: run.state,
      doneFolders,
      resumeAfter: run.resume_after,
    };
  }

  /** Records a new run (any unfinished one is given up). Returns its id. */
  startRun(location: string, startedAt: number): number {
    return this.#db
      .transaction(() => {
        this.#statements.abandonRuns.run();
        this.#statements.forgetFolders.run();
        return Number(this.#statements.insertRun.run(location, startedAt).lastInsertRowid);
      })
      .immediate();
  }

  /** Marks a run as running again (resumed), or as cancelled or failed (resumable). */
  setRunState(runId: number, state: UnfinishedRun['state']): void {
    this.#statements.setState.run(state, runId);
  }

  markFolderDone(runId: number, folder: string, at: number): void {
    this.#statements.folderDone.run(runId, folder, at);
  }

  /** A flat listing wrote every folder up to `key`: a resumed run lists what comes after it. */
  setResumeAfter(runId: number, key: string): void {
    this.#statements.setResumeAfter.run(key, runId);
  }

  /** `folder` of `location` was listed whole, from `at` (unix ms) on; by a sync's run or not. */
  markFolderListed(location: string, folder: string, at: number, bySync: boolean): void {
    this.#statements.folderListed.run(location, folder, at, bySync ? at : null);
  }

  /**
   * Since when (unix ms) the catalog holds everything `folder` had: `listed`, by any listing of it
   * (null: never listed); `synced`, by a sync's. Either way the start of the last complete sync
   * counts too: it listed every folder there was (one it did not find was empty then).
   */
  folderListing(location: string, folder: string): FolderListing {
    const own = this.#statements.listing.get(location, folder);
    const complete = this.#statements.lastCompleteListing.get(location) ?? null;
    const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
    return {
      listed: latest(own?.listed_at ?? null, complete),
      synced: latest(own?.synced_at ?? null, complete),
    };
  }

  /** The run completed: it will not be resumed, and its folder list is no longer needed. */
  finishRun(runId: number, at: number): void {
    this.#db
      .transaction(() => {
        this.#statements.finishRun.run(at, runId);
        this.#statements.forgetFolders.run();
        this.#statements.pruneRuns.run(RUNS_KEPT);
      })
      .immediate();
  }

  /** Runs `write` in one transaction (a folder's catalog writes and its checkpoint, together). */
  atomically<T>(write: () => T): T {
    return this.#db.transaction(write).immediate();
  }

  /** What the catalog holds under a folder's key prefix. */
  cataloguedIn(folder: string): Map<string, CataloguedObject> {
    const rows = this.#statements.folderObjects.all(folder, prefixEnd(folder));
    return new Map(
      rows.map((row) => [
        row.key,
        {
          key: row.key,
          size: row.size,
          etag: row.etag,
          lastModified: row.last_modified,
          manifestEtag: row.manifest_etag,
        },
      ]),
    );
  }

  /** The date folders (`{prefix}YYYY/MM/DD/`) the catalog has recordings in. */
  cataloguedDateFolders(prefix: string): string[] {
    // substr counts characters, not UTF-16 units.
    const length = [...prefix].length + DATE_FOLDER_LENGTH;
    return this.#statements.dateFolders.all(length, prefix, prefixEnd(prefix)).map((row) => row.folder);
  }

  setManifestEtag(recordingKey: string, etag: string | null): void {
    this.#statements.setManifestEtag.run(etag, recordingKey);
  }
}

/**
 * The smallest string greater than every string starting with `prefix` (its last character
 * incremented); for the empty prefix, one above any key.
 */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
