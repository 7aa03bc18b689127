/**
 * The demo library's transcripts: one per recording, in two formats, word for word the dialogue
 * its audio is spoken from (make-demo-library.sh), and timed as the audio is: each turn starts
 * where speech starts on its speaker's channel, so the player's highlighted turn follows playback.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ASSETS_DIR } from '../../../../electron/core/demo/demo-library.ts';
import { parseTranscript } from '../../../../electron/core/transcripts/parse-transcript.ts';
import type { ParsedTranscript } from '../../../../electron/core/transcripts/transcript.ts';
import { transcriptKeysFor } from '../../../../electron/core/transcripts/transcript-keys.ts';

const files = readdirSync(DEMO_ASSETS_DIR);
const recordings = files.filter((name) => name.endsWith('.mp4')).sort();
const script = readFileSync(join(DEMO_ASSETS_DIR, 'make-demo-library.sh'), 'utf8');

function transcriptFileOf(recording: string): string {
  const found = transcriptKeysFor(recording).filter((name) => files.includes(name));
  expect(found, `${recording}: one transcript beside it`).toHaveLength(1);
  return found[0]!;
}

function transcriptOf(recording: string): ParsedTranscript {
  const reading = parseTranscript(readFileSync(join(DEMO_ASSETS_DIR, transcriptFileOf(recording))));
  if (!reading.ok) throw new Error(`${recording}: ${reading.problem}`);
  return reading.transcript;
}

/** The turns the script speaks into a recording: `A:`/`C:` lines of its dialogue, or the voicemail. */
function dialogueOf(recording: string): { speaker: string; text: string }[] {
  const voicemail = new RegExp(`^voicemail ${recording.replace('.', '\\.')} "(.*)"$`, 'm').exec(script);
  if (voicemail) return [{ speaker: 'agent', text: voicemail[1]! }];
  const start = script.indexOf(`conversation ${recording} `);
  expect(start, `${recording} in make-demo-library.sh`).toBeGreaterThan(-1);
  const body = script.slice(script.indexOf('\n', start) + 1, script.indexOf('\nEOF\n', start));
  return body
    .split('\n')
    .filter((line) => /^[AC]: /.test(line))
    .map((line) => ({ speaker: line.startsWith('A') ? 'agent' : 'customer', text: line.slice(3) }));
}

describe('the demo transcripts', () => {
  it('cover every recording, in two formats: Amazon Transcribe JSON and WebVTT', () => {
    expect(recordings.length).toBeGreaterThanOrEqual(9);
    const formats = recordings.map((recording) => transcriptOf(recording).format);
    expect(new Set(formats)).toEqual(new Set(['transcribe', 'vtt']));
    expect(formats.filter((format) => format === 'vtt').length).toBeGreaterThanOrEqual(3);
  });

  it.each(recordings)('%s: word for word the dialogue its audio is spoken from', (recording) => {
    const transcript = transcriptOf(recording);
    expect(transcript.segments.map(({ speaker, text }) => ({ speaker, text }))).toEqual(
      dialogueOf(recording),
    );
  });

  it.each(recordings)(
    '%s: each turn starts where its speaker starts speaking (±100 ms; the 16 kbit/s long call blurs onsets a little)',
    (recording) => {
      const segments = transcriptOf(recording).segments;
      const onsets = { agent: onsetsOf(recording, 0), customer: onsetsOf(recording, 1) };
      for (const segment of segments) {
        const side = onsets[segment.speaker as 'agent' | 'customer'];
        const nearest = Math.min(...side.map((onset) => Math.abs(onset - segment.start_ms)));
        expect(nearest, `${segment.speaker} "${segment.text}" at ${segment.start_ms} ms`).toBeLessThan(100);
        expect(segment.end_ms).toBeGreaterThan(segment.start_ms);
      }
    },
  );
});

/**
 * Where speech starts on a channel (ms): the ends of silences by ffmpeg's silencedetect (it logs
 * them on stderr). A mono voicemail's one channel is c0, the agent's.
 */
function onsetsOf(recording: string, channel: 0 | 1): number[] {
  const run = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostats',
      '-i',
      join(DEMO_ASSETS_DIR, recording),
      '-af',
      `pan=mono|c0=c${channel},silencedetect=noise=-45dB:d=0.25`,
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return [...run.stderr.matchAll(/silence_end: ([\d.]+)/g)].map((match) => Number(match[1]) * 1000);
}
