/**
 * The team's tables in the catalog (migration 011): the outbox and its batches, what was pulled
 * from each reviewer's folder, what was refused, the reviewers' profiles and a few facts.
 */
import type { CatalogDatabase } from '../catalog/open-catalog.ts';

export interface OutboxBatch {
  readonly key: string;
  readonly kind: 'event' | 'form';
  /** Event ids, or the one form version id, in upload order. */
  readonly items: readonly string[];
}

export interface RefusedObject {
  readonly key: string;
  readonly reason: string;
}

export interface TeamReviewerRow {
  readonly reviewer_id: string;
  readonly name: string;
  readonly arn: string | null;
}

/** How many events one upload holds at most (about 1 KB each, so at most a few MB). */
export const BATCH_MAX = 2000;

export class TeamStore {
  readonly #db: CatalogDatabase;
  readonly #sql;

  constructor(db: CatalogDatabase) {
    this.#db = db;
    this.#sql = {
      outboxCount: db.prepare<[], number>('SELECT count(*) FROM team_outbox').pluck(),
      openBatches: db
        .prepare<[], string>(
          'SELECT DISTINCT batch_key FROM team_outbox WHERE batch_key IS NOT NULL ORDER BY batch_key',
        )
        .pluck(),
      batchItems: db.prepare<[string], { kind: 'event' | 'form'; item_id: string }>(
        'SELECT kind, item_id FROM team_outbox WHERE batch_key = ? ORDER BY item_id',
      ),
      firstWaiting: db.prepare<[], { kind: 'event' | 'form'; folder: string }>(
        'SELECT kind, folder FROM team_outbox WHERE batch_key IS NULL ORDER BY seq LIMIT 1',
      ),
      waitingEvents: db
        .prepare<[string, number], number>(
          `SELECT seq FROM team_outbox WHERE batch_key IS NULL AND kind = 'event' AND folder = ?
           ORDER BY seq LIMIT ?`,
        )
        .pluck(),
      waitingForm: db.prepare<[], { seq: number; item_id: string; folder: string }>(
        `SELECT seq, item_id, folder FROM team_outbox WHERE batch_key IS NULL AND kind = 'form' ORDER BY seq LIMIT 1`,
      ),
      assign: db.prepare<[string, number]>('UPDATE team_outbox SET batch_key = ? WHERE seq = ?'),
      rekey: db.prepare<[string, string]>('UPDATE team_outbox SET batch_key = ? WHERE batch_key = ?'),
      done: db.prepare<[string]>('DELETE FROM team_outbox WHERE batch_key = ?'),
      eventBody: db.prepare<[string], string>('SELECT body FROM review_events WHERE event_id = ?').pluck(),
      formBody: db.prepare<[string], string>('SELECT body FROM form_versions WHERE version_id = ?').pluck(),
      pulled: db.prepare<[string], number>('SELECT 1 FROM team_pulled WHERE key = ?').pluck(),
      markPulled: db.prepare<[string, string]>(
        'INSERT OR IGNORE INTO team_pulled (key, folder) VALUES (?, ?)',
      ),
      prunePulled: db.prepare<[string, string]>('DELETE FROM team_pulled WHERE folder = ? AND key < ?'),
      cursor: db.prepare<[string], string>('SELECT last_key FROM team_cursors WHERE folder = ?').pluck(),
      setCursor: db.prepare<[string, string]>(
        `INSERT INTO team_cursors (folder, last_key) VALUES (?, ?)
         ON CONFLICT (folder) DO UPDATE SET last_key = max(last_key, excluded.last_key)`,
      ),
      refuse: db.prepare<[string, string, string]>(
        'INSERT OR IGNORE INTO team_refused (key, reason, at) VALUES (?, ?, ?)',
      ),
      refused: db.prepare<[number], RefusedObject>(
        'SELECT key, reason FROM team_refused ORDER BY at DESC, key LIMIT ?',
      ),
      state: db.prepare<[string], string>('SELECT value FROM team_state WHERE name = ?').pluck(),
      setState: db.prepare<[string, string]>(
        `INSERT INTO team_state (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      ),
      profile: db.prepare<[string], TeamReviewerRow>(
        'SELECT reviewer_id, name, arn FROM team_reviewers WHERE reviewer_id = ?',
      ),
      setProfile: db.prepare<[string, string, string | null]>(
        `INSERT INTO team_reviewers (reviewer_id, name, arn) VALUES (?, ?, ?)
         ON CONFLICT (reviewer_id) DO UPDATE SET name = excluded.name, arn = excluded.arn`,
      ),
      reviewers: db.prepare<
        [],
        { reviewer_id: string; reviews: number; name: string | null; arn: string | null }
      >(
        `SELECT r.reviewer_id, count(*) AS reviews, p.name, p.arn FROM reviews r
           LEFT JOIN team_reviewers p ON p.reviewer_id = r.reviewer_id
         GROUP BY r.reviewer_id ORDER BY r.reviewer_id`,
      ),
    };
  }

  get db(): CatalogDatabase {
    return this.#db;
  }

  outboxCount(): number {
    return this.#sql.outboxCount.get() ?? 0;
  }

  /**
   * The batches to upload: those given a key before (a retry, maybe after a crash: same key, same
   * content), else a new one made of the oldest waiting rows, its key chosen by `keyFor` and
   * committed before anything is uploaded. Empty when nothing waits.
   */
  nextBatch(
    keyFor: (kind: 'event' | 'form', folder: string, itemId: string, count: number) => string,
  ): OutboxBatch | null {
    return this.#db
      .transaction((): OutboxBatch | null => {
        const open = this.#sql.openBatches.all()[0];
        if (open !== undefined) return this.#batch(open);
        const first = this.#sql.firstWaiting.get();
        if (!first) return null;
        if (first.kind === 'form') {
          const form = this.#sql.waitingForm.get()!;
          const key = keyFor('form', form.folder, form.item_id, 1);
          this.#sql.assign.run(key, form.seq);
          return this.#batch(key);
        }
        const seqs = this.#sql.waitingEvents.all(first.folder, BATCH_MAX);
        const key = keyFor('event', first.folder, '', seqs.length);
        for (const seq of seqs) this.#sql.assign.run(key, seq);
        return this.#batch(key);
      })
      .immediate();
  }

  #batch(key: string): OutboxBatch {
    const rows = this.#sql.batchItems.all(key);
    return { key, kind: rows[0]?.kind ?? 'event', items: rows.map((row) => row.item_id) };
  }

  /** A batch that never reached the bucket gets a fresh key (so readers' windows cover it). */
  rekey(oldKey: string, newKey: string): void {
    this.#sql.rekey.run(newKey, oldKey);
  }

  /** The batch is in the bucket: its rows leave the outbox. */
  uploaded(key: string): void {
    this.#sql.done.run(key);
  }

  eventBodies(ids: readonly string[]): string[] {
    return ids.map((id) => {
      const body = this.#sql.eventBody.get(id);
      if (body === undefined) throw new Error(`outbox names event ${id}, which is not in the catalog`);
      return body;
    });
  }

  formBody(versionId: string): string | null {
    return this.#sql.formBody.get(versionId) ?? null;
  }

  wasPulled(key: string): boolean {
    return this.#sql.pulled.get(key) !== undefined;
  }

  /** Marks keys read and moves the folder's cursor; keys too old to be listed again are forgotten. */
  markPulled(folder: string, keys: readonly string[], prunedBefore: string | undefined): void {
    for (const key of keys) this.#sql.markPulled.run(key, folder);
    const last = keys.reduce<string | null>((max, key) => (max === null || key > max ? key : max), null);
    if (last !== null) this.#sql.setCursor.run(folder, last);
    if (prunedBefore !== undefined) this.#sql.prunePulled.run(folder, prunedBefore);
  }

  cursor(folder: string): string | null {
    return this.#sql.cursor.get(folder) ?? null;
  }

  refuse(key: string, reason: string, at: string): void {
    this.#sql.refuse.run(key, reason, at);
  }

  refused(limit = 100): RefusedObject[] {
    return this.#sql.refused.all(limit);
  }

  state(name: string): string | null {
    return this.#sql.state.get(name) ?? null;
  }

  setState(name: string, value: string): void {
    this.#sql.setState.run(name, value);
  }

  profile(reviewerId: string): TeamReviewerRow | null {
    return this.#sql.profile.get(reviewerId) ?? null;
  }

  setProfile(profile: TeamReviewerRow): void {
    this.#sql.setProfile.run(profile.reviewer_id, profile.name, profile.arn);
  }

  reviewers(): { reviewer_id: string; reviews: number; name: string | null; arn: string | null }[] {
    return this.#sql.reviewers.all();
  }
}
