import type { S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { CallQueries } from '../catalog/call-queries.ts';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { CATALOG_FILE_NAME, openCatalog, type CatalogDatabase } from '../catalog/open-catalog.ts';
import { SyncCheckpointStore } from '../catalog/sync-checkpoint-store.ts';
import { describeLocation, type S3Location, type TapedeckConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { RecordingBucket } from '../s3/recording-bucket.ts';
import { RecordingUrlSigner } from '../s3/recording-url-signer.ts';
import { createS3Client } from '../s3/s3-client.ts';
import { ListingSync, type SyncStatus } from '../sync/listing-sync.ts';
import { teamPrefixFor } from '../team/team-prefix.ts';
import { transcriptObjectReader } from '../transcripts/read-transcript-object.ts';
import { TranscriptIngest } from '../transcripts/transcript-ingest.ts';
import { TranscriptStore } from '../transcripts/transcript-store.ts';

export { CATALOG_FILE_NAME } from '../catalog/open-catalog.ts';

export interface LibraryOptions {
  readonly log?: Logger;
  /** Builds the S3 client (tests add what an emulator needs); default `createS3Client`. */
  readonly createS3Client?: (location: S3Location) => S3Client;
  readonly now?: () => number;
  readonly onSyncProgress?: (status: SyncStatus) => void;
  /** How the status names this library, when not its location (the demo hides its local endpoint). */
  readonly describeAs?: string;
}

/** What a library has of S3; absent when no bucket is configured. */
export interface LibraryStorage {
  readonly location: S3Location;
  readonly client: S3Client;
  readonly bucket: RecordingBucket;
  readonly signer: RecordingUrlSigner;
  readonly listing: ListingSync;
}

/**
 * One library, opened: its catalog (and the queries over it) and, when a bucket is configured, its
 * S3 client, URL signer and listing sync. The domain services work on whichever library the
 * session has open; `serve`, the CLI commands, the benchmarks and the tests open one directly.
 */
export interface Library {
  readonly config: TapedeckConfig;
  readonly catalog: CatalogDatabase;
  readonly catalogFile: string;
  readonly store: CatalogStore;
  readonly calls: CallQueries;
  /** The catalog's transcripts (what the sync and imports saved; the said search). */
  readonly transcripts: TranscriptStore;
  readonly storage: LibraryStorage | null;
  /** Names the place in messages and the status: `s3://bucket/prefix/ (endpoint)`, or null. */
  readonly where: string | null;
  close(): void;
}

export function openLibrary(config: TapedeckConfig, options: LibraryOptions = {}): Library {
  const log = options.log ?? silentLogger;
  const catalogFile = join(config.dataDir, CATALOG_FILE_NAME);
  const catalog = openCatalog(catalogFile);
  const store = new CatalogStore(catalog);
  const transcripts = new TranscriptStore(catalog, options.now);
  let storage: LibraryStorage | null = null;
  if (config.s3) {
    const location = config.s3;
    store.useLocation(JSON.stringify([location.endpoint ?? 'aws', location.bucket, location.prefix]));
    const client = (options.createS3Client ?? createS3Client)(location);
    const bucket = new RecordingBucket(client, location);
    storage = {
      location,
      client,
      bucket,
      signer: new RecordingUrlSigner(client, location.bucket, options.now),
      listing: new ListingSync(bucket, store, {
        checkpoints: new SyncCheckpointStore(catalog),
        now: options.now,
        onProgress: options.onSyncProgress,
        log,
        transcripts: {
          ingest: new TranscriptIngest(catalog, transcripts),
          read: transcriptObjectReader(client, location),
          // The recordings' own prefix is "beside them": looked at already.
          prefix:
            location.transcriptsPrefix && location.transcriptsPrefix !== location.prefix
              ? location.transcriptsPrefix
              : null,
        },
        teamPrefix: teamPrefixFor(location.prefix, location.teamPrefix),
      }),
    };
  }
  return {
    config,
    catalog,
    catalogFile,
    store,
    calls: new CallQueries(catalog),
    transcripts,
    storage,
    where: options.describeAs ?? (config.s3 ? describeLocation(config.s3) : null),
    close() {
      storage?.listing.cancel();
      storage?.client.destroy();
      if (catalog.open) catalog.close();
    },
  };
}
