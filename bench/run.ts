/**
 * `npm run bench`: the Recording API under load, measured against this machine's own ceiling in
 * the same run, plus presigning cost and proof, and the server's memory. Figures are reported, not
 * asserted: the exit code is non-zero only when something went wrong (a server failed, a response
 * was not a 200, a presigned URL did not verify), never for a missed target.
 *
 * Then the catalog at scale (bench/scale.ts: 1,000,000 calls), its section appended to the report.
 * `npm run bench -- --scale-only` runs only that part; `npm run bench -- --skip-scale` only the first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../electron/core/config.ts';
import { createS3Client } from '../electron/core/s3/s3-client.ts';
import { RecordingUrlSigner } from '../electron/core/s3/recording-url-signer.ts';
import type { RecordingList, RecordingUrls } from '../shared/recording.ts';
import {
  EMULATOR_CREDENTIALS,
  createEmulatorClient,
  createTestBucket,
  putTestObject,
  startS3Emulator,
  type RunningEmulator,
} from '../test/support/s3-emulator.ts';
import { makeCalls, writeCatalog, type BenchCall } from './bench-catalog.ts';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';
import { checkUrlsVerify, timePresigning } from './presign-check.ts';
import { allOk, formatReport, type ScenarioResult } from './report.ts';
import { appendColdSection, benchColdGets } from './cold-gets.ts';
import { appendScaleSection, benchScale } from './scale.ts';
import { appendColdStartSection, benchColdStart } from './cold-start.ts';
import { startServerChild, type ServerChild } from './server-child.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AUDIO = readFileSync(join(ROOT, 'test/fixtures/audio/agent-greeting.mp4'));
const PREFIX = 'egress-recordings/';
const INTERACTIONS = 100_000;
/** Recordings really in S3: every 500th call's, spread over the catalog; the GET load rotates over them. */
const UPLOAD_EVERY = 500;
/** Pages the list load rotates over: mostly near the top, as people browse, and some very deep. */
const LIST_OFFSETS = [0, 50, 100, 150, 200, 500, 1000, 2500, 5000, 10000, 25000, 50000, 75000, 90000, 99950];
const LOAD: LoadOptions = { connections: 32, warmupSeconds: 3, durationSeconds: 10 };
const PRESIGN_URLS = 5000;
const MEMORY_TARGET_BYTES = 150 * 1024 * 1024;

const cleanups: (() => Promise<void> | void)[] = [];

