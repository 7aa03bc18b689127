import { CatalogStore, type ListedRecording } from '../electron/core/catalog/catalog-store.ts';
import type { TapedeckConfig } from '../electron/core/config.ts';
import { openLibrary } from '../electron/core/library/open-library.ts';
import { dispatchIdFor, recordingKeyFor } from '../shared/dispatch.ts';
import type { Interaction } from '../shared/recording.ts';

/** One catalogued call: its interaction, and the recording its dispatch id resolves to. */
export interface BenchCall {
  readonly interaction: Interaction;
  readonly recording: ListedRecording;
}

const FIRST_DISPATCH = 1_735_689_600; // 2025-01-01T00:00:00Z
const SECONDS_BETWEEN_CALLS = 317; // 100k calls spread over about a year, never two in one second
const OUTCOMES = ['Sale', 'Callback', 'Not interested', 'Voicemail'] as const;

/**
 * The calls of a busy year, made up but shaped like the real thing: a distinct phone per call, a
 * recording that starts a few seconds after its dispatch (so it resolves through the window rule).
 */
export function makeCalls(count: number, prefix: string, recordingSize: number): BenchCall[] {
  const calls: BenchCall[] = [];
  for (let i = 0; i < count; i += 1) {
    const phone = `1555${String(i).padStart(7, '0')}`;
    const dispatchTs = FIRST_DISPATCH + i * SECONDS_BETWEEN_CALLS;
    const recordingTs = dispatchTs + 3 + (i % 20);
    const duration = 60 + (i % 240);
    calls.push({
      interaction: {
        interaction_id: `int-${String(i).padStart(6, '0')}`,
        customer_name: `Customer ${i}`,
        phone: `+${phone}`,
        status: 'COMPLETED',
        outcome: OUTCOMES[i % OUTCOMES.length]!,
        duration,
        start_time: new Date(dispatchTs * 1000).toISOString(),
        end_time: new Date((dispatchTs + duration) * 1000).toISOString(),
        dispatch_id: dispatchIdFor(phone, dispatchTs),
      },
      recording: {
        key: recordingKeyFor(prefix, phone, recordingTs),
        direction: 'outbound',
        phone,
        timestamp: recordingTs,
        size: recordingSize,
        etag: null,
        lastModified: recordingTs * 1000,
      },
    });
  }
  return calls;
}

/**
 * Writes the calls into the catalog of `config.dataDir` through the product's own core, so the
 * catalog is marked as describing this bucket and the server will not forget its recordings.
 */
export function writeCatalog(config: TapedeckConfig, calls: readonly BenchCall[]): void {
  const core = openLibrary(config);
  try {
    const store = new CatalogStore(core.catalog);
    // Recordings first: each interaction then links to its recording as it is inserted.
    store.upsertRecordings(
      calls.map((call) => call.recording),
      Date.now(),
    );
    store.upsertInteractions(calls.map((call) => call.interaction));
    const counts = store.counts();
    if (counts.interactions !== calls.length || counts.withRecording !== calls.length) {
      throw new Error(`catalog has ${JSON.stringify(counts)}, expected ${calls.length} linked interactions`);
    }
  } finally {
    core.close();
  }
}
