/**
 * Main's log: lines on stderr (a terminal running `npm start`) and in `main.log` in Electron's logs
 * folder, because a packaged app has no terminal and the UI says "see the log for details".
 */
import { appendFileSync, mkdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { stderrLogger, type Logger } from '../core/logger.ts';

/** Started afresh once it passes this, so it never grows without bound. */
const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function mainLogger(logsDir: string): Logger {
  const terminal = stderrLogger('tapedeck');
  const file = join(logsDir, 'main.log');
  let fileWorks = true;
  try {
    mkdirSync(logsDir, { recursive: true });
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) truncateSync(file);
  } catch {
    fileWorks = false;
  }
  const write = (level: 'info' | 'warn' | 'error', message: string) => {
    terminal[level](message);
    if (!fileWorks) return;
    try {
      appendFileSync(file, `${new Date().toISOString()} ${level} ${message}\n`);
    } catch {
      fileWorks = false; // a full or read-only disk must not take the app down with it
    }
  };
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}
