/**
 * Reads the JSON manifest LiveKit Egress writes beside a recording (`….mp4` → `….json`): its
 * EgressInfo, in protobuf's JSON form. Only the facts the catalog keeps are taken; anything else in
 * it is ignored, so newer Egress versions with more fields still read.
 *
 * Tolerated shapes, because manifests come from several Egress versions and hand-made exports:
 * - snake_case (`started_at`) or camelCase (`startedAt`) names;
 * - int64 values as JSON numbers or as decimal strings (protobuf JSON writes int64 as strings);
 * - the files under `files`, `file_results`/`fileResults`, or a single `file`.
 *
 * Units. Timestamps (`started_at`, `ended_at`) are nanoseconds since the epoch in Egress; a value is
 * read by its size: ≥ 1e17 nanoseconds, ≥ 1e14 microseconds, ≥ 1e11 milliseconds, else seconds (any
 * date after 1973 falls clearly into one band). An ISO-8601 string is also accepted.
 * `duration` is nanoseconds in Egress's proto JSON; a number ≥ 1e6 is read as nanoseconds (1e6 s
 * would be an 11-day call; 1e6 ns is 1 ms), a smaller one as seconds. Without a duration, it is
 * `ended - started`.
 */
import type { RecordingManifestFacts } from '../catalog/catalog-store.ts';

/** Manifests larger than this are not read: a real one is a few hundred bytes. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export type ManifestReading =
  | {
      readonly ok: true;
      readonly facts: RecordingManifestFacts;
      readonly egressId: string | null;
      readonly roomName: string | null;
    }
  | { readonly ok: false; readonly problem: string };

/** `….mp4` → `….json`: where Egress puts a recording's manifest. */
export function manifestKeyFor(recordingKey: string): string {
  return recordingKey.replace(/\.mp4$/, '.json');
}

type Json = Record<string, unknown>;

class ManifestProblem extends Error {}

/**
 * Reads a manifest's text. `recordingKey` picks the matching entry of `files` when there are
 * several. Never throws: a manifest that cannot be used comes back as `{ ok: false, problem }`.
 */
export function parseEgressManifest(text: string, recordingKey?: string): ManifestReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(json)) return { ok: false, problem: 'not a JSON object' };
  try {
    const file = pickFile(json, recordingKey);
    const startedMs = readTime(file, 'started_at') ?? readTime(json, 'started_at');
    const endedMs = readTime(file, 'ended_at') ?? readTime(json, 'ended_at');
    if (startedMs !== null && endedMs !== null && endedMs < startedMs) {
      throw new ManifestProblem('ended_at is before started_at');
    }
    const durationSeconds =
      readDuration(file) ?? (startedMs !== null && endedMs !== null ? (endedMs - startedMs) / 1000 : null);
    if (startedMs === null && endedMs === null && durationSeconds === null) {
      throw new ManifestProblem('it has none of started_at, ended_at or a file duration');
    }
    return {
      ok: true,
      facts: { durationSeconds, startedMs, endedMs },
      egressId: readString(json, 'egress_id'),
      roomName: readString(json, 'room_name'),
    };
  } catch (error) {
    if (error instanceof ManifestProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `started_at` or `startedAt`. */
function field(json: Json, snake: string): unknown {
  if (snake in json) return json[snake];
  const camel = snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return json[camel];
}

/** The file entry for the recording, or null when the manifest lists none. */
function pickFile(json: Json, recordingKey: string | undefined): Json | null {
  const listed = field(json, 'files') ?? field(json, 'file_results');
  const single = field(json, 'file');
  const files: unknown[] = Array.isArray(listed) ? listed : isObject(single) ? [single] : [];
  if (listed !== undefined && listed !== null && !Array.isArray(listed)) {
    throw new ManifestProblem('"files" is not a list');
  }
  const entries = files.filter(isObject);
  if (entries.length === 0) return null;
  if (entries.length === 1 || recordingKey === undefined) return entries[0]!;
  const name = recordingKey.slice(recordingKey.lastIndexOf('/') + 1);
  const matching = entries.find((entry) =>
    ['filename', 'name', 'location'].some((key) => {
      const value = field(entry, key);
      return typeof value === 'string' && (value === name || value.endsWith(`/${name}`));
    }),
  );
  return matching ?? entries[0]!;
}

/** A number from a JSON number or a decimal string; null when absent (0 too: proto's "unset"). */
function readNumber(json: Json | null, name: string): number | null {
  if (json === null) return null;
  const value = field(json, name);
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0) {
    throw new ManifestProblem(`${name} is not a non-negative number: ${JSON.stringify(value)}`);
  }
  return number === 0 ? null : number;
}

/** Unix ms from a timestamp in ns, µs, ms or s (by size), or an ISO-8601 string. */
function readTime(json: Json | null, name: string): number | null {
  if (json !== null) {
    const value = field(json, name);
    if (typeof value === 'string' && !/^\s*\d+(\.\d+)?\s*$/.test(value) && value.trim() !== '') {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new ManifestProblem(`${name} is not a time: ${JSON.stringify(value)}`);
      return ms;
    }
  }
  const value = readNumber(json, name);
  if (value === null) return null;
  if (value >= 1e17) return Math.round(value / 1e6);
  if (value >= 1e14) return Math.round(value / 1e3);
  if (value >= 1e11) return Math.round(value);
  return Math.round(value * 1000);
}

/** Seconds, from nanoseconds (≥ 1e6) or seconds (smaller). */
function readDuration(file: Json | null): number | null {
  const value = readNumber(file, 'duration');
  if (value === null) return null;
  return value >= 1e6 ? value / 1e9 : value;
}

function readString(json: Json, name: string): string | null {
  const value = field(json, name);
  return typeof value === 'string' && value !== '' ? value : null;
}
