import { TranscriptProblem } from './transcript.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A time in seconds (Transcribe writes them as strings: `"1.24"`) as whole milliseconds; `what`
 * names the field in the problem when it is not a non-negative number.
 */
export function secondsToMs(value: unknown, what: string): number {
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new TranscriptProblem(`${what} is not a time in seconds: ${JSON.stringify(value)}`);
  }
  return Math.round(seconds * 1000);
}

/** A whole, non-negative number of milliseconds (Contact Lens offsets). */
export function millis(value: unknown, what: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    throw new TranscriptProblem(`${what} is not a number of milliseconds: ${JSON.stringify(value)}`);
  }
  return Math.round(ms);
}

/** Spaces folded: sources break lines inside a turn, and search snippets read better without them. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
