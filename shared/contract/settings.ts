/** The settings domain: where recordings come from, credentials (never shown), downloads, the API port. */
import { z } from 'zod';
import { none, syncIntervalMinutesSchema, text, type ContractPart } from './shapes.ts';

/**
 * An optional folder of the bucket (the transcripts or the team prefix): empty or null for none.
 * S3 keys never start with a slash, so a prefix that does would silently find nothing: refused.
 */
const bucketFolder = text(1024).refine((value) => !value.trim().startsWith('/'), {
  message: 'must not start with a slash (S3 keys do not): write transcripts/, not /transcripts/',
});

/** Settings as the renderer sees them: never a secret, only whether keys are stored. */
export const settingsViewSchema = z.object({
  bucket: z.string(),
  prefix: z.string(),
  region: z.string(),
  endpoint: z.string(),
  forcePathStyle: z.boolean(),
  credentialSource: z.enum(['default-chain', 'profile', 'stored-keys']),
  profile: z.string(),
  hasStoredKeys: z.boolean(),
  downloadsDir: z.string(),
  apiPort: z.number().int().min(0).max(65535),
  /** Minutes between background syncs of the S3 listing; 0 turns the periodic sync off. */
  syncIntervalMinutes: syncIntervalMinutesSchema,
  /** The name this machine's reviews are signed with (Settings, TAPEDECK_REVIEWER, else the OS user). */
  reviewerName: z.string(),
  /**
   * Where transcripts lie apart from the recordings, with the recordings' path below it
   * (TAPEDECK_TRANSCRIPTS_PREFIX, else Settings); null: only beside the recordings.
   */
  transcriptsPrefix: z.string().nullable().default(null),
  /**
   * Where the team's reviews are shared in the bucket (TAPEDECK_TEAM_PREFIX, else Settings); null:
   * the default, `tapedeck/` beside the recordings prefix.
   */
  teamPrefix: z.string().nullable().default(null),
  /** Settings the environment overrides (they win over what is saved here). */
  lockedByEnvironment: z.array(z.string()),
  /** For each overridden setting, the variable that pins it, so the dialog can say which and why. */
  pinnedByEnvironment: z.array(z.object({ setting: z.string(), variable: z.string() })),
  /** Whether keys typed into Settings can be kept here (an OS keychain), and if not, why and what instead. */
  storedKeys: z.object({ available: z.boolean(), reason: z.string().nullable() }),
});

export const settingsUpdateSchema = z
  .object({
    bucket: text(63),
    prefix: text(1024),
    region: text(50),
    endpoint: text(2048),
    forcePathStyle: z.boolean(),
    credentialSource: z.enum(['default-chain', 'profile', 'stored-keys']),
    profile: text(200),
    /** Write-only: stored encrypted (OS keychain) and never sent back. */
    accessKeyId: text(128),
    secretAccessKey: text(256),
    sessionToken: text(4096),
    downloadsDir: text(4096),
    apiPort: z.number().int().min(0).max(65535),
    syncIntervalMinutes: syncIntervalMinutesSchema,
    reviewerName: text(100),
    /** Empty or null: none (transcripts only beside the recordings). */
    transcriptsPrefix: bucketFolder.nullable(),
    /** Empty or null: the default team folder. */
    teamPrefix: bucketFolder.nullable(),
  })
  .partial()
  .strict();

export const settingsContract = {
  methods: {
    'settings:get': { input: none, output: settingsViewSchema },
    'settings:update': { input: settingsUpdateSchema, output: settingsViewSchema },
    'settings:testConnection': {
      input: settingsUpdateSchema,
      output: z.object({ ok: z.boolean(), message: z.string() }),
    },
  },
  events: {},
} as const satisfies ContractPart;
