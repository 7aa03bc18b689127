/**
 * A team's recordings bucket on the test S3 server: Egress recordings spread over many days, so the
 * first sync lists many date folders and takes long enough to be seen in progress.
 */
import { recordingKeyFor } from '../../../shared/dispatch.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../s3-emulator.ts';

export interface TeamBucket {
  readonly name: string;
  /** Every recording key, oldest first. */
  readonly keys: readonly string[];
}

/** `days` recordings, one a day, under `egress-recordings/`. */
export async function createTeamBucket(endpoint: string, days: number): Promise<TeamBucket> {
  const s3 = createEmulatorClient(endpoint);
  try {
    const name = await createTestBucket(s3, 'team-calls');
    const start = Date.UTC(2025, 5, 1) / 1000;
    const keys: string[] = [];
    for (let day = 0; day < days; day += 1) {
      const phone = `1555010${String(day).padStart(4, '0')}`;
      const key = recordingKeyFor('egress-recordings/', phone, start + day * 86_400 + 3600);
      await putTestObject(s3, name, key, 'not really audio', 'audio/mp4');
      keys.push(key);
    }
    return { name, keys };
  } finally {
    s3.destroy();
  }
}
