import { RESOLUTION_WINDOW_SECONDS } from '../../../shared/dispatch.ts';
import type { CatalogDatabase } from './open-catalog.ts';
import { PHONE_REV_FUNCTION } from './phone-digits.ts';

/** The interaction id of the stand-in for a recording no metadata describes. */
export const STAND_IN_ID_PREFIX = 's3:';

// A recording is "claimed" when a metadata interaction resolves to it (found through the dispatch
// index: its dispatches lie in the window before it). Stand-ins have no dispatch_phone, so they
// never claim anything themselves and the dispatch → recording rule never touches them.
const CLAIMED = (recording: string) => `EXISTS (SELECT 1 FROM interactions m
    WHERE m.dispatch_phone = ${recording}.phone
      AND m.dispatch_ts BETWEEN ${recording}.ts - ${RESOLUTION_WINDOW_SECONDS} AND ${recording}.ts
      AND m.recording_id = ${recording}.id)`;

// Two forms, so that the scoped one can use the phone index (an `$x IS NULL OR …` cannot).
const SCOPES = {
  all: () => 'true',
  phones: (recording: string) => `${recording}.phone IN (SELECT value FROM json_each($phones))`,
} as const;
type Scope = keyof typeof SCOPES;

const START_MS = 'coalesce(r.started_ms, r.ts * 1000)';
const ISO = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;

/**
 * Keeps one stand-in row in `interactions` for every recording that no metadata describes, so the
 * list shows it (with its phone, start and duration from the key and manifest) and search, filters,
 * counts and export treat it like any call. A stand-in goes away when metadata claims its recording.
 */
export class StandIns {
  readonly #statements: Record<Scope, ReturnType<typeof prepareReconcile>>;
  readonly #removeFor;

  constructor(db: CatalogDatabase) {
    this.#statements = { all: prepareReconcile(db, 'all'), phones: prepareReconcile(db, 'phones') };
    this.#removeFor = db.prepare<[number]>(
      `DELETE FROM interactions WHERE source = 'recording' AND recording_id = ?`,
    );
  }

  /**
   * Brings the stand-ins of recordings with these phone numbers (all when null) up to date with
   * what metadata claims. Call inside the transaction that changed recordings or interactions.
   * Returns how many calls (stand-ins) it changed, for the caller to move the calls generation.
   */
  reconcile(phones: Iterable<string> | null): number {
    const scoped = phones !== null;
    const statements = this.#statements[scoped ? 'phones' : 'all'];
    const params: Record<string, string> = scoped ? { phones: JSON.stringify([...new Set(phones)]) } : {};
    return (
      statements.removeClaimed.run(params).changes +
      statements.refresh.run(params).changes +
      statements.addUnclaimed.run(params).changes
    );
  }

  /** Before a recording is forgotten. Returns how many calls changed (as reconcile does). */
  removeFor(recordingId: number): number {
    return this.#removeFor.run(recordingId).changes;
  }
}

function prepareReconcile(db: CatalogDatabase, scope: Scope) {
  const IN_SCOPE = SCOPES[scope];
  return {
    removeClaimed: db.prepare<[Record<string, string>]>(
      `DELETE FROM interactions WHERE source = 'recording' AND recording_id IN (
         SELECT r.id FROM recordings r WHERE ${IN_SCOPE('r')} AND ${CLAIMED('r')})`,
    ),
    addUnclaimed: db.prepare<[Record<string, string>]>(
      `INSERT INTO interactions (interaction_id, dispatch_id, customer_name, phone, status, outcome, duration,
         start_time, end_time, start_ms, phone_rev, source, recording_id)
       SELECT '${STAND_IN_ID_PREFIX}' || r.key,
         CASE WHEN r.direction = 'outbound' THEN 'dispatch_' || r.ts || '_' || r.phone END,
         NULL, '+' || r.phone, NULL, NULL, r.duration, ${ISO(START_MS)},
         CASE WHEN r.ended_ms IS NOT NULL THEN ${ISO('r.ended_ms')} END,
         ${START_MS}, ${PHONE_REV_FUNCTION}(r.phone), 'recording', r.id
         FROM recordings r
        WHERE ${IN_SCOPE('r')} AND NOT ${CLAIMED('r')}
          AND NOT EXISTS (SELECT 1 FROM interactions s WHERE s.source = 'recording' AND s.recording_id = r.id)
       ON CONFLICT (interaction_id) DO NOTHING`,
    ),
    // A manifest read later fills in what the stand-in showed from the key alone.
    refresh: db.prepare<[Record<string, string>]>(
      `UPDATE interactions SET duration = r.duration, start_ms = ${START_MS}, start_time = ${ISO(START_MS)},
         end_time = CASE WHEN r.ended_ms IS NOT NULL THEN ${ISO('r.ended_ms')} END
         FROM recordings r
        WHERE interactions.source = 'recording' AND interactions.recording_id = r.id AND ${IN_SCOPE('r')}
          AND (interactions.duration IS NOT r.duration OR interactions.start_ms IS NOT ${START_MS})`,
    ),
  };
}
