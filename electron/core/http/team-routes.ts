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
