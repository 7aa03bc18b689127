/** Why the bundles in `cliDir` cannot be used as they are, or null when they are current (build/launch.mjs). */
export function staleReason(projectDir: string, cliDir: string): string | null;
