import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/**
 * The built page carries its own strict Content-Security-Policy (main or the server may add a stricter
 * one). Only in the build: Vite's dev server injects inline scripts that this policy would refuse.
 * `tapedeck-media:` is the desktop app's streaming scheme (shared/transport.ts).
 *
 * First in the head: a `<meta>` policy governs only what the parser meets after it, so it must come
 * before the script and stylesheet tags Vite adds (the charset stays within the first 1024 bytes).
 */
export const contentSecurityPolicy: Plugin = {
  name: 'tapedeck-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content: [
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          "media-src 'self' tapedeck-media:",
          "connect-src 'self' tapedeck-media:",
          "base-uri 'none'",
          "form-action 'none'",
        ].join('; '),
      },
      injectTo: 'head-prepend',
    },
  ],
};

export default defineConfig({
  root,
  // Relative asset paths: the same build loads from file://, the desktop scheme and http://127.0.0.1:8000/.
  base: './',
  plugins: [react(), contentSecurityPolicy],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // No inlined assets: everything is a file the CSP's 'self' covers.
    assetsInlineLimit: 0,
  },
  server: {
    // `vite --config renderer/vite.config.ts` during development, against a running `npm run demo`.
    proxy: { '/api': 'http://127.0.0.1:8000', '/media': 'http://127.0.0.1:8000' },
  },
});
