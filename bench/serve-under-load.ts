/**
 * The product under load: the real core and HTTP API, configured from the environment exactly as
 * `npm run serve` is, in a process of its own so that its RSS is its own and the load generator
 * does not share its event loop. Unlike `serve` it starts no sync: the benchmark's catalog names
 * far more recordings than the emulator holds, and a sync would forget them.
 *
 * Run with `--import tsx --import ./test/support/emulator-quirks-preload.ts` (for the emulator).
 */
import { readConfig } from '../electron/core/config.ts';
import { createApiServer, listen } from '../electron/core/http/api-server.ts';
import type { Logger } from '../electron/core/logger.ts';
import { singleLibraryServices } from '../electron/core/app/single-library-services.ts';
import { openLibrary } from '../electron/core/library/open-library.ts';
import { serveParent } from './child-messages.ts';

/** Warnings on stderr, but only the first few: under load a failing route would flood the output. */
function cappedStderrLogger(limit: number): Logger {
  let written = 0;
  const write = (level: string, message: string) => {
    written += 1;
    if (written <= limit) process.stderr.write(`serve-under-load ${level}: ${message}\n`);
    else if (written === limit + 1) process.stderr.write('serve-under-load: further messages suppressed\n');
  };
  return {
    info() {},
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

const config = readConfig();
const log = cappedStderrLogger(5);
const core = openLibrary(config, { log });
const app = createApiServer(singleLibraryServices(core, { log }), log);
const url = await listen(app, config.host, config.port);
serveParent(url, async () => {
  await app.close();
  core.close();
});
