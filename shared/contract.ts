/**
 * THE contract between the renderer and main: every IPC method (`domain:verb`) with the schema of
 * its input and output, and every event main pushes. The preload bridge, main's handler registry,
 * the web-mode HTTP transport and the renderer's client are all derived from this one object, so
 * adding a method is one entry here plus its handler; the compiler finds everything else.
 *
 * Inputs are validated at the door (main, or the headless server) with these schemas; outputs are
 * checked in tests. No credential ever appears in an output or an event.
 */
import { z } from 'zod';

// ---- shared shapes -----------------------------------------------------------------------------

const text = (max = 1000) => z.string().max(max);
const isoDateTime = z.iso.datetime({ offset: true });

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

/** A call in the list: the documented list fields plus what the renderer needs of its recording. */
export const callRowSchema = z.object({
  interaction_id: z.string(),
  customer_name: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string().nullable(),
  outcome: z.string().nullable(),
  duration: z.number().nullable(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  dispatch_id: z.string().nullable(),
  recording: z
    .object({
      key: z.string(),
      size: z.number().nullable(),
      /** The name a download of it is saved under. */
      fileName: z.string(),
    })
    .nullable(),
});

export const callQuerySchema = z.object({
  /** Matches customer name, phone (formatting ignored), interaction id and dispatch id. */
  search: text(200).default(''),
  status: z.array(text(100)).max(50).default([]),
  outcome: z.array(text(100)).max(50).default([]),
  /** Inclusive bounds on start_time. */
  from: isoDateTime.nullable().default(null),
  to: isoDateTime.nullable().default(null),
  hasRecording: z.boolean().nullable().default(null),
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const downloadSchema = z.object({
  id: z.string(),
  interactionId: z.string().nullable(),
  key: z.string(),
  fileName: z.string(),
  /** Where the file is (or will be, once finished). */
  path: z.string(),
  state: z.enum(['queued', 'running', 'finished', 'failed', 'cancelled']),
  receivedBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
});

const credentialSource = z.enum(['environment', 'profile', 'stored-keys', 'default-chain', 'demo', 'none']);

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
  syncIntervalMinutes: z.number().int().min(0).max(10_080),
  /** Settings the environment overrides (they win over what is saved here). */
  lockedByEnvironment: z.array(z.string()),
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
    syncIntervalMinutes: z.number().int().min(0).max(10_080),
  })
  .partial()
  .strict();

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
});

export const waveformSchema = z.object({
  /** One array of peaks (0..1) per channel: [agent, customer] for a stereo call. */
  channels: z
    .array(z.array(z.number().min(0).max(1)).max(20_000))
    .min(1)
    .max(2),
  durationSeconds: z.number().min(0).max(86_400),
});

const recordingKeyInput = z.object({ key: text(1024).min(1) });
const none = z.object({}).strict();

// ---- the contract --------------------------------------------------------------------------------

export const contract = {
  methods: {
    'library:status': { input: none, output: libraryStatusSchema },
    'recordings:list': {
      input: callQuerySchema,
      output: z.object({ rows: z.array(callRowSchema), total: z.number().int(), offset: z.number().int() }),
    },
    /** Writes the view (the query's filters, every page) as CSV into the downloads folder. */
    'recordings:export': {
      input: callQuerySchema.omit({ offset: true, limit: true }),
      output: z.object({ path: z.string(), rows: z.number().int().min(0) }),
    },
    'recordings:waveform': { input: recordingKeyInput, output: waveformSchema.nullable() },
    'recordings:saveWaveform': {
      input: recordingKeyInput.extend({ waveform: waveformSchema }),
      output: z.object({ saved: z.boolean() }),
    },
    'downloads:start': {
      input: z.object({ interactionIds: z.array(text(1000)).min(1).max(10_000) }),
      output: z.object({ downloads: z.array(downloadSchema), skipped: z.array(z.string()) }),
    },
    'downloads:cancel': { input: z.object({ id: text(100) }), output: downloadSchema },
    'downloads:list': { input: none, output: z.array(downloadSchema) },
    'downloads:reveal': { input: z.object({ id: text(100) }), output: z.object({ shown: z.boolean() }) },
    'settings:get': { input: none, output: settingsViewSchema },
    'settings:update': { input: settingsUpdateSchema, output: settingsViewSchema },
    'settings:testConnection': {
      input: settingsUpdateSchema,
      output: z.object({ ok: z.boolean(), message: z.string() }),
    },
    'sync:start': { input: none, output: syncStatusSchema },
  },
  events: {
    'downloads:progress': downloadSchema,
    'sync:progress': syncStatusSchema,
    /** The catalog or the configuration changed: lists and counts should be fetched again. */
    'library:changed': libraryStatusSchema,
  },
} as const;

// ---- types derived from it ------------------------------------------------------------------------

type Methods = typeof contract.methods;
type Events = typeof contract.events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;
/** What a caller passes (defaults may be left out). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives, defaults filled in. */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const METHOD_NAMES = Object.keys(contract.methods) as MethodName[];
export const EVENT_NAMES = Object.keys(contract.events) as EventName[];

export type ErrorCode =
  | 'invalid_input'
  | 'unknown_method'
  | 'forbidden'
  | 'not_found'
  | 's3_config_missing'
  | 'config_invalid'
  | 'credentials_unavailable'
  | 's3_refused'
  | 's3_unavailable'
  | 'conflict'
  | 'io_error'
  | 'internal';

/** Replies are values, not thrown errors; `message` is shown to a person as it is. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** What main implements: one async handler per method. */
export type ContractHandlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

/** What the renderer talks to: one function per method, and a way to listen to events. */
export type ContractClient = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Reply<MethodOutput<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type CallRow = z.output<typeof callRowSchema>;
export type CallQuery = z.output<typeof callQuerySchema>;
export type Download = z.output<typeof downloadSchema>;
export type SettingsView = z.output<typeof settingsViewSchema>;
export type SettingsUpdate = z.output<typeof settingsUpdateSchema>;
export type LibraryStatus = z.output<typeof libraryStatusSchema>;
export type Waveform = z.output<typeof waveformSchema>;
export type SyncStatusView = z.output<typeof syncStatusSchema>;
export type UpstreamSyncStatusView = z.output<typeof upstreamSyncStatusSchema>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract.methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(contract.events, name);
}

/** Builds a client of the contract's shape from one way of invoking a method (IPC or HTTP). */
export function clientFrom(
  invoke: (method: MethodName, input: unknown) => Promise<unknown>,
  on: ContractClient['on'],
): ContractClient {
  const methods = Object.fromEntries(
    METHOD_NAMES.map((method) => [method, (input: unknown) => invoke(method, input ?? {})]),
  );
  return { ...methods, on } as ContractClient;
}
