/**
 * The first page of a new filter at scale: `GET /recordings?{filter}&limit=50` where nearly every
 * request is a filter the server has no view of (a week's window at a different day, with one of
 * several statuses: 1,460 filters in turn, far more than the 12 views kept), 4 clients at once.
 * Run on a catalog already imported (e.g. `TAPEDECK_DATA_DIR=DIR npm run import -- calls.ndjson`
 * with bench/make-calls-file.ts's million calls):
 *
 *   npx tsx bench/first-page.ts DATA_DIR [SECONDS=6]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EMULATOR_CREDENTIALS,
  createEmulatorClient,
  createTestBucket,
  startS3Emulator,
} from '../test/support/s3-emulator.ts';
import { runLoad, type LoadResult } from './load.ts';
import { startServerChild } from './server-child.ts';

export const FIRST_PAGE_P99_TARGET_MS = 10;
const CLIENTS = 4;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STATUSES = ['', '&status=NO_ANSWER', '&status=COMPLETED', '&status=BUSY&status=NO_ANSWER'];

/** 365 one-week windows of 2025, each with every status choice: 1,460 filters, in an order that mixes them. */
export function newFilterPaths(): string[] {
  const paths: string[] = [];
  for (let k = 0; k < 365 * STATUSES.length; k += 1) {
    const day = (k * 97) % 365;
    const from = new Date(Date.UTC(2025, 0, 1 + day));
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const date = (d: Date) => d.toISOString().slice(0, 10);
    paths.push(`/recordings?from=${date(from)}&to=${date(to)}${STATUSES[k % STATUSES.length]}&limit=50`);
  }
  return paths;
}

export async function benchFirstPage(dataDir: string, seconds = 6): Promise<LoadResult> {
  const emulator = await startS3Emulator();
  const setup = createEmulatorClient(emulator.endpoint);
  try {
    const bucket = await createTestBucket(setup, 'first-page');
    const server = await startServerChild(
      ['--import', 'tsx', '--import', join(ROOT, 'test/support/emulator-quirks-preload.ts')],
      join(ROOT, 'bench/serve-under-load.ts'),
      [],
      {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !/^(AWS_|S3_|TAPEDECK_)/.test(name)),
        ),
        S3_BUCKET: bucket,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_S3: emulator.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
        TAPEDECK_HOST: '127.0.0.1',
        TAPEDECK_PORT: '0',
        TAPEDECK_DATA_DIR: dataDir,
      },
    );
    try {
      return await runLoad(server.url, newFilterPaths(), {
        connections: CLIENTS,
        warmupSeconds: 1,
        durationSeconds: seconds,
      });
    } finally {
      await server.stop();
    }
  } finally {
    setup.destroy();
    await emulator.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('Usage: npx tsx bench/first-page.ts DATA_DIR [SECONDS]\n');
    process.exit(2);
  }
  const r = await benchFirstPage(dataDir, Number(process.argv[3] ?? 6));
  process.stdout.write(
    `| first page of a new filter (1,460 filters in turn), ${CLIENTS} clients | p99 ${r.p99Ms.toFixed(2)} ms, p50 ${r.p50Ms.toFixed(2)} ms, ` +
      `${Math.round(r.requestsPerSecond)} req/s, ${JSON.stringify(r.statusCounts)} | p99 < ${FIRST_PAGE_P99_TARGET_MS} ms | ${r.p99Ms < FIRST_PAGE_P99_TARGET_MS ? 'yes' : '**no**'} |\n`,
  );
}
