import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { DISPATCH_ID_PATTERN_TEXT, parseDispatchId } from '../../../shared/dispatch.ts';
import {
  EXPIRES_IN_DEFAULT,
  EXPIRES_IN_MAX,
  EXPIRES_IN_MIN,
  LIST_LIMIT_DEFAULT,
} from '../../../shared/recording.ts';
import type { Logger } from '../logger.ts';
import type { CallsService } from '../calls/calls-service.ts';
import type { PlaybackService } from '../playback/playback-service.ts';
import type { CalibrationService } from '../reviews/calibration.ts';
import type { ReviewsService } from '../reviews/reviews-service.ts';
import type { SyncService } from '../sync/sync-service.ts';
import type { TeamService } from '../team/team-service.ts';
import type { TranscriptsService } from '../transcripts/transcripts-service.ts';
import { ServiceError, type ServiceErrorCode } from '../service-error.ts';
import {
  RequestValidationError,
  patternMismatch,
  readIntegerQuery,
  type QueryValues,
} from './fastapi-validation.ts';
import { LOOPBACK_ONLY, registerApiAccessGuards, type ApiAccess } from './api-access.ts';
import { CALIBRATION_PATH, registerCalibrationRoutes } from './calibration-routes.ts';
import { readListFilter, readListPaging, type KnownValues } from './list-filter-query.ts';
import { openApiDocument } from './openapi.ts';
import { registerReviewRoutes } from './review-routes.ts';
import { syncReply } from './sync-reply.ts';
import { registerTeamRoutes } from './team-routes.ts';
import { registerTranscriptRoutes, TRANSCRIPT_PATH } from './transcript-routes.ts';

const STATUS_OF: Readonly<Record<ServiceErrorCode, number>> = {
  not_found: 404,
  invalid_input: 422,
  s3_config_missing: 500,
  config_invalid: 500,
  credentials_unavailable: 500,
  s3_refused: 502,
  s3_unavailable: 503,
  conflict: 409,
  io_error: 500,
  internal: 500,
};

const EXPIRES_IN_RULE = { default: EXPIRES_IN_DEFAULT, ge: EXPIRES_IN_MIN, le: EXPIRES_IN_MAX } as const;

/** Paths we serve, for telling "no such route" (404) from "not with that method" (405). */
const KNOWN_PATHS: readonly [RegExp, string][] = [
  [/^\/recordings\/[^/]+$/, 'GET, HEAD'],
  [TRANSCRIPT_PATH, 'GET, HEAD'],
  [/^\/recordings$/, 'GET, HEAD'],
  [/^\/recordings\.csv$/, 'GET, HEAD'],
  [/^\/openapi\.json$/, 'GET, HEAD'],
  [/^\/sync$/, 'GET, HEAD, POST'],
  [/^\/forms$/, 'GET, HEAD'],
  [/^\/reviews$/, 'GET, HEAD, POST'],
  [/^\/reviews\.csv$/, 'GET, HEAD'],
  [/^\/reviews\/[^/]+$/, 'GET, HEAD'],
  [/^\/team$/, 'GET, HEAD'],
  [CALIBRATION_PATH, 'GET, HEAD'],
];

/** The domain services the routes call: the same ones the app's contract handlers call. */
export interface ApiServices {
  readonly calls: CallsService;
  readonly playback: PlaybackService;
  readonly sync: SyncService;
  /** The review routes (`/forms`, `/reviews`…), where the app has reviews. */
  readonly reviews?: ReviewsService;
  /** `GET /team`, and the team's pull and push awaited by `POST /sync`, where the app shares reviews. */
  readonly team?: TeamService;
  /** `GET /calibration`, where the app has reviews. */
  readonly calibration?: CalibrationService;
  /** `GET /recordings/{dispatch_id}/transcript`, where the app has transcripts. */
  readonly transcripts?: TranscriptsService;
  /**
   * The statuses and outcomes the open catalog holds (`CallQueries.facets`), so `status=completed`
   * finds calls stored as `COMPLETED` or `Completed`; without it, a value matches as given or in
   * upper case.
   */
  readonly facets?: () => KnownValues;
}

/**
 * The local HTTP API: the documented Recording API, to the letter, over the same domain services
 * the desktop app uses. Every answer is JSON; every error is `{"detail": …}`.
 */
