/**
 * Run first by the desktop commands (`npm start`, `npm run dist`): is this Node new enough for
 * Electron's tooling? The web and headless commands run on Node 20.19 (package.json `engines`), but
 * Electron 45's installer and @electron/get, and @electron/rebuild (which rebuilds better-sqlite3
 * for Electron), require Node 22.12. Without this they fail deep inside a download or a rebuild
 * with a message that does not say why.
 *
 * The minimum is read from those packages' own `engines`, so it follows an upgrade.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR } from './build-main.ts';

/** What Electron 45's tooling asked for when this was written; used if a package cannot be read. */
export const FALLBACK_MINIMUM = '22.12.0';

type Version = readonly [number, number, number];

/** `v22.12.0`, `22.12`, `>= 22.12.0`, `>=22.12.0` → [22, 12, 0]; null for anything else. */
export function parseVersion(text: string): Version | null {
  const match = /^\s*(?:>=\s*)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(text);
  if (!match) return null;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const format = (version: Version) => version.join('.');

export interface Requirement {
  /** The package asking, e.g. `@electron/rebuild 4.2.1`. */
  readonly by: string;
  readonly minimum: string;
}

/**
 * The package.json of `name` as Node would find it from `fromDir` (walking up node_modules
 * folders), or null. By hand: some of these packages do not export their package.json.
 */
function findPackageJson(fromDir: string, name: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The Node versions the desktop tooling declares: electron (its install script), @electron/get
 * (which it downloads with) and @electron/rebuild (which electron-builder's app-builder-lib uses).
 * A package that is missing or declares a range we cannot read is left out.
 */
export function desktopNodeRequirements(projectDir: string = PROJECT_DIR): Requirement[] {
  const found: Requirement[] = [];
  /** Reads `name` as seen from `fromDir`; returns its folder, to find its own dependencies. */
  const read = (fromDir: string, name: string, record: boolean): string | null => {
    const file = findPackageJson(fromDir, name);
    if (file === null) return null;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as {
        version?: string;
        engines?: { node?: string };
      };
      const minimum = json.engines?.node ? parseVersion(json.engines.node) : null;
      if (record && minimum)
        found.push({ by: `${name} ${json.version ?? ''}`.trim(), minimum: format(minimum) });
    } catch {
      // Unreadable: left out (the fallback covers an empty list).
    }
    return dirname(file);
  };
  const electron = read(projectDir, 'electron', true);
  if (electron) read(electron, '@electron/get', true);
  const builder = read(projectDir, 'electron-builder', false);
  const builderLib = builder ? read(builder, 'app-builder-lib', false) : null;
  if (builderLib) read(builderLib, '@electron/rebuild', true);
  return found;
}

/**
 * Null when `nodeVersion` satisfies every requirement; else the message to print, naming the
 * package that asks, the command's purpose and what to do.
 */
export function checkNodeForDesktop(
  nodeVersion: string,
  requirements: readonly Requirement[],
  command = "The desktop app's tooling",
): string | null {
  const current = parseVersion(nodeVersion);
  const wanted = requirements.length > 0 ? requirements : [{ by: 'Electron 45', minimum: FALLBACK_MINIMUM }];
  const highest = wanted.reduce((a, b) =>
    compare(parseVersion(b.minimum)!, parseVersion(a.minimum)!) > 0 ? b : a,
  );
  if (current && compare(current, parseVersion(highest.minimum)!) >= 0) return null;
  return [
    `${command} needs Node ${highest.minimum} or later; this is Node ${nodeVersion}.`,
    `  ${highest.by} requires it (Electron's download and the rebuild of better-sqlite3 for Electron).`,
    '  Install Node 22 LTS or later (e.g. `nvm install 22 && nvm use 22`), then run the command again.',
    '  The web and headless commands (npm run serve, demo, import, sync, test) still run on Node 20.19.',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `start` or `dist`: the npm command that ran this, to name it in the message.
  const script = process.argv[2];
  const command = script ? `\`npm ${script === 'start' ? 'start' : `run ${script}`}\`` : undefined;
  const problem = checkNodeForDesktop(process.versions.node, desktopNodeRequirements(), command);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
