/**
 * Subtitle cues as turns. Who speaks is a WebVTT voice tag (`<v Agent>…`, `<v.loud Customer>…`) or
 * a name before the words (`Agent: …`, `[Customer] …`), in either format; a line without one
 * continues the last speaker's turn (captioners name a speaker once, when the turn starts). Lines of
 * one cue by different speakers become turns of their own, with the cue's times.
 */
import { speakerFromLabel } from './speaker-role.ts';
import { readSrtCues, readVttCues, type SubtitleCue } from './subtitle-cues.ts';
import { TranscriptProblem, type TranscriptSegment } from './transcript.ts';

const VOICE = /<v(?:\.[^\s>]*)?[ \t]+([^>]+)>/;
// A short name (up to three words, starting with a capital or naming a side) then a colon, or a
// bracketed name: "Agent: Hello", "Dr. Lee: yes", "[Customer] no".
const NAME_PREFIX =
  /^(?:-\s*)?(?:\[([^\]\n]{1,40})\]:?|(\p{Lu}[\p{L}\p{N}.'’_-]*(?: [\p{L}\p{N}.'’_-]+){0,2}):)\s+/u;
const TAG = /<[^>]*>/g;
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
};

export function readVtt(text: string): TranscriptSegment[] {
  return segmentsOf(readVttCues(text), 'WebVTT');
}

export function readSrt(text: string): TranscriptSegment[] {
  return segmentsOf(readSrtCues(text), 'SubRip');
}

function segmentsOf(cues: readonly SubtitleCue[], kind: string): TranscriptSegment[] {
  if (cues.length === 0) throw new TranscriptProblem(`the ${kind} file has no cues`);
  const segments: TranscriptSegment[] = [];
  let label: string | null = null;
  let previous: SubtitleCue | null = null;
  for (const cue of cues) {
    if (cue.end_ms < cue.start_ms) {
      throw new TranscriptProblem(`line ${cue.line}: the cue ends before it starts: times out of order`);
    }
    if (previous && cue.start_ms < previous.start_ms) {
      throw new TranscriptProblem(
        `line ${cue.line}: the cue starts at ${clock(cue.start_ms)}, before the cue above it ` +
          `(${clock(previous.start_ms)}): times out of order`,
      );
    }
    previous = cue;
    let turn: { label: string | null; words: string[] } | null = null;
    const turns: { label: string | null; words: string[] }[] = [];
    for (const rawLine of cue.text.split('\n')) {
      const { name, rest } = speakerOf(rawLine);
      if (name !== null) label = name;
      const words = plainText(rest);
      if (words === '') continue;
      if (turn === null || turn.label !== label) {
        turn = { label, words: [] };
        turns.push(turn);
      }
      turn.words.push(words);
    }
    for (const { label: name, words } of turns) {
      segments.push({
        start_ms: cue.start_ms,
        end_ms: cue.end_ms,
        speaker: speakerFromLabel(name),
        speaker_label: name,
        text: words.join(' '),
      });
    }
  }
  if (segments.length === 0) throw new TranscriptProblem(`every cue of the ${kind} file is empty`);
  return segments;
}

/** The speaker a line names (voice tag or name prefix), and the line without it. */
function speakerOf(line: string): { name: string | null; rest: string } {
  const voice = VOICE.exec(line);
  if (voice) return { name: decode(voice[1]!.trim()), rest: line.replace(VOICE, '') };
  const plain = line.replace(TAG, ''); // `<i>[Customer]</i> thanks`
  const prefix = NAME_PREFIX.exec(plain);
  if (prefix) return { name: (prefix[1] ?? prefix[2]!).trim(), rest: plain.slice(prefix[0].length) };
  return { name: null, rest: line };
}

function plainText(line: string): string {
  return decode(line.replace(TAG, ''))
    .replace(/^\s*-\s+/, '') // a dialogue dash
    .replace(/\s+/g, ' ')
    .trim();
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (entity, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? entity;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

function clock(ms: number): string {
  const seconds = ms / 1000;
  return `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(3).padStart(6, '0')}`;
}
