import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseTranscript,
  type ParseTranscriptOptions,
} from '../../../../electron/core/transcripts/parse-transcript.ts';
import type { ParsedTranscript } from '../../../../electron/core/transcripts/transcript.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/transcripts');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
/** The recording key's timestamp of the LiveKit fixture (outbound-15103455686_1754653479.mp4). */
const KEY_START = { source: 'key', recording_start_ms: 1754653479_000 } as const;

function parsed(name: string, options?: ParseTranscriptOptions): ParsedTranscript {
  const reading = parseTranscript(fixture(name), options);
  if (!reading.ok) throw new Error(`${name}: ${reading.problem}`);
  return reading.transcript;
}

function problemOf(content: string | Buffer, options?: ParseTranscriptOptions): string {
  const reading = parseTranscript(content, options);
  if (reading.ok) throw new Error(`parsed: ${JSON.stringify(reading.transcript)}`);
  return reading.problem;
}

describe('Amazon Transcribe output', () => {
  it('groups words into turns by channel, ch_0 the agent and ch_1 the customer, punctuation kept', () => {
    const transcript = parsed('transcribe-channels.json');
    expect(transcript.format).toBe('transcribe');
    expect(transcript.segments).toEqual([
      {
        start_ms: 440,
        end_ms: 2300,
        speaker: 'agent',
        speaker_label: 'ch_0',
        text: 'Hello, this is Dana from Acme.',
      },
      {
        start_ms: 3100,
        end_ms: 5200,
        speaker: 'customer',
        speaker_label: 'ch_1',
        text: 'Hi, I want to cancel my subscription.',
      },
      { start_ms: 6000, end_ms: 6300, speaker: 'agent', speaker_label: 'ch_0', text: 'Sure?' },
    ]);
  });

  it('keeps diarized speakers apart without guessing their side', () => {
    const { segments } = parsed('transcribe-speakers.json');
    expect(segments.map((s) => [s.speaker, s.speaker_label, s.text])).toEqual([
      ['unknown', 'spk_0', 'Good morning.'],
      ['unknown', 'spk_1', 'Morning! Speak to a lawyer.'],
    ]);
    expect(segments[1]).toMatchObject({ start_ms: 1500, end_ms: 2900 });
  });

  it('reads the speakers of an older job from results.speaker_labels', () => {
    const { segments } = parsed('transcribe-legacy-speakers.json');
    expect(segments.map((s) => s.speaker_label)).toEqual(['spk_0', 'spk_1']);
    expect(segments[1]!.text).toBe('Morning! Speak to a lawyer.');
  });

  it('starts a new turn after a long silence, and ends a long turn at a full stop', () => {
    const word = (i: number, start: number, content: string) => ({
      type: 'pronunciation',
      start_time: String(start),
      end_time: String(start + 0.4),
      alternatives: [{ content }],
      channel_label: 'ch_0',
    });
    const dot = { type: 'punctuation', alternatives: [{ content: '.' }], channel_label: 'ch_0' };
    const items = [word(0, 0, 'one'), word(1, 5, 'two'), dot];
    for (let i = 0; i < 40; i += 1) items.push(word(i, 5.5 + i * 0.5, `w${i}`));
    items.splice(36, 0, dot); // after w32, 16.9 s into the turn
    const reading = parseTranscript(JSON.stringify({ results: { items } }));
    expect(reading.ok && reading.transcript.segments.map((s) => s.start_ms)).toEqual([0, 5000, 22000]);
  });

  it('refuses a file cut short, one with no words, and words going back in time', () => {
    expect(problemOf(fixture('bad-transcribe-truncated.json'))).toMatch(/not valid JSON.*cut short/);
    expect(problemOf(fixture('bad-transcribe-no-items.json'))).toMatch(/results\.items is empty/);
    expect(problemOf(fixture('bad-transcribe-out-of-order.json'))).toMatch(
      /results\.items\[4\] \("Dana"\) starts at 0\.2 s.*times out of order/,
    );
  });

  it('refuses a job that has not finished', () => {
    expect(problemOf(JSON.stringify({ status: 'IN_PROGRESS', results: { items: [] } }))).toMatch(
      /IN_PROGRESS, not COMPLETED/,
    );
  });
});

