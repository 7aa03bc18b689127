/**
 * The listing sync's throughput: a full first `ListingSync.run()` into a fresh catalog against a
 * bare sequential `ListObjectsV2` loop (MaxKeys 1000) over the same objects, on the S3 emulator
 * (s3rver) on this machine. Target: the sync takes at most 1.25× the bare loop (ratio ≥ 0.8).
 *
 * `npx tsx bench/sync-bench.ts 100000` prints the figures. Seeding 100,000 objects into s3rver takes
 * minutes, so the seeded emulator folder is kept under bench/.cache/ (gitignored) and reused.
 */
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { recordingKeyFor } from '../shared/dispatch.ts';
import { EMULATOR_CREDENTIALS, applyEmulatorQuirks, startS3Emulator } from '../test/support/s3-emulator.ts';

export interface SyncBenchResult {
  readonly objects: number;
  /** The bare sequential ListObjectsV2 loop over the prefix. */
  readonly bareSeconds: number;
  /** A full first sync into a fresh catalog (no manifests in the bucket). */
  readonly syncSeconds: number;
  /** bareSeconds / syncSeconds: ≥ 0.8 is the target. */
  readonly ratio: number;
  /** A full first sync of a bucket where half the recordings have an Egress manifest. */
  readonly manifestSeconds?: number;
  /** How many recordings (and half as many manifests) that bucket has. */
  readonly manifestObjects?: number;
}

export const CACHE_DIR = fileURLToPath(new URL('./.cache/', import.meta.url));
export const PREFIX = 'egress-recordings/';
const FIRST = 1_735_689_600; // 2025-01-01T00:00:00Z
const SECONDS_APART = 317; // 100k recordings over about a year: ~270 a day, ~365 day folders
const PUT_CONCURRENCY = 96;
/** The manifest bucket is smaller (fetching 50k manifests one by one is its own, slower workload). */
const MANIFEST_BUCKET_SHARE = 0.1;
const MANIFEST = (startNs: bigint) =>
  JSON.stringify({
    egress_id: 'EG_bench',
    room_name: 'bench',
    started_at: startNs.toString(),
    ended_at: (startNs + 61_000_000_000n).toString(),
    files: [{ filename: 'x.mp4', duration: '61000000000', size: '1000' }],
  });

