import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headlessPorts } from '../app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../app/tapedeck-app.ts';
import { readConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { catalogFileOf } from './catalog-location.ts';

/** The built renderer that web mode serves (`npm run build:renderer`). */
export const RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

/** A headless app, and the catalog file the library it opened keeps its calls in. */
export interface HeadlessApp {
  readonly app: TapedeckApp;
  readonly catalogFile: string;
}

/**
 * Starts headless mode as `npm run serve` / `npm run demo` do, without the signal handling: the
 * same application service as the desktop app, without a window, serving the documented
 * Recording API and the renderer as a web page over the same contract (web mode).
 */
export async function startHeadless(
  mode: 'serve' | 'demo',
  log: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<HeadlessApp> {
  const config = readConfig(env);
  if (mode === 'serve' && !config.s3) {
    log.warn('S3_BUCKET is not set: /recordings answers 500 until it is (see README, Configuration).');
  }
  const app = await startTapedeckApp({
    dataDir: config.dataDir,
    env,
    ports: headlessPorts(join(homedir(), 'Downloads')),
    log,
    webMode: true,
    rendererDir: RENDERER_DIR,
    demo: mode === 'demo' ? 'force' : 'never',
    portTakenIsFatal: true,
  });
  // The demo keeps its own catalog, one folder down: name the file really in use.
  const status = await app.handlers['library:status']({});
  return { app, catalogFile: catalogFileOf(config.dataDir, status.mode) };
}

/** Headless mode until Ctrl-C or SIGTERM, which finish the requests in flight, then stop. */
export async function runHeadless(mode: 'serve' | 'demo', log: Logger): Promise<void> {
  const { app, catalogFile } = await startHeadless(mode, log);
  log.info(`Recording API on ${app.apiUrl} (catalog ${catalogFile})`);
  log.info(`Tapedeck on ${app.apiUrl}/ (open it in a browser)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing requests in flight, then stopping`);
    app.close().catch((error: unknown) => log.error(`while closing: ${String(error)}`));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
