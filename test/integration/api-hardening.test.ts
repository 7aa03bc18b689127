import type { S3Client } from '@aws-sdk/client-s3';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiAccess } from '../../electron/core/http/api-access.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { expectConforming, fetchConforming } from './openapi-conformance.ts';
import { startTapedeck, type TapedeckUnderTest } from './tapedeck-under-test.ts';

const T = 1754653479;
const PHONE = '15103455686';
const AUDIO = readFileSync(new URL('../fixtures/audio/agent-greeting.mp4', import.meta.url));

/** A raw request, so the test controls the Host and Origin headers fetch would set itself. */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          // Every answer is one /openapi.json describes, save 431 (Node's HTTP parser answers it,
          // bodiless, before any route) and CORS preflights (the browser's, not the API's).
          if (res.statusCode !== 431 && options.method !== 'OPTIONS') {
            const type = res.headers['content-type'] ?? null;
            expectConforming(openApiDocument, {
              method: options.method ?? 'GET',
              path,
              status: res.statusCode!,
              contentType: type,
              body: type?.startsWith('application/json') ? (JSON.parse(body) as unknown) : body,
            });
          }
          resolve({ status: res.statusCode!, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let s3: S3Client;
let bucket: string;
let app: TapedeckUnderTest;
let port: string;

beforeAll(async () => {
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3);
  await putTestObject(s3, bucket, recordingKeyFor('egress-recordings/', PHONE, T + 3), AUDIO, 'audio/mp4');
  app = await startTapedeck({
    bucket,
    access: readApiAccess({ TAPEDECK_CORS_ORIGINS: 'http://localhost:3000' }, '127.0.0.1'),
  });
  port = new URL(app.url).port;
});

afterAll(async () => {
  await app?.close();
  s3?.destroy();
});

describe('the Host header (DNS rebinding)', () => {
  it.each(['localhost', '127.0.0.1', '[::1]'])(
    'answers a request for %s with the right port',
    async (name) => {
      const response = await raw(app.url, '/recordings?limit=1', { headers: { host: `${name}:${port}` } });
      expect(response.status).toBe(200);
    },
  );

  it.each(['evil.example', 'evil.example:' + '8000', '127.0.0.1.evil.example', 'localhost:1'])(
    'refuses Host %j with 403 and a detail',
    async (host) => {
      const response = await raw(app.url, `/recordings/dispatch_${T}_${PHONE}`, { headers: { host } });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toEqual({
        detail: expect.stringMatching(/is not allowed\. Use http:\/\/127\.0\.0\.1:/),
      });
      expect(response.body).not.toContain('X-Amz-Signature');
    },
  );
});

describe('cross-origin pages', () => {
  it('may not start a sync from a page elsewhere', async () => {
    const response = await raw(app.url, '/sync', {
      method: 'POST',
      headers: { host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(
      /https:\/\/evil\.example may not call this API.*TAPEDECK_CORS_ORIGINS/,
    );
  });

  it('gives no wildcard CORS: a GET from another origin gets no Access-Control-Allow-Origin', async () => {
    const response = await raw(app.url, '/recordings?limit=1', {
      headers: { host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the origins in TAPEDECK_CORS_ORIGINS, preflight included', async () => {
    const preflight = await raw(app.url, '/sync', {
      method: 'OPTIONS',
      headers: {
        host: `127.0.0.1:${port}`,
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const get = await raw(app.url, '/recordings?limit=1', {
      headers: { host: `127.0.0.1:${port}`, origin: 'http://localhost:3000' },
    });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });
});

describe('a token', () => {
  it('is required to listen beyond loopback, and must be long', () => {
    expect(() => readApiAccess({}, '0.0.0.0')).toThrow(
      /TAPEDECK_HOST=0\.0\.0\.0 would let other machines.*TAPEDECK_API_TOKEN/,
    );
    expect(() => readApiAccess({ TAPEDECK_API_TOKEN: 'short' }, '0.0.0.0')).toThrow(/at least 16 characters/);
    expect(() => readApiAccess({ TAPEDECK_CORS_ORIGINS: '*' }, '127.0.0.1')).toThrow(/no wildcards/);
    expect(readApiAccess({ TAPEDECK_API_TOKEN: 'x'.repeat(32) }, '0.0.0.0').token).toBe('x'.repeat(32));
  });

  it('is checked on every route when set', async () => {
    const token = 'a-long-random-token-0123456789';
    const guarded = await startTapedeck({
      bucket,
      access: readApiAccess({ TAPEDECK_API_TOKEN: token }, '127.0.0.1'),
    });
    try {
      for (const path of [`/recordings/dispatch_${T}_${PHONE}`, '/recordings', '/openapi.json']) {
        const refused = await fetchConforming(openApiDocument, guarded.url, path);
        expect(refused.status).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer');
        const wrong = await fetchConforming(openApiDocument, guarded.url, path, {
          headers: { authorization: `Bearer ${token}x` },
        });
        expect(wrong.status).toBe(401);
      }
      const ok = await fetchConforming(openApiDocument, guarded.url, `/recordings/dispatch_${T}_${PHONE}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('hostile and strange input', () => {
  const strangeIds = [
    'dispatch_1754653479_15103455686%00',
    '..%2F..%2Fetc%2Fpasswd',
    'dispatch_' + '9'.repeat(400),
    'dispatch_1754653479_+15103455686',
    'dispatch_%F0%9F%93%9E_1',
    '%E0%A4%A',
    'dispatch_1754653479_15103455686;DROP%20TABLE%20recordings',
    'DISPATCH_1754653479_15103455686',
  ];
  it.each(strangeIds)('answers the dispatch id %j with a 4xx and a detail, never a 5xx', async (id) => {
    const response = await raw(app.url, `/recordings/${id}`, { headers: { host: `127.0.0.1:${port}` } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(response.body)).toHaveProperty('detail');
  });

  it.each([
    'limit=1e3',
    'limit=99999999999999999999',
    'offset=0x10',
    'limit=%00',
    'expires_in=Infinity',
    'expires_in=-0',
    'limit=1&limit=x',
    'offset=' + '9'.repeat(5000),
  ])('answers the query %j with a 4xx, never a 5xx', async (query) => {
    const response = await raw(app.url, `/recordings?${query}`, { headers: { host: `127.0.0.1:${port}` } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(response.body)).toHaveProperty('detail');
  });

  it('refuses a URL and headers larger than 16 KiB with 431, without a stack trace', async () => {
    const response = await raw(app.url, `/recordings?pad=${'x'.repeat(20_000)}`, {
      headers: { host: `127.0.0.1:${port}` },
    });
    expect(response.status).toBe(431);
  });

  it('refuses a body over its limit with 413', async () => {
    const response = await fetchConforming(openApiDocument, app.url, '/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.body).toHaveProperty('detail');
  });

  it('answers 500 concurrent connections, every one with the recording', async () => {
    const responses = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${app.url}/recordings/dispatch_${T}_${PHONE}`).then((r) => r.status),
      ),
    );
    expect(responses.filter((status) => status === 200)).toHaveLength(500);
  });
});
