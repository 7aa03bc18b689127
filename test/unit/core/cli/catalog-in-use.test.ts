import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_USER_FILE,
  markCatalogInUse,
  readCatalogUser,
} from '../../../../electron/core/catalog/catalog-in-use.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'tapedeck-in-use-'));
/** A pid that was alive a moment ago and is not any more. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

describe('markCatalogInUse and readCatalogUser', () => {
  it('tells who has the catalog open until it lets go', () => {
    const dir = join(fresh(), 'demo'); // created if missing
    const release = markCatalogInUse(dir, { pid: process.pid, url: 'http://127.0.0.1:8000', mode: 'demo' });
    expect(readCatalogUser(dir)).toEqual({ pid: process.pid, url: 'http://127.0.0.1:8000', mode: 'demo' });
    expect(readdirSync(dir)).toEqual([CATALOG_USER_FILE]); // no temporary file left beside it
    release();
    expect(existsSync(join(dir, CATALOG_USER_FILE))).toBe(false);
    expect(readCatalogUser(dir)).toBeNull();
    release(); // twice is harmless
  });

  it('answers null for a claim whose process is gone, and for a file it cannot read', () => {
    const dir = fresh();
    markCatalogInUse(dir, { pid: deadPid(), url: null, mode: 'serve' });
    expect(readCatalogUser(dir)).toBeNull();
    writeFileSync(join(dir, CATALOG_USER_FILE), '{"pid": "twelve"');
    expect(readCatalogUser(dir)).toBeNull();
    writeFileSync(join(dir, CATALOG_USER_FILE), JSON.stringify({ pid: -1, url: null, mode: 'x' }));
    expect(readCatalogUser(dir)).toBeNull();
  });

  it('does not take away the claim of an app that opened the catalog since', () => {
    const dir = fresh();
    const releaseOld = markCatalogInUse(dir, { pid: deadPid(), url: null, mode: 'serve' });
    markCatalogInUse(dir, { pid: process.pid, url: null, mode: 'desktop' });
    releaseOld();
    expect(JSON.parse(readFileSync(join(dir, CATALOG_USER_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
  });
});
