import type { S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Location, TapedeckConfig } from '../../electron/core/config.ts';
import type { ApiAccess } from '../../electron/core/http/api-access.ts';
import { createApiServer, listen } from '../../electron/core/http/api-server.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import { singleLibraryServices } from '../../electron/core/app/single-library-services.ts';
import type { ApiServices } from '../../electron/core/http/api-server.ts';
import {
  importInteractionsFile,
  type ImportSummary,
} from '../../electron/core/import/import-interactions.ts';
import { openLibrary, type Library } from '../../electron/core/library/open-library.ts';
import type { SyncStatus } from '../../electron/core/sync/listing-sync.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { EMULATOR_CREDENTIALS, applyEmulatorQuirks } from '../support/s3-emulator.ts';

/** The library under test, with the two things tests do to it besides HTTP. */
export interface LibraryUnderTest extends Library {
  readonly service: {
    importInteractions(file: string): Promise<ImportSummary>;
    /** A whole sync of the listing, as `POST /sync` starts it; resolves with how it ended. */
    sync(): Promise<SyncStatus>;
  };
}

export interface TapedeckUnderTest {
  readonly url: string;
  readonly core: LibraryUnderTest;
  readonly services: ApiServices;
  readonly dataDir: string;
  /** S3 requests the product made, by command name (ListObjectsV2Command, …). */
  readonly s3Calls: string[];
  get(path: string): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

/** A product S3 client for the emulator: the real factory, plus the emulator's workarounds and a call log. */
export function productClientFor(location: S3Location, calls: string[] = []): S3Client {
  const client = createS3Client(location, { credentials: EMULATOR_CREDENTIALS });
  applyEmulatorQuirks(client);
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'tapedeckTestCallLog' },
  );
  return client;
}

/** Starts the real core and HTTP API on a fresh data dir, against `bucket` on the emulator (or none). */
export async function startTapedeck(
  options: {
    bucket?: string | null;
    prefix?: string;
    endpoint?: string;
    dataDir?: string;
    access?: ApiAccess;
  } = {},
): Promise<TapedeckUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tapedeck-data-'));
  const s3: S3Location | null =
    options.bucket === null
      ? null
      : {
          bucket: options.bucket ?? 'recordings',
          prefix: options.prefix ?? 'egress-recordings/',
          region: 'us-east-1',
          endpoint: options.endpoint ?? emulatorEndpoint(),
          forcePathStyle: true,
        };
  const config: TapedeckConfig = { s3, host: '127.0.0.1', port: 0, dataDir, interactionsFile: undefined };
  const s3Calls: string[] = [];
  const library = openLibrary(config, {
    log: silentLogger,
    createS3Client: (location) => productClientFor(location, s3Calls),
  });
  const services = singleLibraryServices(library, { log: silentLogger });
  const core: LibraryUnderTest = Object.assign(library, {
    service: {
      importInteractions: (file: string) => importInteractionsFile(library.store, file),
      sync: async () => {
        services.sync.start();
        return library.storage!.listing.run(); // joins the run just started
      },
    },
  });
  const app: FastifyInstance = createApiServer(services, silentLogger, options.access);
  const url = await listen(app, '127.0.0.1', 0);
  return {
    url,
    core,
    services,
    dataDir,
    s3Calls,
    async get(path) {
      const response = await fetch(`${url}${path}`);
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    async close() {
      await app.close();
      core.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
