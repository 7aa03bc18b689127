/**
 * Each domain's share of the contract's handler table: the contract part a domain declares in
 * shared/contract/{domain}.ts is answered by its service here, so the IPC handlers (and web mode's
 * HTTP transport of the contract) and the HTTP API call the same operations. A new domain adds its
 * handlers function and one spread in tapedeck-app.ts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ContractHandlers } from '../../../shared/contract.ts';
import type { calibrationContract } from '../../../shared/contract/calibration.ts';
import type { callsContract } from '../../../shared/contract/calls.ts';
import type { downloadsContract } from '../../../shared/contract/downloads.ts';
import type { libraryContract } from '../../../shared/contract/library.ts';
import type { reviewsContract } from '../../../shared/contract/reviews.ts';
import type { settingsContract } from '../../../shared/contract/settings.ts';
import type { syncContract } from '../../../shared/contract/sync.ts';
import type { teamContract } from '../../../shared/contract/team.ts';
import type { transcriptsContract } from '../../../shared/contract/transcripts.ts';
import type { CallsService } from '../calls/calls-service.ts';
import type { DownloadManager } from '../downloads/download-manager.ts';
import { exportFileName } from '../export/calls-csv.ts';
import type { LibraryService } from '../library/library-service.ts';
import { writeNewFileAtomically } from '../fs/write-new-file.ts';
import { calibrationCsv, type CalibrationService } from '../reviews/calibration.ts';
import { reviewsCsvStream, reviewsJsonStream } from '../reviews/reviews-export.ts';
import type { ReviewsService } from '../reviews/reviews-service.ts';
import type { Logger } from '../logger.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { SyncService } from '../sync/sync-service.ts';
import type { TeamService } from '../team/team-service.ts';
import type { TranscriptsService } from '../transcripts/transcripts-service.ts';

/** The handlers of one contract part. */
export type HandlersOf<Part extends { readonly methods: object }> = Pick<
  ContractHandlers,
  keyof Part['methods'] & keyof ContractHandlers
>;

export function libraryHandlers(library: LibraryService): HandlersOf<typeof libraryContract> {
  return {
    'library:status': () => library.status(),
    'library:open': ({ source }) => library.open(source),
  };
}

export function callsHandlers(
  calls: CallsService,
  options: {
    downloadsDir: () => string;
    now: () => number;
    log: Logger;
    /** Lists the written file with the downloads. */
    onExported: (path: string, rows: number) => void;
  },
): HandlersOf<typeof callsContract> {
  return {
    'recordings:list': async (query) => calls.list(query),
    'recordings:count': async (filter) => ({ total: calls.count(filter) }),
    'recordings:export': async (filter) => {
      const folder = options.downloadsDir();
      await mkdir(folder, { recursive: true });
      const { path, rows } = await calls.exportCsvFile(
        filter,
        join(folder, exportFileName(new Date(options.now()))),
      );
      options.log.info(`Exported ${rows.toLocaleString('en-US')} calls to ${path}`);
      options.onExported(path, rows);
      return { path, rows };
    },
    'recordings:waveform': async ({ key }) => calls.waveform(key),
    'recordings:saveWaveform': async ({ key, waveform }) => {
      calls.saveWaveform(key, waveform, options.now());
      return { saved: true };
    },
  };
}

export function downloadsHandlers(downloads: DownloadManager): HandlersOf<typeof downloadsContract> {
  return {
    'downloads:start': async ({ interactionIds }) => downloads.start(interactionIds),
    'downloads:cancel': async ({ id }) => downloads.cancel(id),
    'downloads:list': async () => downloads.list(),
    'downloads:reveal': async ({ id }) => ({ shown: await downloads.reveal(id) }),
  };
}

export function settingsHandlers(settings: SettingsService): HandlersOf<typeof settingsContract> {
  return {
    'settings:get': async () => settings.view(),
    'settings:update': (change) => settings.update(change),
    'settings:testConnection': (change) => settings.testConnection(change),
  };
}

export function reviewsHandlers(
  reviews: ReviewsService,
  options: { downloadsDir: () => string; reviewer: () => string; now: () => number; log: Logger },
): HandlersOf<typeof reviewsContract> {
  return {
    'reviews:forms': async () => ({ forms: reviews.forms(), reviewer: options.reviewer() }),
    'reviews:ofCall': async ({ interactionId }) => ({ reviews: reviews.ofCall(interactionId) }),
    'reviews:change': async ({ interactionId, formVersionId, changes }) =>
      reviews.change(interactionId, formVersionId, changes),
    'reviews:list': async ({ limit, offset, ...filter }) => reviews.list(filter, limit, offset),
    'reviews:export': async ({ format, ...filter }) => {
      const folder = options.downloadsDir();
      await mkdir(folder, { recursive: true });
      let rows = 0;
      const pages = (function* () {
        for (const page of reviews.all(filter)) {
          const kept = format === 'csv' ? page.filter((review) => review.status === 'submitted') : page;
          rows += kept.length;
          yield kept;
        }
      })();
      const body =
        format === 'csv'
          ? reviewsCsvStream(pages, (id) => reviews.formVersion(id))
          : reviewsJsonStream(pages);
      const path = await writeNewFileAtomically(
        join(folder, exportFileName(new Date(options.now()), `tapedeck-reviews`, format)),
        body,
      );
      options.log.info(`Exported ${rows.toLocaleString('en-US')} reviews to ${path}`);
      return { path, rows };
    },
    'reviews:publishForm': async ({ form }) => reviews.publishForm(form),
    'reviews:summaries': async ({ interactionIds }) => ({ summaries: reviews.summaries(interactionIds) }),
    'reviews:tags': async ({ prefix }) => ({ tags: reviews.tags(prefix) }),
    'reviews:sample': async (plan) => reviews.sample(plan),
    'reviews:report': async (range) => reviews.report(range),
  };
}

export function transcriptsHandlers(transcripts: TranscriptsService): HandlersOf<typeof transcriptsContract> {
  return {
    'transcripts:get': async ({ interactionId }) => transcripts.ofCall(interactionId),
  };
}

export function calibrationHandlers(
  calibration: CalibrationService,
  options: { downloadsDir: () => string; now: () => number; log: Logger },
): HandlersOf<typeof calibrationContract> {
  return {
    'calibration:call': async ({ interactionId, reference }) => calibration.call(interactionId, reference),
    'calibration:report': async (range) => calibration.report(range),
    'calibration:export': async (range) => {
      const report = calibration.report(range);
      const folder = options.downloadsDir();
      await mkdir(folder, { recursive: true });
      const path = await writeNewFileAtomically(
        join(folder, exportFileName(new Date(options.now()), 'tapedeck-calibration', 'csv')),
        Readable.from([calibrationCsv(report)]),
      );
      options.log.info(`Exported the calibration of ${report.rows.length} reviewers to ${path}`);
      return { path, rows: report.rows.length };
    },
  };
}

export function syncHandlers(sync: SyncService): HandlersOf<typeof syncContract> {
  return {
    'sync:start': async () => sync.start(),
  };
}

export function teamHandlers(team: TeamService): HandlersOf<typeof teamContract> {
  return {
    'team:status': async () => team.status(),
  };
}
