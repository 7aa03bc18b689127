import type { UpstreamCheckpoint } from './upstream-sync.ts';

/** The catalog facts the checkpoint lives in (CatalogStore has them). */
interface Facts {
  readFact(name: string): string | null;
  writeFact(name: string, value: string): void;
}

/**
 * Where an unfinished pull stopped, kept in the catalog per upstream URL (so a pull from another
 * upstream never resumes at this one's offset); '' means "start at 0".
 */
export function catalogCheckpoint(facts: Facts, baseUrl: string): UpstreamCheckpoint {
  const name = `upstream_resume_offset ${baseUrl}`;
  return {
    read() {
      const value = Number(facts.readFact(name) || Number.NaN);
      return Number.isInteger(value) && value > 0 ? value : null;
    },
    write(offset) {
      facts.writeFact(name, offset === null ? '' : String(offset));
    },
  };
}
