import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/**
 * SigV4 query-string presigning of S3 GET URLs, done locally.
 *
 * The SDK's `getSignedUrl` runs a whole middleware stack per URL (~0.4 ms). Here the endpoint is
 * learned once (see `learnPresignEndpoint`), the signing key is derived once per day, and each URL
 * costs one SHA-256 and one HMAC. Output is byte-for-byte what the SDK produces for the same inputs
 * (a test compares them), and the S3 server verifies it.
 */

export interface PresignEndpoint {
  /** `https://bucket.s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`. */
  readonly origin: string;
  /** The `Host` header S3 will see: the origin's host, with the port only when not the default. */
  readonly host: string;
  /** Path before the key: `''` for virtual-hosted style, `/bucket` for path style. */
  readonly basePath: string;
}

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface PresignRequest {
  readonly key: string;
  readonly expiresIn: number;
  /** The signing time; S3 counts `expiresIn` from it (whole seconds). */
  readonly signedAt: Date;
  /** Makes S3 answer with this `Content-Disposition` (a download). */
  readonly responseContentDisposition?: string | undefined;
}

/** Presigns a GET of `key` (see `SigV4Presigner.prepare`). */
export type PreparedPresign = (key: string, expiresIn: number, responseContentDisposition?: string) => string;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export class SigV4Presigner {
  readonly #endpoint: PresignEndpoint;
  readonly #region: string;
  #signingKey: { readonly scopeDate: string; readonly secret: string; readonly key: Buffer } | null = null;

  constructor(endpoint: PresignEndpoint, region: string) {
    this.#endpoint = endpoint;
    this.#region = region;
  }

  get region(): string {
    return this.#region;
  }

  presignGet(request: PresignRequest, credentials: SigningCredentials): string {
    return this.prepare(request.signedAt, credentials)(
      request.key,
      request.expiresIn,
      request.responseContentDisposition,
    );
  }

  /**
   * A signer for many URLs at one instant with one set of credentials (a list page signs 50): what
   * does not depend on the key (date, scope, credential, the fixed query parameters, the signing
   * key) is worked out once here, leaving one SHA-256 and one HMAC per URL.
   */
  prepare(signedAt: Date, credentials: SigningCredentials): PreparedPresign {
    const amzDate = toAmzDate(signedAt);
    const scopeDate = amzDate.slice(0, 8);
    const scope = `${scopeDate}/${this.#region}/s3/aws4_request`;
    const signingKey = this.#signingKeyFor(scopeDate, credentials.secretAccessKey);
    const { origin, host, basePath } = this.#endpoint;
    const param = (name: string, value: string) => `${name}=${encodeRfc3986(value)}`;

    // Names sorted by code point, as SigV4 requires (upper-case `X-Amz-*` before lower-case).
    const beforeExpires = [
      param('X-Amz-Algorithm', ALGORITHM),
      param('X-Amz-Content-Sha256', UNSIGNED_PAYLOAD),
      param('X-Amz-Credential', `${credentials.accessKeyId}/${scope}`),
      param('X-Amz-Date', amzDate),
      'X-Amz-Expires=',
    ].join('&');
    const afterExpires = [
      ...(credentials.sessionToken ? [param('X-Amz-Security-Token', credentials.sessionToken)] : []),
      param('X-Amz-SignedHeaders', 'host'),
    ].join('&');
    const last = param('x-id', 'GetObject');
    const canonicalTail = `\nhost:${host}\n\nhost\n${UNSIGNED_PAYLOAD}`;
    const stringToSignHead = `${ALGORITHM}\n${amzDate}\n${scope}\n`;

    return (key, expiresIn, responseContentDisposition) => {
      const path = `${basePath}/${encodeKeyPath(key)}`;
      const disposition =
        responseContentDisposition === undefined
          ? ''
          : `&${param('response-content-disposition', responseContentDisposition)}`;
      const canonicalQuery = `${beforeExpires}${encodeRfc3986(String(expiresIn))}&${afterExpires}${disposition}&${last}`;
      const canonicalRequest = `GET\n${path}\n${canonicalQuery}${canonicalTail}`;
      const signature = createHmac('sha256', signingKey)
        .update(`${stringToSignHead}${sha256Hex(canonicalRequest)}`)
        .digest('hex');
      return `${origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
    };
  }

  #signingKeyFor(scopeDate: string, secret: string): Buffer {
    const cached = this.#signingKey;
    if (cached && cached.scopeDate === scopeDate && cached.secret === secret) return cached.key;
    const dateKey = hmac(`AWS4${secret}`, scopeDate);
    const key = hmac(hmac(hmac(dateKey, this.#region), 's3'), 'aws4_request');
    this.#signingKey = { scopeDate, secret, key };
    return key;
  }
}

/** Reads the endpoint and signing region out of one URL presigned by the SDK for `probeKey`. */
export function presignerFromSdkUrl(presignedUrl: string, probeKey: string): SigV4Presigner {
  const url = new URL(presignedUrl);
  const suffix = `/${encodeKeyPath(probeKey)}`;
  // X-Amz-Credential is `{key id}/{date}/{region}/s3/aws4_request`.
  const region = url.searchParams.get('X-Amz-Credential')?.split('/').at(-3);
  if (!url.pathname.endsWith(suffix) || !region) {
    throw new Error(`Cannot read the S3 endpoint from a presigned URL for ${url.origin}${url.pathname}`);
  }
  return new SigV4Presigner(
    { origin: url.origin, host: url.host, basePath: url.pathname.slice(0, -suffix.length) },
    region,
  );
}

/** `YYYYMMDDTHHMMSSZ` */
function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string): string {
  // The one-shot form (Node ≥ 20.12) skips building a Hash object per URL.
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** URI-encodes as SigV4 wants: everything but `A-Za-z0-9-._~`. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const NOTHING_TO_ENCODE = /^[A-Za-z0-9\-._~/]*$/;

/** S3 keys are encoded segment by segment; `/` stays. */
export function encodeKeyPath(key: string): string {
  // Recording keys are plain ASCII: most need no encoding at all.
  if (NOTHING_TO_ENCODE.test(key)) return key;
  return key.split('/').map(encodeRfc3986).join('/');
}
