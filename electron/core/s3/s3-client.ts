import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { S3Location } from '../config.ts';

/**
 * The S3 client for a location. Credentials come from the SDK's default chain (env keys,
 * AWS_PROFILE, SSO, web identity, container/instance roles) unless a provider is given.
 * Timeouts keep a dead endpoint from hanging a request; the SDK's standard retry mode retries
 * throttling and transient faults with backoff and jitter.
 */
export function createS3Client(
  location: S3Location,
  options: {
    credentials?: S3ClientConfig['credentials'];
    /** A profile chosen in Settings: its region (and the rest of its configuration) apply. */
    profile?: string;
    /** How long S3 may take to accept a connection, to start answering, and to fall silent mid-answer (ms). */
    timeouts?: { connection: number; request: number; idle?: number };
  } = {},
): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new S3Client({
    // S3-compatible servers rarely care about the region; AWS itself needs the bucket's.
    region: location.region ?? (location.endpoint ? 'us-east-1' : undefined),
    endpoint: location.endpoint,
    forcePathStyle: location.forcePathStyle,
    maxAttempts: 3,
    retryMode: 'standard',
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.timeouts?.connection ?? 5_000,
      // Without throwOnRequestTimeout the SDK only logs a warning when S3 never answers.
      requestTimeout: options.timeouts?.request ?? 15_000,
      throwOnRequestTimeout: true,
      // A body that stops arriving (a stalled download or stream) is cut off too.
      socketTimeout: options.timeouts?.idle ?? 30_000,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
}
