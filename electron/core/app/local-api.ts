import type { FastifyInstance } from 'fastify';
import { listen } from '../http/api-server.ts';
import type { Logger } from '../logger.ts';

/**
 * Starts the local API unless it is turned off (`listen: false`), answering its URL. A taken port
 * stops a headless start (after `shutDown`); the desktop app logs it and runs without its API.
 */
export async function listenUnlessOff(
  server: FastifyInstance,
  host: string,
  port: number,
  options: {
    readonly listen?: boolean;
    readonly portTakenIsFatal?: boolean;
    readonly log: Logger;
    readonly shutDown: () => Promise<void>;
  },
): Promise<string | null> {
  if (options.listen === false) return null;
  try {
    return await listen(server, host, port);
  } catch (error) {
    if (options.portTakenIsFatal !== false) {
      await options.shutDown();
      throw error;
    }
    options.log.warn(`The local API is off: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
