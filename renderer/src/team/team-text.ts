/**
 * What the team status (`team:status`, shared/contract/team.ts) says to a person: the unshared
 * changes, who this machine shares as and whether that is verified. Pure, so it is tested alone.
 */
import type { z } from 'zod';
import type { teamStatusSchema } from '../../../shared/contract/team.ts';

export type TeamStatus = z.output<typeof teamStatusSchema>;

/** "3 changes not yet shared — <why>", only when changes wait and the last push or pull failed. */
export function unsharedText(status: TeamStatus | null): string | null {
  if (status === null || !status.enabled || status.outbox === 0 || status.error === null) return null;
  const changes = status.outbox === 1 ? '1 change' : `${status.outbox.toLocaleString('en-US')} changes`;
  return `${changes} not yet shared — ${status.error}`;
}

/** The header's indicator: who this machine shares as, or that the identity is not verified. */
export function identityText(status: TeamStatus): string {
  const name = status.reviewer?.name ?? 'nobody yet';
  return status.verified ? `Shared as ${name} (verified)` : 'Identity not verified on this server';
}

/** The indicator's description (its tooltip, and what a screen reader reads after its name). */
export function identityDescription(status: TeamStatus): string {
  const name = status.reviewer?.name ?? '(no name set)';
  if (status.verified) {
    return (
      `Your reviews are shared as ${name}${status.reviewer?.arn ? ` (${status.reviewer.arn})` : ''}: ` +
      'AWS confirmed who the credentials belong to, and the bucket lets each reviewer write only their own folder.'
    );
  }
  return (
    `Your reviews are shared as ${name}, the name in Settings. This server cannot confirm who the ` +
    'credentials belong to (no STS), so anyone with write access could write under that name.'
  );
}
