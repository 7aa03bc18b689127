import { CallsService } from '../calls/calls-service.ts';
import type { ApiServices } from '../http/api-server.ts';
import type { Library } from '../library/open-library.ts';
import type { Logger } from '../logger.ts';
import { PlaybackService } from '../playback/playback-service.ts';
import { SyncService } from '../sync/sync-service.ts';

/**
 * The API's domain services over one library that never changes (no settings, no demo switch, no
 * schedule): what the benchmarks' server and the API tests run. The app runs the same services over
 * its library session.
 */
export function singleLibraryServices(
  library: Library,
  options: { log: Logger; now?: () => number },
): ApiServices {
  const current = () => library;
  return {
    calls: new CallsService(current),
    playback: new PlaybackService(current, options.log, options.now ?? Date.now),
    facets: () => library.calls.facets(),
    sync: new SyncService(
      { current: { library, upstream: null } },
      { intervalMinutes: () => 0, log: options.log },
    ),
  };
}
