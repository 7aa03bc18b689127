/**
 * Reads a transcript of any known format, telling the format from the content (file names are
 * unreliable: Transcribe writes `.json` whatever its shape, and `.transcript.json` could be any of
 * three). Never throws: a file that cannot be used comes back as `{ ok: false, problem }` in words
 * a log line or a person can act on, so one broken file never stops a sync or an import.
 */
import { isTranscribeOutput, readTranscribeOutput } from './amazon-transcribe.ts';
import { isContactLensOutput, readContactLensOutput } from './contact-lens.ts';
import { isObject, type JsonObject } from './json-value.ts';
import { isLiveKitHistory, readLiveKitHistory } from './livekit-history.ts';
import { LOOSE_VTT_TIMING, SRT_TIMING_WITH_COMMA } from './subtitle-cues.ts';
import { readSrt, readVtt } from './subtitles.ts';
import {
  MAX_TRANSCRIPT_BYTES,
  TranscriptProblem,
  type ParsedTranscript,
  type TranscriptAlignment,
  type TranscriptReading,
  type TranscriptReference,
  type TranscriptSegment,
} from './transcript.ts';

export interface ParseTranscriptOptions {
  /**
   * Where the recording starts in wall-clock time, for formats that carry wall-clock times (LiveKit
   * history): the Egress manifest's start when there is one, else the timestamp in the recording key.
   */
  readonly recordingStart?: TranscriptAlignment;
}

export function parseTranscript(
  content: string | Uint8Array,
  options: ParseTranscriptOptions = {},
): TranscriptReading {
  try {
    if (content.length > MAX_TRANSCRIPT_BYTES) {
      throw new TranscriptProblem(
        `it is ${Math.round(content.length / 1024 / 1024)} MB, larger than the ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB ` +
          'a transcript is read up to',
      );
    }
    const text = (typeof content === 'string' ? content : new TextDecoder().decode(content)).replace(
      /^\uFEFF/,
      '',
    );
    return { ok: true, transcript: read(text, options) };
  } catch (error) {
    if (error instanceof TranscriptProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

function read(text: string, options: ParseTranscriptOptions): ParsedTranscript {
  const start = text.trimStart();
  if (start === '') throw new TranscriptProblem('the file is empty');
  if (start.startsWith('{') || start.startsWith('[')) return readJson(text, options);
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(start)) return { format: 'vtt', segments: inOrder(readVtt(start)) };
  const firstLines = start.split(/\r\n|\r|\n/, 3);
  if (firstLines.some((line) => SRT_TIMING_WITH_COMMA.test(line))) {
    return { format: 'srt', segments: inOrder(readSrt(start)) };
  }
  if (firstLines.some((line) => LOOSE_VTT_TIMING.test(line.trim()))) {
    throw new TranscriptProblem(
      'it has WebVTT cue timings but no WEBVTT header: a WebVTT file must start with the line WEBVTT ' +
        '(a SubRip file writes its times with a comma: 00:00:01,000)',
    );
  }
  throw new TranscriptProblem(
    'it is not a transcript Tapedeck reads: expected Amazon Transcribe or Contact Lens JSON, a LiveKit ' +
      'Agents history, WebVTT or SubRip',
  );
}

function readJson(text: string, options: ParseTranscriptOptions): ParsedTranscript {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TranscriptProblem(
      `it is not valid JSON (${(error as Error).message}): the file may have been cut short while written or copied`,
    );
  }
  if (!isObject(json))
    throw new TranscriptProblem('it is JSON but not an object: no transcript format is a bare list');
  const reference = referenceOf(json);
  const withReference = reference ? { reference } : {};
  if (isTranscribeOutput(json)) {
    return { format: 'transcribe', segments: inOrder(readTranscribeOutput(json)), ...withReference };
  }
  if (isContactLensOutput(json)) {
    return { format: 'contact-lens', segments: inOrder(readContactLensOutput(json)), ...withReference };
  }
  if (isLiveKitHistory(json)) {
    const segments = inOrder(readLiveKitHistory(json, options.recordingStart));
    return { format: 'livekit', segments, alignment: options.recordingStart!, ...withReference };
  }
  const keys = Object.keys(json).slice(0, 6).join(', ');
  throw new TranscriptProblem(
    `it is JSON with none of the fields of a known transcript (results.items for Amazon Transcribe, ` +
      `Transcript for Contact Lens, items for a LiveKit history); its fields are: ${keys || 'none'}`,
  );
}

/** `dispatch_id` / `interaction_id` at the top of the file, for an import to match it by. */
function referenceOf(json: JsonObject): TranscriptReference | undefined {
  const reference: { dispatch_id?: string; interaction_id?: string } = {};
  for (const name of ['dispatch_id', 'interaction_id'] as const) {
    const value = json[name];
    if (typeof value === 'string' && value.trim() !== '') reference[name] = value.trim();
  }
  return Object.keys(reference).length > 0 ? reference : undefined;
}

/** The contract every parser keeps (starts in order, no negative times), checked once here. */
function inOrder(segments: TranscriptSegment[]): TranscriptSegment[] {
  for (let index = 1; index < segments.length; index += 1) {
    if (segments[index]!.start_ms < segments[index - 1]!.start_ms) {
      throw new Error(`transcript parser returned segments out of order at ${index}`);
    }
  }
  return segments;
}
