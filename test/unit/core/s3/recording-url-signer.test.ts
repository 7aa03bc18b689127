import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { RecordingUrlSigner } from '../../../../electron/core/s3/recording-url-signer.ts';

const NOW = Date.parse('2025-08-08T11:44:39.250Z');

function signerWith(expiration: Date | undefined, now = () => NOW) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials: async () => ({
      accessKeyId: 'ASIATEMPORARY',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration,
    }),
  });
  return new RecordingUrlSigner(client, 'calls', now);
}

describe('presigned URLs and the credentials that sign them', () => {
  it('never promise more time than temporary credentials have left, and say so in expires_in and expires_at', async () => {
    const batch = await signerWith(new Date(NOW + 120_500)).batch();
    const signed = batch.sign('a/b.mp4', 3600);
    // Signed at 11:44:39 (S3 counts from X-Amz-Date, whole seconds); the credentials end at 11:46:39.75.
    expect(signed.expiresIn).toBe(120);
    expect(signed.expiresAt).toBe('2025-08-08T11:46:39.000Z');
    expect(new URL(signed.url).searchParams.get('X-Amz-Expires')).toBe('120');
    expect(new URL(signed.url).searchParams.get('X-Amz-Security-Token')).toBe('token');
  });

  it('give the asked-for time when the credentials outlive it, or never expire', async () => {
    expect((await signerWith(new Date(NOW + 86_400_000)).batch()).sign('k.mp4', 3600).expiresIn).toBe(3600);
    expect((await signerWith(undefined).batch()).sign('k.mp4', 604800).expiresIn).toBe(604800);
  });

  it('sign afresh once the second has passed, rather than reuse an old context', async () => {
    let now = NOW;
    const signer = signerWith(undefined, () => now);
    const first = (await signer.batch()).sign('k.mp4', 60).url;
    expect((await signer.batch()).sign('k.mp4', 60).url).toBe(first);
    now += 1000;
    const later = (await signer.batch()).sign('k.mp4', 60).url;
    expect(new URL(later).searchParams.get('X-Amz-Date')).toBe('20250808T114440Z');
    expect(later).not.toBe(first);
  });
});
