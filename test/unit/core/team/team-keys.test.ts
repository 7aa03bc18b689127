import { decodeTime, ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  batchIdOf,
  batchKey,
  formKey,
  PULL_WINDOW_MS,
  startAfterFor,
} from '../../../../electron/core/team/team-keys.ts';

const FOLDER = 'tapedeck/v1/events/alice/';

describe('team keys', () => {
  it('names batches by ULID under the reviewer’s folder, .json for one event and .ndjson for more', () => {
    const id = ulid(Date.parse('2026-12-04T09:00:00Z'));
    expect(batchKey('tapedeck/', 'alice', id, 1)).toBe(`${FOLDER}${id}.json`);
    expect(batchKey('tapedeck/', 'alice', id, 3)).toBe(`${FOLDER}${id}.ndjson`);
    expect(batchIdOf(`${FOLDER}${id}.ndjson`)).toBe(id);
    expect(batchIdOf(`${FOLDER}notes.txt`)).toBeNull();
    expect(formKey('acme/tapedeck/', 'general', 'general-2')).toBe(
      'acme/tapedeck/v1/forms/general/general-2.json',
    );
  });

  it('starts the next listing 15 minutes of key time before the last key, before every key of that millisecond', () => {
    const last = Date.parse('2026-12-04T09:00:00Z');
    const startAfter = startAfterFor(FOLDER, `${FOLDER}${ulid(last)}.ndjson`)!;
    expect(startAfter.startsWith(FOLDER)).toBe(true);
    const id = startAfter.slice(FOLDER.length);
    expect(decodeTime(id)).toBe(last - PULL_WINDOW_MS);
    // A late writer's key 10 minutes before the cursor sorts after where the listing starts.
    const late = `${FOLDER}${ulid(last - 10 * 60 * 1000)}.json`;
    expect(late > startAfter).toBe(true);
    // A key made in the window's first millisecond is listed too.
    expect(`${FOLDER}${ulid(last - PULL_WINDOW_MS)}.json` > startAfter).toBe(true);
    expect(startAfterFor(FOLDER, null)).toBeUndefined();
  });
});