describe('Contact Lens and Call Analytics output', () => {
  it('reads the sides from Participants, keeps [PII] turns as they are and each turn’s sentiment', () => {
    const transcript = parsed('contact-lens.json');
    expect(transcript.format).toBe('contact-lens');
    expect(transcript.reference).toEqual({ interaction_id: 'int-000042' });
    expect(transcript.segments).toEqual([
      {
        start_ms: 120,
        end_ms: 2480,
        speaker: 'agent',
        speaker_label: 'AGENT',
        text: 'Thank you for calling, my name is [PII].',
        sentiment: 'NEUTRAL',
      },
      {
        start_ms: 2900,
        end_ms: 6100,
        speaker: 'customer',
        speaker_label: 'CUSTOMER',
        text: 'My card number is [PII] and I was charged twice.',
        sentiment: 'NEGATIVE',
      },
      expect.objectContaining({ speaker: 'agent', sentiment: 'POSITIVE' }),
      expect.objectContaining({ speaker: 'customer', text: 'Great, thanks.', sentiment: 'MIXED' }),
    ]);
  });

  it('reads the side of a Call Analytics turn from its ParticipantRole', () => {
    const { format, segments } = parsed('call-analytics.json');
    expect(format).toBe('contact-lens');
    expect(segments.map((s) => [s.speaker, s.start_ms, s.text])).toEqual([
      ['agent', 300, 'Hi, how can I help?'],
      ['customer', 1900, 'I need to speak to a lawyer.'],
    ]);
  });

  it('refuses a turn that ends before it begins', () => {
    expect(problemOf(fixture('bad-contact-lens-ends-before-begin.json'))).toMatch(
      /Transcript\[1\] ends \(1000 ms\) before it begins \(2900 ms\)/,
    );
  });
});

