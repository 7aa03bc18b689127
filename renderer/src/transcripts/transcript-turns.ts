/**
 * What the transcript panel works out from a call's turns, pure so it is unit-tested without a
 * browser: the turn being spoken at the playhead, the hits of a search within the call, how a
 * speaker and a sentiment are named, and a `said` snippet's marked words.
 */
import type { z } from 'zod';
import type { saidHitSchema } from '../../../shared/contract/calls.ts';
import type { transcriptSegmentSchema, transcriptViewSchema } from '../../../shared/contract/transcripts.ts';
import type { NoteLane } from '../../../shared/reviews/review-events.ts';
import { formatClock } from '../calls/call-format.ts';

export type TranscriptSegment = z.output<typeof transcriptSegmentSchema>;
export type TranscriptView = z.output<typeof transcriptViewSchema>;

/**
 * The turn to highlight at `ms`: the one spoken then (the latest started, where two overlap), or in
 * a silence the last one before it, so the eye keeps its place; null before the first turn. Turns
 * are in time order (as main stores them).
 */
export function currentTurnIndex(
  segments: readonly Pick<TranscriptSegment, 'startMs'>[],
  ms: number,
): number | null {
  // The last turn that started at or before ms (binary search: a long call has hundreds of turns).
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.startMs <= ms) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found === -1 ? null : found;
}

/** One hit of a search within the call: a turn, and where in its text. */
export interface TurnMatch {
  readonly turn: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Folds one character as the search compares it: lower case, accents off ("Café" is found by
 * "cafe"). One character in, one out, so a hit's place in the folded text is its place in the turn.
 */
function foldCharacter(character: string): string {
  const bare = character.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (bare.length === 1) return bare;
  const lower = character.toLowerCase();
  return lower.length === 1 ? lower : character;
}

export function foldText(text: string): string {
  let folded = '';
  for (let i = 0; i < text.length; i++) folded += foldCharacter(text[i]!);
  return folded;
}

/** Every place `query` (trimmed; case and accents ignored) occurs in the turns, in reading order. */
export function findMatches(
  segments: readonly Pick<TranscriptSegment, 'text'>[],
  query: string,
): TurnMatch[] {
  const needle = foldText(query.trim().replace(/\s+/g, ' '));
  if (needle === '') return [];
  const matches: TurnMatch[] = [];
  segments.forEach((segment, turn) => {
    const haystack = foldText(segment.text.replace(/\s/g, ' '));
    let from = 0;
    for (;;) {
      const at = haystack.indexOf(needle, from);
      if (at === -1) break;
      matches.push({ turn, start: at, end: at + needle.length });
      from = at + needle.length;
    }
  });
  return matches;
}

/** A turn's text cut into plain runs and marked hits (`active` is the one the stepper is on). */
export function highlightRuns(
  text: string,
  matches: readonly TurnMatch[],
  active: TurnMatch | null,
): { text: string; mark: 'hit' | 'active' | null }[] {
  const runs: { text: string; mark: 'hit' | 'active' | null }[] = [];
  let at = 0;
  for (const match of matches) {
    if (match.start > at) runs.push({ text: text.slice(at, match.start), mark: null });
    runs.push({ text: text.slice(match.start, match.end), mark: match === active ? 'active' : 'hit' });
    at = match.end;
  }
  if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at), mark: null });
  return runs;
}

/** The next hit (direction 1) or the one before (-1) from `index`, going round at the ends. */
export function stepMatch(index: number | null, count: number, direction: 1 | -1): number | null {
  if (count === 0) return null;
  if (index === null) return direction === 1 ? 0 : count - 1;
  return (index + direction + count) % count;
}

/**
 * The first hit at or after the turn being spoken (where a reader is), else the first: so a search
 * typed while listening starts from here rather than jumping back to the call's start.
 */
export function firstMatchFrom(matches: readonly TurnMatch[], currentTurn: number | null): number | null {
  if (matches.length === 0) return null;
  if (currentTurn === null) return 0;
  const index = matches.findIndex((match) => match.turn >= currentTurn);
  return index === -1 ? 0 : index;
}

/** Agent and Customer as the waveform's lanes name them; another voice by its own name, or "Speaker". */
export function speakerName(segment: Pick<TranscriptSegment, 'speaker' | 'speakerLabel'>): string {
  if (segment.speaker === 'agent') return 'Agent';
  if (segment.speaker === 'customer') return 'Customer';
  const label = segment.speakerLabel?.trim() ?? '';
  const numbered = /^spk_(\d+)$/i.exec(label);
  if (numbered) return `Speaker ${Number(numbered[1]) + 1}`;
  // Channel and role names a source uses for itself say nothing to a reviewer.
  if (label === '' || /^(ch_\d+|unknown)$/i.test(label)) return 'Speaker';
  return label;
}

export const SENTIMENT_LABELS: Record<NonNullable<TranscriptSegment['sentiment']>, string> = {
  POSITIVE: 'Positive',
  NEGATIVE: 'Negative',
  NEUTRAL: 'Neutral',
  MIXED: 'Mixed',
};

/** What the panel says about how a LiveKit history was put on the recording's time line. */
export function alignmentText(alignment: TranscriptView['alignment']): string | null {
  if (alignment === null) return null;
  return alignment.source === 'manifest'
    ? 'Aligned by the Egress manifest start'
    : 'Aligned by the time in the file name';
}

export const FORMAT_NAMES: Record<TranscriptView['format'], string> = {
  transcribe: 'Amazon Transcribe',
  'contact-lens': 'Contact Lens',
  livekit: 'LiveKit Agents history',
  vtt: 'WebVTT',
  srt: 'SubRip',
};

/** The text a review note quoting a turn starts with: who said it, and the words in quotes. */
export function quoteText(segment: Pick<TranscriptSegment, 'speaker' | 'speakerLabel' | 'text'>): string {
  return `${speakerName(segment)}: “${segment.text.trim()}”`;
}

const NOTE_LANES: Record<TranscriptSegment['speaker'], NoteLane> = {
  agent: 'agent',
  customer: 'customer',
  unknown: 'both',
};

/**
 * A review note quoting a turn: its words with the speaker, at its start, on the speaker's lane
 * (what `Reviews.addNote` takes as its prefill; not imported from there, so this file stays pure).
 */
export function notePrefillFor(segment: TranscriptSegment): { at_ms: number; lane: NoteLane; text: string } {
  return { at_ms: segment.startMs, lane: NOTE_LANES[segment.speaker], text: quoteText(segment) };
}

/** A `said` hit's snippet (`…to a «lawyer» now…`) as plain and marked runs. */
export function snippetRuns(snippet: string): { text: string; marked: boolean }[] {
  const runs: { text: string; marked: boolean }[] = [];
  const pattern = /«([^»]*)»/g;
  let at = 0;
  for (const match of snippet.matchAll(pattern)) {
    if (match.index > at) runs.push({ text: snippet.slice(at, match.index), marked: false });
    runs.push({ text: match[1]!, marked: true });
    at = match.index + match[0].length;
  }
  if (at < snippet.length) runs.push({ text: snippet.slice(at), marked: false });
  return runs;
}

/** "Also said at 1:05 (Customer), 2:40 (Agent)": the hits a list row does not spell out. */
export function alsoSaid(hits: readonly z.output<typeof saidHitSchema>[]): string {
  const places = hits.map(
    (hit) =>
      `${formatClock(hit.startMs / 1000)} (${speakerName({ speaker: hit.speaker, speakerLabel: null })})`,
  );
  return `Also said at ${places.join(', ')}`;
}
