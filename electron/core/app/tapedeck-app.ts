import { ListObjectsV2Command, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ContractHandlers,
  EventName,
  EventPayload,
  LibraryStatus,
  Reply,
  SettingsUpdate,
} from '../../../shared/contract.ts';
import { CallQueries } from '../catalog/call-queries.ts';
import { readConfig, readSyncInterval, type S3Location, type TapedeckConfig } from '../config.ts';
import { callContractMethod } from '../contract/call-contract-method.ts';
import { DEMO_CREDENTIALS, startDemoLibrary, type DemoLibrary } from '../demo/demo-library.ts';
import { DownloadManager } from '../downloads/download-manager.ts';
import { readApiAccess } from '../http/api-access.ts';
import { createApiServer, listen } from '../http/api-server.ts';
import { registerWebRoutes } from '../http/web-routes.ts';
import { exportFileName } from '../export/calls-csv.ts';
import { describeImport } from '../import/import-interactions.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { openRecordingObject } from '../s3/recording-object.ts';
import { createS3Client } from '../s3/s3-client.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import { ServiceError } from '../service-error.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { SyncScheduler } from '../sync/sync-scheduler.ts';
import { catalogCheckpoint } from '../upstream/upstream-checkpoint.ts';
import { readUpstreamConfig } from '../upstream/upstream-config.ts';
import { UpstreamSync } from '../upstream/upstream-sync.ts';
import { createTapedeckCore, type TapedeckCore } from '../tapedeck-core.ts';
import type { AppPorts } from './app-ports.ts';
import { openMedia } from './media-stream.ts';
import type { MediaResponse } from './media-response.ts';
import { chooseLibrary, settingsView, type LibraryChoice } from './resolve-library.ts';

type Env = Readonly<Record<string, string | undefined>>;
export type S3ClientFactory = (
  location: S3Location,
  credentials: S3ClientConfig['credentials'] | undefined,
) => S3Client;

export interface TapedeckAppOptions {
  /** The user-data folder: settings, the catalog, the demo's files. */
  readonly dataDir: string;
  readonly env?: Env;
  readonly ports: AppPorts;
  readonly log?: Logger;
  /** Web mode also serves the renderer and the contract over HTTP (headless `serve` and `demo`). */
  readonly webMode?: boolean;
  /** The built renderer (web mode). */
  readonly rendererDir?: string;
  /** `force`: `npm run demo`; `when-unconfigured`: the desktop app; `never`: `npm run serve`. */
  readonly demo?: 'force' | 'when-unconfigured' | 'never';
  /** false: do not start the local HTTP API (tests of the service alone). */
  readonly listen?: boolean;
  /** Desktop: a taken port is logged and the app runs without its API; headless: it is an error. */
  readonly portTakenIsFatal?: boolean;
  /** Tests add what their S3 emulator needs; default `createS3Client`. */
  readonly createS3Client?: S3ClientFactory;
}

