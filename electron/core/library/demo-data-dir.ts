import { join } from 'node:path';

/**
 * Where the demo library keeps its catalog and files: a folder of its own in the data folder (its
 * own module, so that commands can name it without loading the session and the AWS SDK).
 */
export function demoDataDir(dataDir: string): string {
  return join(dataDir, 'demo');
}
