import type { SyncStatus } from '../sync/listing-sync.ts';

/**
 * The sync status as `GET /sync` and `POST /sync` answer it: snake_case like the rest of the HTTP
 * API (the contract's camelCase stays inside the app). Typed over every field of the status, so a
 * field added to it cannot be left out here.
 */
export interface SyncReplyStatus {
  readonly state: SyncStatus['state'];
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly objects_listed: number;
  readonly recordings_added: number;
  readonly recordings_removed: number;
  readonly folders_done: number;
  readonly folders_total: number;
  readonly manifests_read: number;
  readonly manifests_skipped: number;
  readonly transcripts_read: number;
  readonly transcripts_skipped: number;
  readonly resumed_from: string | null;
  readonly error: string | null;
}

export interface SyncReply {
  /** null when no bucket is configured (nothing to sync). */
  readonly sync: SyncReplyStatus | null;
}

const SNAKE_CASE = {
  state: 'state',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  objectsListed: 'objects_listed',
  recordingsAdded: 'recordings_added',
  recordingsRemoved: 'recordings_removed',
  foldersDone: 'folders_done',
  foldersTotal: 'folders_total',
  manifestsRead: 'manifests_read',
  manifestsSkipped: 'manifests_skipped',
  transcriptsRead: 'transcripts_read',
  transcriptsSkipped: 'transcripts_skipped',
  resumedFrom: 'resumed_from',
  error: 'error',
} as const satisfies { readonly [K in keyof SyncStatus]: keyof SyncReplyStatus };

/** The field names of a sync answer, in the order they are written (the OpenAPI schema lists them). */
export const SYNC_REPLY_FIELDS: readonly (keyof SyncReplyStatus)[] = Object.values(SNAKE_CASE);

export function syncReply(status: SyncStatus | null): SyncReply {
  if (status === null) return { sync: null };
  const reply: Record<string, unknown> = {};
  for (const [camel, snake] of Object.entries(SNAKE_CASE)) reply[snake] = status[camel as keyof SyncStatus];
  return { sync: reply as unknown as SyncReplyStatus };
}
