import type { S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { markCatalogInUse } from '../../electron/core/catalog/catalog-in-use.ts';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { DETAIL_S3_CONFIG_MISSING, type RecordingList, type RecordingUrls } from '../../shared/recording.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import {
  EMULATOR_CREDENTIALS,
  createEmulatorClient,
  createTestBucket,
  putTestObject,
} from '../support/s3-emulator.ts';
import { runTapedeck, spawnTapedeck, startServe, whenExited } from '../support/tapedeck-process.ts';
import { BUILD_INFO_FILE, buildCli, CLI_ENTRIES, CLI_EXTENSION } from '../../build/build-cli.ts';
import { codeCacheFile, staleReason } from '../../build/launch.mjs';
import {
  startDemoLibrary,
  DEMO_CREDENTIALS,
  type DemoLibrary,
} from '../../electron/core/demo/demo-library.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync, utimesSync } from 'node:fs';
import { buildRendererIfStale } from '../e2e/web/web-app-harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const T = 1754653479;
const AUDIO = readFileSync(join(ROOT, 'test/fixtures/audio/agent-greeting.mp4'));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a Tapedeck command as `npm run …` does (tsx), with only the environment given. */
const run = (script: string, args: string[], env: Record<string, string>) =>
  runTapedeck(script, args, env, { home: dir });

function interactionsIn(dataDir: string): string[] {
  const db = openCatalog(join(dataDir, 'catalog.sqlite'));
  try {
    return new CatalogStore(db).listInteractions(100, 0).map((row) => row.interaction_id);
  } finally {
    db.close();
  }
}

/** What a child printed, and how it ended. */
async function outputOf(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code } = await whenExited(child);
  return { code, stdout, stderr };
}

describe('npm run import', () => {
  it('imports a CSV file, prints what it did, and upserts on a second run', async () => {
    const dataDir = join(dir, 'import-ok');
    const file = join(dir, 'calls.csv');
    writeFileSync(
      file,
      'interaction_id,customer_name,start_time\na,Ann,2025-08-08T10:00:00Z\nb,Bob,2025-08-08T11:00:00Z\n',
    );
    const first = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 2 interactions from calls\.csv: 2 new, 0 updated/m);
    expect(first.stdout).toMatch(/2 interactions, 0 with a known recording/);
    const second = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
    expect(second.stdout).toMatch(/^Imported 2 interactions from calls\.csv: 0 new, 2 updated/m);
    expect(interactionsIn(dataDir)).toEqual(['b', 'a']);
  });

  it('names the file, line and field of a bad row, exits 1, and writes nothing from that file', async () => {
    const dataDir = join(dir, 'import-bad');
    const good = join(dir, 'good.ndjson');
    writeFileSync(good, '{"interaction_id":"kept"}\n');
    expect((await run('electron/core/cli/import.ts', [good], { TAPEDECK_DATA_DIR: dataDir })).code).toBe(0);

    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"interaction_id":"new-1"}\n{"interaction_id":"new-2","duration":"ten"}\n');
    const result = await run('electron/core/cli/import.ts', [bad], { TAPEDECK_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'tapedeck: bad.ndjson, line 2, field "duration": expected a number of seconds',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(interactionsIn(dataDir)).toEqual(['kept']);
  });

  it('names the catalog file it wrote, and says when no running app has it open', async () => {
    const dataDir = join(dir, 'import-alone');
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, '{"interaction_id":"one"}\n');
    const result = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Catalog ${join(dataDir, 'catalog.sqlite')}: 1 interactions`);
    expect(result.stdout).toMatch(/^No running Tapedeck has this catalog open/m);
  });

  it('says which running app has the catalog open, and ignores the claim of one that is gone', async () => {
    const dataDir = join(dir, 'import-in-use');
    const file = join(dir, 'two.ndjson');
    writeFileSync(file, '{"interaction_id":"two"}\n');
    const release = markCatalogInUse(dataDir, {
      pid: process.pid,
      url: 'http://127.0.0.1:8123',
      mode: 'serve',
    });
    try {
      const result = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
      expect(result.stdout).toContain(
        `A running Tapedeck (serve, pid ${process.pid}, http://127.0.0.1:8123) has this catalog open`,
      );
    } finally {
      release();
    }
    // A crashed app's claim: its pid is no longer alive.
    const gone = spawnTapedeck('electron/core/cli/import.ts', ['--help'], {}, { home: dir });
    const gonePid = gone.pid!;
    await whenExited(gone);
    markCatalogInUse(dataDir, { pid: gonePid, url: null, mode: 'desktop' });
    const after = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
    expect(after.stdout).toMatch(/^No running Tapedeck has this catalog open/m);
  });

  it('tells how to import into the demo when a demo runs on the same data folder', async () => {
    const dataDir = join(dir, 'import-beside-demo');
    const file = join(dir, 'three.ndjson');
    writeFileSync(file, '{"interaction_id":"three"}\n');
    const release = markCatalogInUse(join(dataDir, 'demo'), { pid: process.pid, url: null, mode: 'demo' });
    try {
      const result = await run('electron/core/cli/import.ts', [file], { TAPEDECK_DATA_DIR: dataDir });
      expect(result.stdout).toContain(
        `The demo (demo, pid ${process.pid}) shows another catalog, ${join(dataDir, 'demo', 'catalog.sqlite')}: ` +
          `to import into it, run again with TAPEDECK_DATA_DIR=${join(dataDir, 'demo')}`,
      );
      const intoDemo = await run('electron/core/cli/import.ts', [file], {
        TAPEDECK_DATA_DIR: join(dataDir, 'demo'),
      });
      expect(intoDemo.stdout).toContain(`Catalog ${join(dataDir, 'demo', 'catalog.sqlite')}: 1 interactions`);
      expect(intoDemo.stdout).toContain(
        `A running Tapedeck (demo, pid ${process.pid}) has this catalog open`,
      );
    } finally {
      release();
    }
  });

  it('says what to do for a file that does not exist, and without arguments', async () => {
    const missing = await run('electron/core/cli/import.ts', [join(dir, 'nope.csv')], {
      TAPEDECK_DATA_DIR: join(dir, 'x'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`tapedeck: ${join(dir, 'nope.csv')}: no such file. Check the path.`);
    const usage = await run('electron/core/cli/import.ts', [], { TAPEDECK_DATA_DIR: join(dir, 'x') });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run import -- FILE/);
  });
});

