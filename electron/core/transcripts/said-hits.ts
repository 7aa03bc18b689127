/**
 * Where the words of a list's `said` filter were spoken in each call of a page: read for the
 * page's calls only, after the page is known (a few index lookups a call).
 */
import { saidText, type CallFilter } from '../catalog/call-filter.ts';
import type { CallRecord } from '../catalog/call-pages.ts';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { TranscriptStore, type SaidHit } from './transcript-store.ts';

/** Hits a list row carries, best first. */
export const HITS_PER_CALL = 3;

/** The best hits of the filter's said words in each row, in the rows' order; null without said. */
export function saidHitsOf(
  catalog: CatalogDatabase,
  filter: CallFilter,
  rows: readonly CallRecord[],
): SaidHit[][] | null {
  const text = saidText(filter);
  if (text === null) return null;
  return TranscriptStore.of(catalog).hitsForCalls(text, rows, {
    speaker: filter.saidBy,
    hitsPerCall: HITS_PER_CALL,
  });
}