export function createApiServer(
  services: ApiServices,
  log: Logger,
  access: ApiAccess = LOOPBACK_ONLY,
): FastifyInstance {
  const { calls, playback, sync } = services;
  const filterOf = (query: QueryValues) => readListFilter(query, services.facets);
  const app = Fastify({
    logger: false,
    routerOptions: { maxParamLength: 500 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Bounded requests: no API input is large (a URL and headers fit in 16 KiB, a body in 64 KiB),
    // and a client that stalls is cut off instead of holding a connection open.
    bodyLimit: 64 * 1024,
    http: { maxHeaderSize: 16 * 1024 },
    requestTimeout: 30_000,
    connectionTimeout: 0,
    keepAliveTimeout: 5_000,
    // Errors Fastify meets before routing (a URL that is not valid percent-encoding…) answer like the rest.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply)
        .code(error.statusCode ?? 400)
        .send({ detail: `Bad request: ${error.message}` });
    },
  });
  registerApiAccessGuards(app, access);

  app.get<{ Params: { dispatch_id: string }; Querystring: QueryValues }>(
    '/recordings/:dispatch_id',
    async (request, reply) => {
      const dispatchId = request.params.dispatch_id;
      const { expires_in } = readIntegerQuery(request.query, { expires_in: EXPIRES_IN_RULE });
      if (!parseDispatchId(dispatchId)) {
        throw patternMismatch('path', 'dispatch_id', DISPATCH_ID_PATTERN_TEXT, dispatchId);
      }
      noStore(reply);
      return playback.getRecording(dispatchId, expires_in);
    },
  );

  app.get<{ Querystring: QueryValues }>('/recordings', async (request, reply) => {
    const { limit, offset, expires_in } = readIntegerQuery(request.query, {
      limit: { default: LIST_LIMIT_DEFAULT, ge: 0 },
      offset: { default: 0, ge: 0 },
      expires_in: EXPIRES_IN_RULE,
    });
    const filter = filterOf(request.query);
    const paging = readListPaging(request.query, { limit, offset });
    noStore(reply);
    return calls.listRecordings(filter, paging, expires_in);
  });

  // Tapedeck's extension: the same view as CSV, streamed, with the same filters (no paging).
  app.get<{ Querystring: QueryValues }>('/recordings.csv', async (request, reply) => {
    const filter = filterOf(request.query);
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="recordings.csv"');
    noStore(reply);
    return reply.send(calls.exportCsv(filter));
  });

  if (services.reviews) registerReviewRoutes(app, services.reviews, calls);
  if (services.team) registerTeamRoutes(app, services.team);
  if (services.calibration) registerCalibrationRoutes(app, services.calibration);
  if (services.transcripts) registerTranscriptRoutes(app, services.transcripts);

  app.get('/openapi.json', async () => openApiDocument);

  app.get('/sync', async (_request, reply) => {
    noStore(reply);
    return syncReply(sync.status());
  });

  // The same sync as the app's "Sync now": the listing, the upstream pull and every participant.
  app.post('/sync', async (_request, reply) => {
    const started = sync.start(); // the listing's outcome is in the status; the request does not wait for it
    // The team's pull and push (quick: one list per reviewer) are done when this answers.
    await services.team?.sync();
    reply.code(202);
    return syncReply(started);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const known = KNOWN_PATHS.find(([pattern]) => pattern.test(path));
    if (known) {
      reply.code(405).header('allow', known[1]).send({ detail: 'Method Not Allowed' });
    } else {
      reply.code(404).send({ detail: 'Not Found' });
    }
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof RequestValidationError) {
      reply.code(422).send({ detail: error.issues });
    } else if (error instanceof ServiceError) {
      const status = STATUS_OF[error.code];
      if (status >= 500 && error.code !== 's3_config_missing')
        log.warn(`${request.method} ${request.url}: ${error.message}`);
      reply.code(status).send({ detail: error.message });
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      reply.code(error.statusCode).send({ detail: error.message });
    } else {
      log.error(`${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
      reply.code(500).send({ detail: 'Internal error in Tapedeck; the server log has the details.' });
    }
  });

  return app;
}

function noStore(reply: FastifyReply): void {
  // Presigned URLs are bearer tokens: no cache should keep them.
  reply.header('cache-control', 'no-store');
}

/** Listens, with a clear error when the port is taken; resolves to the base URL. */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `Port ${port} on ${host} is already in use. Stop the other program or set TAPEDECK_PORT.`,
        {
          cause: error,
        },
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new Error(`Cannot listen on ${host}: no such local address. Check TAPEDECK_HOST.`, {
        cause: error,
      });
    }
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actualPort}`;
}