async function main(): Promise<boolean> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  step('starting the S3 emulator');
  const emulator: RunningEmulator = await startS3Emulator();
  cleanups.push(() => emulator.stop());
  const setupClient = createEmulatorClient(emulator.endpoint);
  cleanups.push(() => setupClient.destroy());
  const bucket = await createTestBucket(setupClient, 'bench');

  // The product is configured as `npm run serve` is: from the environment.
  const productEnv: NodeJS.ProcessEnv = {
    ...withoutConfiguration(process.env),
    S3_BUCKET: bucket,
    S3_PREFIX: PREFIX,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: emulator.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    TAPEDECK_HOST: '127.0.0.1',
    TAPEDECK_PORT: '0',
    TAPEDECK_DATA_DIR: dataDir,
  };
  const config = readConfig(productEnv);
  const location = config.s3!;

  step(`writing a catalog of ${INTERACTIONS.toLocaleString('en-US')} interactions`);
  const calls = makeCalls(INTERACTIONS, PREFIX, AUDIO.length);
  writeCatalog(config, calls);
  const uploaded = calls.filter((_call, i) => i % UPLOAD_EVERY === 0);
  step(`uploading ${uploaded.length} recordings`);
  await inParallel(uploaded, 16, (call) =>
    putTestObject(setupClient, bucket, call.recording.key, AUDIO, 'audio/mp4'),
  );

  step('starting the product server');
  const product = await startServerChild(
    ['--import', 'tsx', '--import', join(ROOT, 'test/support/emulator-quirks-preload.ts')],
    join(ROOT, 'bench/serve-under-load.ts'),
    [],
    productEnv,
  );
  cleanups.push(() => product.stop());

  const memoryBeforeLoad = await product.memory();
  const getPaths = uploaded.map((call) => `/recordings/${call.interaction.dispatch_id!}`);
  const listPaths = LIST_OFFSETS.map((offset) => `/recordings?limit=50&offset=${offset}`);
  const getBody = await sizeOfAnswers(product.url, getPaths, (body: RecordingUrls) => !!body.recording_url);
  const listBody = await sizeOfAnswers(
    product.url,
    listPaths,
    (body: RecordingList) =>
      body.recordings.length === 50 && body.recordings.every((item) => !!item.recording_url),
  );

  const scenarios: ScenarioResult[] = [];
  step('load: GET /recordings/{dispatch_id}');
  {
    const [ceiling, measured] = await beside(getBody, product, getPaths);
    scenarios.push({
      name: `GET /recordings/{dispatch_id}, ${getPaths.length} ids in turn`,
      bodyBytes: getBody,
      product: measured,
      ceiling,
      targets: [
        { label: '≥ 5,000 req/s', met: measured.requestsPerSecond >= 5000 },
        { label: '≥ 65 % of ceiling', met: measured.requestsPerSecond >= 0.65 * ceiling.requestsPerSecond },
      ],
    });
  }
  step('load: GET /recordings?limit=50');
  {
    const [ceiling, measured] = await beside(listBody, product, listPaths);
    scenarios.push({
      name: `GET /recordings?limit=50, offsets ${LIST_OFFSETS.join(', ')} in turn`,
      bodyBytes: listBody,
      product: measured,
      ceiling,
      targets: [{ label: '≥ 1,000 req/s', met: measured.requestsPerSecond >= 1000 }],
    });
  }
  const memory = await product.memory();

  // URLs the product handed out, fetched after the load (fresh, so they have not expired).
  const productUrls = await productUrlsToCheck(product.url, calls, uploaded);
  await product.stop();

  step(`presigning: ${PRESIGN_URLS.toLocaleString('en-US')} URLs each way`);
  const signingClient = createS3Client(location, { credentials: EMULATOR_CREDENTIALS });
  cleanups.push(() => signingClient.destroy());
  const keys = uploaded.map((call) => call.recording.key);
  const presign = await timePresigning(signingClient, bucket, keys, PRESIGN_URLS);
  const batch = await new RecordingUrlSigner(signingClient, bucket).batch();
  const localUrls = keys.slice(0, 3).map((key, i) => ({
    what: `signed here: ${key.slice(PREFIX.length)}${i === 2 ? ' (download)' : ''}`,
    url: batch.sign(key, 3600, i === 2 ? 'attachment; filename="bench.mp4"' : undefined).url,
  }));
  const urlChecks = await checkUrlsVerify([...localUrls, ...productUrls], AUDIO.length);

  const cpu = cpus();
  const resultsFile = join(ROOT, 'bench/results/latest.md');
  const report = await formatReport(
    {
      date: new Date(),
      machine: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${platform()} ${release()}`,
      setup: [
        `Catalog: ${INTERACTIONS.toLocaleString('en-US')} interactions, each resolving to a recording; ${uploaded.length} of the recordings uploaded to the S3 emulator (s3rver) on this machine.`,
        `Load: autocannon, ${LOAD.connections} connections, ${LOAD.warmupSeconds} s warm-up then ${LOAD.durationSeconds} s measured per run, from the benchmark process; product and ceiling each in a child process of their own.`,
        'Ceiling: a bare `node:http` server answering every request with a fixed body of the size of the product’s answer (its mean over the rotated paths), under the same load.',
        'Latencies: nearest-rank percentiles over every response of the measured part.',
      ],
      scenarios,
      memoryBeforeLoad,
      memory,
      memoryTargetBytes: MEMORY_TARGET_BYTES,
      presign,
      urlChecks,
    },
    resultsFile,
  );
  console.log(`\n${report}`);
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, report);
  step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; written to bench/results/latest.md`);

  return scenarios.every((s) => allOk(s.product) && allOk(s.ceiling)) && urlChecks.every((c) => c.ok);
}

/** The ceiling for a body of `bodyBytes`, then the product, under the same load over the same paths. */
async function beside(bodyBytes: number, product: ServerChild, paths: readonly string[]) {
  const ceilingServer = await startServerChild(
    ['--import', 'tsx'],
    join(ROOT, 'bench/ceiling-server.ts'),
    [String(bodyBytes)],
    process.env,
  );
  let ceiling: LoadResult;
  try {
    ceiling = await runLoad(ceilingServer.url, paths, LOAD);
  } finally {
    await ceilingServer.stop();
  }
  const measured = await runLoad(product.url, paths, LOAD);
  return [ceiling, measured] as const;
}

