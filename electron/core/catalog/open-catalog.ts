import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHONE_REV_FUNCTION, reversedPhoneDigits } from './phone-digits.ts';

export type CatalogDatabase = Database.Database;

/** The catalog's file in the data folder. */
export const CATALOG_FILE_NAME = 'catalog.sqlite';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export class CatalogTooNewError extends Error {
  override readonly name = 'CatalogTooNewError';
}

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const match = MIGRATION_FILE.exec(name);
      return match ? [{ version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') }] : [];
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * Opens (creating if needed) the catalog file and brings its schema up to date. WAL lets the HTTP
 * API read while an import or sync writes; `user_version` records the last migration applied.
 */
export function openCatalog(file: string, options: { readonly?: boolean } = {}): CatalogDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    // Migrations fill derived columns with it (the app writes them itself).
    db.function(PHONE_REV_FUNCTION, { deterministic: true }, (phone: unknown) =>
      typeof phone === 'string' ? reversedPhoneDigits(phone) : null,
    );
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MB of WAL instead of 4: a sync's links dirty pages all over a large
      // catalog, and fewer checkpoints write each page back once instead of many times (-30 %).
      db.pragma('wal_autocheckpoint = 10000');
      migrate(db, loadMigrations());
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function migrate(db: CatalogDatabase, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CatalogTooNewError(
      `The catalog at ${db.name} was written by a newer Tapedeck (schema ${current}, this one knows ${latest}). ` +
        'Update Tapedeck, or point TAPEDECK_DATA_DIR at another folder.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
