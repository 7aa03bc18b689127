/**
 * What every transcript format is read into: timed turns per speaker. Times are milliseconds from
 * the start of the recording, so a turn seeks the player directly.
 */

import { TRANSCRIPT_FORMATS } from '../../../shared/contract/transcripts.ts';

export { TRANSCRIPT_FORMATS };
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

import { SPEAKERS } from '../../../shared/contract/calls.ts';

/** Who spoke, as the player's lanes show it; `unknown` when the source does not tell (diarization). */
export { SPEAKERS };
export type Speaker = (typeof SPEAKERS)[number];

/** Contact Lens / Call Analytics per-turn sentiment. */
export const SENTIMENTS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export interface TranscriptSegment {
  readonly start_ms: number;
  readonly end_ms: number;
  readonly speaker: Speaker;
  /** The source's own name for the speaker (`ch_0`, `spk_1`, `AGENT`, `assistant`, `Dr. Lee`), or null. */
  readonly speaker_label: string | null;
  readonly text: string;
  readonly sentiment?: Sentiment;
}

/** How a transcript with wall-clock times (LiveKit history) was put on the recording's time line. */
export interface TranscriptAlignment {
  /** `manifest`: the Egress manifest's start; `key`: the unix seconds in the recording's key. */
  readonly source: 'manifest' | 'key';
  /** Unix ms that became 0 on the recording's time line. */
  readonly recording_start_ms: number;
}

/** Ids found inside a JSON transcript, so an import can match it to its call without a file name. */
export interface TranscriptReference {
  readonly dispatch_id?: string;
  readonly interaction_id?: string;
}

export interface ParsedTranscript {
  readonly format: TranscriptFormat;
  /** In time order (by start). */
  readonly segments: readonly TranscriptSegment[];
  /** Only for formats with wall-clock times. */
  readonly alignment?: TranscriptAlignment;
  readonly reference?: TranscriptReference;
}

/** A parse never throws: a file that cannot be used says why, in words for a log or a person. */
export type TranscriptReading =
  | { readonly ok: true; readonly transcript: ParsedTranscript }
  | { readonly ok: false; readonly problem: string };

/** Transcripts larger than this are not read: three minutes of Transcribe JSON is ~150 kB. */
export const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;

/** Thrown inside a parser and turned into `{ ok: false, problem }` at its edge. */
export class TranscriptProblem extends Error {
  override readonly name = 'TranscriptProblem';
}

export function isSentiment(value: unknown): value is Sentiment {
  return typeof value === 'string' && (SENTIMENTS as readonly string[]).includes(value);
}
