/** Where the core reports what it does. Messages are for people; they never carry a credential. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Lines on stderr, so stdout stays free for a command's own output. */
export function stderrLogger(name = 'tapedeck'): Logger {
  const write = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${name} ${level} ${message}\n`);
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}
