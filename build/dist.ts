/**
 * `npm run dist` (after the renderer and main are built): runs electron-builder with
 * build/electron-builder.config.ts for this OS (extra arguments pass through, e.g. `-- --linux deb`).
 *
 * electron-builder rebuilds native modules for Electron in node_modules itself, which would leave
 * better-sqlite3 unusable by Node (tests, `npm run serve`). So Node's binary is copied aside first
 * and put back afterwards, whatever happened.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from './build-main.ts';

const nodeBinary = join(
  PROJECT_DIR,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
);
const backup = join(PROJECT_DIR, 'out', 'better_sqlite3.node-for-node');

if (existsSync(nodeBinary)) {
  mkdirSync(join(PROJECT_DIR, 'out'), { recursive: true });
  copyFileSync(nodeBinary, backup);
}
let status: number;
try {
  const result = spawnSync(
    join(
      PROJECT_DIR,
      'node_modules',
      '.bin',
      process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder',
    ),
    ['--config', 'build/electron-builder.config.ts', '--publish', 'never', ...process.argv.slice(2)],
    { cwd: PROJECT_DIR, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  status = result.status ?? 1;
} finally {
  if (existsSync(backup)) copyFileSync(backup, nodeBinary);
}
process.exit(status);
