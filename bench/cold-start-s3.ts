/**
 * The S3 server for bench/cold-start.ts, in a process of its own: s3rver on loopback over
 * `directory` (argv[2]), accepting requests whatever their signature (as the demo's does), so the
 * bundled `serve` needs no test preload to talk to it. Prints `{"endpoint": …}` once it listens;
 * stops when its stdin closes. Run with `--openssl-legacy-provider --import tsx` (see
 * test/support/s3-emulator-process.ts for why the legacy provider).
 */
import S3rver from '@20minutes/s3rver';
import { fixS3rverDelimiterListing } from '../electron/core/demo/s3rver-delimiter-fix.ts';

const directory = process.argv[2];
if (!directory) throw new Error('usage: cold-start-s3.ts DIRECTORY');
fixS3rverDelimiterListing();
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  allowMismatchedSignatures: true,
});
const address = (await server.run()) as { port: number };
process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${address.port}` })}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
