/**
 * A LiveKit Agents conversation history: `session.history.to_dict(exclude_timestamp=False)`, i.e.
 * `{ "items": [ChatItem…] }`. Messages (`type: "message"`) are what was said: `role` `assistant`
 * is the agent, `user` the customer; `system`/`developer` instructions were never spoken, and
 * tool calls (`function_call`, `function_call_output`), hand-offs and config updates are not speech.
 * `content` is a list (strings, plus image/audio parts that are skipped) or, in hand-made files, a
 * string.
 *
 * Times are wall-clock unix seconds: `metrics.started_speaking_at`/`stopped_speaking_at` when the
 * agent recorded them, else `created_at` (when the message was added: for a user's turn, about when
 * they stopped speaking). They are placed on the recording by subtracting its start — the Egress
 * manifest's `started_at`, else the timestamp in the recording's key — and that choice is returned.
 */
import { cleanText, isObject, type JsonObject } from './json-value.ts';
import {
  TranscriptProblem,
  type Speaker,
  type TranscriptAlignment,
  type TranscriptSegment,
} from './transcript.ts';

const SPEAKER_OF_ROLE: Readonly<Record<string, Speaker>> = { assistant: 'agent', user: 'customer' };
/** A message this far before the recording's start means the history is of another call. */
const MAX_EARLY_MS = 60_000;
/** Speech runs at about this pace; it bounds the last message when nothing else does. */
const MS_PER_WORD = 400;

interface Message {
  readonly start: number;
  readonly stop: number | null;
  readonly speaker: Speaker;
  readonly role: string;
  readonly text: string;
}

export function isLiveKitHistory(json: JsonObject): boolean {
  return Array.isArray(json.items) && !isObject(json.results);
}

export function readLiveKitHistory(
  json: JsonObject,
  alignment: TranscriptAlignment | undefined,
): TranscriptSegment[] {
  const items = json.items as unknown[];
  const messages = items.flatMap((item, index) => messageOf(item, index));
  if (messages.length === 0) {
    throw new TranscriptProblem(
      'items has no assistant or user message with text: nothing was said in this history',
    );
  }
  if (alignment === undefined) {
    throw new TranscriptProblem(
      "a LiveKit history has wall-clock times and needs the recording's start (its Egress manifest or " +
        'the timestamp in its key) to be placed on the recording',
    );
  }
  messages.sort((a, b) => a.start - b.start);
  const origin = alignment.recording_start_ms;
  const first = messages[0]!;
  if (first.start < origin - MAX_EARLY_MS) {
    throw new TranscriptProblem(
      `the first message is ${Math.round((origin - first.start) / 1000)} s before the recording starts ` +
        `(${new Date(origin).toISOString()}, from its ${alignment.source}): this history is not of this recording`,
    );
  }
  return messages.map((message, index) => {
    const next = messages[index + 1];
    const stop =
      message.stop ??
      Math.min(next?.start ?? Infinity, message.start + message.text.split(' ').length * MS_PER_WORD);
    // Speech just before the recording began (the greeting while Egress started) is put at 0.
    const start = Math.max(0, message.start - origin);
    return {
      start_ms: start,
      end_ms: Math.max(start, stop - origin),
      speaker: message.speaker,
      speaker_label: message.role,
      text: message.text,
    };
  });
}

function messageOf(item: unknown, index: number): Message[] {
  if (!isObject(item)) throw new TranscriptProblem(`items[${index}] is not an object`);
  if ((item.type ?? 'message') !== 'message') return []; // tool calls, hand-offs, config updates
  const role = item.role;
  if (typeof role !== 'string') throw new TranscriptProblem(`items[${index}] is a message without a role`);
  const speaker = SPEAKER_OF_ROLE[role];
  if (speaker === undefined) return []; // system / developer instructions: never spoken
  const text = cleanText(textOf(item.content, index));
  if (text === '') return [];
  const metrics = isObject(item.metrics) ? item.metrics : {};
  const start = unixMs(metrics.started_speaking_at) ?? unixMs(item.created_at);
  if (start === null) {
    throw new TranscriptProblem(
      `items[${index}] has no created_at: export the history with ` +
        'session.history.to_dict(exclude_timestamp=False) so its messages can be placed on the recording',
    );
  }
  const stop = unixMs(metrics.stopped_speaking_at);
  if (stop !== null && stop < start) {
    throw new TranscriptProblem(`items[${index}] stops speaking before it starts: times out of order`);
  }
  return [{ start, stop, speaker, role, text }];
}

function textOf(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    throw new TranscriptProblem(`items[${index}].content is neither text nor a list`);
  return content.filter((part): part is string => typeof part === 'string').join(' ');
}

/** Unix seconds (a float, as Python's time.time()) or, when clearly so, milliseconds, as unix ms. */
function unixMs(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return Math.round(value >= 1e11 ? value : value * 1000);
}
