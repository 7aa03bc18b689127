/**
 * One library's exchange with the team's folder in the bucket (docs/team.md): push the outbox as
 * batches under keys chosen before the upload, pull every reviewer's folder from its cursor less the
 * window, store what is valid and refuse (recording why) what is not.
 */
import { formVersionSchema, parseFormVersion } from '../../../shared/reviews/form-schema.ts';
import {
  parseReviewEvent,
  reviewerIdSchema,
  type ReviewEvent,
} from '../../../shared/reviews/review-events.ts';
import type { Logger } from '../logger.ts';
import { mapConcurrently } from '../sync/concurrency.ts';
import type { ReviewStore } from '../reviews/review-store.ts';
import { ServiceError } from '../service-error.ts';
import type { TeamBucket } from './team-bucket.ts';
import type { TeamIdentity } from './team-identity.ts';
import {
  batchKey,
  batchTimeOf,
  eventFolder,
  eventsPrefix,
  formKey,
  formsPrefix,
  PULL_WINDOW_MS,
  profileKey,
  startAfterFor,
} from './team-keys.ts';
import type { TeamStore } from './team-store.ts';

/** A batch keyed longer ago than this and still not confirmed is checked, and re-keyed if absent. */
export const REKEY_AFTER_MS = 5 * 60 * 1000;
/** Objects read at once from one folder. */
const READ_AHEAD = 8;
/** Objects stored in one transaction. */
const OBJECTS_PER_COMMIT = 25;
/** Reviewer folders read at once. */
const FOLDERS_AT_ONCE = 4;
const FORMS_FOLDER = '#forms';

export interface TeamSyncParts {
  readonly teamPrefix: string;
  readonly store: TeamStore;
  readonly reviews: ReviewStore;
  readonly bucket: TeamBucket;
  /** A ULID now (monotonic): the names of new batches. */
  readonly newId: () => string;
  readonly now: () => number;
  readonly log: Logger;
  /** A review gained events from the team. */
  readonly onReviewChanged?: (change: { interactionId: string; reviewId: string }) => void;
}

export interface PushResult {
  readonly batches: number;
  readonly items: number;
}

export interface PullResult {
  readonly folders: number;
  readonly objects: number;
  readonly events: number;
  readonly refused: number;
}

interface ParsedObject {
  readonly key: string;
  readonly events: ReviewEvent[];
  readonly refusals: { key: string; reason: string }[];
}

interface ReviewerProfile {
  readonly reviewer_id: string;
  readonly name: string;
  readonly arn: string | null;
}

export class TeamSync {
  readonly #parts: TeamSyncParts;

  constructor(parts: TeamSyncParts) {
    this.#parts = parts;
  }

  /** Shares this reviewer's profile (name, ARN) when it changed since it was last shared. */
  async pushProfile(identity: TeamIdentity, signal?: AbortSignal): Promise<void> {
    const { store, bucket, teamPrefix } = this.#parts;
    const profile: ReviewerProfile = {
      reviewer_id: identity.reviewerId,
      name: identity.name,
      arn: identity.arn,
    };
    const body = JSON.stringify(profile);
    const key = profileKey(teamPrefix, identity.reviewerId);
    if (store.state(`profile:${key}`) === body) return;
    await bucket.put(key, `${body}\n`, { contentType: 'application/json', overwrite: true, signal });
    store.setState(`profile:${key}`, body);
    store.setProfile(profile);
  }

  /** Uploads the outbox, a batch at a time, oldest first. */
  async push(signal?: AbortSignal): Promise<PushResult> {
    const { store, bucket, teamPrefix, newId, now } = this.#parts;
    let batches = 0;
    let items = 0;
    for (;;) {
      signal?.throwIfAborted();
      let batch = store.nextBatch((kind, folder, itemId, count) =>
        kind === 'form' ? formKey(teamPrefix, folder, itemId) : batchKey(teamPrefix, folder, newId(), count),
      );
      if (!batch) return { batches, items };
      const keyedAt = batchTimeOf(batch.key);
      if (batch.kind === 'event' && keyedAt !== null && now() - keyedAt > REKEY_AFTER_MS) {
        // Keyed long ago and never confirmed: if it is there, it is done; if not, it gets a key of
        // now, so readers whose cursor passed the old key's time (less the window) still list it.
        if ((await bucket.getText(batch.key, signal)) !== null) {
          store.uploaded(batch.key);
          continue;
        }
        const folder = batch.key.slice(0, batch.key.lastIndexOf('/') + 1);
        const fresh = batchKey(
          teamPrefix,
          folder.slice(eventsPrefix(teamPrefix).length, -1),
          newId(),
          batch.items.length,
        );
        store.rekey(batch.key, fresh);
        batch = { ...batch, key: fresh };
      }
      if (batch.kind === 'form') {
        await this.#pushForm(batch.key, batch.items[0]!, signal);
      } else {
        const body = `${store.eventBodies(batch.items).join('\n')}\n`;
        await bucket.put(batch.key, body, {
          contentType: batch.items.length === 1 ? 'application/json' : 'application/x-ndjson',
          signal,
        });
      }
      store.uploaded(batch.key);
      batches += 1;
      items += batch.items.length;
    }
  }

