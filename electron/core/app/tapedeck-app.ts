import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { ContractHandlers, EventName, EventPayload, Reply } from '../../../shared/contract.ts';
import { CallsService } from '../calls/calls-service.ts';
import { readSyncInterval } from '../config.ts';
import { callContractMethod } from '../contract/call-contract-method.ts';
import { DownloadManager } from '../downloads/download-manager.ts';
import { readApiAccess } from '../http/api-access.ts';
import { createApiServer, listen } from '../http/api-server.ts';
import { registerWebRoutes } from '../http/web-routes.ts';
import { LibraryService } from '../library/library-service.ts';
import { LibrarySession, type DemoPolicy, type S3ClientFactory } from '../library/library-session.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { MediaResponse } from '../playback/media-response.ts';
import { PlaybackService } from '../playback/playback-service.ts';
import { openRecordingObject } from '../s3/recording-object.ts';
import { createS3Client } from '../s3/s3-client.ts';
import { ServiceError } from '../service-error.ts';
import { SettingsService } from '../settings/settings-service.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { SyncService } from '../sync/sync-service.ts';
import { readUpstreamConfig } from '../upstream/upstream-config.ts';
import type { AppPorts } from './app-ports.ts';
import {
  callsHandlers,
  downloadsHandlers,
  libraryHandlers,
  settingsHandlers,
  syncHandlers,
} from './domain-handlers.ts';

export type { S3ClientFactory } from '../library/library-session.ts';

export interface TapedeckAppOptions {
  /** The user-data folder: settings, the catalog, the demo's files. */
  readonly dataDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly ports: AppPorts;
  readonly log?: Logger;
  /** Web mode also serves the renderer and the contract over HTTP (headless `serve` and `demo`). */
  readonly webMode?: boolean;
  /** The built renderer (web mode). */
  readonly rendererDir?: string;
  /** When the demo library opens (see DemoPolicy); default `never`. */
  readonly demo?: DemoPolicy;
  /** false: do not start the local HTTP API (tests of the service alone). */
  readonly listen?: boolean;
  /** Desktop: a taken port is logged and the app runs without its API; headless: it is an error. */
  readonly portTakenIsFatal?: boolean;
  /** Tests add what their S3 emulator needs; default `createS3Client`. */
  readonly createS3Client?: S3ClientFactory;
  readonly now?: () => number;
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

/**
 * Tapedeck as the desktop shell and headless mode both run it: the library session, one service
 * per domain, the contract's handler table composed from the domains' handlers, and the local HTTP
 * API over the same services. This module only wires; behaviour lives in the domains.
 */
export async function startTapedeckApp(options: TapedeckAppOptions): Promise<TapedeckApp> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const makeClient: S3ClientFactory =
    options.createS3Client ?? ((location, credentials) => createS3Client(location, { credentials }));
  // Checked first: a refused setting must stop the start before anything is opened.
  const host = env.TAPEDECK_HOST?.trim() || '127.0.0.1';
  const access = readApiAccess(env, host);
  readSyncInterval(env);
  const upstream = readUpstreamConfig(env);

  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload);
  };

  const store = new SettingsStore(options.dataDir, options.ports.secretStore, log);
  const session = new LibrarySession({
    dataDir: options.dataDir,
    env,
    settings: store,
    demo: options.demo ?? 'never',
    log,
    createS3Client: makeClient,
    upstream,
  });
  let apiUrl: string | null = null;
  const sync = new SyncService(session, { intervalMinutes: () => settings.syncIntervalMinutes(), log });
  const settings = new SettingsService({
    env,
    store,
    session,
    ports: options.ports,
    createS3Client: makeClient,
    onSyncIntervalChanged: () => sync.reschedule(),
  });
  const library = new LibraryService(session, sync, () => apiUrl);
  const calls = new CallsService(session.library);
  const playback = new PlaybackService(session.library, log, now);
  const downloads = new DownloadManager({
    library: () => ({
      recordingOf: (interactionId) => session.library().calls.recordingOf(interactionId),
      open: (key, signal, range) => {
        const { storage, where } = session.library();
        if (!storage) throw new ServiceError('s3_config_missing', 'No S3 bucket is configured.');
        return openRecordingObject(storage.client, storage.location.bucket, key, where ?? '', {
          signal,
          range,
        });
      },
    }),
    downloadsDir: () => settings.downloadsDir(),
    onProgress: (download) => emit('downloads:progress', download),
    reveal: (path) => options.ports.revealInFolder(path),
    journalFile: join(options.dataDir, 'downloads-journal.json'),
  });

  const announceChange = () =>
    library.status().then(
      (status) => emit('library:changed', status),
      (error: unknown) => log.warn(`could not read the library status: ${String(error)}`),
    );
  session.on((event) => {
    if (event.type === 'opened') {
      if (event.open.library.storage) log.info(`${event.open.library.where}: syncing`);
      void sync.run();
    } else if (event.type === 'sync-progress') {
      emit('sync:progress', event.status);
    } else if (event.type === 'changed') {
      void announceChange();
    }
  });
  await session.start();
  downloads.resumeInterrupted();
  sync.startSchedule();

  const handlers: ContractHandlers = {
    ...libraryHandlers(library),
    ...callsHandlers(calls, { downloadsDir: () => settings.downloadsDir(), now, log }),
    ...downloadsHandlers(downloads),
    ...settingsHandlers(settings),
    ...syncHandlers(sync),
  };
  const call = (method: unknown, input: unknown) => callContractMethod(handlers, method, input, log);
  const onEvent = (listener: (event: EventName, payload: unknown) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const openMedia = (key: string, range: string | undefined) => playback.openMedia(key, range);

  async function shutDown(): Promise<void> {
    sync.stop();
    await downloads.close();
    await session.close();
    listeners.clear();
  }

  let server: FastifyInstance | null = null;
  if (options.listen !== false) {
    server = createApiServer({ calls, playback, sync }, log, access);
    if (options.webMode) {
      registerWebRoutes(server, { call, onEvent, openMedia }, { rendererDir: options.rendererDir, log });
    }
    try {
      apiUrl = await listen(server, host, settings.apiPort());
    } catch (error) {
      if (options.portTakenIsFatal !== false) {
        await shutDown();
        throw error;
      }
      log.warn(`The local API is off: ${error instanceof Error ? error.message : String(error)}`);
      server = null;
    }
  }

  return {
    call,
    onEvent,
    openMedia,
    handlers,
    get apiUrl() {
      return apiUrl;
    },
    async close() {
      await server?.close();
      await shutDown();
    },
  };
}
