/**
 * The renderer's `<meta>` Content-Security-Policy, as Vite writes it into a built page. A meta
 * policy only governs what the parser meets after it, so it must come before every script and
 * stylesheet tag. Built here from a tiny page with the renderer config's own plugin (the real
 * renderer build is slow and shared by everyone's tests).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../renderer/vite.config.ts';

let root: string;
let html: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tapedeck-csp-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(
    join(root, 'index.html'),
    [
      '<!doctype html>',
      '<html lang="en">',
      '  <head>',
      '    <meta charset="utf-8" />',
      '    <title>Tapedeck</title>',
      '    <link rel="stylesheet" href="./src/page.css" />',
      '  </head>',
      '  <body>',
      '    <script type="module" src="./src/main.js"></script>',
      '  </body>',
      '</html>',
    ].join('\n'),
  );
  writeFileSync(join(root, 'src', 'main.js'), "import './extra.css';\ndocument.title = 'built';\n");
  writeFileSync(join(root, 'src', 'page.css'), 'body { margin: 0; }\n');
  writeFileSync(join(root, 'src', 'extra.css'), 'p { color: red; }\n');
  await build({
    root,
    configFile: false,
    base: './',
    logLevel: 'silent',
    plugins: [contentSecurityPolicy],
    build: { outDir: join(root, 'out'), emptyOutDir: true, modulePreload: false },
  });
  html = readFileSync(join(root, 'out', 'index.html'), 'utf8');
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the built page's Content-Security-Policy", () => {
  it('is in the head, before every script and stylesheet tag', () => {
    const csp = html.search(/<meta http-equiv="Content-Security-Policy"/);
    const tags = [...html.matchAll(/<script\b|<link\b[^>]*rel="(?:stylesheet|modulepreload)"/g)];
    expect(csp).toBeGreaterThan(html.indexOf('<head>'));
    expect(csp).toBeLessThan(html.indexOf('</head>'));
    // Vite's script and its CSS bundle (the page's stylesheet merged in) both came through.
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const tag of tags) expect(tag.index, tag[0]).toBeGreaterThan(csp);
  });

  it("refuses everything not the app's own, and keeps the charset within the first 1024 bytes", () => {
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(content?.replaceAll('&#39;', "'")).toContain("default-src 'none'; script-src 'self'");
    expect(html.indexOf('<meta charset="utf-8"')).toBeGreaterThan(0);
    expect(html.indexOf('<meta charset="utf-8"')).toBeLessThan(1024);
  });
});
