/**
 * A complete sync forgets recordings its folder listing did not show. A server that answers
 * delimiter listings unlike S3 (s3rver did) would make it forget everything: the plan refuses.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { RecordingBucket } from '../../../../electron/core/s3/recording-bucket.ts';

const LOCATION = {
  bucket: 'calls',
  prefix: 'egress-recordings/',
  region: 'us-east-1',
  endpoint: undefined,
  forcePathStyle: false,
};

/** An S3 client whose folder listings are empty and whose flat listing holds `objects` keys. */
function clientWith(objects: string[]): S3Client {
  return {
    send: async (command: { input: { Delimiter?: string } }) =>
      command.input.Delimiter
        ? { CommonPrefixes: [], Contents: [], IsTruncated: false }
        : { Contents: objects.map((Key) => ({ Key, Size: 1 })), IsTruncated: false },
  } as unknown as S3Client;
}

describe('planning the folders of a sync', () => {
  it('refuses, and says why, when folders look empty but the prefix holds objects', async () => {
    const bucket = new RecordingBucket(
      clientWith(['egress-recordings/2025/08/08/outbound-15103455686_1754653483.mp4']),
      LOCATION,
    );
    await expect(bucket.planFolders()).rejects.toThrow(
      /does not answer folder \(delimiter\) listings as S3 does\. Nothing was removed/,
    );
  });

  it('accepts a prefix that really is empty', async () => {
    const bucket = new RecordingBucket(clientWith([]), LOCATION);
    await expect(bucket.planFolders()).resolves.toEqual({
      dateFolders: [],
      otherFolders: [],
      looseObjects: 0,
    });
  });
});
