/**
 * Two (or more) Tapedecks sharing one bucket, for the team's integration tests (issue 12): each is
 * the real app (startTapedeckApp) on its own data folder, with its own reviewer name (a custom
 * endpoint has no STS, so the reviewer is the Settings name), its S3 traffic through its own fault
 * proxy so one can go offline alone.
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import { DEMO_ASSETS_DIR } from '../../electron/core/demo/demo-library.ts';
import type { Logger } from '../../electron/core/logger.ts';
import { createS3Client } from '../../electron/core/s3/s3-client.ts';
import type { MethodName } from '../../shared/contract.ts';
import { IPC_HTTP_PREFIX } from '../../shared/transport.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { applyEmulatorQuirks, EMULATOR_CREDENTIALS } from './s3-emulator.ts';

export const DEMO_CALLS_FILE = join(DEMO_ASSETS_DIR, 'calls.json');

/**
 * The emulator ignores `If-None-Match: *` on PUT (real S3 answers 412 when the key exists); this
 * test-only middleware answers as S3 does, so the product's "412 means already there" path runs.
 */
export function emulateIfNoneMatch(client: S3Client, counter?: { puts: number; refused412: number }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string; IfNoneMatch?: string };
      if (context.commandName === 'PutObjectCommand') {
        if (counter) counter.puts += 1;
        if (input.IfNoneMatch === '*') {
          const exists = await client
            .send(new HeadObjectCommand({ Bucket: input.Bucket, Key: input.Key }))
            .then(() => true)
            .catch((error: { $metadata?: { httpStatusCode?: number } }) => {
              if (error.$metadata?.httpStatusCode === 404) return false;
              throw error;
            });
          if (exists) {
            if (counter) counter.refused412 += 1;
            throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
              name: 'PreconditionFailed',
              $fault: 'client',
              $metadata: { httpStatusCode: 412 },
            });
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'tapedeckTestIfNoneMatch' },
  );
}

export interface TeamMember {
  readonly name: string;
  readonly app: TapedeckApp;
  readonly url: string;
  readonly proxy: FaultProxy;
  readonly log: string[];
  /** A contract method's value (throws with the error's message when it fails). */
  value<T>(method: MethodName, input?: unknown): Promise<T>;
  /** GET on the local API, parsed. */
  get<T>(path: string): Promise<{ status: number; body: T }>;
  /** `POST /sync`: answers once the team's pull and push are done. */
  sync(): Promise<void>;
  /** S3 unreachable for this member (every request reset) or reachable again. */
  offline(): void;
  online(): void;
  close(): Promise<void>;
}

export async function startTeamMember(options: {
  readonly name: string;
  readonly dir: string;
  readonly bucket: string;
  readonly endpoint: string;
  readonly now?: () => number;
}): Promise<TeamMember> {
  const proxy = await startFaultProxy(options.endpoint);
  const lines: string[] = [];
  const log: Logger = {
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
  const app = await startTapedeckApp({
    dataDir: join(options.dir, options.name),
    env: {
      TAPEDECK_PORT: '0',
      S3_BUCKET: options.bucket,
      S3_PREFIX: 'recordings/',
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      AWS_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      TAPEDECK_REVIEWER: options.name,
      TAPEDECK_SYNC_INTERVAL_MINUTES: '0',
      INTERACTIONS_FILE: DEMO_CALLS_FILE,
      TAPEDECK_DOWNLOADS_DIR: join(options.dir, `${options.name}-downloads`),
    },
    ports: headlessPorts(join(options.dir, `${options.name}-unused`)),
    log,
    webMode: true,
    now: options.now,
    createS3Client: (location) => {
      const client = createS3Client(location, {
        credentials: EMULATOR_CREDENTIALS,
        timeouts: { connection: 1_000, request: 5_000 },
      });
      applyEmulatorQuirks(client);
      emulateIfNoneMatch(client);
      return client;
    },
  });
  const url = app.apiUrl!;
  const failing = Array.from({ length: 100_000 }, () => ({ kind: 'reset' as const }));
  return {
    name: options.name,
    app,
    url,
    proxy,
    log: lines,
    async value<T>(method: MethodName, input: unknown = {}): Promise<T> {
      const response = await fetch(`${url}${IPC_HTTP_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const reply = (await response.json()) as
        { ok: true; value: T } | { ok: false; error: { message: string } };
      if (!reply.ok) throw new Error(`${options.name} ${method}: ${reply.error.message}`);
      return reply.value;
    },
    async get<T>(path: string) {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, body: (await response.json()) as T };
    },
    async sync() {
      const response = await fetch(`${url}/sync`, { method: 'POST' });
      if (response.status !== 202)
        throw new Error(`POST /sync answered ${response.status}: ${await response.text()}`);
    },
    offline() {
      proxy.inject(failing);
    },
    online() {
      proxy.clear();
    },
    async close() {
      await app.close();
      await proxy.close();
    },
  };
}
