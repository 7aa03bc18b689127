/**
 * Amazon Transcribe batch output (`results.items`). Each item is a word (`pronunciation`, with
 * `start_time`/`end_time` as strings of seconds) or a punctuation mark (no times: it belongs to the
 * word before it). Who spoke is the item's `channel_label` (channel identification: `ch_0` is the
 * agent, `ch_1` the customer, as Amazon Connect records them) or `speaker_label` (diarization:
 * `spk_0`…, whose side is not known). Outputs of older jobs keep the labels apart, in
 * `results.channel_labels.channels[].items` and `results.speaker_labels.segments[].items`; both read.
 *
 * Words are grouped into turns: a new turn when the speaker changes, after a silence, or at the end
 * of a sentence once a turn is long, so that a search hit's time is near the words it found.
 */
import { cleanText, isObject, secondsToMs, type JsonObject } from './json-value.ts';
import { TranscriptProblem, type Speaker, type TranscriptSegment } from './transcript.ts';

const CHANNEL_SPEAKERS: Readonly<Record<string, Speaker>> = { ch_0: 'agent', ch_1: 'customer' };
/** A silence this long starts a new turn even when the same person goes on. */
const PAUSE_MS = 2000;
/** A turn this long ends at its next full stop. */
const LONG_TURN_MS = 15_000;
// Written as escapes (。？！): the built commands are ASCII, which they load fastest (build/launch.mjs).
const SENTENCE_END = /[.?!\u3002\uFF1F\uFF01]$/;

interface Word {
  readonly start: number;
  readonly end: number;
  readonly label: string | null;
  text: string;
  readonly index: number;
}

export function isTranscribeOutput(json: JsonObject): boolean {
  const results = json.results;
  return isObject(results) && ('items' in results || 'channel_labels' in results || 'transcripts' in results);
}

export function readTranscribeOutput(json: JsonObject): TranscriptSegment[] {
  if (typeof json.status === 'string' && json.status !== 'COMPLETED') {
    throw new TranscriptProblem(
      `the Transcribe job is ${json.status}, not COMPLETED: read its output once the job has finished`,
    );
  }
  const results = json.results as JsonObject;
  const items = itemsOf(results);
  if (items.length === 0) {
    throw new TranscriptProblem('results.items is empty: the job found no speech in the recording');
  }
  const speakerAt = legacySpeakerLabels(results);
  const words = wordsOf(items, speakerAt);
  if (words.length === 0) {
    throw new TranscriptProblem('results.items has punctuation but no words');
  }
  // Channels are transcribed apart and their items may interleave: one time line for the turns.
  words.sort((a, b) => a.start - b.start || a.index - b.index);
  return turnsOf(words);
}

/** The items with their channel's label, from `results.items` or a legacy job's channels. */
function itemsOf(results: JsonObject): JsonObject[] {
  const items = results.items;
  if (Array.isArray(items) && items.length > 0) return items.map((item, index) => object(item, index));
  if (items !== undefined && !Array.isArray(items))
    throw new TranscriptProblem('results.items is not a list');
  const channels = isObject(results.channel_labels) ? results.channel_labels.channels : undefined;
  if (!Array.isArray(channels)) return [];
  return channels.flatMap((channel) => {
    if (!isObject(channel) || !Array.isArray(channel.items)) return [];
    const label = typeof channel.channel_label === 'string' ? channel.channel_label : null;
    return channel.items.map((item, index) => ({ channel_label: label, ...object(item, index) }));
  });
}

function object(item: unknown, index: number): JsonObject {
  if (!isObject(item)) throw new TranscriptProblem(`results.items[${index}] is not an object`);
  return item;
}

/** Older diarized output: word start time → speaker, from `results.speaker_labels.segments`. */
function legacySpeakerLabels(results: JsonObject): Map<string, string> {
  const byStart = new Map<string, string>();
  const segments = isObject(results.speaker_labels) ? results.speaker_labels.segments : undefined;
  if (!Array.isArray(segments)) return byStart;
  for (const segment of segments) {
    if (!isObject(segment) || !Array.isArray(segment.items)) continue;
    for (const item of segment.items) {
      if (isObject(item) && typeof item.start_time === 'string' && typeof item.speaker_label === 'string') {
        byStart.set(item.start_time, item.speaker_label);
      }
    }
  }
  return byStart;
}

function wordsOf(items: readonly JsonObject[], speakerAt: ReadonlyMap<string, string>): Word[] {
  const words: Word[] = [];
  const lastStartOf = new Map<string | null, number>();
  items.forEach((item, index) => {
    const alternatives = item.alternatives;
    const first: unknown = Array.isArray(alternatives) ? alternatives[0] : undefined;
    if (!isObject(first) || typeof first.content !== 'string') {
      throw new TranscriptProblem(`results.items[${index}] has no alternatives[0].content`);
    }
    const content = first.content.trim();
    if (item.type === 'punctuation') {
      // Belongs to the word before it in the same channel (or speaker); a leading mark is dropped.
      const label = labelOf(item, speakerAt);
      const previous = findLast(words, (word) => label === null || word.label === label) ?? words.at(-1);
      if (previous) previous.text += content;
      return;
    }
    const start = secondsToMs(item.start_time, `results.items[${index}].start_time ("${content}")`);
    const end = secondsToMs(item.end_time, `results.items[${index}].end_time ("${content}")`);
    if (end < start) {
      throw new TranscriptProblem(
        `results.items[${index}] ("${content}") ends before it starts: times out of order`,
      );
    }
    const label = labelOf(item, speakerAt);
    const lastStart = lastStartOf.get(label);
    if (lastStart !== undefined && start < lastStart) {
      throw new TranscriptProblem(
        `results.items[${index}] ("${content}") starts at ${start / 1000} s, before the word ahead of it ` +
          `(${lastStart / 1000} s): times out of order`,
      );
    }
    lastStartOf.set(label, start);
    if (content !== '') words.push({ start, end, label, text: content, index });
  });
  return words;
}

function labelOf(item: JsonObject, speakerAt: ReadonlyMap<string, string>): string | null {
  if (typeof item.channel_label === 'string') return item.channel_label;
  if (typeof item.speaker_label === 'string') return item.speaker_label;
  return typeof item.start_time === 'string' ? (speakerAt.get(item.start_time) ?? null) : null;
}

function turnsOf(words: readonly Word[]): TranscriptSegment[] {
  const turns: TranscriptSegment[] = [];
  let current: Word[] = [];
  const close = () => {
    const first = current[0];
    const last = current.at(-1);
    if (!first || !last) return;
    turns.push({
      start_ms: first.start,
      end_ms: Math.max(...current.map((word) => word.end)),
      speaker: speakerOf(first.label),
      speaker_label: first.label,
      text: cleanText(current.map((word) => word.text).join(' ')),
    });
    current = [];
  };
  for (const word of words) {
    const first = current[0];
    const last = current.at(-1);
    if (
      first &&
      last &&
      (word.label !== first.label ||
        word.start - last.end >= PAUSE_MS ||
        (last.end - first.start >= LONG_TURN_MS && SENTENCE_END.test(last.text)))
    ) {
      close();
    }
    current.push(word);
  }
  close();
  return turns;
}

function speakerOf(label: string | null): Speaker {
  return (label !== null ? CHANNEL_SPEAKERS[label] : undefined) ?? 'unknown';
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (test(items[index]!)) return items[index];
  }
  return undefined;
}