  async #pushForm(key: string, versionId: string, signal?: AbortSignal): Promise<void> {
    const { store, bucket, log, now } = this.#parts;
    const body = store.formBody(versionId);
    if (body === null) return; // gone from the catalog (never: versions are kept); nothing to share
    const outcome = await bucket.put(key, body, { contentType: 'application/json', signal });
    if (outcome === 'already-there') {
      // The same version id was shared before: by this machine (a retried upload), or differently by someone else.
      const there = await bucket.getText(key, signal);
      if (there !== null && !sameForm(there, body)) {
        const reason =
          `form version ${versionId} in the bucket differs from the one published here; ` +
          'publish the edited form under a new version id to share it';
        store.refuse(key, reason, new Date(now()).toISOString());
        log.warn(`Team: ${key}: ${reason}`);
      }
    }
  }

  /** Reads what is new in every reviewer's folder and the forms. */
  async pull(signal?: AbortSignal): Promise<PullResult> {
    const { bucket, teamPrefix } = this.#parts;
    const totals = { folders: 0, objects: 0, events: 0, refused: 0 };
    // Forms first: reviews that name a form version read here are scored as they are stored.
    const forms = await this.#pullForms(signal);
    totals.objects += forms.objects;
    totals.refused += forms.refused;
    const folders = await bucket.folders(eventsPrefix(teamPrefix), signal);
    // A few folders at once: each is read in key order, and S3 answers requests side by side.
    await mapConcurrently(folders, FOLDERS_AT_ONCE, async (folder) => {
      signal?.throwIfAborted();
      const result = await this.#pullFolder(folder, signal);
      totals.folders += 1;
      totals.objects += result.objects;
      totals.events += result.events;
      totals.refused += result.refused;
    });
    return totals;
  }

  async #pullFolder(folder: string, signal?: AbortSignal): Promise<Omit<PullResult, 'folders'>> {
    const { store, bucket, teamPrefix } = this.#parts;
    const prefix = eventFolder(teamPrefix, folder);
    const totals = { objects: 0, events: 0, refused: 0 };
    if (!reviewerIdSchema.safeParse(folder).success) {
      this.#refuse(prefix, 'the folder name is not a reviewer id');
      return { ...totals, refused: 1 };
    }
    const cursor = store.cursor(folder);
    const startAfter = startAfterFor(prefix, cursor);
    const fresh: string[] = [];
    for await (const keys of bucket.keysAfter(prefix, startAfter, signal)) {
      for (const key of keys) if (!store.wasPulled(key)) fresh.push(key);
    }
    // Read ahead, store in key order: the cursor only ever passes keys that are stored or refused.
    const reads = new Map<string, Promise<string | null>>();
    const readFrom = (index: number) => {
      for (let i = index; i < Math.min(fresh.length, index + READ_AHEAD); i += 1) {
        const key = fresh[i]!;
        if (!reads.has(key)) reads.set(key, bucket.getText(key, signal));
      }
    };
    let pending: ParsedObject[] = [];
    const flush = () => {
      const outcome = this.#storeObjects(folder, pending);
      totals.objects += pending.length;
      totals.events += outcome.events;
      totals.refused += outcome.refused;
      pending = [];
    };
    try {
      for (let index = 0; index < fresh.length; index += 1) {
        readFrom(index);
        const key = fresh[index]!;
        const text = await reads.get(key)!;
        reads.delete(key);
        pending.push(this.#parseObject(folder, key, text));
        if (pending.length >= OBJECTS_PER_COMMIT) flush();
      }
    } finally {
      // What was read before a failure is kept: the cursor passes only keys stored in order.
      flush();
      // Reads started ahead of a failure are not awaited by anyone else.
      for (const pending of reads.values()) pending.catch(() => undefined);
    }
    if (fresh.length > 0) {
      const last = store.cursor(folder);
      const time = last ? batchTimeOf(last) : null;
      // Keys this far behind the cursor are never listed again: forget that they were read.
      if (time !== null) store.markPulled(folder, [], startAfterFor(prefix, last, PULL_WINDOW_MS * 2));
      await this.#pullProfile(folder, signal);
    }
    return totals;
  }

  /** One object's valid events and its refusals (an object listed, then deleted, has neither). */
  #parseObject(folder: string, key: string, text: string | null): ParsedObject {
    const refusals: { key: string; reason: string }[] = [];
    const events: ReviewEvent[] = [];
    if (text === null) return { key, events, refusals };
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) refusals.push({ key, reason: 'the object is empty' });
    lines.forEach((line, index) => {
      const where = lines.length === 1 ? key : `${key} (line ${index + 1})`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        refusals.push({ key: where, reason: 'not JSON: an event object is one JSON event per line' });
        return;
      }
      const parsed = parseReviewEvent(json);
      if (!parsed.ok) {
        refusals.push({ key: where, reason: `not a review event: ${parsed.error}` });
      } else if (parsed.event.reviewer_id !== folder) {
        refusals.push({
          key: where,
          reason: `event ${parsed.event.event_id} is by reviewer "${parsed.event.reviewer_id}" but was found in the folder of "${folder}": refused`,
        });
      } else {
        events.push(parsed.event);
      }
    });
    return { key, events, refusals };
  }

  /**
   * Stores the objects' events, records their refusals and marks them read, in one transaction (a
   * few objects at a time: one commit for many small objects).
   */
  #storeObjects(folder: string, objects: readonly ParsedObject[]): { events: number; refused: number } {
    if (objects.length === 0) return { events: 0, refused: 0 };
    const { store, reviews } = this.#parts;
    const events = objects.flatMap((object) => object.events);
    const refusals = objects.flatMap((object) => object.refusals);
    let stored = 0;
    store.db
      .transaction(() => {
        if (events.length > 0) {
          const result = reviews.appendEvents(events);
          stored = result.inserted;
          const keyOf = new Map(
            objects.flatMap((object) => object.events.map((event) => [event.event_id, object.key])),
          );
          for (const id of result.conflicts) {
            refusals.push({
              key: keyOf.get(id) ?? folder,
              reason: `event ${id} differs from the event of that id already stored: kept the stored one`,
            });
          }
          this.#tellChanged(events, result.reviews);
        }
        const at = new Date(this.#parts.now()).toISOString();
        for (const refusal of refusals) store.refuse(refusal.key, refusal.reason, at);
        store.markPulled(
          folder,
          objects.map((object) => object.key),
          undefined,
        );
      })
      .immediate();
    for (const refusal of refusals) this.#parts.log.warn(`Team: refused ${refusal.key}: ${refusal.reason}`);
    return { events: stored, refused: refusals.length };
  }

  #tellChanged(events: readonly ReviewEvent[], reviewIds: readonly string[]): void {
    const { onReviewChanged } = this.#parts;
    if (!onReviewChanged) return;
    const callOf = new Map(events.map((event) => [event.review_id, event.interaction_id]));
    for (const reviewId of reviewIds) {
      const interactionId = callOf.get(reviewId);
      if (interactionId) queueMicrotask(() => onReviewChanged({ interactionId, reviewId }));
    }
  }

  async #pullProfile(folder: string, signal?: AbortSignal): Promise<void> {
    const { store, bucket, teamPrefix } = this.#parts;
    const key = profileKey(teamPrefix, folder);
    const text = await bucket.getText(key, signal);
    if (text === null) return;
    try {
      const json = JSON.parse(text) as Partial<ReviewerProfile>;
      if (json.reviewer_id !== folder || typeof json.name !== 'string' || json.name.trim() === '') {
        throw new Error(`it names reviewer "${String(json.reviewer_id)}" or has no name`);
      }
      const arn = typeof json.arn === 'string' ? json.arn : null;
      store.setProfile({ reviewer_id: folder, name: json.name.trim().slice(0, 200), arn });
    } catch (error) {
      this.#refuse(key, `not a reviewer profile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #pullForms(signal?: AbortSignal): Promise<{ objects: number; refused: number }> {
    const { store, bucket, teamPrefix, reviews } = this.#parts;
    const prefix = formsPrefix(teamPrefix);
    const fresh: string[] = [];
    for await (const keys of bucket.keysAfter(prefix, undefined, signal)) {
      for (const key of keys) if (!store.wasPulled(key)) fresh.push(key);
    }
    let refused = 0;
    for (const key of fresh) {
      const text = await bucket.getText(key, signal);
      let reason: string | null = null;
      if (text !== null) {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          reason = 'not JSON';
        }
        if (reason === null) {
          const parsed = parseFormVersion(json);
          if (!parsed.ok) reason = `not a form version: ${parsed.error}`;
          else if (formKey(teamPrefix, parsed.form.form_id, parsed.form.version_id) !== key) {
            reason = `it holds form ${parsed.form.form_id} version ${parsed.form.version_id}, which belongs elsewhere`;
          } else {
            try {
              reviews.publishFormVersion(parsed.form);
            } catch (error) {
              if (!(error instanceof ServiceError)) throw error;
              reason = error.message;
            }
          }
        }
      }
      store.db.transaction(() => {
        if (reason !== null) store.refuse(key, reason, new Date(this.#parts.now()).toISOString());
        store.markPulled(FORMS_FOLDER, [key], undefined);
      })();
      if (reason !== null) {
        refused += 1;
        this.#parts.log.warn(`Team: refused ${key}: ${reason}`);
      }
    }
    return { objects: fresh.length, refused };
  }

  #refuse(key: string, reason: string): void {
    this.#parts.store.refuse(key, reason, new Date(this.#parts.now()).toISOString());
    this.#parts.log.warn(`Team: refused ${key}: ${reason}`);
  }
}

/** Whether two form bodies are the same version (compared as parsed, so key order does not matter). */
function sameForm(a: string, b: string): boolean {
  try {
    const left = formVersionSchema.parse(JSON.parse(a));
    const right = formVersionSchema.parse(JSON.parse(b));
    return JSON.stringify(left) === JSON.stringify(right);
  } catch {
    return false;
  }
}
