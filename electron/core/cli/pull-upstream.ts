/**
 * `npm run pull`: caches the calls of the upstream Recording API at TAPEDECK_UPSTREAM_URL in the
 * catalog in TAPEDECK_DATA_DIR, so the list and search work offline. A pull that fails or is
 * cancelled (Ctrl-C) keeps what it fetched, and the next one resumes where it stopped.
 */
import { join } from 'node:path';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog } from '../catalog/open-catalog.ts';
import { readConfig } from '../config.ts';
import { isLoopbackHost } from '../http/api-access.ts';
import { stderrLogger } from '../logger.ts';
import { readUpstreamConfig } from '../upstream/upstream-config.ts';
import { catalogCheckpoint } from '../upstream/upstream-checkpoint.ts';
import { UpstreamSync, count } from '../upstream/upstream-sync.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'Usage: TAPEDECK_UPSTREAM_URL=https://recordings.example.com [TAPEDECK_UPSTREAM_TOKEN=…] npm run pull';

runCli(async () => {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const upstream = readUpstreamConfig(process.env);
  if (!upstream) {
    process.stderr.write(
      'tapedeck: TAPEDECK_UPSTREAM_URL is not set. Set it to the address of the Recording API to pull ' +
        'calls from (and TAPEDECK_UPSTREAM_TOKEN if that API wants a bearer token).\n' +
        `${USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const config = readConfig();
  const log = stderrLogger();
  const host = new URL(upstream.baseUrl).hostname;
  if (upstream.token && upstream.baseUrl.startsWith('http:') && !isLoopbackHost(host)) {
    log.warn(
      `TAPEDECK_UPSTREAM_TOKEN is sent unencrypted to ${host} over http://; use https:// if it offers it.`,
    );
  }

  const catalogFile = join(config.dataDir, CATALOG_FILE_NAME);
  const catalog = openCatalog(catalogFile);
  try {
    const store = new CatalogStore(catalog);
    const checkpoint = catalogCheckpoint(store, upstream.baseUrl);
    // CatalogStore fits the sync's store as it is: upsertInteractions(rows[, source]), a transaction per call.
    const sync = new UpstreamSync({ ...upstream, store, log, checkpoint });
    const cancel = () => {
      process.stderr.write('tapedeck: cancelling the pull (Ctrl-C again to stop at once)…\n');
      sync.cancel();
    };
    // `once`: a second Ctrl-C falls through to Node's default and ends the process.
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    const status = await sync.run().finally(() => {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    });

    const fetched =
      `${count(status.interactionsCached, 'interaction')} from ${count(status.pagesFetched, 'page')}` +
      (status.itemsSkipped > 0 ? ` (${count(status.itemsSkipped, 'unusable item')} skipped, see above)` : '');
    const resumeAt = checkpoint.read();
    const resumeHint =
      resumeAt === null
        ? ''
        : ` Run npm run pull again to resume at offset ${resumeAt.toLocaleString('en-US')}.`;
    if (status.state === 'succeeded') {
      const resumed =
        status.resumedFromOffset === null
          ? ''
          : `, resumed at offset ${status.resumedFromOffset.toLocaleString('en-US')}`;
      process.stdout.write(`Pulled ${fetched} from ${upstream.baseUrl}${resumed}.\n`);
      const counts = store.counts();
      process.stdout.write(
        `Catalog ${catalogFile}: ${count(counts.interactions, 'interaction')}, ` +
          `${counts.withRecording.toLocaleString('en-US')} with a known recording.\n`,
      );
    } else if (status.state === 'cancelled') {
      process.stderr.write(`tapedeck: pull cancelled; kept ${fetched}.${resumeHint}\n`);
      process.exitCode = 130;
    } else {
      process.stderr.write(`tapedeck: ${status.error}\n`);
      if (status.pagesFetched > 0) {
        process.stderr.write(`tapedeck: kept the ${fetched} fetched before that.${resumeHint}\n`);
      }
      process.exitCode = 1;
    }
  } finally {
    catalog.close();
  }
});

/** The offset an unfinished pull reached, kept in the catalog per upstream URL. */
