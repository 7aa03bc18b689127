import type { S3Client } from '@aws-sdk/client-s3';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../electron/core/catalog/open-catalog.ts';
import type { Logger } from '../../electron/core/logger.ts';
import {
  UpstreamSync,
  upstreamSyncStatusSchema,
  type UpstreamCheckpoint,
  type UpstreamSyncOptions,
  type UpstreamSyncStatus,
} from '../../electron/core/upstream/upstream-sync.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import type { Interaction, RecordingList } from '../../shared/recording.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { startTapedeck } from './tapedeck-under-test.ts';

const T0 = 1754653479; // 2025-08-08T11:44:39Z, the spec's example
const TOKEN = 'upstream-secret-7f3a9c1e5b';

/** The documented list item: newest first, one a minute, the newest at T0. */
function upstreamItem(index: number): Record<string, unknown> {
  const start = T0 - index * 60;
  const phone = String(15103450000 + index);
  return {
    interaction_id: `call-${String(index).padStart(4, '0')}`,
    customer_name: `Customer ${index}`,
    phone: `+${phone}`,
    status: 'COMPLETED',
    outcome: index % 2 === 0 ? 'PAYMENT_PROMISED' : 'NO_ANSWER',
    duration: 180,
    start_time: new Date(start * 1000).toISOString(),
    end_time: new Date((start + 180) * 1000).toISOString(),
    recording_url: index % 3 === 0 ? null : `https://bucket.example/egress-recordings/${index}.mp4?X-Amz=1`,
    dispatch_id: `dispatch_${start}_${phone}`,
  };
}

interface PageRequest {
  readonly limit: number;
  readonly offset: number;
  readonly authorization: string | undefined;
}

/** What the fake answers instead of the page: a status and body, or nothing at all (a hang). */
type Override = { status: number; body: string } | 'hang' | undefined;

interface FakeUpstream {
  /** Base URL, with the path prefix when one was asked for. */
  readonly url: string;
  /** The list it serves, newest first; tests change it between runs (any JSON, to serve bad items). */
  items: unknown[];
  readonly requests: PageRequest[];
  /** Decides, per request, to answer something else than the page. */
  override: (request: PageRequest) => Override;
  /** The largest `limit` it honours (its answer's `limit` says so), like Tapedeck's 1000. */
  maxLimit: number;
  close(): Promise<void>;
}

const upstreams: FakeUpstream[] = [];
const catalogs: CatalogDatabase[] = [];

afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  for (const db of catalogs.splice(0)) db.close();
});

/** A real HTTP server on loopback serving the documented `GET {prefix}/recordings?limit&offset`. */
async function startFakeUpstream(options: { count?: number; prefix?: string } = {}): Promise<FakeUpstream> {
  const prefix = options.prefix ?? '';
  const fake: Omit<FakeUpstream, 'url' | 'close'> = {
    items: Array.from({ length: options.count ?? 1050 }, (_, index) => upstreamItem(index)),
    requests: [],
    override: () => undefined,
    maxLimit: 1000,
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const send = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (url.pathname !== `${prefix}/recordings`) {
      send(404, JSON.stringify({ detail: 'Not Found' }));
      return;
    }
    const request: PageRequest = {
      limit: Number(url.searchParams.get('limit') ?? 10),
      offset: Number(url.searchParams.get('offset') ?? 0),
      authorization: req.headers.authorization,
    };
    fake.requests.push(request);
    const override = fake.override(request);
    if (override === 'hang') return; // never answers; the socket stays open
    if (override) {
      send(override.status, override.body);
      return;
    }
    const limit = Math.min(request.limit, fake.maxLimit);
    const recordings = fake.items.slice(request.offset, request.offset + limit);
    send(200, JSON.stringify({ recordings, limit, offset: request.offset }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const upstream: FakeUpstream = Object.assign(fake, {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // hung requests included
        server.close(() => resolve());
      }),
  });
  upstreams.push(upstream);
  return upstream;
}

/** The item at `index` with some fields changed. */
function changed(upstream: FakeUpstream, index: number, changes: Record<string, unknown>): unknown {
  return { ...(upstream.items[index] as Record<string, unknown>), ...changes };
}

const databaseOf = new WeakMap<CatalogStore, CatalogDatabase>();

function newCatalog(): CatalogStore {
  const db = openCatalog(':memory:');
  catalogs.push(db);
  const store = new CatalogStore(db);
  databaseOf.set(store, db);
  return store;
}

/** The `source` column of the cached interactions: where the catalog says each came from. */
function sourcesIn(store: CatalogStore): string[] {
  return databaseOf
    .get(store)!
    .prepare<[], { source: string }>('SELECT DISTINCT source FROM interactions ORDER BY source')
    .all()
    .map((row) => row.source);
}

/** Keeps every line logged, to check what a person would read (and that no token is in it). */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

function memoryCheckpoint(): UpstreamCheckpoint & { value: number | null } {
  return {
    value: null,
    read() {
      return this.value;
    },
    write(offset) {
      this.value = offset;
    },
  };
}

function syncFor(
  upstream: { url: string },
  store: CatalogStore,
  options: Partial<UpstreamSyncOptions> = {},
): UpstreamSync {
  return new UpstreamSync({
    baseUrl: upstream.url,
    // The store is the sink as it is: its upsertInteractions takes (rows) now and (rows, source) soon.
    store,
    retryDelaysMs: [5, 5],
    ...options,
  });
}

const idsOf = (store: CatalogStore, limit = 2000, offset = 0) =>
  store.listInteractions(limit, offset).map((row) => row.interaction_id);
const expectedIds = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `call-${String(from + i).padStart(4, '0')}`);

