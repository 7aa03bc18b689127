import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, Reply } from '../../../shared/contract.ts';
import { EVENTS_HTTP_PATH, IPC_HTTP_PREFIX, MEDIA_HTTP_PREFIX } from '../../../shared/transport.ts';
import type { MediaResponse } from '../playback/media-response.ts';
import type { Logger } from '../logger.ts';

/** What web mode needs of the application service. */
export interface WebModeApp {
  call(method: unknown, input: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  openMedia(key: string, range: string | undefined): Promise<MediaResponse>;
}

/** The renderer's own page may load only what Tapedeck serves. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const HEARTBEAT_MS = 15_000;

/**
 * Web mode (`npm run serve`, `npm run demo`): the renderer as a page, the contract over HTTP
 * (`POST /api/ipc/{method}`, events as server-sent events) and recordings streamed with Range
 * support, all beside the documented API on the same port.
 */
export function registerWebRoutes(
  server: FastifyInstance,
  app: WebModeApp,
  options: { rendererDir: string | undefined; log: Logger },
): void {
  server.post<{ Params: { method: string } }>(`${IPC_HTTP_PREFIX}:method`, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return app.call(request.params.method, request.body ?? {});
  });

  // Open event streams end before the server closes (preClose), so a shutdown never waits on them.
  const eventStreams = new Set<() => void>();
  server.addHook('preClose', async () => {
    for (const end of eventStreams) end();
  });

  server.get(EVENTS_HTTP_PATH, (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    stream.write(': connected\n\n');
    const unsubscribe = app.onEvent((event, payload) => {
      stream.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      eventStreams.delete(end);
      stream.end();
    };
    eventStreams.add(end);
    request.raw.once('close', end);
  });

  server.get(`${MEDIA_HTTP_PREFIX}*`, async (request, reply) => {
    const encoded = request.url.slice(MEDIA_HTTP_PREFIX.length).split('?')[0] ?? '';
    let key: string;
    try {
      key = decodeURIComponent(encoded);
    } catch {
      return reply.code(400).send({ detail: 'The recording key in the URL is not valid percent-encoding.' });
    }
    const media = await app.openMedia(key, request.headers.range);
    reply.code(media.status).headers(media.headers);
    return media.body ?? media.errorBody ?? '';
  });

  const rendererDir = options.rendererDir;
  if (rendererDir && existsSync(join(rendererDir, 'index.html'))) {
    server.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
      }
      return payload;
    });
    void server.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/',
      index: 'index.html',
      wildcard: false,
    });
  } else {
    options.log.warn(
      `The renderer is not built${rendererDir ? ` (no ${join(rendererDir, 'index.html')})` : ''}: ` +
        'run `npm run build:renderer`; the API works meanwhile.',
    );
    server.get('/', async (_request, reply) =>
      reply
        .code(503)
        .send({ detail: 'The Tapedeck page is not built. Run `npm run build:renderer`, then reload.' }),
    );
  }
}
