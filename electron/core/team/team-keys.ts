/**
 * The team's layout in the bucket (docs/team.md), under the team prefix:
 * - `v1/events/{reviewer_id}/{ULID}.ndjson` (a batch) or `.json` (one event), written once;
 * - `v1/forms/{form_id}/{version_id}.json`, one per published form version, immutable;
 * - `v1/reviewers/{reviewer_id}.json`, the reviewer's profile (name, ARN), rewritten by its owner.
 */
import { decodeTime, encodeTime } from 'ulid';

/** How far back of the last key seen a folder is listed again: clocks differ, late writers' keys sort early. */
export const PULL_WINDOW_MS = 15 * 60 * 1000;

const ULID_KEY = /^([0-7][0-9A-HJKMNP-TV-Z]{25})\.(ndjson|json)$/;

export function eventsPrefix(teamPrefix: string): string {
  return `${teamPrefix}v1/events/`;
}

export function formsPrefix(teamPrefix: string): string {
  return `${teamPrefix}v1/forms/`;
}

export function eventFolder(teamPrefix: string, reviewerId: string): string {
  return `${eventsPrefix(teamPrefix)}${reviewerId}/`;
}

export function batchKey(teamPrefix: string, reviewerId: string, id: string, events: number): string {
  return `${eventFolder(teamPrefix, reviewerId)}${id}.${events === 1 ? 'json' : 'ndjson'}`;
}

export function formKey(teamPrefix: string, formId: string, versionId: string): string {
  return `${formsPrefix(teamPrefix)}${formId}/${versionId}.json`;
}

export function profileKey(teamPrefix: string, reviewerId: string): string {
  return `${teamPrefix}v1/reviewers/${reviewerId}.json`;
}

/** The ULID name of an event object (null for a key that is not one). */
export function batchIdOf(key: string): string | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return ULID_KEY.exec(name)?.[1] ?? null;
}

/** When a batch key was made, by its writer's clock (null for a key that is not a batch). */
export function batchTimeOf(key: string): number | null {
  const id = batchIdOf(key);
  return id === null ? null : decodeTime(id);
}

/**
 * Where the next listing of a folder starts: the name of a ULID made `windowMs` before the last key
 * seen, and before any real ULID of that millisecond (its random part all zeros).
 */
export function startAfterFor(
  folder: string,
  lastKey: string | null,
  windowMs = PULL_WINDOW_MS,
): string | undefined {
  if (lastKey === null) return undefined;
  const time = batchTimeOf(lastKey);
  if (time === null) return lastKey;
  return `${folder}${encodeTime(Math.max(0, time - windowMs), 10)}${'0'.repeat(16)}`;
}
