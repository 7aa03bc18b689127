import { ServiceError } from '../service-error.ts';

/** S3 answered, and said no: the request or the set-up is wrong, retrying will not help. */
const REFUSALS: Readonly<Record<string, string>> = {
  AccessDenied: 'the credentials may not read this bucket (check the IAM policy and bucket policy)',
  AllAccessDisabled: 'access to this bucket has been disabled',
  InvalidAccessKeyId: 'the access key id is not known to S3 (check AWS_ACCESS_KEY_ID or the profile)',
  SignatureDoesNotMatch: 'the secret access key does not match the key id (check the credentials)',
  ExpiredToken: 'the session token has expired (refresh it, e.g. `aws sso login`)',
  InvalidToken: 'the session token is not valid (refresh it, e.g. `aws sso login`)',
  TokenRefreshRequired: 'the session token must be refreshed (e.g. `aws sso login`)',
  NoSuchBucket: 'the bucket does not exist (check S3_BUCKET)',
  PermanentRedirect: 'the bucket is in another region (set AWS_REGION to the bucket’s region)',
  AuthorizationHeaderMalformed: 'the region is wrong for this bucket (set AWS_REGION to the bucket’s region)',
  IllegalLocationConstraintException: 'the region is wrong for this bucket (set AWS_REGION)',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
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
      'The AWS region is not set. Set AWS_REGION to the bucket’s region (or a region in the AWS profile).',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new ServiceError(
      'credentials_unavailable',
      `AWS credentials could not be loaded: ${message}. Set AWS_PROFILE (run \`aws sso login\` for SSO profiles) ` +
        'or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
      { cause: error },
    );
  }
  const refusal = REFUSALS[name];
  if (refusal) {
    return new ServiceError('s3_refused', `S3 refused the request (${name}) at ${where}: ${refusal}.`, {
      cause: error,
    });
  }
  const networkCode = code ?? causeCode(error);
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

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
