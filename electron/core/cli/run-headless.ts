import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headlessPorts } from '../app/app-ports.ts';
import { startTapedeckApp } from '../app/tapedeck-app.ts';
import { readConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

/** The built renderer that web mode serves (`npm run build:renderer`). */
export const RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

/**
 * Headless mode: the same application service as the desktop app, without a window. It serves the
 * documented Recording API, and the renderer as a web page over the same contract (web mode).
 */
export async function runHeadless(mode: 'serve' | 'demo', log: Logger): Promise<void> {
  const config = readConfig();
  if (mode === 'serve' && !config.s3) {
    log.warn('S3_BUCKET is not set: /recordings answers 500 until it is (see README, Configuration).');
  }
  const app = await startTapedeckApp({
    dataDir: config.dataDir,
    ports: headlessPorts(join(homedir(), 'Downloads')),
    log,
    webMode: true,
    rendererDir: RENDERER_DIR,
    demo: mode === 'demo' ? 'force' : 'never',
    portTakenIsFatal: true,
  });
  log.info(`Recording API on ${app.apiUrl} (catalog in ${config.dataDir})`);
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