describe('LiveKit Agents history', () => {
  it('places the messages on the recording, skipping instructions, tool calls and image-only messages', () => {
    const transcript = parsed('livekit-history.json', { recordingStart: KEY_START });
    expect(transcript.format).toBe('livekit');
    expect(transcript.alignment).toEqual(KEY_START);
    expect(transcript.reference).toEqual({ dispatch_id: 'dispatch_1754653470_15103455686' });
    expect(transcript.segments).toEqual([
      {
        start_ms: 1250,
        end_ms: 4000,
        speaker: 'agent',
        speaker_label: 'assistant',
        text: 'Hello, this is Acme calling about your account.',
      },
      {
        start_ms: 5000,
        end_ms: 6750,
        speaker: 'customer',
        speaker_label: 'user',
        text: 'I already paid that bill.',
      },
      // no stop time: until the next message at most
      {
        start_ms: 8500,
        end_ms: 11000,
        speaker: 'agent',
        speaker_label: 'assistant',
        text: 'Thanks, I can see the payment now.',
      },
      { start_ms: 11000, end_ms: 11800, speaker: 'customer', speaker_label: 'user', text: 'Great, goodbye.' },
    ]);
    expect(JSON.stringify(transcript.segments)).not.toMatch(/lookup_payment|collections agent/);
  });

  it('uses the start given (the Egress manifest’s) and says so', () => {
    const manifest = { source: 'manifest', recording_start_ms: 1754653480_250 } as const;
    const transcript = parsed('livekit-history.json', { recordingStart: manifest });
    expect(transcript.alignment).toEqual(manifest);
    expect(transcript.segments[0]!.start_ms).toBe(0);
    expect(transcript.segments[1]!.start_ms).toBe(3750);
  });

  it('refuses a history without times, without a recording start, without speech, or of another call', () => {
    expect(problemOf(fixture('bad-livekit-no-timestamps.json'), { recordingStart: KEY_START })).toMatch(
      /no created_at.*exclude_timestamp=False/,
    );
    expect(problemOf(fixture('livekit-history.json'))).toMatch(/needs the recording's start/);
    expect(problemOf(fixture('bad-livekit-no-messages.json'), { recordingStart: KEY_START })).toMatch(
      /no assistant or user message/,
    );
    expect(
      problemOf(fixture('livekit-history.json'), {
        recordingStart: { source: 'key', recording_start_ms: KEY_START.recording_start_ms + 3_600_000 },
      }),
    ).toMatch(/3599 s before the recording starts.*not of this recording/);
  });
});

describe('WebVTT', () => {
  it('reads voice tags, cue identifiers and settings, skips NOTE and STYLE blocks, decodes entities', () => {
    const transcript = parsed('cues.vtt');
    expect(transcript.format).toBe('vtt');
    expect(
      transcript.segments.map((s) => [s.start_ms, s.end_ms, s.speaker, s.speaker_label, s.text]),
    ).toEqual([
      [500, 2750, 'agent', 'Agent', 'Hello, this is Dana & Sam from Acme.'],
      [3000, 5200, 'customer', 'Customer', 'I want to cancel <now>.'],
      [5500, 7000, 'agent', 'Agent', 'Of course.'],
      [5500, 7000, 'customer', 'Customer', 'Thanks.'],
      [7500, 9000, 'unknown', 'Dr. Lee', "I'm the account's lawyer."],
    ]);
    expect(JSON.stringify(transcript)).not.toMatch(/QA team|color/);
  });

  it('refuses cues without the WEBVTT header, and cues out of order', () => {
    expect(problemOf(fixture('bad-no-header.vtt'))).toMatch(/no WEBVTT header/);
    expect(problemOf(fixture('bad-out-of-order.vtt'))).toMatch(
      /line 6: the cue starts at 0:01.000, before the cue above it \(0:05.000\): times out of order/,
    );
  });

  it('names the line of a block that is not a cue', () => {
    expect(problemOf('WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nid\nnot a timing\n')).toMatch(
      /line 7: expected a cue timing/,
    );
  });
});

describe('SubRip', () => {
  it('reads Windows line ends, a byte-order mark, speaker prefixes, and continues the last speaker', () => {
    const transcript = parsed('cues-crlf.srt');
    expect(transcript.format).toBe('srt');
    expect(transcript.segments.map((s) => [s.start_ms, s.end_ms, s.speaker, s.text])).toEqual([
      [500, 2750, 'agent', 'Hello, this is Acme.'],
      [3000, 5200, 'customer', 'I want to cancel. Please.'],
      [5500, 7000, 'customer', "Right away, I'll do it."],
      [7400, 8000, 'customer', 'thanks'],
    ]);
    expect(transcript.segments.some((s) => s.text.includes('\r'))).toBe(false);
  });

  it('refuses a bad timing line and cues out of order', () => {
    expect(problemOf(fixture('bad-timing.srt'))).toMatch(/not a transcript Tapedeck reads/);
    expect(problemOf('1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nx\n')).toMatch(
      /line 6: expected a subtitle number and a timing/,
    );
    expect(problemOf(fixture('bad-out-of-order.srt'))).toMatch(/times out of order/);
  });
});

describe('detecting the format', () => {
  it('goes by the content, not the name, and says what it expected of an unknown file', () => {
    expect(problemOf(fixture('bad-unknown.json'))).toMatch(
      /none of the fields of a known transcript.*meta, turns/,
    );
    expect(problemOf('just some words\n')).toMatch(/expected Amazon Transcribe or Contact Lens JSON/);
    expect(problemOf('')).toBe('the file is empty');
    expect(problemOf('[1, 2]')).toMatch(/not an object/);
  });
});
