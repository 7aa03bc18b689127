/**
 * The naming rules that tie a call (its dispatch id) to its recording (an S3 key written by
 * LiveKit Egress). Shared by the core and the renderer, so both read keys the same way.
 *
 *   dispatch id:   dispatch_{unix seconds}_{phone digits}
 *   recording key: {prefix}YYYY/MM/DD/{direction}-{phone digits}_{unix seconds}.mp4  (UTC date)
 */

/** A recording may start this many seconds after its dispatch and still belong to it. */
export const RESOLUTION_WINDOW_SECONDS = 900;

export const DEFAULT_S3_PREFIX = 'egress-recordings/';

export type Direction = 'outbound' | 'inbound';

export interface DispatchId {
  readonly id: string;
  /** Unix seconds of the dispatch. */
  readonly timestamp: number;
  /** Phone number digits, no `+`. */
  readonly phone: string;
}

export interface RecordingKey {
  readonly key: string;
  readonly direction: Direction;
  readonly phone: string;
  /** Unix seconds from the file name. */
  readonly timestamp: number;
}

// Digit counts are bounded so that the numbers stay exact and ids stay short: a 12-digit
// timestamp reaches year 33658, and E.164 numbers have at most 15 digits.
/** A dispatch id: `dispatch_{unix seconds}_{phone digits}` (timestamp in group 1, phone in group 2). */
export const DISPATCH_ID = /^dispatch_(\d{1,12})_(\d{1,15})$/;
/** The same rule as text, for the API's 422s and openapi.json. */
export const DISPATCH_ID_PATTERN_TEXT = DISPATCH_ID.source;
const KEY_NAME = /^(\d{4})\/(\d{2})\/(\d{2})\/(outbound|inbound)-(\d{1,15})_(\d{1,12})\.mp4$/;

export function parseDispatchId(id: string): DispatchId | null {
  const match = DISPATCH_ID.exec(id);
  if (!match) return null;
  return { id, timestamp: Number(match[1]), phone: match[2]! };
}

export function dispatchIdFor(phone: string, timestamp: number): string {
  return `dispatch_${timestamp}_${phone}`;
}

/** `YYYY/MM/DD/` of a unix timestamp, in UTC. */
export function dateFolderOf(timestamp: number): string {
  const date = new Date(timestamp * 1000);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${yyyy}/${mm}/${dd}/`;
}

export function recordingKeyFor(
  prefix: string,
  phone: string,
  timestamp: number,
  direction: Direction = 'outbound',
): string {
  return `${prefix}${dateFolderOf(timestamp)}${direction}-${phone}_${timestamp}.mp4`;
}

/**
 * The key prefixes (one per UTC date folder) under which a dispatch's recording may lie. Each ends
 * in `_`, so a listing under it never matches a longer phone number that starts with the same digits.
 */
export function candidatePrefixesFor(prefix: string, dispatch: DispatchId): string[] {
  const first = dateFolderOf(dispatch.timestamp);
  const last = dateFolderOf(dispatch.timestamp + RESOLUTION_WINDOW_SECONDS);
  const folders = first === last ? [first] : [first, last];
  return folders.map((folder) => `${prefix}${folder}outbound-${dispatch.phone}_`);
}

/**
 * Reads a recording key under `prefix`. Anything else (Egress manifests, other files, keys outside
 * the prefix or with a date folder that does not match their timestamp) is not a recording.
 */
export function parseRecordingKey(key: string, prefix: string): RecordingKey | null {
  if (!key.startsWith(prefix)) return null;
  const match = KEY_NAME.exec(key.slice(prefix.length));
  if (!match) return null;
  const timestamp = Number(match[6]);
  if (`${match[1]}/${match[2]}/${match[3]}/` !== dateFolderOf(timestamp)) return null;
  return { key, direction: match[4] as Direction, phone: match[5]!, timestamp };
}

/** Among recordings of the dispatch's phone, the one it resolves to: nearest at or after, within the window. */
export function pickRecordingFor<T extends RecordingKey>(
  dispatch: DispatchId,
  candidates: Iterable<T>,
): T | null {
  let best: T | null = null;
  for (const candidate of candidates) {
    if (candidate.direction !== 'outbound' || candidate.phone !== dispatch.phone) continue;
    const delay = candidate.timestamp - dispatch.timestamp;
    if (delay < 0 || delay > RESOLUTION_WINDOW_SECONDS) continue;
    if (best === null || candidate.timestamp < best.timestamp) best = candidate;
  }
  return best;
}
