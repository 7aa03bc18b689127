/**
 * Where the team's shared reviews and forms live in the bucket (issue 12; docs/team.md):
 * `TAPEDECK_TEAM_PREFIX`, else `tapedeck/` beside the recordings prefix (`calls/` → `tapedeck/`,
 * `acme/calls/` → `acme/tapedeck/`, the bucket's root → `tapedeck/`). The listing sync skips it, so
 * the team's `.json` events are never read as Egress manifests.
 */

export const DEFAULT_TEAM_FOLDER = 'tapedeck/';

/** Folder form: no leading slash, one trailing slash. */
function asFolder(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** The team prefix for a recordings prefix; `configured` (Settings or the environment) wins when set. */
export function teamPrefixFor(recordingsPrefix: string, configured?: string | null): string {
  if (configured && configured.trim() !== '' && asFolder(configured) !== '') return asFolder(configured);
  const recordings = asFolder(recordingsPrefix);
  const parent = recordings.slice(0, recordings.slice(0, -1).lastIndexOf('/') + 1);
  return `${parent}${DEFAULT_TEAM_FOLDER}`;
}

/** True for a key the recordings listing must leave alone (it belongs to the team). */
export function isTeamKey(key: string, teamPrefix: string): boolean {
  return teamPrefix !== '' && key.startsWith(teamPrefix);
}
