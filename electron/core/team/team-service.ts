/**
 * The team domain (issue 12; docs/team.md): this machine's reviews, notes, tags and forms shared
 * through the open bucket, and the team's read back. A sync participant (every sync pulls and
 * pushes), plus an upload about a second after each local change, retried with backoff while S3
 * does not answer. Everything is written locally first (the outbox), so offline loses nothing.
 */
import type { z } from 'zod';
import { monotonicFactory } from 'ulid';
import type { teamStatusSchema } from '../../../shared/contract/team.ts';
import { describeLocation } from '../config.ts';
import type { LibraryParts } from '../library/library-ref.ts';
import type { Logger } from '../logger.ts';
import type { ReviewStore } from '../reviews/review-store.ts';
import { fullJitterDelay } from '../retry/backoff.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import { ServiceError } from '../service-error.ts';
import { SingleRun } from '../sync/single-run.ts';
import { TeamBucket } from './team-bucket.ts';
import {
  defaultIdentitySource,
  namedIdentity,
  type IdentitySource,
  type TeamIdentity,
} from './team-identity.ts';
import { teamPrefixFor } from './team-prefix.ts';
import { TeamStore } from './team-store.ts';
import { TeamSync, type PullResult, type PushResult } from './team-sync.ts';

export type TeamStatus = z.output<typeof teamStatusSchema>;

export interface TeamServiceOptions {
  /** The open library. */
  readonly library: () => LibraryParts;
  /** Whether the open library is shared (a bucket, not the demo). */
  readonly shared: () => boolean;
  /** The review store of a library's catalog (the one the reviews domain writes through). */
  readonly reviewStore: () => ReviewStore;
  /** TAPEDECK_TEAM_PREFIX or Settings; null: `tapedeck/` beside the recordings prefix. */
  readonly teamPrefix: () => string | null;
  /** Settings / TAPEDECK_REVIEWER / the OS user. */
  readonly reviewerName: () => string;
  /** Who the credentials are (STS on AWS, the Settings name elsewhere); tests give their own. */
  readonly identity?: IdentitySource;
  readonly now?: () => number;
  readonly log: Logger;
  readonly onChanged?: (status: TeamStatus) => void;
  readonly onReviewChanged?: (change: { interactionId: string; reviewId: string }) => void;
  /** How long after a local change the upload starts (ms); default 1,000. */
  readonly pushDelayMs?: number;
  /** The first retry's base wait after a failure (ms, doubled each time, full jitter); default 2,000. */
  readonly retryBaseMs?: number;
}

interface LibraryTeam {
  readonly store: TeamStore;
  readonly bucket: TeamBucket;
  readonly sync: TeamSync;
  readonly teamPrefix: string;
}

const RETRY_MAX_MS = 60_000;

export class TeamService {
  readonly #options: TeamServiceOptions;
  readonly #now: () => number;
  readonly #identitySource: IdentitySource;
  readonly #newId = monotonicFactory();
  readonly #run = new SingleRun<void>();
  #team: { catalog: object; client: object; prefix: string; team: LibraryTeam } | null = null;
  #identity: { key: string; identity: TeamIdentity } | null = null;
  #error: string | null = null;
  #pushWanted = false;
  /** The pass queued behind the one going, and whether it pulls. */
  #queued: Promise<void> | null = null;
  #queuedPull = false;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #emitPending = false;
  readonly #stores = new WeakMap<object, TeamStore>();
  /** What the last pass did (the benchmark and the log read it). */
  lastPass: { push: PushResult | null; pull: PullResult | null } = { push: null, pull: null };

  constructor(options: TeamServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#identitySource = options.identity ?? defaultIdentitySource;
  }

  /** The sync participant: every sync (start, Sync now, the interval, POST /sync) pulls and pushes. */
  readonly participant = { name: 'team', run: () => this.sync() };

  /** One pass: who we are, the outbox up, the team's new events and forms down. Never rejects. */
  sync(): Promise<void> {
    return this.#pass(true);
  }

  /** Something was queued: upload it about a second from now (changes in that second go together). */
  changed(): void {
    this.#pushWanted = true;
    this.#emitSoon();
    this.#schedule(this.#options.pushDelayMs ?? 1_000);
  }

