import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../config.ts';

/** Who may talk to the local API, from the environment. */
export interface ApiAccess {
  /** `TAPEDECK_API_TOKEN`: required of every request when set (and to listen beyond loopback). */
  readonly token: string | undefined;
  /** `TAPEDECK_CORS_ORIGINS`: web origins allowed to call it from a page; none by default. */
  readonly corsOrigins: readonly string[];
  /** Host names accepted in the `Host` header besides loopback ones (`TAPEDECK_ALLOWED_HOSTS`). */
  readonly allowedHosts: readonly string[];
}

export const LOOPBACK_ONLY: ApiAccess = { token: undefined, corsOrigins: [], allowedHosts: [] };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const MIN_TOKEN_LENGTH = 16;

type Env = Readonly<Record<string, string | undefined>>;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads the access settings; listening beyond loopback without a token is refused, clearly. */
export function readApiAccess(env: Env, host: string): ApiAccess {
  const token = env.TAPEDECK_API_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `TAPEDECK_API_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new ConfigError(
      `TAPEDECK_HOST=${host} would let other machines reach the API (and presigned URLs to your recordings): ` +
        'set TAPEDECK_API_TOKEN to a long random string too, or leave TAPEDECK_HOST at 127.0.0.1.',
    );
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const corsOrigins = list(env.TAPEDECK_CORS_ORIGINS).map((origin) => origin.replace(/\/+$/, ''));
  for (const origin of corsOrigins) {
    if (origin === '*' || !/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError(
        `TAPEDECK_CORS_ORIGINS takes exact origins like http://localhost:3000, not "${origin}" (no wildcards).`,
      );
    }
  }
  const allowedHosts = list(env.TAPEDECK_ALLOWED_HOSTS).map((name) => name.toLowerCase());
  if (!isLoopbackHost(host) && isIP(host) !== 0 && host !== '0.0.0.0' && host !== '::')
    allowedHosts.push(host);
  return { token, corsOrigins, allowedHosts };
}

/**
 * Guards every request before routing: the `Host` header must name this machine (against DNS
 * rebinding, a page elsewhere reaching loopback under its own name), a cross-site page may not
 * change anything unless its origin is allowed, and a configured token must be presented.
 */
export function registerApiAccessGuards(server: FastifyInstance, access: ApiAccess): void {
  server.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    if (!hostAllowed(host, access, listeningPort(server))) {
      return deny(
        reply,
        403,
        `Host "${host.slice(0, 100)}" is not allowed. Use http://127.0.0.1:${listeningPort(server)}.`,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      if (access.corsOrigins.includes(origin)) {
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        if (request.method === 'OPTIONS') {
          reply
            .header('access-control-allow-methods', 'GET, HEAD, POST')
            .header('access-control-allow-headers', 'authorization, content-type')
            .header('access-control-max-age', '600');
          return reply.code(204).send();
        }
      } else if (request.method !== 'GET' && request.method !== 'HEAD') {
        return deny(
          reply,
          403,
          `A page at ${origin.slice(0, 100)} may not call this API. Add its origin to TAPEDECK_CORS_ORIGINS to allow it.`,
        );
      }
    }
    if (access.token !== undefined && !tokenPresented(request, access.token)) {
      reply.header('www-authenticate', 'Bearer');
      return deny(
        reply,
        401,
        'This Tapedeck API needs a token: send the header "Authorization: Bearer <TAPEDECK_API_TOKEN>".',
      );
    }
    return undefined;
  });
}

function hostAllowed(hostHeader: string, access: ApiAccess, port: number | null): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(hostHeader);
  if (!match) return false;
  const name = match[1]!.toLowerCase();
  if (match[2] !== undefined && port !== null && Number(match[2]) !== port) return false;
  return isLoopbackHost(name) || access.allowedHosts.includes(name);
}

function tokenPresented(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function listeningPort(server: FastifyInstance): number | null {
  const address = server.server.address();
  return typeof address === 'object' && address !== null ? address.port : null;
}

function deny(reply: FastifyReply, status: number, detail: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ detail });
}
