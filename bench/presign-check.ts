import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { RecordingUrlSigner } from '../electron/core/s3/recording-url-signer.ts';

export interface PresignTimings {
  readonly urls: number;
  /** The SDK's `getSignedUrl`, one URL per call, as a straightforward implementation would. */
  readonly sdkMicrosPerUrl: number;
  /** The product's local signer: one batch, then `sign` per URL (how the list signs its items). */
  readonly localMicrosPerUrl: number;
  /** What `GET /recordings/{id}` pays: a new batch, then two URLs (listen and download). */
  readonly localMicrosPerGet: number;
}

const EXPIRES_IN = 3600;

/** Times both ways of presigning over the same keys, after a warm-up of each. */
export async function timePresigning(
  client: S3Client,
  bucket: string,
  keys: readonly string[],
  urls: number,
): Promise<PresignTimings> {
  const keyAt = (i: number) => keys[i % keys.length]!;
  const sdkSign = (key: string) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: EXPIRES_IN });
  const signer = new RecordingUrlSigner(client, bucket);

  for (let i = 0; i < 500; i += 1) await sdkSign(keyAt(i));
  let started = performance.now();
  for (let i = 0; i < urls; i += 1) await sdkSign(keyAt(i));
  const sdkMicrosPerUrl = ((performance.now() - started) * 1000) / urls;

  const warm = await signer.batch();
  for (let i = 0; i < 500; i += 1) warm.sign(keyAt(i), EXPIRES_IN);
  started = performance.now();
  const batch = await signer.batch();
  for (let i = 0; i < urls; i += 1) batch.sign(keyAt(i), EXPIRES_IN);
  const localMicrosPerUrl = ((performance.now() - started) * 1000) / urls;

  const disposition = 'attachment; filename="Customer 1_15550000001_2025-01-01_000003.mp4"';
  started = performance.now();
  for (let i = 0; i < urls; i += 1) {
    const perRequest = await signer.batch();
    perRequest.sign(keyAt(i), EXPIRES_IN);
    perRequest.sign(keyAt(i), EXPIRES_IN, disposition);
  }
  const localMicrosPerGet = ((performance.now() - started) * 1000) / urls;

  return { urls, sdkMicrosPerUrl, localMicrosPerUrl, localMicrosPerGet };
}

export interface UrlCheck {
  readonly what: string;
  readonly expected: number;
  readonly status: number;
  readonly ok: boolean;
}

/**
 * Proves that locally signed URLs are ones S3 accepts: each of `urls` must fetch the recording
 * (200, the uploaded bytes, and the asked-for `Content-Disposition` on a download), and the first
 * with one character of its signature changed must be refused (403), so the server does check.
 */
export async function checkUrlsVerify(
  urls: readonly { readonly what: string; readonly url: string }[],
  expectedBytes: number,
): Promise<UrlCheck[]> {
  const checks: UrlCheck[] = [];
  for (const { what, url } of urls) {
    const response = await fetch(url);
    const body = Buffer.from(await response.arrayBuffer());
    const wantedDisposition = new URL(url).searchParams.get('response-content-disposition');
    const dispositionOk =
      wantedDisposition === null || response.headers.get('content-disposition') === wantedDisposition;
    checks.push({
      what,
      expected: 200,
      status: response.status,
      ok: response.status === 200 && body.length === expectedBytes && dispositionOk,
    });
  }
  const first = urls[0];
  if (first) {
    const tampered = new URL(first.url);
    const signature = tampered.searchParams.get('X-Amz-Signature') ?? '';
    tampered.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    const response = await fetch(tampered);
    await response.arrayBuffer();
    checks.push({
      what: `${first.what}, signature altered`,
      expected: 403,
      status: response.status,
      ok: response.status === 403,
    });
  }
  return checks;
}
