/**
 * How the sync should list a bucket: flat (every key in order, paged by StartAfter) or folder by
 * folder (date folders found with delimiter listings, then listed four at once). Both are timed on
 * the same bucket as bench/sync-bench.ts seeds it (about 270 recordings a day), for a first sync into
 * a fresh catalog and a second, incremental one; once straight to s3rver on this machine and once
 * through a proxy that holds every S3 request LATENCY ms (a server across a network, where folder
 * listings in parallel could pay off). A bare sequential ListObjectsV2 loop is the reference.
 *
 *   npx tsx bench/listing-modes.ts [OBJECTS=20000] [LATENCY_MS=40]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogStore } from '../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../electron/core/catalog/open-catalog.ts';
import { SyncCheckpointStore } from '../electron/core/catalog/sync-checkpoint-store.ts';
import type { S3Location } from '../electron/core/config.ts';
import { RecordingBucket } from '../electron/core/s3/recording-bucket.ts';
import { createS3Client } from '../electron/core/s3/s3-client.ts';
import { ListingSync, type ListingMode } from '../electron/core/sync/listing-sync.ts';
import { startFaultProxy } from '../test/support/fault-proxy.ts';
import { EMULATOR_CREDENTIALS, applyEmulatorQuirks, startS3Emulator } from '../test/support/s3-emulator.ts';
import { CACHE_DIR, PREFIX, seedOnce, timeBareLoop } from './sync-bench.ts';

export interface ModeFigure {
  readonly where: string;
  readonly mode: Exclude<ListingMode, 'auto'> | 'bare loop';
  readonly firstSeconds: number;
  readonly againSeconds: number | null;
  readonly requests: number;
}

const BUCKET = 'sync-bench';

export async function benchListingModes(options: {
  objects: number;
  latencyMs: number;
  log?: (line: string) => void;
}): Promise<ModeFigure[]> {
  const log = options.log ?? (() => {});
  const n = options.objects;
  const directory = join(CACHE_DIR, `sync-s3rver-${n}`);
  mkdirSync(directory, { recursive: true });
  const emulator = await startS3Emulator(directory);
  const proxy = await startFaultProxy(emulator.endpoint);
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-listing-modes-'));
  const figures: ModeFigure[] = [];
  try {
    for (const [where, endpoint, latency] of [
      ['s3rver here', emulator.endpoint, 0],
      [`s3rver + ${options.latencyMs} ms a request`, proxy.endpoint, options.latencyMs],
    ] as const) {
      const location: S3Location = {
        bucket: BUCKET,
        prefix: PREFIX,
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
      };
      let requests = 0;
      const client = createS3Client(location, { credentials: EMULATOR_CREDENTIALS });
      applyEmulatorQuirks(client);
      client.middlewareStack.add(
        (next) => (args) => {
          requests += 1;
          if (latency > 0) proxy.inject([{ kind: 'delay', ms: latency }]);
          return next(args);
        },
        { step: 'initialize', name: 'benchRequestCount' },
      );
      try {
        if (latency === 0) await seedOnce(client, directory, BUCKET, n, false, log);
        requests = 0;
        const bare = Math.min(await timeBareLoop(client, BUCKET, n), await timeBareLoop(client, BUCKET, n));
        figures.push({
          where,
          mode: 'bare loop',
          firstSeconds: bare,
          againSeconds: null,
          requests: requests / 2,
        });
        log(`${where}: bare loop ${bare.toFixed(2)} s`);
        for (const mode of ['folders', 'flat'] as const) {
          const db = openCatalog(join(dataDir, `${mode}-${latency}.sqlite`));
          try {
            const sync = () =>
              new ListingSync(new RecordingBucket(client, location), new CatalogStore(db), {
                checkpoints: new SyncCheckpointStore(db),
                mode,
              });
            requests = 0;
            const first = await timed(() => sync().run(), n);
            const firstRequests = requests;
            const again = await timed(() => sync().run(), 0);
            figures.push({ where, mode, firstSeconds: first, againSeconds: again, requests: firstRequests });
            log(
              `${where}: ${mode} first ${first.toFixed(2)} s (${firstRequests} requests), again ${again.toFixed(2)} s`,
            );
          } finally {
            db.close();
          }
        }
      } finally {
        client.destroy();
      }
    }
    return figures;
  } finally {
    await proxy.close();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timed(
  run: () => Promise<{ state: string; error: string | null; recordingsAdded: number }>,
  added: number,
): Promise<number> {
  const started = performance.now();
  const status = await run();
  const seconds = (performance.now() - started) / 1000;
  if (status.state !== 'succeeded') throw new Error(`the sync ${status.state}: ${status.error}`);
  if (status.recordingsAdded !== added)
    throw new Error(`the sync added ${status.recordingsAdded} recordings, expected ${added}`);
  return seconds;
}

export function listingModesMarkdown(figures: readonly ModeFigure[], objects: number): string {
  const rows = figures.map((f) => {
    const rate = Math.round(objects / f.firstSeconds).toLocaleString('en-US');
    return `| ${f.where} | ${f.mode} | ${f.firstSeconds.toFixed(2)} s (${rate} objects/s) | ${
      f.againSeconds === null ? '' : `${f.againSeconds.toFixed(2)} s`
    } | ${f.requests} |`;
  });
  return [
    `Listing ${objects.toLocaleString('en-US')} recordings (about 270 a day folder):`,
    '',
    '| server | listing | first sync | second sync (nothing changed) | S3 requests (first) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const objects = Number(process.argv[2] ?? 20_000);
  const latencyMs = Number(process.argv[3] ?? 40);
  const figures = await benchListingModes({
    objects,
    latencyMs,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${listingModesMarkdown(figures, objects)}\n`);
}
