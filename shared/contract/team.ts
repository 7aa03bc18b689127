/**
 * The team domain (issue 12; docs/team.md): reviews, notes, tags and forms shared through the
 * recordings bucket. Who this machine reviews as, whether that identity is verified (STS), what is
 * not yet shared (the outbox), and the team's reviewers as seen in the bucket.
 */
import { z } from 'zod';
import { none, type ContractPart } from './shapes.ts';

export const teamReviewerSchema = z.object({
  /** The folder name under `v1/events/`: the STS UserId on AWS, the Settings name elsewhere. */
  reviewerId: z.string(),
  /** The name shown for them: their display name in the events, else the ARN's last part, else the id. */
  name: z.string(),
  /** The IAM ARN when verified through STS; null otherwise. */
  arn: z.string().nullable(),
});

export const teamStatusSchema = z.object({
  /** Sharing is on when the open library is a bucket (not the demo, not local-only). */
  enabled: z.boolean(),
  /** `s3://bucket/prefix/` where the team's events and forms are; null when sharing is off. */
  location: z.string().nullable(),
  reviewer: teamReviewerSchema.nullable(),
  /** True when the identity came from `sts:GetCallerIdentity`; false with a custom endpoint (no STS). */
  verified: z.boolean(),
  /** Events written here and not yet in the bucket. */
  outbox: z.number().int().min(0),
  /** The last pull that reached the bucket (UTC ISO), or null. */
  lastPull: z.string().nullable(),
  /** The last push that reached the bucket (UTC ISO), or null. */
  lastPush: z.string().nullable(),
  /** Why the last push or pull failed (S3 unreachable, credentials expired…), with what to do; null when fine. */
  error: z.string().nullable(),
  /** Objects read from the bucket and refused (wrong folder for their reviewer, malformed), since start. */
  refused: z.array(z.object({ key: z.string(), reason: z.string() })).max(100),
  /** Every reviewer whose events this catalog holds. */
  reviewers: z.array(teamReviewerSchema.extend({ reviews: z.number().int().min(0) })),
});

export const teamContract = {
  methods: {
    'team:status': { input: none, output: teamStatusSchema },
  },
  events: {
    /** The outbox, a pull or a push changed the team status. */
    'team:changed': teamStatusSchema,
  },
} as const satisfies ContractPart;
