import { join } from 'node:path';
import { readCatalogUser, type CatalogUser } from '../catalog/catalog-in-use.ts';
import { CATALOG_FILE_NAME } from '../catalog/open-catalog.ts';
import { demoDataDir } from '../library/demo-data-dir.ts';

/**
 * Where each library's catalog is under the data folder: the bucket's at its top, the demo's in
 * `demo/` (as the library session opens them), so that commands can name the real file.
 */
export function catalogDirOf(dataDir: string, mode: 'demo' | 'bucket' | 'unconfigured'): string {
  return mode === 'demo' ? demoDataDir(dataDir) : dataDir;
}

export function catalogFileOf(dataDir: string, mode: 'demo' | 'bucket' | 'unconfigured'): string {
  return join(catalogDirOf(dataDir, mode), CATALOG_FILE_NAME);
}

/** One line: who shows the catalog in `catalogDir`, or that no running app does. */
export function describeCatalogUse(catalogDir: string): string {
  const user = readCatalogUser(catalogDir);
  return user
    ? `A running Tapedeck (${describeUser(user)}) has this catalog open; it shows the change within a few seconds.`
    : 'No running Tapedeck has this catalog open; an app started with the same TAPEDECK_DATA_DIR shows it.';
}

/**
 * When a demo runs on the same data folder, how to import into its catalog rather than the bucket's
 * (the usual surprise after `npm run demo`, whose catalog is one folder down); null when none runs.
 */
export function demoCatalogHint(dataDir: string): string | null {
  const demoDir = catalogDirOf(dataDir, 'demo');
  const demo = readCatalogUser(demoDir);
  if (!demo) return null;
  return (
    `The demo (${describeUser(demo)}) shows another catalog, ${join(demoDir, CATALOG_FILE_NAME)}: ` +
    `to import into it, run again with TAPEDECK_DATA_DIR=${demoDir}`
  );
}

function describeUser(user: CatalogUser): string {
  return `${user.mode}, pid ${user.pid}${user.url ? `, ${user.url}` : ''}`;
}
