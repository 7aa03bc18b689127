import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { killHard, runTapedeck, spawnTapedeck, whenExited } from '../support/tapedeck-process.ts';

const PULL = 'electron/core/cli/pull-upstream.ts';
const T0 = 1754653479;
const TOKEN = 'pull-secret-token-5e8d2b';

let dir: string;
const running = new Set<ChildProcess>();
const servers: Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-pull-'));
});
afterEach(async () => {
  await Promise.all([...running].map((child) => killHard(child)));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Upstream {
  readonly url: string;
  /** Offsets asked for, in order. */
  readonly offsets: number[];
}

/**
 * A Recording API on loopback listing `count` calls, newest first. `answer` may replace a page:
 * 'hang' never answers, a number answers that status.
 */
async function startUpstream(
  count: number,
  answer: (offset: number, authorization: string | undefined) => 'hang' | number | undefined = () =>
    undefined,
): Promise<Upstream> {
  const offsets: number[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 1000);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    offsets.push(offset);
    const override = answer(offset, req.headers.authorization);
    if (override === 'hang') return;
    if (override !== undefined) {
      res.writeHead(override, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `refused ${req.headers.authorization ?? 'no token'}` }));
      return;
    }
    const recordings = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) => {
      const index = offset + i;
      const start = T0 - index * 60;
      return {
        interaction_id: `pulled-${index}`,
        customer_name: `Customer ${index}`,
        phone: '+15103455686',
        status: 'COMPLETED',
        outcome: 'PAYMENT_PROMISED',
        duration: 30,
        start_time: new Date(start * 1000).toISOString(),
        end_time: new Date((start + 30) * 1000).toISOString(),
        recording_url: null,
        dispatch_id: `dispatch_${start}_15103455686`,
      };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ recordings, limit, offset }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, offsets };
}

const pull = (env: Record<string, string>) =>
  runTapedeck(PULL, [], env, { home: dir, preload: false, running });

function catalogIn(dataDir: string): { ids: string[]; total: number } {
  const db = openCatalog(join(dataDir, 'catalog.sqlite'));
  try {
    const store = new CatalogStore(db);
    return {
      ids: store.listInteractions(3, 0).map((row) => row.interaction_id),
      total: store.counts().interactions,
    };
  } finally {
    db.close();
  }
}

describe('npm run pull', () => {
  it('pulls every call into the catalog with progress and a summary, sending the token', async () => {
    let authorization: string | undefined;
    const upstream = await startUpstream(250, (_offset, header) => {
      authorization = header;
      return undefined;
    });
    const dataDir = join(dir, 'ok');
    const result = await pull({
      TAPEDECK_DATA_DIR: dataDir,
      TAPEDECK_UPSTREAM_URL: `${upstream.url}/`,
      TAPEDECK_UPSTREAM_TOKEN: TOKEN,
    });
    expect(result.code, result.output).toBe(0);
    expect(authorization).toBe(`Bearer ${TOKEN}`);
    expect(upstream.offsets).toEqual([0, 100, 200]);
    expect(result.stderr).toMatch(
      /info Upstream http:\/\/127\.0\.0\.1:\d+: 1 page, 100 interactions cached so far/,
    );
    expect(result.stdout).toBe(
      `Pulled 250 interactions from 3 pages from ${upstream.url}.\n` +
        `Catalog ${join(dataDir, 'catalog.sqlite')}: 250 interactions, 0 with a known recording.\n`,
    );
    expect(result.output).not.toContain(TOKEN);
    expect(catalogIn(dataDir)).toEqual({ ids: ['pulled-0', 'pulled-1', 'pulled-2'], total: 250 });
  });

  it('exits 2 with what to set when TAPEDECK_UPSTREAM_URL is not set, and for a URL it cannot use', async () => {
    const unset = await pull({ TAPEDECK_DATA_DIR: join(dir, 'unset') });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/^tapedeck: TAPEDECK_UPSTREAM_URL is not set\. Set it to the address/);
    expect(unset.stdout).toBe('');

    const ftp = await pull({
      TAPEDECK_DATA_DIR: join(dir, 'ftp'),
      TAPEDECK_UPSTREAM_URL: 'ftp://files.example.com',
    });
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toBe(
      'tapedeck: configuration error: TAPEDECK_UPSTREAM_URL must be http:// or https://, got ' +
        '"ftp://files.example.com". Use e.g. https://recordings.example.com\n',
    );
  });

  it('exits 1 on a refused token, naming the variable and never the token', async () => {
    const upstream = await startUpstream(10, () => 401);
    const result = await pull({
      TAPEDECK_DATA_DIR: join(dir, 'refused'),
      TAPEDECK_UPSTREAM_URL: upstream.url,
      TAPEDECK_UPSTREAM_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `tapedeck: The upstream API at ${upstream.url} refused the request (401). Check TAPEDECK_UPSTREAM_TOKEN.\n`,
    );
    expect(result.output).not.toContain(TOKEN);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('cancels cleanly on Ctrl-C during a request that hangs, then resumes there on the next pull', async () => {
    let hang = true;
    const upstream = await startUpstream(350, (offset) => (hang && offset === 200 ? 'hang' : undefined));
    const dataDir = join(dir, 'cancel');
    const env = { TAPEDECK_DATA_DIR: dataDir, TAPEDECK_UPSTREAM_URL: upstream.url };
    const child = spawnTapedeck(PULL, [], env, { home: dir, preload: false, running });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.resume();
    await expect.poll(() => upstream.offsets.includes(200), { timeout: 15_000 }).toBe(true);
    const interruptedAt = performance.now();
    child.kill('SIGINT');
    const exit = await whenExited(child);
    expect(performance.now() - interruptedAt).toBeLessThan(3000);
    expect(exit.code, stderr).toBe(130);
    expect(stderr).toContain('tapedeck: pull cancelled; kept 200 interactions from 2 pages. ');
    expect(stderr).toContain('Run npm run pull again to resume at offset 200.');
    expect(catalogIn(dataDir).total).toBe(200);

    hang = false;
    upstream.offsets.length = 0;
    const resumed = await pull(env);
    expect(resumed.code, resumed.output).toBe(0);
    expect(upstream.offsets).toEqual([200, 300]);
    expect(resumed.stdout).toMatch(
      /^Pulled 150 interactions from 2 pages from .*, resumed at offset 200\.$/m,
    );
    expect(catalogIn(dataDir).total).toBe(350);
  });
});
