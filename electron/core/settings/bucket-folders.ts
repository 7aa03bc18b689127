/**
 * The two optional folders of the bucket besides the recordings: where transcripts lie apart from
 * them (TAPEDECK_TRANSCRIPTS_PREFIX) and where the team's reviews are shared (TAPEDECK_TEAM_PREFIX).
 * The environment wins over Settings, as for every setting; null when neither sets one.
 */
import { readTeamPrefix, readTranscriptsPrefix, type S3Location } from '../config.ts';
import type { SavedSettings } from './settings-store.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface BucketFolders {
  readonly transcriptsPrefix: string | null;
  readonly teamPrefix: string | null;
}

export function bucketFolders(
  env: Env,
  saved: Pick<SavedSettings, 'transcriptsPrefix' | 'teamPrefix'>,
): BucketFolders {
  return {
    transcriptsPrefix: readTranscriptsPrefix(env) ?? saved.transcriptsPrefix,
    teamPrefix: readTeamPrefix(env) ?? saved.teamPrefix,
  };
}

/** A location with the folders in effect, for the library that opens it (chooseLibrary). */
export function withBucketFolders(
  location: S3Location,
  env: Env,
  saved: Pick<SavedSettings, 'transcriptsPrefix' | 'teamPrefix'>,
): S3Location {
  return { ...location, ...bucketFolders(env, saved) };
}
