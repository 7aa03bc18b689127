import type { UpstreamSyncStatusView } from '../../../shared/contract.ts';
import { z } from 'zod';
import { LIST_LIMIT_MAX, type Interaction } from '../../../shared/recording.ts';
import { STAND_IN_ID_PREFIX } from '../catalog/stand-ins.ts';
import { FieldProblem, toInteraction } from '../import/interaction-row.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { waitBeforeRetry } from '../retry/backoff.ts';
import { reportProgress, SingleRun } from '../sync/single-run.ts';

/** A run's progress and outcome. (To move into shared/contract.ts once the renderer shows it.) */
// The status is part of the renderer contract; re-exported here for the sync's own callers.
export { upstreamSyncStatusSchema } from '../../../shared/contract.ts';
export type UpstreamSyncStatus = UpstreamSyncStatusView;
export type UpstreamSyncState = UpstreamSyncStatus['state'];

/** What the sync needs of the catalog: one transaction per call. */
export interface UpstreamInteractionStore {
  upsertInteractions(rows: readonly Interaction[], source: 'upstream'): void;
}

/** Where the offset an unfinished run reached is kept between processes; null means "start at 0". */
export interface UpstreamCheckpoint {
  read(): number | null;
  write(offset: number | null): void;
}

export interface UpstreamSyncOptions {
  /** From readUpstreamConfig: http(s), no trailing slash; `${baseUrl}/recordings` is the list. */
  readonly baseUrl: string;
  readonly token?: string;
  readonly store: UpstreamInteractionStore;
  readonly log?: Logger;
  readonly fetch?: typeof fetch;
  /** `limit` asked of the upstream; 1 to LIST_LIMIT_MAX (Tapedeck's own cap; the spec names none). */
  readonly pageSize?: number;
  readonly now?: () => number;
  readonly onProgress?: (status: UpstreamSyncStatus) => void;
  /** Per request, body included. */
  readonly requestTimeoutMs?: number;
  readonly checkpoint?: UpstreamCheckpoint;
  /** Waits before the 2nd, 3rd… try of a page that failed with 5xx, 429 or a dropped connection. */
  readonly retryDelaysMs?: readonly number[];
}

export const UPSTREAM_PAGE_SIZE_DEFAULT = 100;
const REQUEST_TIMEOUT_MS_DEFAULT = 15_000;
const RETRY_DELAYS_MS_DEFAULT = [500, 2_000] as const;
const PROGRESS_LOG_EVERY_PAGES = 10;
const SKIPPED_ITEMS_LOGGED = 10;

const IDLE: UpstreamSyncStatus = {
  state: 'idle',
  startedAt: null,
  finishedAt: null,
  pagesFetched: 0,
  interactionsCached: 0,
  itemsSkipped: 0,
  error: null,
  resumedFromOffset: null,
};

/** The documented list answer. Only `recordings` is required; `limit`/`offset` are checked when sent. */
const pageSchema = z.object({
  recordings: z.array(z.unknown()),
  limit: z.number().int().min(0).optional().catch(undefined),
  offset: z.number().int().min(0).optional().catch(undefined),
});
type Page = z.output<typeof pageSchema>;

/** A failure whose message is for a person: what went wrong with which URL, and what to do. */
export class UpstreamSyncError extends Error {
  override readonly name = 'UpstreamSyncError';
}

/** A try that may succeed if repeated (5xx, 429, a dropped connection). */
class RetryableFailure {
  constructor(readonly describe: (tries: number) => string) {}
}

/**
 * Pages through an upstream Recording API's `GET /recordings?limit&offset` and caches every item
 * in the catalog, one transaction per page, so a run that fails half-way keeps what it fetched and
 * the next run resumes at the offset reached. Offset paging over a list that changes while we read
 * may repeat an item (harmless: upsert by interaction_id) or miss one; the next full run picks it up.
 */
export class UpstreamSync {
  readonly #baseUrl: string;
  readonly #token: string | undefined;
  readonly #store: UpstreamInteractionStore;
  readonly #log: Logger;
  readonly #fetch: typeof fetch;
  readonly #pageSize: number;
  readonly #now: () => number;
  readonly #onProgress: (status: UpstreamSyncStatus) => void;
  readonly #timeoutMs: number;
  readonly #checkpoint: UpstreamCheckpoint | undefined;
  readonly #retryDelaysMs: readonly number[];
  #status: UpstreamSyncStatus = IDLE;
  readonly #run = new SingleRun<UpstreamSyncStatus>();
  /** The offset to resume from; undefined until known (then the checkpoint is asked). */
  #resumeOffset: number | null | undefined = undefined;

