/**
 * A bulk import that stops dead at one of its steps, for bulk-load-journal.test.ts to kill there:
 * `node --import tsx test/integration/bulk-load-child.ts CATALOG FILE STEP`. At STEP it prints
 * `at STEP` and then blocks (the parent sends SIGKILL), so the kill lands exactly at that step.
 */
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { importInteractionsFile } from '../../electron/core/import/import-interactions.ts';
import { STAGE_WORKER_ENTRY } from '../../electron/core/import/parallel-staging.ts';

const [catalogFile, file, stopAt] = process.argv.slice(2) as [string, string, string];
const db = openCatalog(catalogFile);
await importInteractionsFile(new CatalogStore(db), file, {
  workers: { entry: STAGE_WORKER_ENTRY, count: 2 },
  parallelFromBytes: 0,
  onPhase: (phase) => {
    if (phase !== stopAt) return;
    process.stdout.write(`at ${phase} (journal ${String(db.pragma('journal_mode', { simple: true }))})\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  },
});
process.stdout.write('finished\n');
