/**
 * `npm run import -- FILE [FILE…]`: loads interaction metadata (NDJSON, JSON array or CSV) into the
 * catalog in TAPEDECK_DATA_DIR. Each file is all or nothing; a bad row is named by file, line and field.
 * `npm run import -- --transcripts DIR_OR_FILE…`: loads transcripts, each matched to its call by
 * its name or an id inside (import-transcripts.ts); a file that matches nothing or cannot be read
 * is listed with the reason and the others are imported. Both can be given: metadata first.
 * It ends by naming the catalog file it wrote and whether a running app has that catalog open.
 */
import { join } from 'node:path';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog } from '../catalog/open-catalog.ts';
import { readConfig } from '../config.ts';
import { describeImport, importInteractionsFile } from '../import/import-interactions.ts';
import { describeTranscriptImport, importTranscriptFiles } from '../import/import-transcripts.ts';
import { describeCatalogUse, demoCatalogHint } from './catalog-location.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'Usage: npm run import -- FILE [FILE…]   (NDJSON, JSON array, or CSV with a header row)\n' +
  '       npm run import -- --transcripts DIR_OR_FILE [DIR_OR_FILE…]   (Transcribe or Contact Lens ' +
  'JSON, LiveKit history, WebVTT, SubRip; a folder is searched for .json, .vtt and .srt files)';

runCli(async () => {
  const args = process.argv.slice(2);
  const flag = args.indexOf('--transcripts');
  const files = flag === -1 ? args : args.slice(0, flag);
  const transcripts = flag === -1 ? [] : args.slice(flag + 1);
  if (
    args.length === 0 ||
    args.includes('--help') ||
    args.includes('-h') ||
    (flag !== -1 && transcripts.length === 0)
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = args.includes('--help') || args.includes('-h') ? 0 : 2;
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
    if (transcripts.length > 0) {
      const summary = importTranscriptFiles(catalog, transcripts);
      process.stdout.write(`${describeTranscriptImport(summary).join('\n')}\n`);
      if (summary.imported.length === 0) {
        const found = summary.bad.length + summary.unmatched.length;
        process.stderr.write(
          found === 0
            ? `tapedeck: no transcript files in ${transcripts.join(', ')}: a folder is searched for .json, .vtt and .srt files.\n`
            : `tapedeck: no transcript was imported: ${found === 1 ? 'the file above was' : `the ${found} files above were`} ` +
                'not matched to a call or could not be read (each says why).\n',
        );
        process.exitCode = 1;
      }
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
