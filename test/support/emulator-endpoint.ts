import { inject } from 'vitest';

/** The S3 emulator started by global-setup.ts for this test run. */
export function emulatorEndpoint(): string {
  return inject('s3Endpoint');
}
