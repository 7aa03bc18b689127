/**
 * The team status: read with `team:status` at start and kept current by `team:changed`. Null until
 * known, and while this app's contract has no team part (an older main): the team UI then stays out.
 */
import { useEffect, useState } from 'react';
import { client } from '../client/tapedeck-client.ts';
import type { TeamStatus } from './team-text.ts';

export function useTeamStatus(): TeamStatus | null {
  const [status, setStatus] = useState<TeamStatus | null>(null);
  useEffect(() => {
    const read = client['team:status'] as (typeof client)['team:status'] | undefined;
    if (typeof read !== 'function') return;
    let live = true;
    void read({}).then((reply) => {
      if (live && reply.ok) setStatus(reply.value);
    });
    const off = client.on('team:changed', (next) => setStatus(next));
    return () => {
      live = false;
      off();
    };
  }, []);
  return status;
}
