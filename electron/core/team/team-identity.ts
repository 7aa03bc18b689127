/**
 * Who this machine reviews as, for the team (issue 12). On AWS the credentials say it:
 * `sts:GetCallerIdentity` gives the UserId (the reviewer's folder, which a bucket policy can bind to
 * `${aws:userid}`) and the ARN, so the identity is verified. An S3-compatible server (a custom
 * endpoint) has no STS: the reviewer is the name from Settings / TAPEDECK_REVIEWER, not verified.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { reviewerIdSchema } from '../../../shared/reviews/review-events.ts';
import type { S3Location } from '../config.ts';
import { ServiceError } from '../service-error.ts';

export interface TeamIdentity {
  /** The folder name under `v1/events/` and every event's `reviewer_id`. */
  readonly reviewerId: string;
  /** Shown for the reviewer: Settings' name when set, else the ARN's last part, else the id. */
  readonly name: string;
  readonly arn: string | null;
  /** True when STS said who the credentials are. */
  readonly verified: boolean;
}

export interface IdentityRequest {
  readonly location: S3Location;
  readonly client: S3Client;
  /** Settings / TAPEDECK_REVIEWER / the OS user. */
  readonly reviewerName: string;
}

/** Says who the credentials of a library are; injected so tests can be several people. */
export interface IdentitySource {
  /** A key that changes when the answer may change (other credentials, another endpoint); cached on it. */
  cacheKey(request: IdentityRequest): Promise<string>;
  resolve(request: IdentityRequest): Promise<TeamIdentity>;
}

/** The reviewer named in Settings, unverified: what a custom endpoint (no STS) gives. */
export function namedIdentity(reviewerName: string): TeamIdentity {
  const name = reviewerName.trim();
  const checked = reviewerIdSchema.safeParse(name);
  if (!checked.success) {
    throw new ServiceError(
      'config_invalid',
      `The reviewer name "${name}" cannot name a folder in the bucket (${checked.error.issues[0]?.message ?? 'invalid'}). ` +
        'Change it in Settings → Reviewer, or TAPEDECK_REVIEWER.',
    );
  }
  return { reviewerId: name, name, arn: null, verified: false };
}

/** The last part of an ARN: `…:assumed-role/QA/alice` → `alice`, `…:user/bob` → `bob`. */
export function arnTail(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/').at(-1) || arn;
}

/** The product's source: STS on AWS, the Settings name with a custom endpoint. */
export const defaultIdentitySource: IdentitySource = {
  async cacheKey({ location, client, reviewerName }) {
    if (location.endpoint) return `named:${location.endpoint}:${reviewerName}`;
    const credentials = await client.config.credentials();
    // Only a digest of the key id and token: no credential is kept in memory longer than needed.
    const digest = createHash('sha256')
      .update(`${credentials.accessKeyId}\u0000${credentials.sessionToken ?? ''}`)
      .digest('hex');
    return `sts:${digest}`;
  },
  async resolve({ location, client, reviewerName }) {
    if (location.endpoint) return namedIdentity(reviewerName);
    const sts = new STSClient({
      region: await client.config.region(),
      credentials: client.config.credentials,
      maxAttempts: 2,
    });
    try {
      const answer = await sts.send(new GetCallerIdentityCommand({}));
      if (!answer.UserId || !answer.Arn) throw new Error('STS answered without a UserId or ARN');
      const reviewerId = reviewerIdSchema.parse(answer.UserId);
      const configured = reviewerName.trim();
      return { reviewerId, name: configured || arnTail(answer.Arn), arn: answer.Arn, verified: true };
    } finally {
      sts.destroy();
    }
  },
};
