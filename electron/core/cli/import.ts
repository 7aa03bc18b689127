/**
 * `npm run import -- FILE [FILE…]`: loads interaction metadata (NDJSON, JSON array or CSV) into the
 * catalog in TAPEDECK_DATA_DIR. Each file is all or nothing; a bad row is named by file, line and field.
 * It ends by naming the catalog file it wrote and whether a running app has that catalog open.
 */
import { join } from 'node:path';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog } from '../catalog/open-catalog.ts';
import { readConfig } from '../config.ts';
import { describeImport, importInteractionsFile } from '../import/import-interactions.ts';
import { describeCatalogUse, demoCatalogHint } from './catalog-location.ts';
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
  const catalogFile = join(config.dataDir, CATALOG_FILE_NAME);
  const catalog = openCatalog(catalogFile);
  try {
    const store = new CatalogStore(catalog);
    for (const file of files) {
      const summary = await importInteractionsFile(store, file);
      process.stdout.write(`${describeImport(summary)}\n`);
    }
    const counts = store.counts();
    process.stdout.write(
      `Catalog ${catalogFile}: ${counts.interactions.toLocaleString('en-US')} interactions, ` +
        `${counts.withRecording.toLocaleString('en-US')} with a known recording.\n`,
    );
    process.stdout.write(`${describeCatalogUse(config.dataDir)}\n`);
    const hint = demoCatalogHint(config.dataDir);
    if (hint) process.stdout.write(`${hint}\n`);
  } finally {
    catalog.close();
  }
});
