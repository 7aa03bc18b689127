/**
 * `npm run sync`: one sync of the configured bucket's listing into the catalog in TAPEDECK_DATA_DIR,
 * resuming the last one if it did not complete. Progress goes to stderr, the summary to stdout.
 * Exit codes: 0 done, 1 the sync failed (one line says why), 2 configuration, 130 Ctrl-C (the sync
 * stops cleanly and the next `npm run sync` resumes it).
 */
import { ConfigError, readConfig } from '../config.ts';
import { stderrLogger } from '../logger.ts';
import { openLibrary } from '../library/open-library.ts';
import type { SyncStatus } from '../sync/listing-sync.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'Usage: npm run sync   (syncs S3_BUCKET under S3_PREFIX into the catalog; Ctrl-C stops, the next run resumes)';

runCli(async () => {
  const args = process.argv.slice(2);
  if (args.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = args.includes('--help') || args.includes('-h') ? 0 : 2;
    return;
  }
  const config = readConfig();
  if (!config.s3) throw new ConfigError('S3_BUCKET is not set: set it to the bucket with the recordings.');
  const log = stderrLogger();
  const library = openLibrary(config, { log });
  try {
    const sync = library.storage!.listing;
    const onSigint = () => {
      log.info('Ctrl-C: stopping the sync (the next `npm run sync` resumes it)');
      sync.cancel();
    };
    process.once('SIGINT', onSigint);
    const status = await sync.run();
    process.off('SIGINT', onSigint);
    process.stdout.write(`${summary(status)}\n`);
    if (status.state === 'failed') {
      process.stderr.write(`tapedeck: sync failed: ${status.error} Run \`npm run sync\` again to resume.\n`);
      process.exitCode = 1;
    } else if (status.state === 'cancelled') {
      process.exitCode = 130;
    }
  } finally {
    library.close();
  }
});

function summary(status: SyncStatus): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const outcome =
    status.state === 'succeeded' ? 'Synced' : status.state === 'cancelled' ? 'Sync cancelled' : 'Sync failed';
  const resumed = status.resumedFrom ? ` (resumed from ${status.resumedFrom})` : '';
  return (
    `${outcome}${resumed}: ${n(status.foldersDone)}/${n(status.foldersTotal)} folders, ` +
    `${n(status.objectsListed)} objects listed, ${n(status.recordingsAdded)} recordings added, ` +
    `${n(status.recordingsRemoved)} removed, ${n(status.manifestsRead)} manifests read, ` +
    `${n(status.manifestsSkipped)} skipped.`
  );
}
