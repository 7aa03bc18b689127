import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** s3rver's built-in account. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface RunningEmulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

const PROCESS_SCRIPT = fileURLToPath(new URL('./s3-emulator-process.ts', import.meta.url));

/** Starts s3rver in its own process (see s3-emulator-process.ts) and resolves once it listens. */
export async function startS3Emulator(directory?: string): Promise<RunningEmulator> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', PROCESS_SCRIPT, ...(directory ? [directory] : [])],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { endpoint: string }).endpoint));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the S3 emulator exited (code ${code}) before listening`)));
  });
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

/**
 * What the emulator needs that real S3 does not, added to a client only in tests: SDK v3 signs
 * bucket-level calls (ListObjectsV2, CreateBucket) over `/bucket/`, while s3rver verifies them over
 * `/bucket`, so the trailing slash is dropped before signing.
 */
export function applyEmulatorQuirks(client: S3Client): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { path?: string };
      if (typeof request.path === 'string' && /^\/[^/]+\/$/.test(request.path)) {
        request.path = request.path.slice(0, -1);
      }
      return next(args);
    },
    { step: 'build', name: 'tapedeckEmulatorBucketPath', priority: 'low' },
  );
}

/** A client for setting up test data (buckets, objects) on the emulator. */
export function createEmulatorClient(endpoint: string): S3Client {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: EMULATOR_CREDENTIALS,
    // Streamed bodies with the SDK's default checksums use aws-chunked encoding, which s3rver refuses.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  applyEmulatorQuirks(client);
  return client;
}

/** A new bucket with a unique name, so test files never see each other's objects. */
export async function createTestBucket(client: S3Client, prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export async function putTestObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType = 'application/octet-stream',
): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}
