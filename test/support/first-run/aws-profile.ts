/** A HOME with AWS profiles in it, as `aws configure --profile NAME` would leave it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AwsProfile {
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** A new temporary HOME holding `~/.aws/credentials` and `~/.aws/config` for these profiles. */
export function homeWithAwsProfiles(...profiles: AwsProfile[]): string {
  const home = mkdtempSync(join(tmpdir(), 'tapedeck-home-'));
  const aws = join(home, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  const credentials = profiles.map(
    (profile) =>
      `[${profile.name}]\naws_access_key_id = ${profile.accessKeyId}\naws_secret_access_key = ${profile.secretAccessKey}\n`,
  );
  const config = profiles.map((profile) => `[profile ${profile.name}]\nregion = ${profile.region}\n`);
  writeFileSync(join(aws, 'credentials'), credentials.join('\n'), { mode: 0o600 });
  writeFileSync(join(aws, 'config'), config.join('\n'), { mode: 0o600 });
  return home;
}
