/**
 * WebVTT and SubRip files as timed cues, markup left in the text (voice tags say who speaks; the
 * caller reads them). This is the one module that knows the two files' syntax: a library such as
 * `media-captions` would replace these two functions and nothing else.
 *
 * Hand-written and strict because no subtitle parser is among the project's dependencies; what it
 * accepts is the WebVTT spec's file structure (header, cue identifiers, cue settings after the
 * timing, NOTE / STYLE / REGION blocks) and SubRip as real tools write it (Windows line ends, a
 * missing cue number, `.` for `,`, position coordinates after the timing). Anything else is
 * refused with the line it is on, rather than guessed at.
 */
import { TranscriptProblem } from './transcript.ts';

export interface SubtitleCue {
  readonly start_ms: number;
  readonly end_ms: number;
  /** The cue's payload lines joined by `\n`, tags and entities as written. */
  readonly text: string;
  /** 1-based line of its timing, for problems. */
  readonly line: number;
}

const VTT_HEADER = /^WEBVTT(?:[ \t].*)?$/;
const VTT_TIME = String.raw`((?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})`;
const VTT_TIMING = new RegExp(String.raw`^${VTT_TIME}[ \t]+-->[ \t]+${VTT_TIME}(?:[ \t].*)?$`);
const SRT_TIME = String.raw`(\d{1,3}:[0-5]\d:[0-5]\d[,.]\d{1,3})`;
const SRT_TIMING = new RegExp(String.raw`^\s*${SRT_TIME}\s*-->\s*${SRT_TIME}(?:\s.*)?$`);

/** A line a WebVTT parser would take for a cue timing (used to tell a headerless VTT file). */
export const LOOSE_VTT_TIMING = new RegExp(String.raw`^${VTT_TIME}[ \t]+-->`);
/** SubRip's timing (comma before the milliseconds). */
export const SRT_TIMING_WITH_COMMA = /^\s*\d{1,3}:\d{2}:\d{2},\d{1,3}\s*-->/;

interface Block {
  readonly lines: readonly string[];
  /** 1-based number of its first line. */
  readonly first: number;
}

export function readVttCues(text: string): SubtitleCue[] {
  const blocks = blocksOf(text);
  const header = blocks[0];
  if (!header || !VTT_HEADER.test(header.lines[0]!)) {
    throw new TranscriptProblem('the first line is not WEBVTT: a WebVTT file must start with it');
  }
  const cues: SubtitleCue[] = [];
  for (const block of blocks.slice(1)) {
    const [first, second] = block.lines as [string, string | undefined];
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes('-->')) continue;
    const timingAt = first.includes('-->') ? 0 : 1; // else the first line is the cue's identifier
    const timing = timingAt === 0 ? first : second;
    const match = timing === undefined ? null : VTT_TIMING.exec(timing);
    if (!match) {
      throw new TranscriptProblem(
        `line ${block.first + timingAt}: expected a cue timing such as "00:01.000 --> 00:04.000", ` +
          `found ${JSON.stringify(timing ?? '')}`,
      );
    }
    cues.push({
      start_ms: vttMs(match[1]!),
      end_ms: vttMs(match[2]!),
      text: block.lines.slice(timingAt + 1).join('\n'),
      line: block.first + timingAt,
    });
  }
  return cues;
}

export function readSrtCues(text: string): SubtitleCue[] {
  const cues: SubtitleCue[] = [];
  for (const block of blocksOf(text)) {
    const [first, second] = block.lines as [string, string | undefined];
    const timingAt = /^\s*\d+\s*$/.test(first) ? 1 : 0; // the cue number, which some tools leave out
    const timing = timingAt === 0 ? first : second;
    const match = timing === undefined ? null : SRT_TIMING.exec(timing);
    if (!match) {
      throw new TranscriptProblem(
        `line ${block.first + timingAt}: expected a subtitle number and a timing such as ` +
          `"00:00:01,000 --> 00:00:04,000", found ${JSON.stringify(timing ?? '')}`,
      );
    }
    cues.push({
      start_ms: srtMs(match[1]!),
      end_ms: srtMs(match[2]!),
      text: block.lines.slice(timingAt + 1).join('\n'),
      line: block.first + timingAt,
    });
  }
  return cues;
}

/** Runs of non-blank lines, whatever the line ends (\r\n, \n, \r). */
function blocksOf(text: string): Block[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let current: string[] = [];
  let first = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      if (current.length > 0) blocks.push({ lines: current, first });
      current = [];
      return;
    }
    if (current.length === 0) first = index + 1;
    current.push(line);
  });
  if (current.length > 0) blocks.push({ lines: current, first });
  return blocks;
}

/** `hh:mm:ss.ttt` or `mm:ss.ttt`. */
function vttMs(time: string): number {
  const parts = time.split(':').map(Number);
  const seconds = parts.pop()!;
  const minutes = parts.pop()!;
  const hours = parts.pop() ?? 0;
  return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
}

/** `hh:mm:ss,ttt` (a `.` and fewer digits are read too: `,5` is half a second). */
function srtMs(time: string): number {
  const [hours, minutes, rest] = time.split(':') as [string, string, string];
  const [seconds, fraction] = rest.split(/[,.]/) as [string, string];
  return (
    ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 +
    Math.round(Number(`0.${fraction}`) * 1000)
  );
}
