/** The settings domain: where recordings come from, credentials (never shown), downloads, the API port. */
import { z } from 'zod';
import { none, syncIntervalMinutesSchema, text, type ContractPart } from './shapes.ts';

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
