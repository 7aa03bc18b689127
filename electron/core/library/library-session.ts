import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { markCatalogInUse } from '../catalog/catalog-in-use.ts';
import { describeLocation, type S3Location, type TapedeckConfig } from '../config.ts';
import { DEMO_CREDENTIALS, startDemoLibrary, type DemoLibrary } from '../demo/demo-library.ts';
import { describeImport, importInteractionsFile } from '../import/import-interactions.ts';
import type { Logger } from '../logger.ts';
import { ServiceError } from '../service-error.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { SyncStatus } from '../sync/listing-sync.ts';
import { catalogCheckpoint } from '../upstream/upstream-checkpoint.ts';
import type { UpstreamConfig } from '../upstream/upstream-config.ts';
import { UpstreamSync, type UpstreamSyncStatus } from '../upstream/upstream-sync.ts';
import { chooseLibrary, DEMO_CHOICE, type LibraryChoice } from './choose-library.ts';
import { demoDataDir } from './demo-data-dir.ts';
import { openLibrary, type Library } from './open-library.ts';

type Env = Readonly<Record<string, string | undefined>>;
export type S3ClientFactory = (
  location: S3Location,
  credentials: S3ClientConfig['credentials'] | undefined,
  /** A profile saved in Settings: the client takes its region from it when none is set. */
  profile?: string,
) => S3Client;

/**
 * When the demo library is opened: `force` (`npm run demo`) until a bucket is saved in Settings,
 * `when-unconfigured` (the desktop app) while neither Settings nor the environment name one,
 * `never` (`npm run serve`).
 */
export type DemoPolicy = 'force' | 'when-unconfigured' | 'never';

export interface LibrarySessionOptions {
  /** The user-data folder: the catalog, and the demo's own folder. */
  readonly dataDir: string;
  readonly env: Env;
  readonly settings: SettingsStore;
  readonly demo: DemoPolicy;
  readonly log: Logger;
  readonly createS3Client: S3ClientFactory;
  /** TAPEDECK_UPSTREAM_URL: a Recording API pulled into every library but the demo. */
  readonly upstream: UpstreamConfig | null;
  /** How often another process's writes to the catalog are looked for (ms). */
  readonly watchEveryMs?: number;
  /** How this app runs and where its API is, for `npm run import` to tell who has a catalog open. */
  readonly user?: { readonly mode: string; readonly url: () => string | null };
}

/** The library open now, and what came with it. */
export interface OpenLibrary {
  readonly choice: LibraryChoice;
  readonly library: Library;
  /** Pulls calls from TAPEDECK_UPSTREAM_URL into this library's catalog, when it is set. */
  readonly upstream: UpstreamSync | null;
  /** The demo's S3 server, when this is the demo. */
  readonly demo: DemoLibrary | null;
  /** Takes back the claim on the catalog folder (catalog-in-use.ts). */
  readonly release: () => void;
}

export type SessionEvent =
  /** A library was opened (at start, or after a switch): a sync should start. */
  | { readonly type: 'opened'; readonly open: OpenLibrary }
  /** The catalog or the configuration changed: lists and counts should be read again. */
  | { readonly type: 'changed' }
  | { readonly type: 'sync-progress'; readonly status: SyncStatus }
  | { readonly type: 'upstream-progress'; readonly status: UpstreamSyncStatus };

/**
 * What is open: a bucket, the demo, or nothing yet. It decides which library the settings and the
 * environment name, opens it (its catalog, S3 client, listing sync, upstream pull), switches when
 * they change or the user asks for the demo, and notices another process writing the catalog (an
 * import). The domain services reach the open library through it, never hold one.
 */
export class LibrarySession {
  readonly #options: LibrarySessionOptions;
  readonly #listeners = new Set<(event: SessionEvent) => void>();
  #open: OpenLibrary | null = null;
  /** "Open the demo library" was chosen while a bucket is configured; lasts until the next switch. */
  #demoChosen = false;
  #watcher: NodeJS.Timeout | null = null;
  #dataVersion: number | null = null;

  constructor(options: LibrarySessionOptions) {
    this.#options = options;
  }

  /** Opens the library the settings and environment name (or the demo, per the policy). */
  async start(): Promise<void> {
    this.#open = await this.#openChoice(this.choose());
    this.#watch();
    this.#emit({ type: 'opened', open: this.#open });
  }

