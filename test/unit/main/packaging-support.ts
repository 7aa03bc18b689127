/** Helpers for the packaging and bundle tests: file listings and electron-builder-style globs. */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `root`, as `/`-separated paths relative to `base` (default `root`). */
export function listFiles(root: string, skip: ReadonlySet<string> = new Set(), base = root): string[] {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(root, entry.name);
    if (skip.has(entry.name)) return [];
    if (entry.isDirectory()) return listFiles(path, skip, base);
    return [relative(base, path).split(sep).join('/')];
  });
}

/** The glob dialect electron-builder's `files` uses, as far as our config uses it: **, *, ?, {a,b}. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i]!;
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      source += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&'))
        .join('|')})`;
      i = end;
    } else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether electron-builder would pack `file` given `patterns` (later negations exclude). */
export function isPacked(file: string, patterns: readonly string[]): boolean {
  let packed = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(file)) packed = false;
    } else if (globToRegExp(pattern).test(file)) packed = true;
  }
  return packed;
}
