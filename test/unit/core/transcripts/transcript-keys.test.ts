import { describe, expect, it } from 'vitest';
import {
  baseNameOf,
  transcriptBaseName,
  transcriptKeysFor,
} from '../../../../electron/core/transcripts/transcript-keys.ts';

const KEY = 'egress-recordings/2025/08/08/outbound-15103455686_1754653479.mp4';
const BASE = 'egress-recordings/2025/08/08/outbound-15103455686_1754653479';

describe('where a transcript lies', () => {
  it('is beside the recording, with its base name and a transcript suffix, JSON first', () => {
    expect(transcriptKeysFor(KEY)).toEqual([`${BASE}.transcript.json`, `${BASE}.vtt`, `${BASE}.srt`]);
  });

  it('or under a transcripts prefix with the same path below it', () => {
    const prefixes = { recordings: 'egress-recordings/', transcripts: 'transcripts/' };
    expect(transcriptKeysFor(KEY, prefixes)[0]).toBe(
      'transcripts/2025/08/08/outbound-15103455686_1754653479.transcript.json',
    );
    expect(transcriptKeysFor('elsewhere/a.mp4', prefixes)).toEqual([]);
  });

  it('goes back from a transcript to the base name it shares with its recording', () => {
    expect(transcriptBaseName(`${BASE}.transcript.json`)).toBe(baseNameOf(KEY));
    expect(transcriptBaseName('calls/outbound-1_2.srt')).toBe('calls/outbound-1_2');
    // An Egress manifest is `.json` without the transcript suffix: not a transcript.
    expect(transcriptBaseName(`${BASE}.json`)).toBeNull();
  });
});
