/** The library domain: what is open (a bucket, the demo, or nothing yet) and how it is doing. */
import { z } from 'zod';
import { none, type ContractPart } from './shapes.ts';
import { syncStatusSchema, upstreamSyncStatusSchema } from './sync.ts';

const credentialSource = z.enum(['environment', 'profile', 'stored-keys', 'default-chain', 'demo', 'none']);

export const libraryStatusSchema = z.object({
  mode: z.enum(['demo', 'bucket', 'unconfigured']),
  /** e.g. `s3://calls/egress-recordings/`, or null when unconfigured. */
  location: z.string().nullable(),
  counts: z.object({
    interactions: z.number().int(),
    withRecording: z.number().int(),
    recordings: z.number().int(),
  }),
  facets: z.object({ statuses: z.array(z.string()), outcomes: z.array(z.string()) }),
  sync: syncStatusSchema.nullable(),
  /** The upstream Recording API's pull, when TAPEDECK_UPSTREAM_URL is set. */
  upstream: upstreamSyncStatusSchema.nullable(),
  credentials: z.object({
    source: credentialSource,
    /** When temporary credentials expire (ISO-8601), so the UI can warn; null when they do not. */
    expiresAt: z.string().nullable(),
  }),
  /** A problem to show in a banner (bad settings, S3 unreachable), or null. */
  problem: z.string().nullable(),
  apiUrl: z.string().nullable(),
  /** A bucket is configured (settings or environment), so `library:open` `settings` can open it. */
  bucketConfigured: z.boolean(),
});

export const libraryContract = {
  methods: {
    'library:status': { input: none, output: libraryStatusSchema },
    /**
     * Opens the demo library, or the library the settings (and environment) name; answers the new
     * status. `settings` with no bucket configured is a `config_invalid` error saying so.
     */
    'library:open': {
      input: z.object({ source: z.enum(['demo', 'settings']) }).strict(),
      output: libraryStatusSchema,
    },
  },
  events: {
    /** The catalog or the configuration changed: lists and counts should be fetched again. */
    'library:changed': libraryStatusSchema,
  },
} as const satisfies ContractPart;
