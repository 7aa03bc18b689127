import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { presignerFromSdkUrl } from './sigv4-presigner.ts';
import type { SigV4Presigner, SigningCredentials } from './sigv4-presigner.ts';

export interface SignedUrl {
  readonly url: string;
  /** Seconds the URL is valid for: the asked-for time, or less when the credentials expire sooner. */
  readonly expiresIn: number;
  /** ISO-8601 UTC with milliseconds. */
  readonly expiresAt: string;
}

/** Signs any number of URLs synchronously with one set of credentials, at one instant. */
export interface SigningBatch {
  sign(key: string, expiresIn: number, responseContentDisposition?: string): SignedUrl;
}

const PROBE_KEY = 'tapedeck-endpoint-probe';

/**
 * Presigns recording URLs for one bucket without an S3 round trip. The endpoint (host, path or
 * virtual-hosted style, custom endpoint) is learned once from the SDK's own presigner, so it is
 * whatever the SDK would use for this configuration; each URL is then signed locally.
 */
export class RecordingUrlSigner {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #now: () => number;
  #presigner: Promise<SigV4Presigner> | null = null;
  #recent: { signedAtMs: number; identity: object; batch: SigningBatch } | null = null;

  constructor(client: S3Client, bucket: string, now: () => number = Date.now) {
    this.#client = client;
    this.#bucket = bucket;
    this.#now = now;
  }

  /**
   * A signing context for now. It is reused within the same second for the same credentials: S3
   * dates signatures to the second, so that yields the very URLs a fresh context would.
   */
  async batch(): Promise<SigningBatch> {
    const presigner = await this.#learnPresigner();
    const identity = await this.#client.config.credentials();
    // S3 counts expiry from X-Amz-Date, which has whole seconds.
    const signedAtMs = Math.floor(this.#now() / 1000) * 1000;
    const cached = this.#recent;
    if (cached && cached.signedAtMs === signedAtMs && cached.identity === identity) return cached.batch;
    const credentialSeconds = identity.expiration
      ? Math.floor((identity.expiration.getTime() - signedAtMs) / 1000)
      : Number.POSITIVE_INFINITY;
    const credentials: SigningCredentials = {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
    };
    // Everything that is the same for every URL of the batch is worked out once, here.
    const presign = presigner.prepare(new Date(signedAtMs), credentials);
    const batch: SigningBatch = {
      sign(key, requested, responseContentDisposition) {
        // A URL cannot outlive the credentials that signed it; say so rather than promise more.
        const expiresIn = Math.max(1, Math.min(requested, credentialSeconds));
        const url = presign(key, expiresIn, responseContentDisposition);
        return { url, expiresIn, expiresAt: new Date(signedAtMs + expiresIn * 1000).toISOString() };
      },
    };
    this.#recent = { signedAtMs, identity, batch };
    return batch;
  }

  #learnPresigner(): Promise<SigV4Presigner> {
    this.#presigner ??= (async () => {
      const probe = await getSignedUrl(
        this.#client,
        new GetObjectCommand({ Bucket: this.#bucket, Key: PROBE_KEY }),
        { expiresIn: 60 },
      );
      return presignerFromSdkUrl(probe, PROBE_KEY);
    })();
    // A failure (no credentials yet, say) is not remembered: the next request tries again.
    this.#presigner.catch(() => {
      this.#presigner = null;
    });
    return this.#presigner;
  }
}