describe('UpstreamSync against a real HTTP upstream', () => {
  it('caches all 1,050 interactions a page at a time, newest first in the catalog', async () => {
    const upstream = await startFakeUpstream();
    const store = newCatalog();
    const log = recordingLogger();
    const progress: UpstreamSyncStatus[] = [];
    const status = await syncFor(upstream, store, { log, onProgress: (s) => progress.push(s) }).run();

    expect(status).toMatchObject({
      state: 'succeeded',
      pagesFetched: 11,
      interactionsCached: 1050,
      itemsSkipped: 0,
      error: null,
      resumedFromOffset: null,
    });
    expect(upstreamSyncStatusSchema.parse(status)).toEqual(status);
    expect(Date.parse(status.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(status.startedAt!));
    expect(upstream.requests.map((r) => [r.limit, r.offset])).toEqual(
      Array.from({ length: 11 }, (_, page) => [100, page * 100]),
    );
    expect(upstream.requests[0]!.authorization).toBeUndefined();
    expect(store.counts().interactions).toBe(1050);
    expect(idsOf(store, 10, 0)).toEqual(expectedIds(0, 10));
    expect(sourcesIn(store)).toEqual(['upstream']);
    const [newest] = store.listInteractions(1, 0);
    const { recording_url: _ignored, ...documented } = upstreamItem(0);
    expect(newest).toMatchObject(documented);
    // Progress after every page; a log line after the first page, every 10th, and at the end.
    expect(progress.filter((s) => s.state === 'running').map((s) => s.pagesFetched)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(log.lines).toHaveLength(3);
    expect(log.lines[0]).toMatch(/^info Upstream http:\/\/127\.0\.0\.1:\d+: 1 page, 100 interactions/);
    expect(log.lines[1]).toMatch(/^info Upstream http:\/\/127\.0\.0\.1:\d+: 10 pages, 1,000 interactions/);
    expect(log.lines[2]).toMatch(/succeeded: 1,050 interactions cached from 11 pages/);
  });

  it('keeps the pages fetched before the upstream failed, then resumes at that offset and completes', async () => {
    const upstream = await startFakeUpstream();
    let failing = true;
    upstream.override = ({ offset }) =>
      failing && offset >= 500
        ? { status: 500, body: JSON.stringify({ detail: 'database connection pool exhausted' }) }
        : undefined;
    const checkpoint = memoryCheckpoint();
    const store = newCatalog();

    const failed = await syncFor(upstream, store, { checkpoint }).run();
    expect(failed.state).toBe('failed');
    expect(failed.pagesFetched).toBe(5);
    expect(failed.error).toContain('answered 500');
    expect(failed.error).toContain('offset=500');
    expect(failed.error).toContain('(3 tries): database connection pool exhausted');
    expect(upstream.requests.filter((r) => r.offset === 500)).toHaveLength(3); // tried 3 times
    expect(store.counts().interactions).toBe(500);
    expect(idsOf(store)).toEqual(expectedIds(0, 500));
    expect(checkpoint.value).toBe(500);

    // A new process (a new UpstreamSync, the same persisted checkpoint), the upstream healthy again.
    failing = false;
    upstream.requests.length = 0;
    const resumed = await syncFor(upstream, store, { checkpoint }).run();
    expect(resumed).toMatchObject({
      state: 'succeeded',
      resumedFromOffset: 500,
      pagesFetched: 6,
      interactionsCached: 550,
    });
    expect(upstream.requests[0]!.offset).toBe(500);
    expect(store.counts().interactions).toBe(1050);
    expect(idsOf(store)).toEqual(expectedIds(0, 1050));
    expect(checkpoint.value).toBeNull(); // a complete run starts at 0 next time
  });

  it('says a 401 means the token, naming TAPEDECK_UPSTREAM_TOKEN and never the token itself', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = ({ authorization }) => ({
      status: 401,
      body: JSON.stringify({ detail: `token ${authorization?.slice('Bearer '.length)} has expired` }),
    });
    const log = recordingLogger();
    const store = newCatalog();
    const progress: UpstreamSyncStatus[] = [];
    const status = await syncFor(upstream, store, {
      token: TOKEN,
      log,
      onProgress: (s) => progress.push(s),
    }).run();

    expect(upstream.requests[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(upstream.requests).toHaveLength(1); // not retried
    expect(status.state).toBe('failed');
    expect(status.error).toBe(
      `The upstream API at ${upstream.url} refused the request (401). Check TAPEDECK_UPSTREAM_TOKEN.`,
    );
    expect(JSON.stringify([status, progress, log.lines])).not.toContain(TOKEN);
  });

  it('without a token, a 403 says that one is needed', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = () => ({ status: 403, body: '{"detail":"Forbidden"}' });
    const status = await syncFor(upstream, newCatalog()).run();
    expect(status.error).toBe(
      `The upstream API at ${upstream.url} refused the request (403). ` +
        'Check TAPEDECK_UPSTREAM_TOKEN: none is set, and this API seems to need one.',
    );
  });

  it('never lets the token out even when the upstream echoes it in a 500 detail', async () => {
    const upstream = await startFakeUpstream({ count: 5 });
    upstream.override = ({ authorization }) => ({
      status: 503,
      body: JSON.stringify({ detail: `cannot verify ${authorization}` }),
    });
    const log = recordingLogger();
    const status = await syncFor(upstream, newCatalog(), { token: TOKEN, log }).run();
    expect(status.error).toContain('answered 503');
    expect(status.error).toContain('cannot verify Bearer [TAPEDECK_UPSTREAM_TOKEN]');
    expect(log.lines.some((line) => line.includes('Trying again'))).toBe(true);
    expect(JSON.stringify([status, log.lines])).not.toContain(TOKEN);
  });

  it('skips and counts a malformed item, naming it and its field, and caches the rest', async () => {
    const upstream = await startFakeUpstream();
    upstream.items[3] = changed(upstream, 3, { duration: 'long' });
    upstream.items[250] = changed(upstream, 250, { interaction_id: '' });
    upstream.items[251] = 'not an object';
    const log = recordingLogger();
    const store = newCatalog();
    const status = await syncFor(upstream, store, { log }).run();

    expect(status).toMatchObject({ state: 'succeeded', itemsSkipped: 3, interactionsCached: 1047 });
    expect(store.counts().interactions).toBe(1047);
    expect(idsOf(store, 5)).toEqual(['call-0000', 'call-0001', 'call-0002', 'call-0004', 'call-0005']);
    const warnings = log.lines.filter((line) => line.startsWith('warn'));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain(
      'skipped item 3 (call-0003), field "duration": expected a number of seconds',
    );
    expect(warnings[1]).toContain('skipped item 250, field "interaction_id": missing or empty');
    expect(log.lines.at(-1)).toContain('3 items skipped');
  });

  it('fails on a page that is not JSON, naming the URL and offset, and keeps the pages before it', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = ({ offset }) =>
      offset === 200 ? { status: 200, body: '<html><body>Gateway login</body></html>' } : undefined;
    const store = newCatalog();
    const status = await syncFor(upstream, store).run();
    expect(status.state).toBe('failed');
    expect(status.error).toBe(
      `The upstream API at ${upstream.url} answered GET ${upstream.url}/recordings?limit=100&offset=200 ` +
        '(offset 200) with something that is not JSON (<html><body>Gateway login</body></html>). ' +
        'Check that TAPEDECK_UPSTREAM_URL is a Recording API.',
    );
    expect(upstream.requests.filter((r) => r.offset === 200)).toHaveLength(1); // not retried
    expect(store.counts().interactions).toBe(200);
  });

  it('fails on JSON without a recordings list', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = () => ({ status: 200, body: '{"items":[],"total":0}' });
    const status = await syncFor(upstream, newCatalog()).run();
    expect(status.state).toBe('failed');
    expect(status.error).toContain('offset=0 (offset 0) without a "recordings" list');
  });

  it('ends promptly as cancelled when cancelled during a request that hangs, and resumes there next run', async () => {
    const upstream = await startFakeUpstream();
    let hang = true;
    upstream.override = ({ offset }) => (hang && offset === 300 ? 'hang' : undefined);
    const store = newCatalog();
    const sync = syncFor(upstream, store);
    const running = sync.run();
    expect(sync.run()).toBe(running); // a second caller joins the run
    await expect.poll(() => upstream.requests.some((r) => r.offset === 300)).toBe(true);
    const cancelledAt = performance.now();
    sync.cancel();
    const status = await running;
    expect(performance.now() - cancelledAt).toBeLessThan(1000);
    expect(status).toMatchObject({ state: 'cancelled', error: null, pagesFetched: 3 });
    expect(store.counts().interactions).toBe(300);

    hang = false;
    const resumed = await sync.run(); // the offset is remembered in memory without a checkpoint
    expect(resumed).toMatchObject({ state: 'succeeded', resumedFromOffset: 300 });
    expect(store.counts().interactions).toBe(1050);
  });

  it('gives up on a request that hangs past the timeout, saying it could not reach the upstream', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = () => 'hang';
    const status = await syncFor(upstream, newCatalog(), { requestTimeoutMs: 300 }).run();
    expect(status.state).toBe('failed');
    expect(status.error).toBe(
      `Could not reach the upstream API at ${upstream.url}: GET ${upstream.url}/recordings?limit=100&offset=0 ` +
        'got no complete answer within 0.3 s. Check TAPEDECK_UPSTREAM_URL and the network, or try again later.',
    );
  });

  it('says it could not reach an upstream where nothing listens, after 3 tries', async () => {
    const closed = await startFakeUpstream();
    await closed.close();
    const status = await syncFor(closed, newCatalog()).run();
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(
      /^Could not reach the upstream API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED.*, 3 tries\)\. Check TAPEDECK_UPSTREAM_URL/,
    );
  });

  it('keeps a path prefix, and says a URL without /recordings is not a Recording API', async () => {
    const upstream = await startFakeUpstream({ count: 30, prefix: '/api/v1' });
    expect((await syncFor(upstream, newCatalog()).run()).interactionsCached).toBe(30);

    const wrong = await syncFor({ url: upstream.url.replace('/api/v1', '/api') }, newCatalog()).run();
    expect(wrong.state).toBe('failed');
    expect(wrong.error).toContain('answered 404 for GET');
    expect(wrong.error).toContain('does not look like a Recording API (no /recordings there)');

    const doubled = await syncFor({ url: `${upstream.url}/recordings` }, newCatalog()).run();
    expect(doubled.error).toContain('Leave "/recordings" off the end of TAPEDECK_UPSTREAM_URL.');
  });

  it('follows an upstream that caps limit below the page size (its answer says so)', async () => {
    const upstream = await startFakeUpstream({ count: 230 });
    upstream.maxLimit = 50;
    const store = newCatalog();
    const status = await syncFor(upstream, store, { pageSize: 100 }).run();
    expect(status).toMatchObject({ state: 'succeeded', pagesFetched: 5, interactionsCached: 230 });
    expect(upstream.requests.map((r) => r.offset)).toEqual([0, 50, 100, 150, 200]);
    expect(store.counts().interactions).toBe(230);
  });

  it('stops, rather than loop, at an upstream that ignores offset', async () => {
    const upstream = await startFakeUpstream();
    upstream.override = () => ({
      status: 200,
      body: JSON.stringify({ recordings: upstream.items.slice(0, 100) }),
    });
    const status = await syncFor(upstream, newCatalog()).run();
    expect(status.state).toBe('failed');
    expect(status.error).toContain('it seems to ignore "offset"');
    expect(upstream.requests).toHaveLength(2);
  });

  it('updates changed items on a re-run (upsert by interaction_id)', async () => {
    const upstream = await startFakeUpstream();
    const store = newCatalog();
    const sync = syncFor(upstream, store);
    expect((await sync.run()).state).toBe('succeeded');

    upstream.items[5] = changed(upstream, 5, {
      outcome: 'CALLBACK_REQUESTED',
      customer_name: 'Ada Lovelace',
    });
    upstream.items[900] = changed(upstream, 900, { duration: 42.5, status: 'FAILED' });
    const again = await sync.run();
    expect(again).toMatchObject({ state: 'succeeded', resumedFromOffset: null, interactionsCached: 1050 });
    expect(store.counts().interactions).toBe(1050);
    expect(store.listInteractions(1, 5)[0]).toMatchObject({
      interaction_id: 'call-0005',
      outcome: 'CALLBACK_REQUESTED',
      customer_name: 'Ada Lovelace',
    });
    expect(store.listInteractions(1, 900)[0]).toMatchObject({ duration: 42.5, status: 'FAILED' });
  });
});

