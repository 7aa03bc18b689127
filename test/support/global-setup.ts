import type { TestProject } from 'vitest/node';
import { startS3Emulator } from './s3-emulator.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The endpoint of the S3 emulator every test file shares (each makes its own buckets). */
    s3Endpoint: string;
  }
}

/** One real S3 server (s3rver) on loopback for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startS3Emulator();
  project.provide('s3Endpoint', emulator.endpoint);
  return () => emulator.stop();
}
