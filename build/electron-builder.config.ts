/**
 * electron-builder's configuration (`npm run dist`, see docs/desktop.md). Icons come from build/
 * (electron-builder's default buildResources folder): icon.icns (macOS), icon.ico (Windows) and
 * icon.png (Linux, and the source of the other two; see build/make-icons.ts).
 */
import type { Configuration } from 'electron-builder';
import { BUNDLE_LAYOUT } from '../electron/main/bundle-layout.ts';

const parentOf = (file: string) => file.slice(0, file.lastIndexOf('/'));

/**
 * What the app is made of, and nothing else: the bundles, the built renderer, and the files the
 * core reads beside its modules (build-main.ts keeps their paths). Production node_modules are
 * added by electron-builder itself (only `dependencies`, rebuilt for Electron): the renderer's
 * packages (React and the like) are bundled by Vite, so they are devDependencies and do not ship.
 */
export const APP_FILES = [
  'package.json',
  `${parentOf(BUNDLE_LAYOUT.main)}/**/*`,
  `${parentOf(BUNDLE_LAYOUT.preload)}/**/*`,
  `${BUNDLE_LAYOUT.rendererDir}/**/*`,
  'electron/core/catalog/migrations/*.sql',
  'electron/core/demo/library/*.{mp4,json,vtt}',
] as const;

/**
 * Left out of what APP_FILES matches: source maps (esbuild writes them beside main and the
 * preload for development; in the package they would only hand out our sources).
 */
export const APP_FILES_EXCLUDED = ['!**/*.map'] as const;

const config: Configuration = {
  appId: 'com.tapedeck.app',
  // No productName here: electron-builder takes package.json's, the one Electron and `serve` use.
  copyright: 'Copyright © Tapedeck contributors',
  // Not dist/: that is where the renderer is built, and it is packaged.
  directories: { buildResources: 'build', output: 'out/release' },
  files: [...APP_FILES, ...APP_FILES_EXCLUDED],
  asar: true,
  // A native module cannot be loaded from inside an archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**/*.node'],
  // Rebuild native modules (better-sqlite3) for Electron's ABI; build/dist.ts puts Node's back after.
  npmRebuild: true,
  // electron-builder flips these right before it signs (no afterPack/afterSign hook of ours may
  // touch the binary after that: it would break the signature).
  electronFuses: {
    // Flipping a fuse invalidates the ad-hoc signature an Apple Silicon binary must carry; with no
    // Developer ID (an unsigned build) nothing re-signs it and macOS kills the app at launch.
    resetAdHocDarwinSignature: true,
    // No `ELECTRON_RUN_AS_NODE`, `NODE_OPTIONS` or `--inspect`: the signed app cannot be turned
    // into a general Node runtime or have a debugger attached to read the credentials it holds.
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // Only the app.asar that was signed, checked against its hash, is ever loaded.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // The renderer is served from tapedeck-app://, never file:// (electron/main/protocol.ts).
    grantFileProtocolExtraPrivileges: false,
  },
  mac: {
    target: ['dmg', 'zip'],
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
  },
  win: { target: ['nsis'] },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'AudioVideo',
    synopsis: 'A desktop player for call recordings kept in Amazon S3',
    maintainer: 'Tapedeck maintainers <tapedeck@example.com>',
  },
  publish: null,
};

export default config;