export interface TapedeckApp {
  /** Validates the method and input against the contract and answers a Reply; never throws. */
  call(method: unknown, input: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  openMedia(key: string, range: string | undefined): Promise<MediaResponse>;
  readonly apiUrl: string | null;
  readonly handlers: ContractHandlers;
  close(): Promise<void>;
}

/** The library open now: its catalog and service, and the demo server behind it if it is the demo. */
interface OpenLibrary {
  readonly choice: LibraryChoice;
  readonly core: TapedeckCore;
  /** Pulls calls from TAPEDECK_UPSTREAM_URL into this library's catalog, when it is set. */
  readonly upstream: UpstreamSync | null;
  readonly calls: CallQueries;
  readonly demo: DemoLibrary | null;
  readonly where: string | null;
}

/**
 * The application service the desktop shell and headless mode both run: it owns the settings, the
 * open library (a bucket, or the demo), downloads and the local HTTP API, and answers every
 * contract method. IPC handlers and HTTP routes call into it, so they cannot drift apart.
 */
export async function startTapedeckApp(options: TapedeckAppOptions): Promise<TapedeckApp> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const makeClient =
    options.createS3Client ?? ((location, credentials) => createS3Client(location, { credentials }));
  // Checked first: a refused setting must stop the start before anything is opened.
  const host = env.TAPEDECK_HOST?.trim() || '127.0.0.1';
  const access = readApiAccess(env, host);
  const settings = new SettingsStore(options.dataDir, options.ports.secretStore, log);
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload);
  };

  const downloadsDir = () =>
    env.TAPEDECK_DOWNLOADS_DIR?.trim() ||
    settings.current.downloadsDir.trim() ||
    options.ports.defaultDownloadsDir;
  // TAPEDECK_PORT (or PORT) wins; else the port saved in Settings (default 8000).
  const apiPort = () =>
    env.TAPEDECK_PORT?.trim() || env.PORT?.trim() ? readConfig(env).port : settings.current.apiPort;

  const syncIntervalMinutes = () => readSyncInterval(env) ?? settings.current.syncIntervalMinutes;
  readSyncInterval(env); // a bad value stops the start with a clear error
  const upstreamConfig = readUpstreamConfig(env);

  let library = await openLibrary(choose());
  let apiUrl: string | null = null;

  function choose(): LibraryChoice {
    return chooseLibrary(env, settings.current, settings.storedKeys(), {
      demoWhenUnconfigured: options.demo === 'when-unconfigured',
      forceDemo: options.demo === 'force',
    });
  }

  async function openLibrary(choice: LibraryChoice): Promise<OpenLibrary> {
    const demo = choice.mode === 'demo' ? await startDemoLibrary(join(options.dataDir, 'demo')) : null;
    const location = demo?.location ?? choice.location;
    const credentials = demo ? DEMO_CREDENTIALS : choice.credentials;
    const config: TapedeckConfig = {
      s3: location,
      host: '127.0.0.1',
      port: 0,
      dataDir: demo ? join(options.dataDir, 'demo') : options.dataDir,
      interactionsFile: undefined,
    };
    const core = createTapedeckCore(config, {
      log,
      createS3Client: (where) => makeClient(where, credentials),
      onSyncProgress: (status) => {
        emit('sync:progress', status);
        if (status.state !== 'running') emitLibraryChanged();
      },
    });
    const upstream =
      upstreamConfig && !demo
        ? new UpstreamSync({
            ...upstreamConfig,
            store: core.store,
            log,
            checkpoint: catalogCheckpoint(core.store, upstreamConfig.baseUrl),
            onProgress: (progress) => {
              if (progress.state !== 'running') emitLibraryChanged();
            },
          })
        : null;
    const opened: OpenLibrary = {
      choice,
      core,
      upstream,
      calls: new CallQueries(core.catalog),
      demo,
      where: location
        ? `s3://${location.bucket}/${location.prefix}${location.endpoint && !demo ? ` (${location.endpoint})` : ''}`
        : null,
    };
    const interactionsFile = demo?.callsFile ?? env.INTERACTIONS_FILE?.trim();
    if (interactionsFile) log.info(describeImport(await core.service.importInteractions(interactionsFile)));
    if (location) {
      log.info(`${demo ? 'Demo library' : 'Library'} ${opened.where}: syncing the S3 listing`);
      void core.service.sync().catch(() => {}); // the outcome is in the sync status
    }
    if (upstream) void upstream.run().catch(() => {});
    return opened;
  }

  async function closeLibrary(open: OpenLibrary): Promise<void> {
    open.upstream?.cancel();
    open.core.close();
    await open.demo?.close();
  }

  async function status(): Promise<LibraryStatus> {
    const { core, calls, choice, demo } = library;
    const sync = core.service.syncStatus();
    let expiresAt: string | null = null;
    let problem: string | null = null;
    if (choice.mode === 'unconfigured') {
      problem = 'No S3 bucket is configured. Open Settings to choose one, or set S3_BUCKET.';
    } else if (core.s3Client && !demo) {
      try {
        const identity = await core.s3Client.config.credentials();
        expiresAt = identity.expiration?.toISOString() ?? null;
      } catch (error) {
        problem = describeS3Failure(error, library.where ?? '').message;
      }
    }
    if (problem === null && sync?.state === 'failed') problem = sync.error;
    return {
      mode: choice.mode,
      location: library.where,
      counts: core.service.counts(),
      facets: calls.facets(),
      sync,
      upstream: library.upstream?.status() ?? null,
      credentials: { source: demo ? 'demo' : choice.credentialSource, expiresAt },
      problem,
      apiUrl,
    };
  }

  function emitLibraryChanged(): void {
    status().then(
      (current) => emit('library:changed', current),
      (error: unknown) => log.warn(`could not read the library status: ${String(error)}`),
    );
  }

  const downloads = new DownloadManager({
    library: () => ({
      recordingOf: (interactionId) => library.calls.recordingOf(interactionId),
      open: (key, signal, range) => {
        const { core } = library;
        if (!core.s3Client || !core.config.s3) {
          throw new ServiceError('s3_config_missing', 'No S3 bucket is configured.');
        }
        return openRecordingObject(core.s3Client, core.config.s3.bucket, key, library.where ?? '', {
          signal,
          range,
        });
      },
    }),
    downloadsDir,
    onProgress: (download) => emit('downloads:progress', download),
    reveal: (path) => options.ports.revealInFolder(path),
    journalFile: join(options.dataDir, 'downloads-journal.json'),
  });
  downloads.resumeInterrupted();

  /** Reopens the library when a change touches where recordings come from. */
  async function applySettings(change: SettingsUpdate): Promise<void> {
    const before = JSON.stringify(choose());
    settings.update(change);
    if ('syncIntervalMinutes' in change) scheduler.reschedule();
    const next = choose();
    if (JSON.stringify(next) === before && !('accessKeyId' in change) && !('profile' in change)) return;
    const previous = library;
    library = await openLibrary(next);
    await closeLibrary(previous);
    emitLibraryChanged();
  }

  const handlers: ContractHandlers = {
    'library:status': () => status(),
    'recordings:list': async (query) => ({ ...library.calls.list(query), offset: query.offset }),
    'recordings:export': async (filter) => {
      const folder = downloadsDir();
      await mkdir(folder, { recursive: true });
      const { path, rows } = await library.core.service.exportCsvFile(
        filter,
        join(folder, exportFileName(new Date())),
      );
      log.info(`Exported ${rows.toLocaleString('en-US')} calls to ${path}`);
      return { path, rows };
    },
    'recordings:waveform': async ({ key }) => library.calls.waveform(key),
    'recordings:saveWaveform': async ({ key, waveform }) => {
      const recording = library.calls.recordingByKey(key);
      if (!recording) throw new ServiceError('not_found', 'That recording is not in the catalog.');
      library.calls.saveWaveform(key, recording.etag, waveform, Date.now());
      return { saved: true };
    },
    'downloads:start': async ({ interactionIds }) => downloads.start(interactionIds),
    'downloads:cancel': async ({ id }) => downloads.cancel(id),
    'downloads:list': async () => downloads.list(),
    'downloads:reveal': async ({ id }) => ({ shown: await downloads.reveal(id) }),
    'settings:get': async () => currentSettingsView(),
    'settings:update': async (change) => {
      await applySettings(change);
      return currentSettingsView();
    },
    'settings:testConnection': (change) => testConnection(change),
    'sync:start': async () => {
      const service = library.core.service;
      if (!service.syncStatus()) {
        throw new ServiceError(
          's3_config_missing',
          'No S3 bucket is configured. Open Settings to choose one.',
        );
      }
      syncNow();
      return service.syncStatus()!;
    },
  };

  /** A sync of the listing and a pull from the upstream API; progress and failures arrive as events. */
  function syncNow(): Promise<unknown> {
    const { core, upstream } = library;
    return Promise.allSettled([
      core.service.syncStatus() ? core.service.sync() : Promise.resolve(),
      upstream ? upstream.run() : Promise.resolve(),
    ]);
  }

  // The periodic background sync (Settings → sync interval, or TAPEDECK_SYNC_INTERVAL_MINUTES).
  const scheduler = new SyncScheduler({ intervalMinutes: syncIntervalMinutes, run: syncNow, log });
  scheduler.start();

  function currentSettingsView() {
    return settingsView(settings.current, env, settings.current.encryptedKeys !== null, {
      downloadsDir: downloadsDir(),
      apiPort: apiPort(),
      syncIntervalMinutes: syncIntervalMinutes(),
    });
  }

  async function testConnection(change: SettingsUpdate): Promise<{ ok: boolean; message: string }> {
    const preview = settings.preview(change);
    const choice = chooseLibrary(env, preview.settings, preview.keys, { demoWhenUnconfigured: false });
    if (!choice.location) return { ok: false, message: 'Enter a bucket name first.' };
    const { bucket, prefix, endpoint } = choice.location;
    const where = `s3://${bucket}/${prefix}${endpoint ? ` (${endpoint})` : ''}`;
    const client = makeClient(choice.location, choice.credentials);
    try {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 100 }),
      );
      const recordings = (page.Contents ?? []).filter((object) => object.Key?.endsWith('.mp4')).length;
      return {
        ok: true,
        message:
          page.KeyCount === 0
            ? `Connected to ${where}, but there is nothing under this prefix yet. Check the prefix.`
            : `Connected to ${where}: ${recordings} recording${recordings === 1 ? '' : 's'} in the first ${page.KeyCount} objects.`,
      };
    } catch (error) {
      return { ok: false, message: describeS3Failure(error, where).message };
    } finally {
      client.destroy();
    }
  }

  let server: FastifyInstance | null = null;
  if (options.listen !== false) {
    server = createApiServer(() => library.core.service, log, access);
    const app = { call, onEvent, openMedia: media };
    if (options.webMode) registerWebRoutes(server, app, { rendererDir: options.rendererDir, log });
    try {
      apiUrl = await listen(server, host, apiPort());
    } catch (error) {
      if (options.portTakenIsFatal !== false) {
        await closeLibrary(library);
        throw error;
      }
      log.warn(`The local API is off: ${error instanceof Error ? error.message : String(error)}`);
      server = null;
    }
  }

  function call(method: unknown, input: unknown): Promise<Reply<unknown>> {
    return callContractMethod(handlers, method, input, log);
  }

  function onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function media(key: string, range: string | undefined): Promise<MediaResponse> {
    return openMedia(library.core, library.calls, library.where ?? '', key, range);
  }

  return {
    call,
    onEvent,
    openMedia: media,
    handlers,
    get apiUrl() {
      return apiUrl;
    },
    async close() {
      scheduler.stop();
      await server?.close();
      await downloads.close();
      await closeLibrary(library);
      listeners.clear();
    },
  };
}
