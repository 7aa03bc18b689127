/**
 * Where the built pieces sit, relative to the app's root (the repository in development, app.asar
 * when packaged). The build script writes them here, main loads them from here and the packaging
 * config ships exactly these, so the three cannot disagree.
 */
export const BUNDLE_LAYOUT = {
  /** Main, bundled by build/build-main.ts (ESM: the package is "type": "module"). */
  main: 'out/main/main.js',
  /** The preload, bundled to one CommonJS file: a sandboxed preload cannot import local modules. */
  preload: 'out/preload/preload.cjs',
  /** The renderer, built by `npm run build:renderer` (Vite). */
  rendererDir: 'dist/renderer',
} as const;