export async function benchSync(options: {
  objects: number;
  manifests?: boolean;
  log?: (line: string) => void;
}): Promise<SyncBenchResult> {
  const log = options.log ?? (() => {});
  const n = options.objects;
  const directory = join(CACHE_DIR, `sync-s3rver-${n}`);
  mkdirSync(directory, { recursive: true });
  const emulator = await startS3Emulator(directory);
  const location = (bucket: string): S3Location => ({
    bucket,
    prefix: PREFIX,
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    forcePathStyle: true,
  });
  // The product's own client (its agents, timeouts, retries), with the emulator's signing quirk.
  const client = createS3Client(location('sync-bench'), { credentials: EMULATOR_CREDENTIALS });
  applyEmulatorQuirks(client);
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-sync-bench-'));
  try {
    await seedOnce(client, directory, 'sync-bench', n, false, log);
    log(`bare ListObjectsV2 loop over ${n.toLocaleString('en-US')} objects…`);
    // Twice, the faster counts: the first pass also warms the file cache s3rver reads from.
    const bare = Math.min(
      await timeBareLoop(client, 'sync-bench', n),
      await timeBareLoop(client, 'sync-bench', n),
    );
    log(`  ${bare.toFixed(2)} s`);
    log('full first sync into a fresh catalog…');
    const sync = await timeSync(client, location('sync-bench'), join(dataDir, 'plain.sqlite'), n, 0);
    log(`  ${sync.toFixed(2)} s`);
    const result: SyncBenchResult = { objects: n, bareSeconds: bare, syncSeconds: sync, ratio: bare / sync };
    if (options.manifests === false) return result;

    const withManifests = Math.max(1000, Math.round(n * MANIFEST_BUCKET_SHARE));
    await seedOnce(client, directory, 'sync-bench-manifests', withManifests, true, log);
    log(`full first sync of ${withManifests.toLocaleString('en-US')} recordings, half with a manifest…`);
    const manifestSeconds = await timeSync(
      client,
      location('sync-bench-manifests'),
      join(dataDir, 'manifests.sqlite'),
      withManifests,
      Math.ceil(withManifests / 2),
    );
    log(`  ${manifestSeconds.toFixed(2)} s`);
    return { ...result, manifestSeconds, manifestObjects: withManifests };
  } finally {
    client.destroy();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function keyOf(i: number): { key: string; timestamp: number } {
  const timestamp = FIRST + i * SECONDS_APART;
  return { key: recordingKeyFor(PREFIX, `1555${String(i).padStart(7, '0')}`, timestamp), timestamp };
}

/** Seeds the bucket unless the cached emulator folder already holds it (a marker file says so). */
export async function seedOnce(
  client: S3Client,
  directory: string,
  bucket: string,
  n: number,
  manifests: boolean,
  log: (line: string) => void,
): Promise<void> {
  const marker = join(directory, `${bucket}.seeded.json`);
  if (existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { n: number }).n === n) return;
  log(
    `seeding ${n.toLocaleString('en-US')} recordings${manifests ? ' and half as many manifests' : ''} into ${bucket} (cached for reruns)…`,
  );
  const started = performance.now();
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: PUT_CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const { key, timestamp } = keyOf(i);
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x', ContentType: 'audio/mp4' }),
        );
        if (manifests && i % 2 === 0) {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key.replace(/\.mp4$/, '.json'),
              Body: MANIFEST(BigInt(timestamp) * 1_000_000_000n),
              ContentType: 'application/json',
            }),
          );
        }
        if ((i + 1) % 10_000 === 0) log(`  ${(i + 1).toLocaleString('en-US')}…`);
      }
    }),
  );
  writeFileSync(marker, JSON.stringify({ n }));
  log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export async function timeBareLoop(client: S3Client, bucket: string, expected: number): Promise<number> {
  const started = performance.now();
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, MaxKeys: 1000, ContinuationToken: token }),
    );
    count += page.Contents?.length ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const seconds = (performance.now() - started) / 1000;
  if (count !== expected) throw new Error(`the bare loop listed ${count} objects, expected ${expected}`);
  return seconds;
}

export async function timeSync(
  client: S3Client,
  location: S3Location,
  catalogFile: string,
  recordings: number,
  manifests: number,
  mode?: ListingMode,
): Promise<number> {
  const db = openCatalog(catalogFile);
  try {
    const sync = new ListingSync(new RecordingBucket(client, location), new CatalogStore(db), {
      checkpoints: new SyncCheckpointStore(db),
      mode,
    });
    const started = performance.now();
    const status = await sync.run();
    const seconds = (performance.now() - started) / 1000;
    if (status.state !== 'succeeded') throw new Error(`the sync ${status.state}: ${status.error}`);
    if (status.recordingsAdded !== recordings || status.manifestsRead !== manifests) {
      throw new Error(
        `the sync added ${status.recordingsAdded} recordings and read ${status.manifestsRead} manifests, ` +
          `expected ${recordings} and ${manifests}`,
      );
    }
    return seconds;
  } finally {
    db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const objects = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(objects) || objects < 1) {
    process.stderr.write('Usage: npx tsx bench/sync-bench.ts [OBJECTS]   (default 100000)\n');
    process.exit(2);
  }
  const result = await benchSync({ objects, log: (line) => process.stderr.write(`${line}\n`) });
  const f = (seconds: number) => `${seconds.toFixed(2)} s`;
  process.stdout.write(
    `Sync of ${objects.toLocaleString('en-US')} recordings (s3rver, this machine):\n` +
      `  bare sequential ListObjectsV2 loop: ${f(result.bareSeconds)}\n` +
      `  full first sync into a fresh catalog: ${f(result.syncSeconds)}\n` +
      `  ratio (bare / sync, target ≥ 0.8): ${result.ratio.toFixed(2)}\n` +
      (result.manifestSeconds === undefined
        ? ''
        : `  full first sync of ${result.manifestObjects!.toLocaleString('en-US')} recordings, half with a manifest: ${f(result.manifestSeconds)}\n`),
  );
}
