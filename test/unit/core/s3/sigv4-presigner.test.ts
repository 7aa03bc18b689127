import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { presignerFromSdkUrl } from '../../../../electron/core/s3/sigv4-presigner.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const signedAt = new Date('2025-08-08T11:44:39Z');
// Under its defaults (WHEN_SUPPORTED) the SDK also adds checksum parameters to a presigned GET
// (x-amz-checksum-mode, x-amz-checksum-crc32 of the empty body) that a player does not need; compare the signing itself.
const checksums = {
  responseChecksumValidation: 'WHEN_REQUIRED',
  requestChecksumCalculation: 'WHEN_REQUIRED',
} as const;

/** Our URL and the SDK's, for the same inputs. */
async function both(
  client: S3Client,
  key: string,
  options: { expiresIn?: number; disposition?: string; sessionToken?: string } = {},
) {
  const expiresIn = options.expiresIn ?? 3600;
  const sdk = await getSignedUrl(
    client,
    new GetObjectCommand({ Bucket: 'calls', Key: key, ResponseContentDisposition: options.disposition }),
    { expiresIn, signingDate: signedAt },
  );
  const probe = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'calls', Key: 'probe' }), {
    expiresIn: 60,
  });
  const ours = presignerFromSdkUrl(probe, 'probe').presignGet(
    { key, expiresIn, signedAt, responseContentDisposition: options.disposition },
    { ...credentials, sessionToken: options.sessionToken },
  );
  return { sdk: new URL(sdk), ours: new URL(ours) };
}

function expectSameUrl({ sdk, ours }: { sdk: URL; ours: URL }) {
  expect(ours.origin).toBe(sdk.origin);
  expect(ours.pathname).toBe(sdk.pathname);
  expect(Object.fromEntries(ours.searchParams)).toEqual(Object.fromEntries(sdk.searchParams));
  expect(ours.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
}

describe('local SigV4 presigning', () => {
  const pathStyle = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials,
    ...checksums,
  });
  const virtualHosted = new S3Client({ region: 'eu-west-1', credentials, ...checksums });

  it('signs exactly as the SDK does for a path-style custom endpoint', async () => {
    expectSameUrl(await both(pathStyle, 'egress-recordings/2025/08/08/outbound-15103455686_1754653479.mp4'));
  });

  it('signs exactly as the SDK does for virtual-hosted AWS S3 in another region', async () => {
    const urls = await both(
      virtualHosted,
      'egress-recordings/2025/08/08/outbound-15103455686_1754653479.mp4',
    );
    expect(urls.ours.host).toBe('calls.s3.eu-west-1.amazonaws.com');
    expect(urls.ours.searchParams.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20250808/eu-west-1/s3/aws4_request',
    );
    expectSameUrl(urls);
  });

  it('signs a download with a quoted, non-ASCII Content-Disposition exactly as the SDK does', async () => {
    expectSameUrl(
      await both(pathStyle, 'a/b.mp4', {
        disposition: `attachment; filename="Zoe_15103455686.mp4"; filename*=UTF-8''Zo%C3%AB_15103455686.mp4`,
      }),
    );
  });

  it('signs keys with spaces, plus signs and unicode exactly as the SDK does', async () => {
    expectSameUrl(await both(pathStyle, "weird dir/a+b (1)*'!~ é.mp4"));
  });

  it('includes and signs the session token of temporary credentials exactly as the SDK does', async () => {
    const sessionToken = 'FwoGZXIvYXdzE//token+/=';
    const temporary = new S3Client({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { ...credentials, sessionToken },
      ...checksums,
    });
    const urls = await both(temporary, 'k.mp4', { sessionToken });
    expect(urls.ours.searchParams.get('X-Amz-Security-Token')).toBe(sessionToken);
    expectSameUrl(urls);
  });

  it('matches the SDK for the longest allowed expiry', async () => {
    expectSameUrl(await both(pathStyle, 'k.mp4', { expiresIn: 604800 }));
  });
});
