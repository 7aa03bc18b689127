/** The sync domain: the S3 listing, the upstream API's pull (and later the team's reviews), as one run. */
import { z } from 'zod';
import { none, type ContractPart } from './shapes.ts';

export const syncStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'succeeded', 'failed', 'cancelled']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  objectsListed: z.number().int().min(0),
  recordingsAdded: z.number().int().min(0),
  recordingsRemoved: z.number().int().min(0),
  /** Date folders (`YYYY/MM/DD/`) listed so far in this run, and how many the run will list. */
  foldersDone: z.number().int().min(0),
  foldersTotal: z.number().int().min(0),
  /** Egress manifests read in this run; malformed or unreadable ones are logged and skipped. */
  manifestsRead: z.number().int().min(0),
  manifestsSkipped: z.number().int().min(0),
  /**
   * Transcripts (beside the recordings or under the transcripts prefix) read and saved in this run;
   * malformed, unrecognised or unreadable ones are logged with the reason and skipped.
   */
  transcriptsRead: z.number().int().min(0),
  transcriptsSkipped: z.number().int().min(0),
  /** The folder an interrupted run was resumed from, or null when the run started afresh. */
  resumedFrom: z.string().nullable(),
  error: z.string().nullable(),
});

/** Pulling calls from an upstream Recording API (TAPEDECK_UPSTREAM_URL), like a sync. */
export const upstreamSyncStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'succeeded', 'failed', 'cancelled']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pagesFetched: z.number().int().min(0),
  /** Interactions written to the catalog in this run (an item fetched twice counts twice). */
  interactionsCached: z.number().int().min(0),
  /** Items the upstream sent that are not usable interactions; logged and left out. */
  itemsSkipped: z.number().int().min(0),
  error: z.string().nullable(),
  /** The offset an interrupted run was resumed from, or null when the run started at 0. */
  resumedFromOffset: z.number().int().min(0).nullable(),
});

export const syncContract = {
  methods: {
    /** Starts the library's sync (listing, upstream pull) or joins the one running. */
    'sync:start': { input: none, output: syncStatusSchema },
  },
  events: {
    'sync:progress': syncStatusSchema,
  },
} as const satisfies ContractPart;