  /**
   * The reviewer id this machine's events carry now: the verified identity once known (also
   * remembered from an earlier run), the Settings name with a custom endpoint or without sharing.
   */
  reviewerId(): string {
    const name = this.#options.reviewerName();
    if (!this.#options.shared()) return name;
    if (this.#identity) return this.#identity.identity.reviewerId;
    return this.#rememberedIdentity()?.reviewerId ?? name;
  }

  status(): TeamStatus {
    const shared = this.#options.shared();
    const library = this.#options.library();
    const team = shared ? this.#teamOf(library) : null;
    const store = team?.store ?? this.#storeOf(library);
    const identity = shared ? (this.#identity?.identity ?? this.#rememberedIdentity()) : null;
    const reviewers = store.reviewers().map((row) => {
      const own = identity !== null && row.reviewer_id === identity.reviewerId;
      return {
        reviewerId: row.reviewer_id,
        name: (own ? identity.name : row.name) ?? row.reviewer_id,
        arn: (own ? identity.arn : null) ?? row.arn,
        reviews: row.reviews,
      };
    });
    return {
      enabled: shared && team !== null,
      location:
        team && library.storage
          ? describeLocation({ ...library.storage.location, prefix: team.teamPrefix })
          : null,
      reviewer: identity ? { reviewerId: identity.reviewerId, name: identity.name, arn: identity.arn } : null,
      verified: identity?.verified ?? false,
      outbox: team ? team.store.outboxCount() : 0,
      lastPull: team?.store.state('last_pull') ?? null,
      lastPush: team?.store.state('last_push') ?? null,
      error: shared ? this.#error : null,
      refused: team ? team.store.refused(100) : [],
      reviewers,
    };
  }

  /** Stops the timers and the pass going (the app is closing). */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#run.cancel();
  }

  // ---- the pass -----------------------------------------------------------------------------------

  async #pass(pull: boolean): Promise<void> {
    if (this.#closed || !this.#options.shared()) return;
    if (this.#run.running) {
      // The pass going may have listed the team's folders before what this caller waits for was
      // written (a teammate's upload a moment ago): one more pass after it, shared by every caller
      // that arrives meanwhile, so a sync always answers with a pull that began after it was asked.
      this.#queuedPull ||= pull;
      this.#queued ??= this.#afterCurrent();
      return this.#queued;
    }
    await this.#run.run((abort) => this.#task(pull, abort.signal));
    // A change made while that pass was past its upload: one more upload.
    if (this.#pushWanted && !this.#closed) await this.#run.run((abort) => this.#task(false, abort.signal));
  }

  async #afterCurrent(): Promise<void> {
    await this.#run.idle();
    this.#queued = null;
    const pull = this.#queuedPull;
    this.#queuedPull = false;
    await this.#pass(pull);
  }

  async #task(pull: boolean, signal: AbortSignal): Promise<void> {
    const library = this.#options.library();
    const team = this.#teamOf(library);
    if (!team || !library.storage) return;
    this.#pushWanted = false;
    const where = describeLocation({ ...library.storage.location, prefix: team.teamPrefix });
    try {
      const identity = await this.#resolveIdentity(library);
      await team.sync.pushProfile(identity, signal);
      const push = await team.sync.push(signal);
      if (push.batches > 0 || team.store.state('last_push') === null) {
        team.store.setState('last_push', new Date(this.#now()).toISOString());
      }
      this.lastPass = { push, pull: null };
      if (pull) {
        const pulled = await team.sync.pull(signal);
        team.store.setState('last_pull', new Date(this.#now()).toISOString());
        this.lastPass = { push, pull: pulled };
      }
      this.#error = null;
      this.#failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      this.#failures += 1;
      const outbox = team.store.outboxCount();
      const cause = error instanceof ServiceError ? error : describeS3Failure(error, where);
      const denied = /AccessDenied|Forbidden|HTTP 403/.test(cause.message)
        ? ` Sharing needs s3:ListBucket and s3:GetObject on ${where} and s3:PutObject under ` +
          `${team.teamPrefix}v1/events/{your reviewer id}/ (the bucket policy in docs/team.md).`
        : '';
      this.#error =
        `${cause.message}${/[.!?]$/.test(cause.message) ? '' : '.'}${denied} ` +
        (outbox > 0
          ? `${outbox} change${outbox === 1 ? ' is' : 's are'} kept here and will be shared when the bucket answers again.`
          : 'Nothing is lost: sharing resumes when the bucket answers again.');
      this.#options.log.warn(`Team sync: ${this.#error}`);
      const wait = Math.min(
        RETRY_MAX_MS,
        fullJitterDelay(this.#failures, this.#options.retryBaseMs ?? 2_000) + 500,
      );
      this.#pushWanted = this.#pushWanted || outbox > 0;
      this.#schedule(wait, true);
    } finally {
      this.#emit();
    }
  }

  #schedule(ms: number, retry = false): void {
    if (this.#closed) return;
    if (this.#timer) {
      // An upload (or a retry) is due already: it carries this change too, so a stream of changes
      // never postpones it. A failure replaces whatever is due with the backoff's wait.
      if (!retry) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // A retry after a failure is a whole pass (a failed pull is retried too); a change only uploads.
      void this.#pass(retry || this.#failures > 0);
    }, ms);
    this.#timer.unref();
  }

  async #resolveIdentity(library: LibraryParts): Promise<TeamIdentity> {
    const storage = library.storage!;
    const request = {
      location: storage.location,
      client: storage.client,
      reviewerName: this.#options.reviewerName(),
    };
    let key: string;
    try {
      key = await this.#identitySource.cacheKey(request);
    } catch (error) {
      throw describeS3Failure(error, describeLocation(storage.location));
    }
    if (this.#identity?.key === key) return this.#identity.identity;
    let identity: TeamIdentity;
    try {
      identity = await this.#identitySource.resolve(request);
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      const cause = describeS3Failure(error, 'AWS STS (sts:GetCallerIdentity)');
      throw new ServiceError(
        cause.code,
        `Could not find out who these credentials are (sts:GetCallerIdentity): ${cause.message} ` +
          'Reviews keep being saved here; they are shared once STS answers.',
        { cause: error },
      );
    }
    this.#identity = { key, identity };
    this.#teamOf(library)?.store.setState('identity', JSON.stringify(identity));
    return identity;
  }

  #rememberedIdentity(): TeamIdentity | null {
    const library = this.#options.library();
    const storage = library.storage;
    if (!storage) return null;
    if (storage.location.endpoint) {
      try {
        return namedIdentity(this.#options.reviewerName());
      } catch {
        return null;
      }
    }
    const remembered = this.#storeOf(library).state('identity');
    return remembered ? (JSON.parse(remembered) as TeamIdentity) : null;
  }

  /** The team's parts for this library (made again when the library or its client changes). */
  #teamOf(library: LibraryParts): LibraryTeam | null {
    const storage = library.storage;
    if (!storage) return null;
    // The library's own team prefix first: the one its listing sync leaves alone.
    const prefix = teamPrefixFor(
      storage.location.prefix,
      storage.location.teamPrefix ?? this.#options.teamPrefix(),
    );
    const cached = this.#team;
    if (
      cached &&
      cached.catalog === library.catalog &&
      cached.client === storage.client &&
      cached.prefix === prefix
    ) {
      return cached.team;
    }
    const store = this.#storeOf(library);
    const bucket = new TeamBucket(storage.client, storage.location.bucket);
    const team: LibraryTeam = {
      store,
      bucket,
      teamPrefix: prefix,
      sync: new TeamSync({
        teamPrefix: prefix,
        store,
        reviews: this.#options.reviewStore(),
        bucket,
        newId: () => this.#newId(this.#now()),
        now: this.#now,
        log: this.#options.log,
        onReviewChanged: this.#options.onReviewChanged,
      }),
    };
    if (cached && cached.client !== storage.client) this.#identity = null;
    this.#team = { catalog: library.catalog, client: storage.client, prefix, team };
    return team;
  }

  #storeOf(library: LibraryParts): TeamStore {
    let store = this.#stores.get(library.catalog);
    if (!store) {
      store = new TeamStore(library.catalog);
      this.#stores.set(library.catalog, store);
    }
    return store;
  }

  /** The status after this turn of the event loop (a save's own call path never computes it). */
  #emitSoon(): void {
    if (this.#emitPending) return;
    this.#emitPending = true;
    setImmediate(() => {
      this.#emitPending = false;
      this.#emit();
    });
  }

  #emit(): void {
    const listener = this.#options.onChanged;
    if (!listener) return;
    try {
      listener(this.status());
    } catch (error) {
      this.#options.log.warn(`team status listener failed: ${String(error)}`);
    }
  }

  /** The S3 requests the team's sync made so far in this library (the benchmark reports them). */
  requests(): { list: number; get: number; put: number } | null {
    const library = this.#options.library();
    const team = this.#teamOf(library);
    return team ? { ...team.bucket.counts } : null;
  }
}
