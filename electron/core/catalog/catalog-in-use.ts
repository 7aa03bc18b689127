import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../fs/write-file-atomically.ts';

/**
 * Which running Tapedeck has a catalog open, told by a small file beside the catalog, so that a
 * command run beside it (`npm run import`) can say whether an app will show what it wrote. Advisory
 * only: nothing is locked, SQLite already lets both work at once.
 */
export const CATALOG_USER_FILE = 'tapedeck-app.json';

export interface CatalogUser {
  readonly pid: number;
  /** The local API's address, when it listens. */
  readonly url: string | null;
  /** How it runs: `serve`, `demo`, `desktop`… */
  readonly mode: string;
}

const catalogUserSchema = z.object({
  pid: z.number().int().positive(),
  url: z.string().nullable(),
  mode: z.string(),
});

/**
 * Says that this process has the catalog in `catalogDir` open (written atomically); the function it
 * returns takes the file away again, unless another app has claimed the catalog since.
 */
export function markCatalogInUse(catalogDir: string, info: CatalogUser): () => void {
  const file = join(catalogDir, CATALOG_USER_FILE);
  mkdirSync(catalogDir, { recursive: true });
  const user: CatalogUser = { pid: info.pid, url: info.url, mode: info.mode };
  writeFileAtomically(file, `${JSON.stringify(user, null, 2)}\n`, 0o644);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readUserFile(file)?.pid === info.pid) rmSync(file, { force: true });
  };
}

/**
 * The app that has the catalog in `catalogDir` open; null when none does, the file is unreadable, or
 * the process that wrote it is gone (it crashed without taking its file away).
 */
export function readCatalogUser(catalogDir: string): CatalogUser | null {
  const user = readUserFile(join(catalogDir, CATALOG_USER_FILE));
  return user && isAlive(user.pid) ? user : null;
}

function readUserFile(file: string): CatalogUser | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // absent (or unreadable): nobody says they use it
  }
  try {
    const parsed = catalogUserSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: not a claim anyone can rely on
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
