/**
 * The team's pull at scale (issue 12): EVENTS review events from REVIEWERS reviewers, written to a
 * real S3 server (s3rver) in the team's layout, EVENTS_PER_OBJECT to an object (one review's save),
 * then pulled into a fresh catalog (time, S3 requests) and pulled again with nothing new (time, S3
 * requests: one folder discovery, one forms listing and one listing per reviewer folder).
 *
 *   npx tsx bench/team-bench.ts [EVENTS=100000] [REVIEWERS=20] [EVENTS_PER_OBJECT=10]
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { monotonicFactory } from 'ulid';
import { openCatalog } from '../electron/core/catalog/open-catalog.ts';
import type { S3Location } from '../electron/core/config.ts';
import { silentLogger } from '../electron/core/logger.ts';
import { ReviewStore } from '../electron/core/reviews/review-store.ts';
import { shippedForms } from '../electron/core/reviews/shipped-forms.ts';
import { createS3Client } from '../electron/core/s3/s3-client.ts';
import { mapConcurrently } from '../electron/core/sync/concurrency.ts';
import { TeamBucket } from '../electron/core/team/team-bucket.ts';
import { batchKey } from '../electron/core/team/team-keys.ts';
import { TeamStore } from '../electron/core/team/team-store.ts';
import { TeamSync } from '../electron/core/team/team-sync.ts';
import type { ReviewEvent } from '../shared/reviews/review-events.ts';
import {
  EMULATOR_CREDENTIALS,
  applyEmulatorQuirks,
  createEmulatorClient,
  startS3Emulator,
} from '../test/support/s3-emulator.ts';
import { CreateBucketCommand } from '@aws-sdk/client-s3';

const EVENTS = Number(process.argv[2] ?? 100_000);
const REVIEWERS = Number(process.argv[3] ?? 20);
const PER_OBJECT = Number(process.argv[4] ?? 10);
const BUCKET = 'team-bench';
const TEAM_PREFIX = 'tapedeck/';
const DAY = 86_400_000;

/** One review's events: started, answers, a tag and a note (PER_OBJECT in all). */
function reviewEvents(
  reviewer: string,
  index: number,
  at: number,
  newId: (time: number) => string,
): ReviewEvent[] {
  const envelope = (offset: number) => ({
    event_id: newId(at + offset),
    review_id: '',
    interaction_id: `call-${reviewer}-${index}`,
    reviewer_id: reviewer,
    at: new Date(at + offset).toISOString(),
  });
  const start = envelope(0);
  const review_id = start.event_id;
  const events: ReviewEvent[] = [
    { ...start, review_id, type: 'review_started', form_version_id: 'general-1' },
  ];
  for (let n = 1; events.length < PER_OBJECT; n += 1) {
    const base = { ...envelope(n * 1000), review_id };
    if (n === 1) events.push({ ...base, type: 'tag_added', tag: `batch-${index % 7}` });
    else if (n === 2) {
      events.push({
        ...base,
        type: 'note_added',
        note: {
          note_id: newId(at + n * 1000),
          at_ms: 1000 * n,
          end_ms: null,
          lane: 'agent',
          text: 'note',
          question_id: null,
        },
      });
    } else {
      events.push({
        ...base,
        type: 'answer_set',
        question_id: 'greeting',
        answer: { option_id: n % 2 === 0 ? 'yes' : 'no' },
      });
    }
  }
  return events;
}

async function main(): Promise<void> {
  const emulatorDir = mkdtempSync(join(tmpdir(), 'tapedeck-team-bench-s3-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-team-bench-'));
  const emulator = await startS3Emulator(emulatorDir);
  const seeder = createEmulatorClient(emulator.endpoint);
  try {
    await seeder.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const objects: { key: string; body: string }[] = [];
    const perReviewer = Math.ceil(EVENTS / REVIEWERS / PER_OBJECT);
    const start = Date.now() - 30 * DAY;
    for (let r = 0; r < REVIEWERS; r += 1) {
      const reviewer = `AIDAREVIEWER${String(r).padStart(4, '0')}`;
      const newId = monotonicFactory();
      const keyId = monotonicFactory();
      for (let i = 0; i < perReviewer; i += 1) {
        const at = start + Math.floor((i / perReviewer) * 30 * DAY);
        const events = reviewEvents(reviewer, i, at, newId);
        objects.push({
          key: batchKey(TEAM_PREFIX, reviewer, keyId(at + 60_000), events.length),
          body: `${events.map((event) => JSON.stringify(event)).join('\n')}\n`,
        });
      }
    }
    const total = objects.length * PER_OBJECT;
    console.log(
      `Seeding ${total.toLocaleString('en-US')} events from ${REVIEWERS} reviewers in ${objects.length.toLocaleString('en-US')} objects…`,
    );
    const seedStart = performance.now();
    await mapConcurrently(objects, 16, async ({ key, body }) => {
      await seeder.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'application/x-ndjson' }),
      );
    });
    console.log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const location: S3Location = {
      bucket: BUCKET,
      prefix: 'recordings/',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      forcePathStyle: true,
    };
    const client = createS3Client(location, { credentials: EMULATOR_CREDENTIALS });
    applyEmulatorQuirks(client);
    const catalog = openCatalog(join(dataDir, 'catalog.sqlite'));
    const reviews = new ReviewStore(catalog);
    for (const form of shippedForms()) reviews.publishFormVersion(form);
    const store = new TeamStore(catalog);
    const bucket = new TeamBucket(client, BUCKET);
    const newId = monotonicFactory();
    const sync = new TeamSync({
      teamPrefix: TEAM_PREFIX,
      store,
      reviews,
      bucket,
      newId: () => newId(),
      now: Date.now,
      log: silentLogger,
    });

    const t0 = performance.now();
    const first = await sync.pull();
    const firstSeconds = (performance.now() - t0) / 1000;
    const firstRequests = { ...bucket.counts };
    const stored = catalog.prepare<[], number>('SELECT count(*) FROM review_events').pluck().get() ?? 0;

    const before = { ...bucket.counts };
    const t1 = performance.now();
    const again = await sync.pull();
    const againMs = performance.now() - t1;
    const againRequests = {
      list: bucket.counts.list - before.list,
      get: bucket.counts.get - before.get,
      put: bucket.counts.put - before.put,
    };

    console.log('');
    console.log(
      `First pull into a fresh catalog: ${first.events.toLocaleString('en-US')} events (${stored.toLocaleString('en-US')} stored) from ${first.folders} folders, ${first.objects.toLocaleString('en-US')} objects`,
    );
    console.log(
      `  ${firstSeconds.toFixed(1)} s, ${Math.round(first.events / firstSeconds).toLocaleString('en-US')} events/s`,
    );
    console.log(
      `  requests: ${firstRequests.list} list, ${firstRequests.get.toLocaleString('en-US')} get (one per object; profiles: one per folder)`,
    );
    console.log(`Incremental pull, nothing new: ${againMs.toFixed(0)} ms, ${again.objects} objects read`);
    console.log(
      `  requests: ${againRequests.list} list (1 folder discovery + 1 forms + ${first.folders} folders), ${againRequests.get} get`,
    );
    catalog.close();
    client.destroy();
  } finally {
    seeder.destroy();
    await emulator.stop();
    rmSync(emulatorDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