  constructor(options: UpstreamSyncOptions) {
    const pageSize = options.pageSize ?? UPSTREAM_PAGE_SIZE_DEFAULT;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LIST_LIMIT_MAX) {
      throw new RangeError(`pageSize must be a whole number from 1 to ${LIST_LIMIT_MAX}, got ${pageSize}.`);
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token || undefined;
    this.#store = options.store;
    this.#log = redactingLogger(options.log ?? silentLogger, this.#redact);
    this.#fetch = options.fetch ?? fetch;
    this.#pageSize = pageSize;
    this.#now = options.now ?? Date.now;
    this.#onProgress = options.onProgress ?? (() => {});
    this.#timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS_DEFAULT;
    this.#checkpoint = options.checkpoint;
    this.#retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS_DEFAULT;
  }

  status(): UpstreamSyncStatus {
    return this.#status;
  }

  /** Starts a run unless one is going; either way, resolves with how that run ended. Never rejects. */
  run(): Promise<UpstreamSyncStatus> {
    return this.#run.run((abort) => this.#sync(abort));
  }

  /** Aborts the request in flight; the run ends as `cancelled` and keeps its offset for next time. */
  cancel(): void {
    this.#run.cancel();
  }

  async #sync(abort: AbortController): Promise<UpstreamSyncStatus> {
    const started = this.#now();
    const resumeAt = this.#readResumeOffset();
    this.#update({
      ...IDLE,
      state: 'running',
      startedAt: new Date(started).toISOString(),
      resumedFromOffset: resumeAt,
    });
    try {
      if (resumeAt !== null) this.#log.info(`Upstream ${this.#baseUrl}: resuming at offset ${resumeAt}.`);
      let offset = resumeAt ?? 0;
      let previousIds: string | null = null;
      for (;;) {
        const page = await this.#fetchPage(offset, abort.signal);
        if (page.offset !== undefined && page.offset !== offset) {
          throw new UpstreamSyncError(
            `The upstream API at ${this.#baseUrl} answered GET ${this.#pageUrl(offset)} with the page at offset ` +
              `${page.offset}: it does not page by "offset" as a Recording API does, so Tapedeck stopped. ` +
              'Check that TAPEDECK_UPSTREAM_URL is a Recording API.',
          );
        }
        // An upstream that ignores `offset` without saying so would otherwise be paged forever.
        const ids = JSON.stringify(page.recordings.map(itemId).filter((id) => id !== null));
        if (ids === previousIds && ids !== '[]') {
          throw new UpstreamSyncError(
            `The upstream API at ${this.#baseUrl} answered GET ${this.#pageUrl(offset)} with the same items as ` +
              'the page before: it seems to ignore "offset", so Tapedeck stopped rather than read the same ' +
              'page forever. Check that TAPEDECK_UPSTREAM_URL is a Recording API.',
          );
        }
        previousIds = ids;
        const { rows, skipped } = this.#readItems(page, offset);
        if (rows.length > 0) this.#store.upsertInteractions(rows, 'upstream');
        // An upstream may cap `limit` below what we asked (its answer says so): a page that size is full.
        const fullPage = Math.min(this.#pageSize, page.limit || this.#pageSize);
        const last = page.recordings.length < fullPage;
        offset += page.recordings.length;
        if (!last) this.#rememberOffset(offset);
        this.#update({
          ...this.#status,
          pagesFetched: this.#status.pagesFetched + 1,
          interactionsCached: this.#status.interactionsCached + rows.length,
          itemsSkipped: this.#status.itemsSkipped + skipped,
        });
        const { pagesFetched, interactionsCached } = this.#status;
        // The first page shows the upstream answers; then one line per few pages is enough.
        if (!last && (pagesFetched === 1 || pagesFetched % PROGRESS_LOG_EVERY_PAGES === 0)) {
          this.#log.info(
            `Upstream ${this.#baseUrl}: ${count(pagesFetched, 'page')}, ${count(interactionsCached, 'interaction')} cached so far (offset ${offset}).`,
          );
        }
        if (last) break;
      }
      this.#rememberOffset(null);
      return this.#finish('succeeded', null, started);
    } catch (error) {
      if (abort.signal.aborted) return this.#finish('cancelled', null, started);
      const message =
        error instanceof UpstreamSyncError
          ? error.message
          : `Caching the upstream API's interactions failed: ${error instanceof Error ? error.message : String(error)}`;
      return this.#finish('failed', this.#redact(message), started);
    }
  }

  #readResumeOffset(): number | null {
    if (this.#resumeOffset === undefined) {
      let stored: number | null = null;
      try {
        stored = this.#checkpoint?.read() ?? null;
      } catch (error) {
        // Starting again at 0 costs time, not data: every item is upserted by interaction_id.
        this.#log.warn(
          `Upstream ${this.#baseUrl}: could not read where the last run stopped (${String(error)}); starting at 0.`,
        );
      }
      this.#resumeOffset = Number.isInteger(stored) && stored !== null && stored > 0 ? stored : null;
    }
    return this.#resumeOffset;
  }

  #rememberOffset(offset: number | null): void {
    this.#resumeOffset = offset;
    this.#checkpoint?.write(offset);
  }

  /** The page's items as interactions; an unusable item is logged (the first few) and counted. */
  #readItems(page: Page, offset: number): { rows: Interaction[]; skipped: number } {
    const rows: Interaction[] = [];
    let skipped = 0;
    page.recordings.forEach((item, index) => {
      try {
        const interaction = toInteraction(item);
        // Another Tapedeck's stand-in for a recording without metadata, not a call: this catalog
        // makes its own stand-ins from its own S3 listing.
        if (interaction.interaction_id.startsWith(STAND_IN_ID_PREFIX)) return;
        rows.push(interaction);
      } catch (error) {
        if (!(error instanceof FieldProblem)) throw error;
        skipped += 1;
        if (this.#status.itemsSkipped + skipped <= SKIPPED_ITEMS_LOGGED) {
          const id = itemId(item);
          this.#log.warn(
            `Upstream ${this.#baseUrl}: skipped item ${offset + index}${id ? ` (${id})` : ''}` +
              `${error.field ? `, field "${error.field}"` : ''}: ${error.message}`,
          );
        }
      }
    });
    return { rows, skipped };
  }

  /** One page, tried up to 1 + retryDelaysMs.length times when the failure may pass. */
  async #fetchPage(offset: number, signal: AbortSignal): Promise<Page> {
    for (let tries = 1; ; tries += 1) {
      const outcome = await this.#tryPage(offset, signal);
      if (!(outcome instanceof RetryableFailure)) return outcome;
      const wait = this.#retryDelaysMs[tries - 1];
      if (wait === undefined) throw new UpstreamSyncError(outcome.describe(tries));
      this.#log.warn(`${outcome.describe(tries)} Trying again in ${wait} ms.`);
      await waitBeforeRetry(wait, signal);
    }
  }

  async #tryPage(offset: number, signal: AbortSignal): Promise<Page | RetryableFailure> {
    const url = this.#pageUrl(offset);
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await this.#fetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        },
        signal: AbortSignal.any([signal, timeout]),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) {
        throw new UpstreamSyncError(
          `Could not reach the upstream API at ${this.#baseUrl}: GET ${url} got no complete answer within ` +
            `${this.#timeoutMs / 1000} s. Check TAPEDECK_UPSTREAM_URL and the network, or try again later.`,
        );
      }
      const reason = networkReason(error);
      return new RetryableFailure(
        (tries) =>
          `Could not reach the upstream API at ${this.#baseUrl} (${reason}${tries > 1 ? `, ${tries} tries` : ''}). ` +
          'Check TAPEDECK_UPSTREAM_URL and the network.',
      );
    }
    if (status === 401 || status === 403) {
      throw new UpstreamSyncError(
        `The upstream API at ${this.#baseUrl} refused the request (${status}). ` +
          (this.#token
            ? 'Check TAPEDECK_UPSTREAM_TOKEN.'
            : 'Check TAPEDECK_UPSTREAM_TOKEN: none is set, and this API seems to need one.'),
      );
    }
    if (status === 404) {
      const hint = /\/recordings$/i.test(this.#baseUrl)
        ? ' Leave "/recordings" off the end of TAPEDECK_UPSTREAM_URL.'
        : ' Set TAPEDECK_UPSTREAM_URL to the address the API is served at, e.g. https://recordings.example.com.';
      throw new UpstreamSyncError(
        `The upstream API at ${this.#baseUrl} answered 404 for GET ${url}: the URL does not look like a ` +
          `Recording API (no /recordings there).${hint}`,
      );
    }
    if (status >= 500 || status === 429) {
      const detail = detailOf(text);
      return new RetryableFailure(
        (tries) =>
          `The upstream API at ${this.#baseUrl} answered ${status} for GET ${url}` +
          `${tries > 1 ? ` (${tries} tries)` : ''}${detail ? `: ${detail}` : '.'}`,
      );
    }
    if (status < 200 || status > 299) {
      const detail = detailOf(text);
      throw new UpstreamSyncError(
        `The upstream API at ${this.#baseUrl} answered ${status} for GET ${url}${detail ? `: ${detail}` : '.'}`,
      );
    }
    return this.#parsePage(text, url, offset);
  }

  #parsePage(text: string, url: string, offset: number): Page {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstreamSyncError(
        `The upstream API at ${this.#baseUrl} answered GET ${url} (offset ${offset}) with something that is ` +
          `not JSON (${snippet(text) || 'an empty body'}). Check that TAPEDECK_UPSTREAM_URL is a Recording API.`,
      );
    }
    const page = pageSchema.safeParse(body);
    if (!page.success) {
      throw new UpstreamSyncError(
        `The upstream API at ${this.#baseUrl} answered GET ${url} (offset ${offset}) without a "recordings" ` +
          'list; a Recording API answers {"recordings": [...], "limit": …, "offset": …}. ' +
          'Check that TAPEDECK_UPSTREAM_URL is a Recording API.',
      );
    }
    return page.data;
  }

  #pageUrl(offset: number): string {
    return `${this.#baseUrl}/recordings?limit=${this.#pageSize}&offset=${offset}`;
  }

  /** The token must never reach a log or a message, even when an upstream echoes it back. */
  readonly #redact = (text: string): string =>
    this.#token ? text.split(this.#token).join('[TAPEDECK_UPSTREAM_TOKEN]') : text;

  #finish(state: UpstreamSyncState, error: string | null, started: number): UpstreamSyncStatus {
    const finished = this.#now();
    this.#update({ ...this.#status, state, error, finishedAt: new Date(finished).toISOString() });
    const { pagesFetched, interactionsCached, itemsSkipped } = this.#status;
    const summary =
      `${count(interactionsCached, 'interaction')} cached from ${count(pagesFetched, 'page')}` +
      `${itemsSkipped > 0 ? `, ${count(itemsSkipped, 'item')} skipped` : ''} in ${((finished - started) / 1000).toFixed(1)} s`;
    if (state === 'failed')
      this.#log.error(`Upstream sync from ${this.#baseUrl} failed (${summary}): ${error}`);
    else this.#log.info(`Upstream sync from ${this.#baseUrl} ${state}: ${summary}.`);
    return this.#status;
  }

  #update(status: UpstreamSyncStatus): void {
    this.#status = status;
    reportProgress(this.#onProgress, status, this.#log, 'Upstream sync');
  }
}

/** `1 page`, `1,050 interactions`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function itemId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { interaction_id?: unknown }).interaction_id;
  return typeof id === 'string' ? id : null;
}

/** `{"detail": …}` as the spec's errors carry it, else the start of the body. */
function detailOf(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    const detail = (body as { detail?: unknown } | null)?.detail;
    if (typeof detail === 'string') return snippet(detail);
    if (detail !== undefined) return snippet(JSON.stringify(detail));
  } catch {
    // not JSON: an HTML error page from a proxy, say
  }
  return snippet(text);
}

function snippet(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** undici says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  if (typeof code === 'string') return causeMessage ? `${code}: ${causeMessage}` : code;
  return causeMessage ?? (error instanceof Error ? error.message : String(error));
}

function redactingLogger(log: Logger, redact: (text: string) => string): Logger {
  return {
    info: (message) => log.info(redact(message)),
    warn: (message) => log.warn(redact(message)),
    error: (message) => log.error(redact(message)),
  };
}
