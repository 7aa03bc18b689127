import type { ContractHandlers } from '../../../shared/contract.ts';
import { CallsService } from '../calls/calls-service.ts';
import { readSyncInterval } from '../config.ts';
import { callContractMethod } from '../contract/call-contract-method.ts';
import { downloadsOfOpenLibrary } from '../downloads/session-downloads.ts';
import { readApiAccess } from '../http/api-access.ts';
import { createApiServer } from '../http/api-server.ts';
import { registerWebRoutes } from '../http/web-routes.ts';
import { LibraryService } from '../library/library-service.ts';
import { LibrarySession, type S3ClientFactory } from '../library/library-session.ts';
import { silentLogger } from '../logger.ts';
import { PlaybackService } from '../playback/playback-service.ts';
import { CalibrationService } from '../reviews/calibration.ts';
import { reviewIdSource } from '../reviews/review-ids.ts';
import { ReviewsService } from '../reviews/reviews-service.ts';
import { createS3Client } from '../s3/s3-client.ts';
import { SettingsService } from '../settings/settings-service.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { SyncService } from '../sync/sync-service.ts';
import { TeamService } from '../team/team-service.ts';
import { TranscriptsService } from '../transcripts/transcripts-service.ts';
import { readUpstreamConfig } from '../upstream/upstream-config.ts';
import * as domains from './domain-handlers.ts';
import { EventHub } from './event-hub.ts';
import { listenUnlessOff } from './local-api.ts';
import type { TapedeckApp, TapedeckAppOptions } from './tapedeck-app-types.ts';

export type { S3ClientFactory } from '../library/library-session.ts';
export type { TapedeckApp, TapedeckAppOptions } from './tapedeck-app-types.ts';

/**
 * Tapedeck as the desktop shell and headless mode run it: the library session, one service per
 * domain, the handler table composed from the domains' handlers, and the local HTTP API over the
 * same services. This module only wires; behaviour lives in the domains (docs/architecture.md).
 */
export async function startTapedeckApp(options: TapedeckAppOptions): Promise<TapedeckApp> {
  const { dataDir, ports } = options;
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const createClient: S3ClientFactory =
    options.createS3Client ??
    ((location, credentials, profile) => createS3Client(location, { credentials, profile }));
  // Read first: a refused setting stops the start before anything is opened.
  const host = env.TAPEDECK_HOST?.trim() || '127.0.0.1';
  const access = readApiAccess(env, host);
  readSyncInterval(env);
  const upstream = readUpstreamConfig(env);

  const events = new EventHub();
  const store = new SettingsStore(dataDir, ports.secretStore, log);
  const demo = options.demo ?? 'never';
  const session = new LibrarySession({
    user: { mode: options.webMode ? (demo === 'force' ? 'demo' : 'serve') : 'desktop', url: () => apiUrl },
    dataDir,
    env,
    settings: store,
    demo,
    log,
    createS3Client: createClient,
    upstream,
  });
  const sync = new SyncService(session, { intervalMinutes: () => settings.syncIntervalMinutes(), log });
  const settings = new SettingsService({
    env,
    store,
    session,
    ports,
    createS3Client: createClient,
    onSyncIntervalChanged: () => sync.reschedule(),
  });
  let apiUrl: string | null = null;
  const library = new LibraryService(session, sync, () => apiUrl);
  const calls = new CallsService(session.library);
  const playback = new PlaybackService(session.library, log, now);
  const transcripts = new TranscriptsService(session.library);
  // With a bucket open (not the demo), reviews are the team's: stamped with the team identity and shared.
  const shared = () => session.current.demo === null && session.library().storage !== null;
  const reviewer = (): string => team.reviewerId();
  const reviews: ReviewsService = new ReviewsService(session.library, {
    reviewer,
    newId: reviewIdSource(() => new Date(now())),
    now,
    share: shared,
    onQueued: () => team.changed(),
    onChanged: (change) => events.emit('reviews:changed', change),
  });
  const team: TeamService = new TeamService({
    library: session.library,
    shared,
    reviewStore: () => reviews.store(),
    teamPrefix: () => settings.teamPrefix(),
    reviewerName: () => settings.reviewerName(),
    now,
    log,
    onChanged: (status) => events.emit('team:changed', status),
    onReviewChanged: (change) => events.emit('reviews:changed', change),
  });
  sync.register(team.participant);
  const calibration = new CalibrationService(session.library, reviews);
  const downloadsDir = () => settings.downloadsDir();
  const downloads = downloadsOfOpenLibrary({
    library: session.library,
    dataDir,
    downloadsDir,
    reveal: (path) => ports.revealInFolder(path),
    onProgress: (download) => events.emit('downloads:progress', download),
  });

  session.on((event) => {
    if (event.type === 'opened') void sync.run();
    else if (event.type === 'sync-progress') events.emit('sync:progress', event.status);
    else if (event.type === 'changed') {
      library.status().then(
        (status) => events.emit('library:changed', status),
        (error: unknown) => log.warn(`could not read the library status: ${String(error)}`),
      );
    }
  });
  await session.start();
  downloads.resumeInterrupted();
  sync.startSchedule();

  const handlers: ContractHandlers = {
    ...domains.libraryHandlers(library),
    ...domains.callsHandlers(calls, {
      downloadsDir,
      now,
      log,
      onExported: (path, rows) => downloads.recordExport(path, rows),
    }),
    ...domains.downloadsHandlers(downloads),
    ...domains.settingsHandlers(settings),
    ...domains.syncHandlers(sync),
    ...domains.reviewsHandlers(reviews, { downloadsDir, reviewer, now, log }),
    ...domains.calibrationHandlers(calibration, { downloadsDir, now, log }),
    ...domains.transcriptsHandlers(transcripts),
    ...domains.teamHandlers(team),
  };
  const call = (method: unknown, input: unknown) => callContractMethod(handlers, method, input, log);
  const onEvent = events.on.bind(events);
  const openMedia = (key: string, range: string | undefined) => playback.openMedia(key, range);
  const shutDown = async () => {
    sync.stop();
    team.close();
    await downloads.close();
    await session.close();
    events.clear();
  };

  const server = createApiServer(
    {
      calls,
      playback,
      sync,
      reviews,
      calibration,
      transcripts,
      team,
      facets: () => session.library().calls.facets(),
    },
    log,
    access,
  );
  if (options.webMode)
    registerWebRoutes(server, { call, onEvent, openMedia }, { rendererDir: options.rendererDir, log });
  apiUrl = await listenUnlessOff(server, host, settings.apiPort(), { ...options, log, shutDown });
  session.reclaimCatalog();

  return {
    call,
    onEvent,
    openMedia,
    handlers,
    get apiUrl() {
      return apiUrl;
    },
    async close() {
      await server.close();
      await shutDown();
    },
  };
}
