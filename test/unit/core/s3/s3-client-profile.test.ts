import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../../electron/core/s3/s3-client.ts';

const saved = { ...process.env };
let dir: string | undefined;

afterEach(() => {
  process.env = { ...saved };
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an S3 client for a profile saved in Settings', () => {
  it("takes the profile's region when Settings leave the region empty", async () => {
    dir = mkdtempSync(join(tmpdir(), 'tapedeck-profile-'));
    writeFileSync(join(dir, 'config'), '[profile qa]\nregion = eu-west-3\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[qa]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n',
    );
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    const location = {
      bucket: 'calls',
      prefix: '',
      region: undefined,
      endpoint: undefined,
      forcePathStyle: false,
    };
    const client = createS3Client(location, { profile: 'qa' });
    try {
      expect(await client.config.region()).toBe('eu-west-3');
    } finally {
      client.destroy();
    }
  });
});