describe('UpstreamSync against Tapedeck’s own Recording API', () => {
  let s3: S3Client | undefined;
  afterEach(() => s3?.destroy());

  it('caches another catalog from a running Tapedeck, token and paging included', async () => {
    s3 = createEmulatorClient(emulatorEndpoint());
    const bucket = await createTestBucket(s3);
    const apiToken = 'local-api-token-0123456789';
    const source = await startTapedeck({
      bucket,
      access: { token: apiToken, corsOrigins: [], allowedHosts: [] },
    });
    try {
      const calls: Interaction[] = Array.from({ length: 23 }, (_, index) => {
        const start = T0 - index * 3600;
        const phone = String(14155550100 + index);
        return {
          interaction_id: `own-${index}`,
          customer_name: index === 4 ? null : `Caller ${index}`,
          phone: `+${phone}`,
          status: 'COMPLETED',
          outcome: 'PAYMENT_PROMISED',
          duration: 60 + index,
          start_time: new Date(start * 1000).toISOString(),
          end_time: new Date((start + 60 + index) * 1000).toISOString(),
          dispatch_id: `dispatch_${start}_${phone}`,
        };
      });
      new CatalogStore(source.core.catalog).upsertInteractions(calls);
      // Two of them have recordings (linked by a live lookup), so the source lists real presigned
      // URLs, which the copy ignores.
      const audio = readFileSync(new URL('../fixtures/audio/agent-greeting.mp4', import.meta.url));
      const auth = { authorization: `Bearer ${apiToken}` };
      for (const call of calls.slice(0, 2)) {
        const [, seconds, phone] = call.dispatch_id!.split('_');
        const key = recordingKeyFor('egress-recordings/', phone!, Number(seconds) + 4, 'outbound');
        await putTestObject(s3, bucket, key, audio, 'audio/mp4');
        const found = await fetch(`${source.url}/recordings/${call.dispatch_id}`, { headers: auth });
        expect(found.status).toBe(200);
      }
      // A recording no metadata describes: the source lists a stand-in for it, the copy leaves it out.
      const orphanKey = recordingKeyFor('egress-recordings/', '14155550999', T0 + 77, 'outbound');
      await putTestObject(s3, bucket, orphanKey, audio, 'audio/mp4');
      const orphan = await fetch(`${source.url}/recordings/dispatch_${T0 + 77}_14155550999`, {
        headers: auth,
      });
      expect(orphan.status).toBe(200);
      const listed = (await source.get('/recordings?limit=1000')).status;
      expect(listed).toBe(401); // the token is really required

      const mirror = newCatalog();
      const status = await syncFor({ url: source.url }, mirror, { token: apiToken, pageSize: 5 }).run();
      expect(status).toMatchObject({ state: 'succeeded', pagesFetched: 5, interactionsCached: 23 });

      const fromApi = await fetch(`${source.url}/recordings?limit=1000`, { headers: auth });
      const page = (await fromApi.json()) as RecordingList;
      expect(page.recordings.filter((r) => r.recording_url !== null)).toHaveLength(3);
      expect(page.recordings.map((r) => r.interaction_id)).toContain(`s3:${orphanKey}`);
      const documented = page.recordings
        .filter((r) => !r.interaction_id.startsWith('s3:'))
        .map(({ recording_url: _url, ...call }) => call);
      expect(mirror.listInteractions(1000, 0).map(({ recording_key: _key, ...call }) => call)).toEqual(
        documented,
      );
      expect(documented.map((call) => call.interaction_id)).toEqual(calls.map((call) => call.interaction_id));
    } finally {
      await source.close();
    }
  });
});
