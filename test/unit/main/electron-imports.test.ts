/**
 * Importing 'electron' under plain Node gives a path string, not the API, so every shell module
 * that tests exercise must take Electron objects as parameters and import only types. This keeps
 * the runtime imports to the entry points that cannot be tested without Electron anyway.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../build/build-main.ts';

const RUNTIME_ELECTRON_IMPORTERS = [
  'electron/main/main.ts',
  'electron/main/window.ts',
  'electron/preload/preload.ts',
];

function shellModules(): string[] {
  return ['electron/main', 'electron/preload'].flatMap((dir) =>
    readdirSync(join(PROJECT_DIR, dir))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `${dir}/${name}`),
  );
}

/** `import … from 'electron'` that is not `import type`. */
const RUNTIME_IMPORT = /^import\s+(?!type\b)[^;]*?from\s+['"]electron['"]/m;

describe('electron imports in the shell', () => {
  it.each(shellModules())('%s imports electron at run time only if it is an entry point', (file) => {
    const source = readFileSync(join(PROJECT_DIR, file), 'utf8');
    expect(RUNTIME_IMPORT.test(source)).toBe(RUNTIME_ELECTRON_IMPORTERS.includes(file));
  });
});
