import { join } from 'node:path';
import type { Download } from '../../../shared/contract.ts';
import type { LibraryRef } from '../library/library-ref.ts';
import { openRecordingObject } from '../s3/recording-object.ts';
import { ServiceError } from '../service-error.ts';
import { DownloadManager } from './download-manager.ts';

/** The download manager of an app: it saves recordings of whichever library is open. */
export function downloadsOfOpenLibrary(options: {
  readonly library: LibraryRef;
  readonly dataDir: string;
  readonly downloadsDir: () => string;
  readonly reveal: (path: string) => Promise<boolean>;
  readonly onProgress: (download: Download) => void;
}): DownloadManager {
  return new DownloadManager({
    library: () => ({
      recordingOf: (interactionId) => options.library().calls.recordingOf(interactionId),
      open: (key, signal, range) => {
        const { storage, where } = options.library();
        if (!storage) throw new ServiceError('s3_config_missing', 'No S3 bucket is configured.');
        return openRecordingObject(storage.client, storage.location.bucket, key, where ?? '', {
          signal,
          range,
        });
      },
    }),
    downloadsDir: options.downloadsDir,
    onProgress: options.onProgress,
    reveal: options.reveal,
    journalFile: join(options.dataDir, 'downloads-journal.json'),
  });
}
