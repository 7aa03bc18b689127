/**
 * The team shares reviews through the bucket (issue 12): two real Tapedecks (two data folders, two
 * reviewers) against one real S3 server. Each member's S3 traffic goes through its own fault proxy,
 * so one or both can be offline.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import type { ReviewView } from '../../shared/contract/reviews.ts';
import type { TeamStatus } from '../../electron/core/team/team-service.ts';
import type { TeamReply } from '../../electron/core/http/team-routes.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';
import { DEMO_CALLS_FILE, startTeamMember, type TeamMember } from '../support/team-members.ts';

const CALLS = (JSON.parse(readFileSync(DEMO_CALLS_FILE, 'utf8')) as { interaction_id: string }[]).map(
  (call) => call.interaction_id,
);
const EVENTS = 'tapedeck/v1/events/';

/** A small form, published on A: B reviews with it once it has pulled it. */
const TEAM_FORM = {
  form_id: 'team-check',
  version_id: 'team-check-1',
  title: 'Team check',
  pass_mark: 50,
  sections: [
    {
      id: 'call',
      title: 'The call',
      questions: [
        { id: 'greeted', text: 'Greeted the customer', type: 'yes_no' },
        { id: 'closed', text: 'Closed the call properly', type: 'yes_no' },
      ],
    },
  ],
};

let dir: string;
let s3: S3Client;
let bucket: string;
let alice: TeamMember;
let bob: TeamMember;
const others: TeamMember[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-team-'));
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3, 'team');
  [alice, bob] = await Promise.all([
    startTeamMember({ name: 'alice', dir, bucket, endpoint: emulatorEndpoint() }),
    startTeamMember({ name: 'bob', dir, bucket, endpoint: emulatorEndpoint() }),
  ]);
  await alice.value('reviews:publishForm', { form: TEAM_FORM });
  await alice.sync();
  await bob.sync();
}, 60_000);

afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close(), ...others.map((member) => member.close())]);
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function review(member: TeamMember, call: string, changes: unknown[]): Promise<ReviewView> {
  return member.value<ReviewView>('reviews:change', {
    interactionId: call,
    formVersionId: TEAM_FORM.version_id,
    changes,
  });
}

const answerAll = (option: 'yes' | 'no') => [
  { type: 'answer', question_id: 'greeted', answer: { option_id: option } },
  { type: 'answer', question_id: 'closed', answer: { option_id: 'yes' } },
];

async function reviewsOf(member: TeamMember, query: string): Promise<ReviewView[]> {
  const { status, body } = await member.get<{ reviews: ReviewView[] }>(`/reviews?${query}`);
  expect(status).toBe(200);
  return body.reviews;
}

