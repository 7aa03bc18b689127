/**
 * `npm run serve`: the headless mode. Runs the recording service and the documented Recording API
 * on TAPEDECK_HOST:TAPEDECK_PORT (default 127.0.0.1:8000), without a window.
 */
import { readConfig } from '../config.ts';
import { createApiServer, listen } from '../http/api-server.ts';
import { describeImport } from '../import/import-interactions.ts';
import { stderrLogger } from '../logger.ts';
import type { SyncStatus } from '../sync/listing-sync.ts';
import { createTapedeckCore } from '../tapedeck-core.ts';
import { runCli } from './run-cli.ts';

const log = stderrLogger();

runCli(async () => {
  const config = readConfig();
  const core = createTapedeckCore(config, { log, onSyncProgress: logSyncProgress() });
  try {
    if (!config.s3) {
      log.warn('S3_BUCKET is not set: /recordings answers 500 until it is (see README, Configuration).');
    }
    if (config.interactionsFile) {
      log.info(describeImport(await core.service.importInteractions(config.interactionsFile)));
    }
    const app = createApiServer(core.service, log);
    const url = await listen(app, config.host, config.port);
    log.info(`Recording API on ${url} (catalog in ${config.dataDir})`);
    if (config.s3) void core.service.sync();

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: finishing requests in flight, then stopping`);
      app
        .close()
        .catch((error: unknown) => log.error(`while closing: ${String(error)}`))
        .finally(() => core.close());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (error) {
    core.close();
    throw error;
  }
});

/** Logs a sync's start and end, and its progress at most every five seconds. */
function logSyncProgress(): (status: SyncStatus) => void {
  let lastLogged = 0;
  return (status) => {
    const now = Date.now();
    const counts = `${status.objectsListed.toLocaleString('en-US')} objects listed, ${status.recordingsAdded.toLocaleString('en-US')} recordings new, ${status.recordingsRemoved.toLocaleString('en-US')} removed`;
    if (status.state === 'running' && status.objectsListed === 0) {
      log.info('sync: listing S3…');
    } else if (status.state === 'running' && now - lastLogged > 5000) {
      log.info(`sync: ${counts}`);
    } else if (status.state === 'succeeded') {
      log.info(`sync: done, ${counts}`);
    } else if (status.state === 'failed') {
      log.warn(`sync failed: ${status.error}`);
    } else {
      return;
    }
    lastLogged = now;
  };
}
