/**
 * Runs `@20minutes/s3rver` on loopback as its own process, so the tests, the benchmarks and the demo
 * talk to a real S3 server over real HTTP. Started by `startS3Emulator` with `--openssl-legacy-provider`:
 * s3rver encrypts continuation tokens with DES, which OpenSSL 3 only has in its legacy provider
 * (without it every truncated listing is a 500).
 *
 * argv: [directory]. Prints one line of JSON, `{"endpoint":"http://127.0.0.1:PORT"}`, once it listens;
 * stops when its stdin closes (so it never outlives the process that started it).
 */
import S3rver from '@20minutes/s3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixS3rverDelimiterListing } from '../../electron/core/demo/s3rver-delimiter-fix.ts';

const ownDirectory = process.argv[2] === undefined;
const directory = process.argv[2] ?? mkdtempSync(join(tmpdir(), 's3rver-'));
fixS3rverDelimiterListing(); // folders holding only folders, as real S3 lists them
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const address = (await server.run()) as { address: string; port: number };
process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${address.port}` })}\n`);

const stop = () => {
  server.close().finally(() => {
    if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  });
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
