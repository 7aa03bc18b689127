/**
 * THE contract between the renderer and main: every IPC method (`domain:verb`) with the schema of
 * its input and output, and every event main pushes. The preload bridge, main's handler registry,
 * the web-mode HTTP transport and the renderer's client are all derived from this one object, so
 * adding a method is one entry here plus its handler; the compiler finds everything else.
 *
 * Each domain declares its part in `shared/contract/{domain}.ts`; a new domain adds its file and one
 * spread below.
 *
 * Inputs are validated at the door (main, or the headless server) with these schemas; outputs are
 * checked in tests. No credential ever appears in an output or an event.
 */
import type { z } from 'zod';
import {
  callFilterSchema,
  callQuerySchema,
  callRowSchema,
  callsContract,
  waveformSchema,
} from './contract/calls.ts';
import { calibrationContract } from './contract/calibration.ts';
import { downloadSchema, downloadsContract } from './contract/downloads.ts';
import { libraryContract, libraryStatusSchema } from './contract/library.ts';
import { settingsContract, settingsUpdateSchema, settingsViewSchema } from './contract/settings.ts';
import { reviewsContract } from './contract/reviews.ts';
import { syncContract, syncStatusSchema, upstreamSyncStatusSchema } from './contract/sync.ts';
import { teamContract } from './contract/team.ts';
import { transcriptsContract } from './contract/transcripts.ts';

export {
  callFilterSchema,
  callQuerySchema,
  callRowSchema,
  downloadSchema,
  libraryStatusSchema,
  settingsUpdateSchema,
  settingsViewSchema,
  syncStatusSchema,
  upstreamSyncStatusSchema,
  waveformSchema,
};
export { SYNC_INTERVAL_MAX_MINUTES, syncIntervalMinutesSchema } from './contract/shapes.ts';

// ---- the contract: one part per domain (shared/contract/*.ts), composed here ----------------------

export const contract = {
  methods: {
    ...libraryContract.methods,
    ...callsContract.methods,
    ...downloadsContract.methods,
    ...settingsContract.methods,
    ...syncContract.methods,
    ...reviewsContract.methods,
    ...calibrationContract.methods,
    ...teamContract.methods,
    ...transcriptsContract.methods,
  },
  events: {
    ...downloadsContract.events,
    ...syncContract.events,
    ...libraryContract.events,
    ...reviewsContract.events,
    ...teamContract.events,
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
export type CallFilterInput = z.output<typeof callFilterSchema>;
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
