import type { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { CatalogStore } from './catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog, type CatalogDatabase } from './catalog/open-catalog.ts';
import { SyncCheckpointStore } from './catalog/sync-checkpoint-store.ts';
import type { S3Location, TapedeckConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { RecordingService, type RecordingStorage } from './recording-service.ts';
import { RecordingBucket } from './s3/recording-bucket.ts';
import { RecordingUrlSigner } from './s3/recording-url-signer.ts';
import { createS3Client } from './s3/s3-client.ts';
import { ListingSync, type SyncStatus } from './sync/listing-sync.ts';

export { CATALOG_FILE_NAME } from './catalog/open-catalog.ts';

export interface CoreOptions {
  readonly log?: Logger;
  /** Builds the S3 client (tests add what an emulator needs); default `createS3Client`. */
  readonly createS3Client?: (location: S3Location) => S3Client;
  readonly now?: () => number;
  readonly onSyncProgress?: (status: SyncStatus) => void;
}

/** The service and what it owns, wired from the configuration; shared by `serve`, the CLI and the desktop app. */
export interface TapedeckCore {
  readonly config: TapedeckConfig;
  readonly service: RecordingService;
  readonly catalog: CatalogDatabase;
  readonly store: CatalogStore;
  readonly s3Client: S3Client | null;
  close(): void;
}

export function createTapedeckCore(config: TapedeckConfig, options: CoreOptions = {}): TapedeckCore {
  const log = options.log ?? silentLogger;
  const catalog = openCatalog(join(config.dataDir, CATALOG_FILE_NAME));
  const store = new CatalogStore(catalog);
  let s3Client: S3Client | null = null;
  let storage: RecordingStorage | null = null;
  if (config.s3) {
    const location = config.s3;
    store.useLocation(JSON.stringify([location.endpoint ?? 'aws', location.bucket, location.prefix]));
    s3Client = (options.createS3Client ?? createS3Client)(location);
    const bucket = new RecordingBucket(s3Client, location);
    storage = {
      bucket,
      signer: new RecordingUrlSigner(s3Client, location.bucket, options.now),
      sync: new ListingSync(bucket, store, {
        checkpoints: new SyncCheckpointStore(catalog),
        now: options.now,
        onProgress: options.onSyncProgress,
        log,
      }),
    };
  }
  const service = new RecordingService(store, storage, log);
  return {
    config,
    service,
    catalog,
    store,
    s3Client,
    close() {
      storage?.sync.cancel();
      s3Client?.destroy();
      if (catalog.open) catalog.close();
    },
  };
}
