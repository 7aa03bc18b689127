import { ServiceError } from '../service-error.ts';

/** What the credentials must be allowed, said wherever access is refused. */
const IAM_ACTIONS =
  'the credentials may not read this bucket (check the IAM policy and bucket policy: they must allow ' +
  's3:ListBucket on the bucket and s3:GetObject on its objects)';

/** S3 answered, and said no: the request or the set-up is wrong, retrying will not help. */
const REFUSALS: Readonly<Record<string, string>> = {
  AccessDenied: IAM_ACTIONS,
  Forbidden: IAM_ACTIONS,
  AllAccessDisabled: 'access to this bucket has been disabled',
  InvalidAccessKeyId: 'the access key id is not known to S3 (check AWS_ACCESS_KEY_ID or the profile)',
  SignatureDoesNotMatch: 'the secret access key does not match the key id (check the credentials)',
  ExpiredToken: 'the session token has expired (refresh it, e.g. `aws sso login`)',
  InvalidToken: 'the session token is not valid (refresh it, e.g. `aws sso login`)',
  TokenRefreshRequired: 'the session token must be refreshed (e.g. `aws sso login`)',
  NoSuchBucket: 'the bucket does not exist (check S3_BUCKET, or the bucket name in Settings)',
};

/** Refusals that mean the region is not the bucket's; the advice names the right one when S3 said it. */
const WRONG_REGION = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/** Network failures on the way: the connection broke or stalled, trying again may work. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);

/** Network failures that mean nothing answers at that address: the endpoint, or its form, is wrong. */
const NO_SERVER_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  /** S3's error body: the region it expects (AuthorizationHeaderMalformed), where to go (PermanentRedirect). */
  Region?: unknown;
  Endpoint?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, unknown> };
}

/**
 * Turns whatever the SDK threw into a ServiceError a person can act on: 502 when S3 refused,
 * 503 when it could not be reached or is overloaded, 500 when no credentials could be found.
 * The message names the cause and the endpoint, never a credential.
 */
export function describeS3Failure(error: unknown, where: string): ServiceError {
  if (error instanceof ServiceError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const message = typeof shape.message === 'string' ? shape.message : String(error);

  if (/region is missing/i.test(message)) {
    return new ServiceError(
      'config_invalid',
      'The AWS region is not set. Set the bucket’s region (Settings → Region, or AWS_REGION), or a region in the AWS profile.',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new ServiceError(
      'credentials_unavailable',
      `AWS credentials could not be loaded: ${message}. Choose an AWS profile in Settings, or set ` +
        'AWS_PROFILE (run `aws sso login` for SSO profiles) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
      { cause: error },
    );
  }
  if (WRONG_REGION.has(name) || status === 301) {
    const region = bucketRegion(shape, message);
    const fix = region
      ? `the bucket is in ${region}: set the region to ${region} (Settings → Region, or AWS_REGION)`
      : 'the region is not the bucket’s: set the bucket’s region (Settings → Region, or AWS_REGION)';
    return new ServiceError('s3_refused', `S3 refused the request (${name}) at ${where}: ${fix}.`, {
      cause: error,
    });
  }
  const refusal = REFUSALS[name] ?? (status === 403 ? IAM_ACTIONS : undefined);
  if (refusal) {
    return new ServiceError('s3_refused', `S3 refused the request (${name}) at ${where}: ${refusal}.`, {
      cause: error,
    });
  }
  const networkCode = code ?? causeCode(error);
  if (networkCode && NO_SERVER_CODES.has(networkCode)) {
    return new ServiceError('s3_unavailable', noServerMessage(where, networkCode, hostOf(error)), {
      cause: error,
    });
  }
  if (networkCode && NETWORK_CODES.has(networkCode)) {
    return new ServiceError(
      's3_unavailable',
      `S3 is unreachable at ${where} (${networkCode}). Check AWS_ENDPOINT_URL_S3, the network, or try again.`,
      { cause: error },
    );
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError') {
    return new ServiceError('s3_unavailable', `S3 did not answer in time at ${where}. Try again.`, {
      cause: error,
    });
  }
  if (name === 'SlowDown' || status === 503 || status === 500 || name === 'InternalError') {
    return new ServiceError(
      's3_unavailable',
      `S3 is unavailable right now at ${where} (${name}${status ? `, HTTP ${status}` : ''}). Try again shortly.`,
      { cause: error },
    );
  }
  if (status !== undefined && status >= 400) {
    return new ServiceError('s3_refused', `S3 refused the request (${name}, HTTP ${status}) at ${where}.`, {
      cause: error,
    });
  }
  return new ServiceError('s3_unavailable', `S3 request failed at ${where}: ${name}: ${message}`, {
    cause: error,
  });
}

/**
 * Nothing answers at the address S3 was called on. A custom endpoint called virtual-hosted style
 * (`bucket.host`) is the usual cause with S3-compatible servers: path-style addressing fixes it.
 */
function noServerMessage(where: string, code: string, host: string | undefined): string {
  const bucket = /^s3:\/\/([^/]+)\//.exec(where)?.[1];
  const customEndpoint = /\((https?:\/\/[^)]+)\)$/.test(where);
  const virtualHosted = bucket !== undefined && host?.startsWith(`${bucket}.`) === true;
  if (customEndpoint && virtualHosted) {
    return (
      `S3 is unreachable at ${where} (${code} for ${host}): the bucket's name was put in front of the ` +
      "endpoint's host. S3-compatible servers usually want path-style addressing: turn on Path-style " +
      'addressing in Settings, or set S3_FORCE_PATH_STYLE=true; else check the endpoint.'
    );
  }
  return (
    `S3 is unreachable at ${where} (${code}). Check the endpoint (Settings → Endpoint, or ` +
    'AWS_ENDPOINT_URL_S3), the network or VPN.'
  );
}

/** The bucket's region, when S3 said it: in its message, its error body, or the region header. */
function bucketRegion(shape: ErrorShape, message: string): string | undefined {
  const expecting = /expecting '([a-z0-9-]+)'/.exec(message)?.[1];
  if (expecting) return expecting;
  const header = shape.$response?.headers?.['x-amz-bucket-region'];
  if (typeof header === 'string' && header) return header;
  const endpoint = typeof shape.Endpoint === 'string' ? shape.Endpoint : '';
  const fromEndpoint = /(?:^|\.)s3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/.exec(endpoint)?.[1];
  if (fromEndpoint) return fromEndpoint;
  return typeof shape.Region === 'string' && shape.Region ? shape.Region : undefined;
}

/** The host name a failed connection was for (getaddrinfo puts it on the error or its cause). */
function hostOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const host = (current as { hostname?: unknown }).hostname;
    if (typeof host === 'string') return host;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
