import type { LibraryStatus } from '../../../shared/contract.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import type { SyncService } from '../sync/sync-service.ts';
import type { LibrarySession } from './library-session.ts';

/**
 * The library domain: what is open and how it is doing (counts, facets, sync, credentials, the
 * problem to show), and opening the demo or the configured bucket on request.
 */
export class LibraryService {
  readonly #session: LibrarySession;
  readonly #sync: SyncService;
  readonly #apiUrl: () => string | null;

  constructor(session: LibrarySession, sync: SyncService, apiUrl: () => string | null) {
    this.#session = session;
    this.#sync = sync;
    this.#apiUrl = apiUrl;
  }

  async status(): Promise<LibraryStatus> {
    const { library, choice, demo, upstream } = this.#session.current;
    const sync = this.#sync.status();
    let expiresAt: string | null = null;
    let problem: string | null = null;
    if (choice.mode === 'unconfigured') {
      problem = 'No S3 bucket is configured. Open Settings to choose one, or set S3_BUCKET.';
    } else if (library.storage && !demo) {
      try {
        const identity = await library.storage.client.config.credentials();
        expiresAt = identity.expiration?.toISOString() ?? null;
      } catch (error) {
        problem = describeS3Failure(error, library.where ?? '').message;
      }
    }
    if (problem === null && sync?.state === 'failed') problem = sync.error;
    return {
      mode: choice.mode,
      location: library.where,
      counts: library.store.counts(),
      facets: library.calls.facets(),
      sync,
      upstream: upstream?.status() ?? null,
      credentials: { source: demo ? 'demo' : choice.credentialSource, expiresAt },
      problem,
      apiUrl: this.#apiUrl(),
      bucketConfigured: this.#session.bucketConfigured(),
    };
  }

  async open(source: 'demo' | 'settings'): Promise<LibraryStatus> {
    await this.#session.open(source);
    return this.status();
  }
}
