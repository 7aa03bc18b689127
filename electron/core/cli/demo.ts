/**
 * `npm run demo`: headless mode on the built-in demo library (a local S3-compatible server with a
 * handful of real recordings), serving the Tapedeck page at http://127.0.0.1:8000/.
 */
import { stderrLogger } from '../logger.ts';
import { runCli } from './run-cli.ts';
import { runHeadless } from './run-headless.ts';

runCli(() => runHeadless('demo', stderrLogger()));
