/**
 * `node --import ./test/support/emulator-quirks-preload.ts …`: lets a whole Tapedeck process (the
 * `serve` and `import` commands under test, the benchmarks) talk to the S3 emulator, by giving every
 * S3 client it makes the emulator's workaround (see applyEmulatorQuirks). Test set-up only: the
 * product itself never loads this.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { applyEmulatorQuirks } from './s3-emulator.ts';

const patched = new WeakSet<S3Client>();
const send = S3Client.prototype.send;
S3Client.prototype.send = function sendWithEmulatorQuirks(
  this: S3Client,
  ...args: Parameters<S3Client['send']>
) {
  if (!patched.has(this)) {
    patched.add(this);
    applyEmulatorQuirks(this);
  }
  return send.apply(this, args);
} as S3Client['send'];
