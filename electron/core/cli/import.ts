/**
 * `npm run import -- FILE [FILE…]`: loads interaction metadata (NDJSON, JSON array or CSV) into the
 * catalog in TAPEDECK_DATA_DIR. Each file is all or nothing; a bad row is named by file, line and field.
 */
import { join } from 'node:path';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog } from '../catalog/open-catalog.ts';
import { readConfig } from '../config.ts';
import { describeImport, importInteractionsFile } from '../import/import-interactions.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'Usage: npm run import -- FILE [FILE…]   (NDJSON, JSON array, or CSV with a header row)';

runCli(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.includes('--help') || files.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = files.length === 0 ? 2 : 0;
    return;
  }
  const config = readConfig();
  const catalog = openCatalog(join(config.dataDir, CATALOG_FILE_NAME));
  try {
    const store = new CatalogStore(catalog);
    for (const file of files) {
      const summary = await importInteractionsFile(store, file);
      process.stdout.write(`${describeImport(summary)}\n`);
    }
    const counts = store.counts();
    process.stdout.write(
      `Catalog ${join(config.dataDir, CATALOG_FILE_NAME)}: ${counts.interactions.toLocaleString('en-US')} interactions, ` +
        `${counts.withRecording.toLocaleString('en-US')} with a known recording.\n`,
    );
  } finally {
    catalog.close();
  }
});