describe('npm run serve', () => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = createEmulatorClient(emulatorEndpoint());
  });
  afterAll(() => s3.destroy());

  /** Starts `serve` and resolves with its base URL once it logs that it listens. */
  const serve = (env: Record<string, string>) => startServe(env, { home: dir });

  it('serves the documented API from the environment, imports INTERACTIONS_FILE, and stops cleanly on SIGTERM', async () => {
    const bucket = await createTestBucket(s3);
    const phone = '15103455686';
    const key = recordingKeyFor('egress-recordings/', phone, T + 4);
    await putTestObject(s3, bucket, key, AUDIO, 'audio/mp4');
    const interactions = join(dir, 'serve-calls.ndjson');
    writeFileSync(
      interactions,
      JSON.stringify({
        interaction_id: 'test_interaction_louis_001',
        customer_name: 'Louis Smith',
        start_time: '2025-08-08T11:44:39.000Z',
        dispatch_id: `dispatch_${T}_${phone}`,
      }),
    );
    const server = await serve({
      S3_BUCKET: bucket,
      AWS_ENDPOINT_URL_S3: emulatorEndpoint(),
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      INTERACTIONS_FILE: interactions,
      TAPEDECK_DATA_DIR: join(dir, 'serve-data'),
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.log.join('\n')).toMatch(/Imported 1 interactions from serve-calls\.ndjson/);

      const one = (await (
        await fetch(`${server.url}/recordings/dispatch_${T}_${phone}`)
      ).json()) as RecordingUrls;
      expect(one.s3_key).toBe(key);
      expect((await fetch(one.recording_url)).status).toBe(200);

      const list = (await (await fetch(`${server.url}/recordings?limit=5`)).json()) as RecordingList;
      expect(list.recordings.map((r) => [r.interaction_id, r.recording_url !== null])).toEqual([
        ['test_interaction_louis_001', true],
      ]);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
    expect(server.log.join('\n')).toMatch(/SIGTERM: finishing requests in flight/);
    expect(server.log.join('\n')).not.toMatch(/S3RVER/); // the secret never reaches a log line
  });

  it('starts without S3_BUCKET and answers both routes with the documented 500', async () => {
    const server = await serve({ TAPEDECK_DATA_DIR: join(dir, 'serve-unconfigured') });
    try {
      expect(server.log.join('\n')).toMatch(/S3_BUCKET is not set/);
      for (const path of ['/recordings', '/recordings/dispatch_1754653479_15103455686']) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.status).toBe(500);
        expect(await response.json()).toEqual({ detail: DETAIL_S3_CONFIG_MISSING });
      }
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
  });

  it('finishes a request in flight on SIGTERM, then closes the catalog cleanly', async () => {
    const bucket = await createTestBucket(s3);
    const phone = '15103450077';
    await putTestObject(s3, bucket, recordingKeyFor('egress-recordings/', phone, T + 4), AUDIO, 'audio/mp4');
    const proxy = await startFaultProxy(emulatorEndpoint());
    const dataDir = join(dir, 'serve-graceful');
    const server = await serve({
      S3_BUCKET: bucket,
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      TAPEDECK_DATA_DIR: dataDir,
    });
    try {
      // The live lookup of a new dispatch waits 1.5 s on S3; the stop signal comes while it waits.
      await new Promise((resolve) => setTimeout(resolve, 500)); // the start-up sync is done
      proxy.inject([{ kind: 'delay', ms: 1500 }], (_method, path) => path.includes(`outbound-${phone}_`));
      const inFlight = fetch(`${server.url}/recordings/dispatch_${T}_${phone}`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      server.child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as RecordingUrls).s3_key).toContain(`outbound-${phone}_`);
      expect((await server.exited).code).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      await proxy.close();
    }
    // A clean close checkpoints the WAL away; the catalog is whole.
    expect(existsSync(join(dataDir, 'catalog.sqlite-wal'))).toBe(false);
    const db = openCatalog(join(dataDir, 'catalog.sqlite'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('refuses a bad setting with one clear line and exit code 2', async () => {
    const result = await run('electron/core/cli/serve.ts', [], {
      TAPEDECK_PORT: 'eighty',
      TAPEDECK_DATA_DIR: join(dir, 'y'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'tapedeck: configuration error: TAPEDECK_PORT must be a port number from 0 to 65535, got "eighty".',
    );
  });
});

describe('npm run demo', () => {
  it('logs the catalog file it really uses, one folder down, holding the demo calls', async () => {
    const dataDir = join(dir, 'demo-data');
    const child = spawnTapedeck(
      'electron/core/cli/demo.ts',
      [],
      { TAPEDECK_PORT: '0', TAPEDECK_DATA_DIR: dataDir },
      { home: dir, preload: false },
    );
    const exited = whenExited(child);
    child.stdout!.resume();
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const log: string[] = [];
        createInterface({ input: child.stderr! }).on('line', (text) => {
          log.push(text);
          if (text.includes('Recording API on')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`demo exited (${code}):\n${log.join('\n')}`)));
      });
      const catalogFile = join(dataDir, 'demo', 'catalog.sqlite');
      expect(line.endsWith(`(catalog ${catalogFile})`), line).toBe(true);
      expect(existsSync(catalogFile)).toBe(true);
      expect(existsSync(join(dataDir, 'catalog.sqlite'))).toBe(false);
      expect(interactionsIn(join(dataDir, 'demo'))).toHaveLength(11);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });
});

/**
 * The commands as `npm run` runs them now: bundled JavaScript (build/build-cli.ts) run by plain
 * Node, no tsx and no test preload in the process. Built once here, inside the project (so the
 * bundles find node_modules as out/cli does); the S3 server is the demo library's s3rver, which
 * needs no client-side patch (the bundled SDK cannot be patched from outside).
 */
describe('the built commands (out/cli), run by plain node', () => {
  /** What build/launch.mjs does with a command (argv[1]), saying whether V8's code cache was used. */
  const LAUNCH =
    `import { runWithCodeCache } from ${JSON.stringify(join(ROOT, 'build/launch.mjs'))};\n` +
    'const outcome = runWithCodeCache(process.argv[1]);\n' +
    'process.stderr.write(`code cache used: ${outcome.cached}\\n`);\n';
  let outRoot: string;
  let cli: string;
  let demo: DemoLibrary;
  let s3Env: Record<string, string>;
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'out'), { recursive: true });
    outRoot = mkdtempSync(join(ROOT, 'out', 'test-cli-'));
    cli = (await buildCli({ outRoot })).dir;
    demo = await startDemoLibrary(join(dir, 'built-s3'));
    s3Env = {
      S3_BUCKET: demo.location.bucket,
      AWS_ENDPOINT_URL_S3: demo.location.endpoint!,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    };
  }, 180_000);
  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await demo?.close();
    rmSync(outRoot, { recursive: true, force: true });
  });

  /**
   * `node out/cli/<name>.cjs ARGS`, with only the environment given; with `launched`, as
   * build/launch.mjs runs it (from V8's code cache), saying whether the cache was used.
   */
  function spawnBuilt(
    name: string,
    args: readonly string[],
    env: Record<string, string>,
    launched = false,
  ): ChildProcess {
    const bundle = join(cli, `${name}${CLI_EXTENSION}`);
    const argv = launched ? ['--input-type=module', '-e', LAUNCH, bundle, ...args] : [bundle, ...args];
    const child = spawn(process.execPath, argv, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    return child;
  }

  async function runBuilt(name: string, args: readonly string[], env: Record<string, string>) {
    return outputOf(spawnBuilt(name, args, env));
  }

  /** Starts a long-running built command and resolves with its URL once it logs that it listens. */
  async function startBuilt(name: 'serve' | 'demo', env: Record<string, string>, launched = false) {
    const child = spawnBuilt(name, [], { TAPEDECK_PORT: '0', ...env }, launched);
    const exited = whenExited(child);
    child.stdout!.resume();
    const log: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stderr! }).on('line', (line) => {
        log.push(line);
        const match = /Recording API on (http:\/\/\S+)/.exec(line);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${log.join('\n')}`)));
    });
    return { url, child, log, exited };
  }

  it('builds one ASCII file per command and the import worker, none of them loading TypeScript', () => {
    for (const name of [...Object.keys(CLI_ENTRIES), 'stage-worker']) {
      const bytes = readFileSync(join(cli, `${name}${CLI_EXTENSION}`));
      const source = bytes.toString('utf8');
      // Booleans: a failure names the bundle, not its 4.8 MB.
      expect(
        /from ?["'][^"']+\.ts["']|require\(["'][^"']+\.ts["']\)/.test(source),
        `${name} loads a .ts`,
      ).toBe(false);
      expect(/\btsx\b[^;]{0,80}register\(\)/.test(source), `${name} registers tsx`).toBe(false);
      // ASCII is what the launcher reads fastest: a character outside it (a regex's) names itself here.
      const outside = [...source].find((char) => char.charCodeAt(0) > 0x7f);
      expect(outside, `${name}: write ${outside ?? ''} as an escape in its source`).toBeUndefined();
    }
    // The import starts its worker from the bundled file beside it, not from the .ts source.
    expect(readFileSync(join(cli, `import${CLI_EXTENSION}`), 'utf8')).toContain(
      `new URL("./stage-worker${CLI_EXTENSION}",__tapedeckMetaUrl)`,
    );
  });

  it('runs a command from V8’s code cache: written at its first run, used at the next, a bad one replaced', async () => {
    const bundle = join(cli, `import${CLI_EXTENSION}`);
    const cache = codeCacheFile(bundle);
    rmSync(cache, { force: true });
    const launch = async () => {
      const { code, stdout, stderr } = await outputOf(spawnBuilt('import', ['--help'], {}, true));
      expect(code, stderr).toBe(0);
      expect(stdout + stderr).toContain('Usage: npm run import');
      return /code cache used: (true|false)/.exec(stderr)?.[1];
    };
    expect(await launch()).toBe('false');
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(await launch()).toBe('true');
    writeFileSync(cache, 'not a code cache');
    expect(await launch()).toBe('false');
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(await launch()).toBe('true');
  }, 60_000);

  it('runs the demo from the code cache too: what it loads at run time (s3rver) still loads', async () => {
    const bundle = join(cli, `demo${CLI_EXTENSION}`);
    rmSync(codeCacheFile(bundle), { force: true });
    const dataDir = join(dir, 'cached-demo');
    for (const expected of ['false', 'true']) {
      const { url, child, log, exited } = await startBuilt('demo', { TAPEDECK_DATA_DIR: dataDir }, true);
      try {
        expect(log).toContain(`code cache used: ${expected}`);
        const list = (await (await fetch(`${url}/recordings?limit=50`)).json()) as RecordingList;
        expect(list.recordings.length).toBeGreaterThan(0);
      } finally {
        child.kill('SIGTERM');
      }
      expect((await exited).code, log.join('\n')).toBe(0);
    }
  }, 60_000);

  it('import: a small CSV, then a file big enough for the worker threads, both whole', async () => {
    const dataDir = join(dir, 'built-import');
    const small = join(dir, 'built-calls.csv');
    writeFileSync(small, 'interaction_id,customer_name,start_time\na,Ann,2025-08-08T10:00:00Z\n');
    const first = await runBuilt('import', [small], { TAPEDECK_DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 1 interactions from built-calls\.csv: 1 new, 0 updated/m);

    // 17 MiB of NDJSON: past the 16 MiB from which the import reads a file in parts, in worker threads.
    const big = join(dir, 'built-big.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < 180_000; i++) {
      lines.push(
        JSON.stringify({
          interaction_id: `big-${String(i).padStart(6, '0')}`,
          customer_name: `Customer number ${i}`,
          start_time: '2025-08-08T10:00:00Z',
        }),
      );
    }
    writeFileSync(big, `${lines.join('\n')}\n`);
    expect(statSync(big).size).toBeGreaterThan(16 * 1024 * 1024);
    const second = await runBuilt('import', [big], { TAPEDECK_DATA_DIR: dataDir });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /^Imported 180,000 interactions from built-big\.ndjson: 180,000 new, 0 updated/m,
    );
    expect(second.stdout).toContain('180,001 interactions');
  }, 180_000);

  it('serve answers the API from S3; sync and pull fill other catalogs from the bucket and from it', async () => {
    // Which packages the server loaded, written as it exits: a bucket's start-up does not load the
    // demo's S3 server (s3rver and its Koa stack cost a fifth of the start and megabytes).
    const loadedFile = join(dir, 'built-serve-loaded.txt');
    const recorder = join(dir, 'record-loaded.cjs');
    writeFileSync(
      recorder,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_FILE, Object.keys(require.cache).join('\\n')));\n",
    );
    const server = await startBuilt('serve', {
      ...s3Env,
      INTERACTIONS_FILE: demo.callsFile,
      TAPEDECK_DATA_DIR: join(dir, 'built-serve'),
      NODE_OPTIONS: `--require ${recorder}`,
      LOADED_FILE: loadedFile,
    });
    try {
      const one = (await (
        await fetch(`${server.url}/recordings/dispatch_1754653479_15103455686`)
      ).json()) as RecordingUrls;
      expect(one.s3_key).toBe('egress-recordings/2025/08/08/outbound-15103455686_1754653485.mp4');
      expect((await fetch(one.recording_url)).status).toBe(200);
      const list = (await (await fetch(`${server.url}/recordings?limit=50`)).json()) as RecordingList;
      expect(list.recordings).toHaveLength(11);

      const synced = await runBuilt('sync', [], { ...s3Env, TAPEDECK_DATA_DIR: join(dir, 'built-sync') });
      expect(synced.code, synced.stderr).toBe(0);
      expect(synced.stdout).toMatch(/^Synced: .* 9 recordings added/m);

      const pulled = await runBuilt('pull', [], {
        TAPEDECK_UPSTREAM_URL: server.url,
        TAPEDECK_DATA_DIR: join(dir, 'built-pull'),
      });
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.stdout).toMatch(/^Pulled 11 interactions from/m);
      expect(interactionsIn(join(dir, 'built-pull'))).toHaveLength(11);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
    const loaded = readFileSync(loadedFile, 'utf8').split('\n');
    expect(loaded.some((file) => file.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(loaded.filter((file) => /\/node_modules\/(@20minutes\/s3rver|koa)\//.test(file))).toEqual([]);
  }, 120_000);

  it('demo serves the page and the demo calls', async () => {
    // `npm run demo` builds the page first; on a fresh clone nothing else may have built it yet.
    await buildRendererIfStale();
    const dataDir = join(dir, 'built-demo');
    const server = await startBuilt('demo', { TAPEDECK_DATA_DIR: dataDir });
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const list = (await (await fetch(`${server.url}/recordings?limit=50`)).json()) as RecordingList;
      expect(list.recordings).toHaveLength(11);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});

describe('npm run import (package.json → build/launch.mjs → out/cli)', () => {
  it('runs the bundled command in one Node process under npm, rebuilding it first if a source changed', async () => {
    const file = join(dir, 'via-npm.ndjson');
    writeFileSync(file, '{"interaction_id":"via-npm"}\n');
    const dataDir = join(dir, 'via-npm');
    const child = spawn('npm', ['run', '--silent', 'import', '--', file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TAPEDECK_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stdout, stderr } = await outputOf(child);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Imported 1 interactions from via-npm\.ndjson: 1 new/m);
    expect(interactionsIn(dataDir)).toEqual(['via-npm']);
  }, 180_000);

  it('tells a current build from a stale or missing one', () => {
    const project = join(dir, 'launch-project');
    const out = join(project, 'out', 'cli');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(project, 'a.ts'), 'export {};\n');
    expect(staleReason(project, out)).toBe('not built yet');
    const builtAt = Date.now();
    writeFileSync(join(out, BUILD_INFO_FILE), JSON.stringify({ builtAt, inputs: ['a.ts'], commands: {} }));
    utimesSync(join(project, 'a.ts'), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
    expect(staleReason(project, out)).toBeNull();
    utimesSync(join(project, 'a.ts'), new Date(builtAt + 1_000), new Date(builtAt + 1_000));
    expect(staleReason(project, out)).toBe('a.ts changed');
    rmSync(join(project, 'a.ts'));
    expect(staleReason(project, out)).toBe('a.ts is gone');
  });
});
