/**
 * The team's identity (issue 12) with an injected identity source, as STS would answer on AWS:
 * verified reviewers, the folder and every event named by the UserId, the profile (name, ARN) read
 * by the others, and an STS failure reported and retried at the next sync.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TapedeckConfig } from '../../electron/core/config.ts';
import { openLibrary, type Library } from '../../electron/core/library/open-library.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { ReviewsService } from '../../electron/core/reviews/reviews-service.ts';
import type { IdentitySource, TeamIdentity } from '../../electron/core/team/team-identity.ts';
import { arnTail, namedIdentity } from '../../electron/core/team/team-identity.ts';
import { TeamService } from '../../electron/core/team/team-service.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket } from '../support/s3-emulator.ts';
import { DEMO_CALLS_FILE } from '../support/team-members.ts';
import { importInteractionsFile } from '../../electron/core/import/import-interactions.ts';
import { productClientFor } from './tapedeck-under-test.ts';

const ALICE: TeamIdentity = {
  reviewerId: 'AIDAEXAMPLEALICE',
  name: 'Alice Doe',
  arn: 'arn:aws:iam::111122223333:user/alice',
  verified: true,
};
const BOB: TeamIdentity = {
  reviewerId: 'AROAEXAMPLEBOB:bob-session',
  name: 'bob-session',
  arn: 'arn:aws:sts::111122223333:assumed-role/QAReviewer/bob-session',
  verified: true,
};

/** Says who the credentials are, as STS would; `failNext` makes the next answer an outage. */
function stsLike(identity: TeamIdentity): IdentitySource & { failNext: boolean; asked: number } {
  return {
    failNext: false,
    asked: 0,
    async cacheKey() {
      return `test:${identity.reviewerId}`;
    },
    async resolve() {
      this.asked += 1;
      if (this.failNext) {
        this.failNext = false;
        throw Object.assign(new Error('connect ECONNREFUSED sts.amazonaws.com'), { code: 'ECONNREFUSED' });
      }
      return identity;
    },
  };
}

interface Member {
  readonly library: Library;
  readonly reviews: ReviewsService;
  readonly team: TeamService;
  readonly source: ReturnType<typeof stsLike>;
}

let dir: string;
let s3: S3Client;
let bucket: string;
const members: Member[] = [];

async function member(name: string, identity: TeamIdentity): Promise<Member> {
  const config: TapedeckConfig = {
    s3: {
      bucket,
      prefix: 'recordings/',
      region: 'us-east-1',
      endpoint: emulatorEndpoint(),
      forcePathStyle: true,
    },
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, name),
    interactionsFile: undefined,
  };
  const library = openLibrary(config, {
    log: silentLogger,
    createS3Client: (location) => productClientFor(location),
  });
  await importInteractionsFile(library.store, DEMO_CALLS_FILE);
  const source = stsLike(identity);
  const newId = monotonicFactory();
  let team: TeamService | null = null;
  const reviews = new ReviewsService(() => library, {
    reviewer: () => team!.reviewerId(),
    newId: () => newId(),
    now: Date.now,
    share: () => true,
  });
  team = new TeamService({
    library: () => library,
    shared: () => true,
    reviewStore: () => reviews.store(),
    teamPrefix: () => null,
    reviewerName: () => name,
    identity: source,
    log: silentLogger,
    pushDelayMs: 60_000, // uploads only when a test syncs
  });
  const made = { library, reviews, team, source };
  members.push(made);
  return made;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-team-identity-'));
  s3 = createEmulatorClient(emulatorEndpoint());
  bucket = await createTestBucket(s3, 'team-id');
});

afterAll(() => {
  for (const { team, library } of members) {
    team.close();
    library.close();
  }
  s3?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('verified identities', () => {
  it('names the folder and every event by the UserId, shares the profile, and reports an STS failure until the next sync', async () => {
    const alice = await member('alice', ALICE);
    const bob = await member('bob', BOB);

    alice.source.failNext = true;
    await alice.team.sync();
    const failed = alice.team.status();
    expect(failed.error).toMatch(/sts:GetCallerIdentity/);
    expect(failed.verified).toBe(false);

    await alice.team.sync(); // asked again
    expect(alice.source.asked).toBe(2);
    expect(alice.team.status()).toMatchObject({
      enabled: true,
      verified: true,
      error: null,
      reviewer: { reviewerId: ALICE.reviewerId, name: 'Alice Doe', arn: ALICE.arn },
      location: expect.stringMatching(/^s3:\/\/team-id-[0-9a-f]+\/tapedeck\//),
    });

    const review = alice.reviews.change('demo_ava_001', 'general-1', [{ type: 'add_tag', tag: 'verified' }]);
    expect(review.reviewer).toBe(ALICE.reviewerId);
    expect(alice.team.status().outbox).toBe(2); // started, tag added
    await alice.team.sync();
    expect(alice.team.status().outbox).toBe(0);
    expect(alice.source.asked).toBe(2); // cached for the same credentials

    const profile = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `tapedeck/v1/reviewers/${ALICE.reviewerId}.json` }),
    );
    expect(JSON.parse(await profile.Body!.transformToString())).toEqual({
      reviewer_id: ALICE.reviewerId,
      name: 'Alice Doe',
      arn: ALICE.arn,
    });

    await bob.team.sync();
    const seen = bob.team.status();
    expect(seen.reviewer?.reviewerId).toBe(BOB.reviewerId);
    expect(seen.reviewers).toContainEqual({
      reviewerId: ALICE.reviewerId,
      name: 'Alice Doe',
      arn: ALICE.arn,
      reviews: 1,
    });
    expect(
      bob.reviews
        .list(
          {
            interactionId: null,
            reviewer: ALICE.reviewerId,
            status: null,
            tag: null,
            formId: null,
            from: null,
            to: null,
          },
          10,
          0,
        )
        .reviews.map((entry) => entry.tags),
    ).toEqual([['verified']]);
  });
});

describe('identity helpers', () => {
  it('takes the ARN’s last part as the name, and refuses a Settings name that cannot be a folder', () => {
    expect(arnTail('arn:aws:sts::111122223333:assumed-role/QAReviewer/bob-session')).toBe('bob-session');
    expect(arnTail('arn:aws:iam::111122223333:user/alice')).toBe('alice');
    expect(namedIdentity(' carol ')).toEqual({
      reviewerId: 'carol',
      name: 'carol',
      arn: null,
      verified: false,
    });
    expect(() => namedIdentity('qa/carol')).toThrow(
      /cannot name a folder.*Settings → Reviewer, or TAPEDECK_REVIEWER/,
    );
  });
});
