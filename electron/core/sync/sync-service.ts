import type { Logger } from '../logger.ts';
import type { UpstreamSync } from '../upstream/upstream-sync.ts';
import { ServiceError } from '../service-error.ts';
import type { ListingSync, SyncStatus } from './listing-sync.ts';
import { SyncScheduler } from './sync-scheduler.ts';

/** Another source the library's sync brings in (the team's reviews, transcripts…), run beside the listing. */
export interface SyncParticipant {
  readonly name: string;
  /** Runs one pass for the open library; resolves when it ends (its failures are its own to report). */
  run(): Promise<unknown>;
}

/**
 * The sync domain: one sync of the open library, whoever asks for it — the app at start and after a
 * switch, "Sync now" (`sync:start`), `POST /sync`, the periodic schedule. A sync is the S3 listing,
 * the upstream API's pull and every registered participant, side by side.
 */
/** Where the sync finds the open library's syncs (the session; a single library in tests and benchmarks). */
export interface SyncTarget {
  readonly current: {
    readonly library: { readonly storage: { readonly listing: Pick<ListingSync, 'run' | 'status'> } | null };
    readonly upstream: Pick<UpstreamSync, 'run'> | null;
  };
}

export class SyncService {
  readonly #session: SyncTarget;
  readonly #participants: SyncParticipant[] = [];
  readonly #scheduler: SyncScheduler;

  constructor(session: SyncTarget, options: { intervalMinutes: () => number; log: Logger }) {
    this.#session = session;
    this.#scheduler = new SyncScheduler({
      intervalMinutes: options.intervalMinutes,
      run: () => this.run(),
      log: options.log,
    });
  }

  /** Adds a source to every sync from now on (a new domain registers here; nothing else changes). */
  register(participant: SyncParticipant): void {
    this.#participants.push(participant);
  }

  /** The listing's status; null when no bucket is configured (nothing to sync). */
  status(): SyncStatus | null {
    return this.#session.current.library.storage?.listing.status() ?? null;
  }

  /**
   * Starts a sync (or joins the one running) and answers the listing's status at once; progress and
   * the outcome arrive as events and in `status()`. Without a bucket, the spec's 500.
   */
  start(): SyncStatus {
    const status = this.status();
    if (!status) {
      throw new ServiceError(
        's3_config_missing',
        'No S3 bucket is configured: there is nothing to sync. Open Settings to choose one, or set S3_BUCKET.',
      );
    }
    void this.run();
    return this.status() ?? status;
  }

  /** One sync of everything; resolves when every part has ended (never rejects: each part reports its own). */
  async run(): Promise<void> {
    const { library, upstream } = this.#session.current;
    await Promise.allSettled([
      library.storage ? library.storage.listing.run() : Promise.resolve(),
      upstream ? upstream.run() : Promise.resolve(),
      ...this.#participants.map((participant) => participant.run()),
    ]);
  }

  /** The sync interval changed (Settings or environment): the next sync is one interval from now. */
  reschedule(): void {
    this.#scheduler.reschedule();
  }

  startSchedule(): void {
    this.#scheduler.start();
  }

  stop(): void {
    this.#scheduler.stop();
  }
}