  get current(): OpenLibrary {
    if (!this.#open) throw new Error('The library session has not started.');
    return this.#open;
  }

  /** The open library: what the domain services read. */
  readonly library = (): Library => this.current.library;

  on(listener: (event: SessionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What should be open now. */
  choose(): LibraryChoice {
    if (this.#demoChosen) return DEMO_CHOICE;
    const { env, settings, demo } = this.#options;
    if (demo === 'force' && !settings.current.bucket.trim()) return DEMO_CHOICE;
    return chooseLibrary(env, settings.current, settings.storedKeys(), {
      demoWhenUnconfigured: demo !== 'never',
    });
  }

  /** A bucket is named by the settings or the environment, whatever is open now. */
  bucketConfigured(): boolean {
    const { env, settings } = this.#options;
    return (
      chooseLibrary(env, settings.current, settings.storedKeys(), { demoWhenUnconfigured: false }).mode ===
      'bucket'
    );
  }

  /**
   * Settings changed: reopens when what should be open is not what is (or when credentials changed,
   * which the choice does not show). Leaves the demo the user chose by hand only for a new bucket.
   */
  async settingsChanged(credentialsChanged: boolean, locationChanged: boolean): Promise<void> {
    if (locationChanged) this.#demoChosen = false;
    const next = this.choose();
    if (!credentialsChanged && sameChoice(next, this.current.choice)) return;
    await this.#switchTo(next);
  }

  /** `library:open`: the demo, or the library the settings name. */
  async open(source: 'demo' | 'settings'): Promise<void> {
    if (source === 'settings') {
      if (!this.bucketConfigured()) {
        throw new ServiceError(
          'config_invalid',
          'No S3 bucket is configured yet: open Settings and save your bucket first.',
        );
      }
      this.#demoChosen = false;
    } else {
      this.#demoChosen = true;
    }
    const next = this.choose();
    if (!sameChoice(next, this.current.choice)) await this.#switchTo(next);
  }

  async close(): Promise<void> {
    if (this.#watcher) clearInterval(this.#watcher);
    this.#watcher = null;
    const open = this.#open;
    this.#open = null;
    if (open) await closeOpenLibrary(open);
    this.#listeners.clear();
  }

  async #switchTo(choice: LibraryChoice): Promise<void> {
    const previous = this.current;
    this.#open = await this.#openChoice(choice);
    this.#dataVersion = null;
    await closeOpenLibrary(previous);
    this.#emit({ type: 'opened', open: this.#open });
    this.#emit({ type: 'changed' });
  }

  async #openChoice(choice: LibraryChoice): Promise<OpenLibrary> {
    const { dataDir, env, log, createS3Client, upstream: upstreamConfig } = this.#options;
    const demo = choice.mode === 'demo' ? await startDemoLibrary(demoDataDir(dataDir)) : null;
    const location = demo?.location ?? choice.location;
    const credentials = demo ? DEMO_CREDENTIALS : choice.credentials;
    const config: TapedeckConfig = {
      s3: location,
      host: '127.0.0.1',
      port: 0,
      dataDir: demo ? demoDataDir(dataDir) : dataDir,
      interactionsFile: undefined,
    };
    const library = openLibrary(config, {
      log,
      createS3Client: (where) => createS3Client(where, credentials, demo ? undefined : choice.profile),
      onSyncProgress: (status) => {
        this.#emit({ type: 'sync-progress', status });
        if (status.state !== 'running') this.#emit({ type: 'changed' });
      },
      // The demo's server is an implementation detail: it is named by its bucket alone.
      describeAs: demo ? describeLocation({ ...demo.location, endpoint: undefined }) : undefined,
    });
    const upstream =
      upstreamConfig && !demo
        ? new UpstreamSync({
            ...upstreamConfig,
            store: library.store,
            log,
            checkpoint: catalogCheckpoint(library.store, upstreamConfig.baseUrl),
            onProgress: (status) => {
              this.#emit({ type: 'upstream-progress', status });
              if (status.state !== 'running') this.#emit({ type: 'changed' });
            },
          })
        : null;
    log.info(
      `${demo ? 'Demo library' : 'Library'} ${library.where ?? '(no bucket configured)'}: catalog ${library.catalogFile}`,
    );
    const interactionsFile = demo?.callsFile ?? env.INTERACTIONS_FILE?.trim();
    if (interactionsFile)
      log.info(describeImport(await importInteractionsFile(library.store, interactionsFile)));
    return { choice, library, upstream, demo, release: this.#claim(config.dataDir) };
  }

  /** The API's address is known once it listens: says it beside the catalog too. */
  reclaimCatalog(): void {
    const open = this.current;
    open.release();
    this.#open = { ...open, release: this.#claim(open.library.config.dataDir) };
  }

  #claim(catalogDir: string): () => void {
    const { user, log } = this.#options;
    if (!user) return () => {};
    try {
      return markCatalogInUse(catalogDir, { pid: process.pid, url: user.url(), mode: user.mode });
    } catch (error) {
      // Advisory only: an import then cannot say an app has the catalog open, nothing worse.
      log.warn(`could not mark the catalog in use: ${String(error)}`);
      return () => {};
    }
  }

  /**
   * Another process (an import) committing to the catalog moves its data_version; the page is told
   * within a few seconds. This connection's own writes announce themselves (sync progress).
   */
  #watch(): void {
    this.#watcher = setInterval(() => {
      const { catalog } = this.current.library;
      if (!catalog.open) return;
      const version = catalog.pragma('data_version', { simple: true }) as number;
      if (this.#dataVersion !== null && version !== this.#dataVersion) this.#emit({ type: 'changed' });
      this.#dataVersion = version;
    }, this.#options.watchEveryMs ?? 2000);
    this.#watcher.unref();
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's failure is its own: the session and the other listeners go on.
        this.#options.log.warn(`a ${event.type} listener failed: ${String(error)}`);
      }
    }
  }
}

async function closeOpenLibrary(open: OpenLibrary): Promise<void> {
  open.release();
  open.upstream?.cancel();
  open.library.close();
  await open.demo?.close();
}

function sameChoice(a: LibraryChoice, b: LibraryChoice): boolean {
  const { credentials: _a, ...restA } = a;
  const { credentials: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
