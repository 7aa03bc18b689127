/**
 * `npm run serve`: headless mode on the configured bucket. The documented Recording API and the
 * Tapedeck page on TAPEDECK_HOST:TAPEDECK_PORT (default 127.0.0.1:8000), without a window.
 */
import { stderrLogger } from '../logger.ts';
import { runCli } from './run-cli.ts';
import { runHeadless } from './run-headless.ts';

runCli(() => runHeadless('serve', stderrLogger()));