/** The mean byte size of the product's answers to `paths`, each checked to be a 200 of the right shape. */
async function sizeOfAnswers<T>(
  base: string,
  paths: readonly string[],
  isRight: (body: T) => boolean,
): Promise<number> {
  let total = 0;
  for (const path of paths) {
    const response = await fetch(`${base}${path}`);
    const text = await response.text();
    if (response.status !== 200 || !isRight(JSON.parse(text) as T)) {
      throw new Error(`${path} answered ${response.status} ${text.slice(0, 300)}`);
    }
    total += Buffer.byteLength(text);
  }
  return Math.round(total / paths.length);
}

/** Both URLs of two GET answers, and the URL a list page gives for a recording that is in S3. */
async function productUrlsToCheck(
  base: string,
  calls: readonly BenchCall[],
  uploaded: readonly BenchCall[],
): Promise<{ what: string; url: string }[]> {
  const urls: { what: string; url: string }[] = [];
  for (const call of uploaded.slice(0, 2)) {
    const answer = (await (
      await fetch(`${base}/recordings/${call.interaction.dispatch_id!}`)
    ).json()) as RecordingUrls;
    urls.push({
      what: `from the API: recording_url of ${call.interaction.dispatch_id}`,
      url: answer.recording_url,
    });
    urls.push({
      what: `from the API: download_url of ${call.interaction.dispatch_id}`,
      url: answer.download_url,
    });
  }
  const listed = uploaded[1]!;
  // The list is newest first, and the calls were made oldest first.
  const position = calls.length - 1 - calls.indexOf(listed);
  const offset = position - (position % 50);
  const page = (await (await fetch(`${base}/recordings?limit=50&offset=${offset}`)).json()) as RecordingList;
  const item = page.recordings.find((row) => row.interaction_id === listed.interaction.interaction_id);
  if (!item?.recording_url)
    throw new Error(`interaction ${listed.interaction.interaction_id} is not on page ${offset}`);
  urls.push({ what: `from the API: list item at offset ${position}`, url: item.recording_url });
  return urls;
}

/** The environment without any Tapedeck, S3 or AWS setting of the person running the benchmark. */
function withoutConfiguration(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(
    ([name]) => !/^(AWS_|S3_|TAPEDECK_|INTERACTIONS_FILE$|PORT$)/.test(name),
  );
  return { ...Object.fromEntries(kept), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

function step(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// The SDK's notice that its 2027 releases need Node 22 is noise here (as in the tests).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`bench: while cleaning up: ${String(error)}\n`);
    }
  }
}

// Interrupted: still stop the servers and remove the catalog.
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

const args = process.argv.slice(2);
const scaleOnly = args.includes('--scale-only');
const skipScale = args.includes('--skip-scale');
const RESULTS_FILE = join(ROOT, 'bench/results/latest.md');

/** The catalog at scale (bench/scale.ts), its section appended to bench/results/latest.md. */
async function scale(): Promise<boolean> {
  step('the catalog at scale');
  const result = await benchScale({ log: step, cleanups });
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const section = await appendScaleSection(RESULTS_FILE, result);
  console.log(`\n${section}`);
  step('catalog at scale written to bench/results/latest.md');
  if (!result.ok) process.stderr.write('bench: the catalog at scale had problems (see the report)\n');
  return result.ok;
}

/** GETs in the first seconds after start, spread over every folder and on recent calls (issue 14). */
async function cold(): Promise<boolean> {
  step('cold start: GETs while the first sync runs');
  const results = [];
  for (const spread of ['all', 'recent'] as const) results.push(await benchColdGets({ spread, log: step }));
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  console.log(`\n${await appendColdSection(RESULTS_FILE, results)}`);
  return results.every((r) => allOk(r.product) && allOk(r.seedLike));
}

/** `npm run serve` from outside: start to listening and the process tree's memory (issue 14). */
async function coldStart(): Promise<boolean> {
  step('npm run serve from outside: start to listening, process tree RSS');
  const result = await benchColdStart({ log: step });
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  console.log(`\n${await appendColdStartSection(RESULTS_FILE, result)}`);
  return true;
}

/** Runs one part of the bench; a failure is reported, and its servers and files are cleaned up. */
async function part(run: () => Promise<boolean>): Promise<boolean> {
  try {
    return await run();
  } catch (error) {
    process.stderr.write(
      `bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return false;
  } finally {
    await cleanUp();
  }
}

let ok = true;
if (!scaleOnly) {
  const apiOk = await part(main);
  if (!apiOk) process.stderr.write('bench: some responses or URL checks were wrong (see the report)\n');
  ok = apiOk;
}
if (!scaleOnly) ok = (await part(cold)) && ok;
if (!scaleOnly) ok = (await part(coldStart)) && ok;
if (!skipScale) ok = (await part(scale)) && ok;
process.exitCode = ok ? 0 : 1;
