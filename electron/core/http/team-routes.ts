/**
 * `GET /team` (issue 12; docs/team.md): who this machine reviews as, whether that is verified, what
 * is not yet shared, and the team's reviewers, in the API's snake_case. The same TeamService the
 * app's `team:status` answers from.
 */
import type { FastifyInstance } from 'fastify';
import type { TeamService, TeamStatus } from '../team/team-service.ts';

interface ReviewerReply {
  readonly reviewer_id: string;
  readonly name: string;
  readonly arn: string | null;
}

export interface TeamReply {
  readonly enabled: boolean;
  readonly location: string | null;
  readonly reviewer: ReviewerReply | null;
  readonly verified: boolean;
  readonly outbox: number;
  readonly last_pull: string | null;
  readonly last_push: string | null;
  readonly error: string | null;
  readonly refused: readonly { key: string; reason: string }[];
  readonly reviewers: readonly (ReviewerReply & { reviews: number })[];
}

export function teamReply(status: TeamStatus): TeamReply {
  const reviewer = (entry: { reviewerId: string; name: string; arn: string | null }): ReviewerReply => ({
    reviewer_id: entry.reviewerId,
    name: entry.name,
    arn: entry.arn,
  });
  return {
    enabled: status.enabled,
    location: status.location,
    reviewer: status.reviewer && reviewer(status.reviewer),
    verified: status.verified,
    outbox: status.outbox,
    last_pull: status.lastPull,
    last_push: status.lastPush,
    error: status.error,
    refused: status.refused,
    reviewers: status.reviewers.map((entry) => ({ ...reviewer(entry), reviews: entry.reviews })),
  };
}

export function registerTeamRoutes(app: FastifyInstance, team: TeamService): void {
  app.get('/team', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return teamReply(team.status());
  });
}

/** `GET /team` in /openapi.json. */
export function teamOpenApiPaths(): Record<string, unknown> {
  const nullableString = { type: ['string', 'null'] };
  const reviewer = {
    type: 'object',
    additionalProperties: false,
    required: ['reviewer_id', 'name', 'arn'],
    properties: {
      reviewer_id: {
        type: 'string',
        description: 'The folder under v1/events/: the STS UserId, or the Settings name',
      },
      name: { type: 'string' },
      arn: { ...nullableString, description: 'The IAM ARN when verified through STS' },
    },
  };
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: [
      'enabled',
      'location',
      'reviewer',
      'verified',
      'outbox',
      'last_pull',
      'last_push',
      'error',
      'refused',
      'reviewers',
    ],
    properties: {
      enabled: { type: 'boolean', description: 'Sharing is on (a bucket is open; never the demo)' },
      location: { ...nullableString, description: "s3://bucket/prefix/ of the team's events and forms" },
      reviewer: { anyOf: [reviewer, { type: 'null' }] },
      verified: { type: 'boolean', description: 'The identity came from sts:GetCallerIdentity' },
      outbox: { type: 'integer', minimum: 0, description: 'Events made here and not yet in the bucket' },
      last_pull: { ...nullableString, format: 'date-time' },
      last_push: { ...nullableString, format: 'date-time' },
      error: { ...nullableString, description: 'Why the last push or pull failed, and what to do' },
      refused: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'reason'],
          properties: { key: { type: 'string' }, reason: { type: 'string' } },
        },
      },
      reviewers: {
        type: 'array',
        items: {
          ...reviewer,
          required: [...reviewer.required, 'reviews'],
          properties: { ...reviewer.properties, reviews: { type: 'integer', minimum: 0 } },
        },
      },
    },
  };
  return {
    '/team': {
      get: {
        summary: 'Who this machine reviews as, what is not yet shared, and the team (docs/team.md)',
        description: 'Tapedeck extension.',
        operationId: 'getTeam',
        responses: { '200': { description: 'The team status', content: { 'application/json': { schema } } } },
      },
    },
  };
}
