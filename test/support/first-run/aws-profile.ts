/** A HOME with an AWS profile in it, as `aws configure --profile NAME` would leave it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AwsProfile {
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** A new temporary HOME holding `~/.aws/credentials` and `~/.aws/config` for this one profile. */
export function homeWithAwsProfile(profile: AwsProfile): string {
  const home = mkdtempSync(join(tmpdir(), 'tapedeck-home-'));
  const aws = join(home, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  writeFileSync(
    join(aws, 'credentials'),
    `[${profile.name}]\naws_access_key_id = ${profile.accessKeyId}\naws_secret_access_key = ${profile.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  writeFileSync(join(aws, 'config'), `[profile ${profile.name}]\nregion = ${profile.region}\n`, {
    mode: 0o600,
  });
  return home;
}