/** Every event in the bucket's event folders, with the key it was read from. */
async function bucketEvents(): Promise<{ key: string; event_id: string; reviewer_id: string }[]> {
  const found: { key: string; event_id: string; reviewer_id: string }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: EVENTS, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      const text = await answer.Body!.transformToString();
      for (const line of text.split('\n').filter((entry) => entry.trim() !== '')) {
        try {
          const event = JSON.parse(line) as { event_id: string; reviewer_id: string };
          found.push({ key: object.Key!, event_id: event.event_id, reviewer_id: event.reviewer_id });
        } catch {
          // objects placed by hand by the refusal test
        }
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a review shared through the bucket', () => {
  it('is in the bucket within 5 s of submitting, and B lists it with A as reviewer, its notes and tags after one sync', async () => {
    const call = CALLS[0]!;
    const submitted = Date.now();
    const mine = await review(alice, call, [
      ...answerAll('yes'),
      {
        type: 'add_note',
        note: { at_ms: 4_000, end_ms: null, lane: 'agent', text: 'good opening', question_id: 'greeted' },
      },
      { type: 'add_tag', tag: 'exemplary' },
      { type: 'submit' },
    ]);
    expect(mine.reviewer).toBe('alice');
    await waitFor(
      'the review in the bucket',
      bucketEvents,
      (events) => events.filter((event) => event.reviewer_id === 'alice').length >= 5,
      5_000,
    );
    expect(Date.now() - submitted).toBeLessThan(5_000);
    const events = await bucketEvents();
    expect(
      events
        .filter((event) => event.reviewer_id === 'alice')
        .every((event) => event.key.startsWith(`${EVENTS}alice/`)),
    ).toBe(true);

    await bob.sync();
    const seen = await reviewsOf(bob, 'reviewer=alice');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      review_id: mine.review_id,
      reviewer: 'alice',
      interaction_id: call,
      status: 'submitted',
      form_version_id: 'team-check-1',
      tags: ['exemplary'],
    });
    expect(seen[0]!.notes.map((note) => note.text)).toEqual(['good opening']);
    expect(seen[0]!.score.percentage).toBe(100);

    const team = await bob.get<TeamReply>('/team');
    expect(team.status).toBe(200);
    expect(team.body).toMatchObject({
      enabled: true,
      reviewer: { reviewer_id: 'bob', name: 'bob', arn: null },
      verified: false,
      outbox: 0,
      error: null,
    });
    expect(team.body.last_pull).not.toBeNull();
    expect(team.body.reviewers.map((entry) => entry.reviewer_id)).toContain('alice');
  });

  it('lets B review with the form published on A: B’s review names A’s form version', async () => {
    const forms = await bob.value<{ forms: { version_id: string }[] }>('reviews:forms');
    expect(forms.forms.map((form) => form.version_id)).toContain('team-check-1');
    const call = CALLS[1]!;
    const theirs = await review(bob, call, [...answerAll('no'), { type: 'submit' }]);
    expect(theirs.form_version_id).toBe('team-check-1');
    await bob.sync();
    await alice.sync();
    const seen = await reviewsOf(alice, `reviewer=bob&interaction_id=${call}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      form_id: 'team-check',
      form_version_id: 'team-check-1',
      status: 'submitted',
    });
    expect(seen[0]!.score.percentage).toBe(50);
  });
});

describe('offline', () => {
  it('keeps both reviews of one call and their tags while S3 is unreachable, and merges them, nothing lost or doubled', async () => {
    const call = CALLS[2]!;
    alice.offline();
    bob.offline();
    try {
      await review(alice, call, [
        ...answerAll('yes'),
        { type: 'add_tag', tag: 'refund' },
        { type: 'add_tag', tag: 'callback' },
      ]);
      await review(alice, call, [{ type: 'remove_tag', tag: 'callback' }, { type: 'submit' }]);
      await review(bob, call, [
        ...answerAll('no'),
        { type: 'add_tag', tag: 'refund' },
        { type: 'add_tag', tag: 'angry' },
        { type: 'submit' },
      ]);
      await alice.sync();
      await bob.sync();
      const offline = await alice.value<TeamStatus>('team:status');
      expect(offline.outbox).toBeGreaterThan(0);
      expect(offline.error).toMatch(/S3 is unreachable at s3:\/\/team-[0-9a-f]+\/tapedeck\//);
      expect(offline.error).toMatch(/kept here and will be shared when the bucket answers again/);
      expect((await bob.get<TeamReply>('/team')).body.outbox).toBeGreaterThan(0);
      // Everything keeps working here.
      expect(await reviewsOf(alice, `interaction_id=${call}`)).toHaveLength(1);
    } finally {
      alice.online();
      bob.online();
    }
    await alice.sync();
    await bob.sync();
    await alice.sync();
    for (const member of [alice, bob]) {
      const reviews = await reviewsOf(member, `interaction_id=${call}`);
      expect(reviews.map((entry) => entry.reviewer).sort()).toEqual(['alice', 'bob']);
      const byReviewer = Object.fromEntries(reviews.map((entry) => [entry.reviewer, entry.tags]));
      expect(byReviewer).toEqual({ alice: ['refund'], bob: ['angry', 'refund'] });
      const status = await member.value<TeamStatus>('team:status');
      expect(status).toMatchObject({ outbox: 0, error: null });
    }
    const events = await bucketEvents();
    const ids = events.map((event) => event.event_id);
    expect(new Set(ids).size).toBe(ids.length); // nothing doubled
    const aliceEvents = await alice.value<{ reviews: ReviewView[] }>('reviews:ofCall', {
      interactionId: call,
    });
    expect(aliceEvents.reviews).toHaveLength(2);
  });
});

describe('a sync asked while a pass is going', () => {
  it('answers with a pull that began after it was asked, not the one going (which listed too early)', async () => {
    const call = CALLS[6]!;
    const bobsFolder = encodeURIComponent(`${EVENTS}bob/`);
    const alicesFolder = encodeURIComponent(`${EVENTS}alice/`);
    const listing = (folder: string) => (method: string, path: string) =>
      method === 'GET' && path.includes(`prefix=${folder}`);
    // bob's pass lists alice's folder at once, then waits on its own folder's listing.
    bob.proxy.inject([{ kind: 'delay', ms: 3_000 }], listing(bobsFolder));
    const seenBefore = bob.proxy.seen.length;
    const going = bob.sync();
    await waitFor(
      'bob listing both folders',
      async () => bob.proxy.seen.slice(seenBefore),
      (seen) =>
        seen.some((line) => line.includes(bobsFolder)) && seen.some((line) => line.includes(alicesFolder)),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Now alice shares a review: bob's pass going has already listed her folder without it.
    const mine = await review(alice, call, [...answerAll('yes'), { type: 'submit' }]);
    await alice.sync();
    await bob.sync();
    const seen = await reviewsOf(bob, `interaction_id=${call}`);
    expect(seen.map((entry) => entry.review_id)).toEqual([mine.review_id]);
    await going;
  });
});

describe('clocks', () => {
  it('receives every event of a reviewer whose second machine runs 10 minutes behind', async () => {
    // alice on a second machine, its clock 10 minutes behind: its keys sort before bob's cursor in alice's folder.
    const late = await startTeamMember({
      name: 'alice',
      dir: join(dir, 'late'),
      bucket,
      endpoint: emulatorEndpoint(),
      now: () => Date.now() - 10 * 60 * 1000,
    });
    others.push(late);
    await review(alice, CALLS[3]!, [...answerAll('yes'), { type: 'submit' }]);
    await alice.sync();
    await bob.sync(); // bob's cursor in alice's folder is now at alice's newest key
    const behind = await review(late, CALLS[4]!, [
      ...answerAll('yes'),
      { type: 'add_tag', tag: 'late-clock' },
      { type: 'submit' },
    ]);
    await late.sync();
    const keys = (await bucketEvents())
      .filter((event) => event.key.startsWith(`${EVENTS}alice/`))
      .map((event) => event.key);
    expect(keys.some((key) => key < keys.at(-1)!)).toBe(true);
    await bob.sync();
    const seen = await reviewsOf(bob, `interaction_id=${CALLS[4]!}`);
    expect(seen.map((entry) => entry.review_id)).toContain(behind.review_id);
    expect(seen.find((entry) => entry.review_id === behind.review_id)!.tags).toEqual(['late-clock']);
  });

  it('treats its own events read back as already there', async () => {
    await alice.sync(); // what alice's other machine wrote arrives here first
    const before = await reviewsOf(alice, 'reviewer=alice&limit=1000');
    expect(before.length).toBeGreaterThan(0);
    await alice.sync();
    await alice.sync();
    expect(await reviewsOf(alice, 'reviewer=alice&limit=1000')).toEqual(before);
  });
});

describe('refusals', () => {
  it('refuses and reports an event placed by hand in another reviewer’s folder, and a malformed object', async () => {
    const forged = {
      event_id: ulid(),
      review_id: ulid(),
      interaction_id: CALLS[5]!,
      reviewer_id: 'mallory',
      at: new Date().toISOString(),
      type: 'review_started',
      form_version_id: 'team-check-1',
    };
    const forgedKey = `${EVENTS}bob/${ulid()}.json`;
    const brokenKey = `${EVENTS}bob/${ulid()}.ndjson`;
    await putTestObject(s3, bucket, forgedKey, JSON.stringify(forged), 'application/json');
    await putTestObject(s3, bucket, brokenKey, '{"event_id": "not finished', 'application/x-ndjson');
    await alice.sync();
    const team = await alice.get<TeamReply>('/team');
    const refused = Object.fromEntries(team.body.refused.map((entry) => [entry.key, entry.reason]));
    expect(refused[forgedKey]).toMatch(/by reviewer "mallory" but was found in the folder of "bob"/);
    expect(refused[brokenKey]).toMatch(/not JSON/);
    expect(alice.log.some((line) => line.startsWith('warn') && line.includes(forgedKey))).toBe(true);
    expect(await reviewsOf(alice, 'reviewer=mallory')).toEqual([]);
    expect(await reviewsOf(alice, `interaction_id=${CALLS[5]!}`)).toEqual([]);
  });
});

describe('the demo library', () => {
  it('shares nothing: sharing is off, no location, nothing queued, reviews by the Settings name', async () => {
    const demo = await startTapedeckApp({
      dataDir: join(dir, 'demo'),
      env: { TAPEDECK_REVIEWER: 'dora' },
      ports: headlessPorts(join(dir, 'demo-downloads')),
      log: silentLogger,
      demo: 'force',
      listen: false,
    });
    try {
      const changed = await demo.call('reviews:change', {
        interactionId: CALLS[0]!,
        formVersionId: 'general-1',
        changes: [{ type: 'add_tag', tag: 'demo' }],
      });
      expect(changed).toMatchObject({ ok: true, value: { reviewer: 'dora' } });
      const status = await demo.call('team:status', {});
      expect(status).toMatchObject({
        ok: true,
        value: { enabled: false, location: null, reviewer: null, verified: false, outbox: 0, error: null },
      });
    } finally {
      await demo.close();
    }
  });
});
