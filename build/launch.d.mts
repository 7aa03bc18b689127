/** Why the bundles in `cliDir` cannot be used as they are, or null when they are current (build/launch.mjs). */
export function staleReason(projectDir: string, cliDir: string): string | null;
/** Where the V8 code cache of a built command is kept (build/launch.mjs). */
export function codeCacheFile(bundle: string): string;
/** Runs a built CommonJS command from its V8 code cache, writing the cache when it had none. */
export function runWithCodeCache(bundle: string): { cached: boolean };
