import { CatalogTooNewError } from '../catalog/open-catalog.ts';
import { ConfigError } from '../config.ts';
import { ImportRowError } from '../import/interaction-row.ts';
import { MetadataFileError } from '../import/read-interactions.ts';

/**
 * Runs a command's main, turning the errors a user can fix into one clear line on stderr and an
 * exit code (2: configuration, 1: anything else); only a bug prints a stack.
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`tapedeck: configuration error: ${error.message}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof ImportRowError ||
      error instanceof MetadataFileError ||
      error instanceof CatalogTooNewError ||
      isUserFacing(error)
    ) {
      process.stderr.write(`tapedeck: ${(error as Error).message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `tapedeck: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  });
}

/** File-system errors (no such file, permission denied) speak for themselves once the path is in them. */
function isUserFacing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EPERM', 'EROFS', 'ENOSPC', 'EADDRINUSE'].includes(
      code,
    )
  );
}
