/**
 * Where a recording's transcript is found: beside it, with the recording's base name and a
 * transcript suffix (`…/outbound-15103455686_1754653479.transcript.json`, `.vtt`, `.srt`), or under
 * a separate transcripts prefix with the same path below it.
 */

/** In the order they are preferred when several lie beside one recording. */
export const TRANSCRIPT_SUFFIXES = ['.transcript.json', '.vtt', '.srt'] as const;

const RECORDING_EXTENSION = /\.(mp4|m4a|ogg|webm|mp3|wav)$/;

/** The recording's key without its media extension. */
export function baseNameOf(recordingKey: string): string {
  return recordingKey.replace(RECORDING_EXTENSION, '');
}

/**
 * The keys a recording's transcript may have. With `prefixes`, the recording's path below
 * `recordings` is put below `transcripts` instead (a recording outside `recordings` has none there).
 */
export function transcriptKeysFor(
  recordingKey: string,
  prefixes?: { readonly recordings: string; readonly transcripts: string },
): string[] {
  let base = baseNameOf(recordingKey);
  if (prefixes) {
    if (!base.startsWith(prefixes.recordings)) return [];
    base = prefixes.transcripts + base.slice(prefixes.recordings.length);
  }
  return TRANSCRIPT_SUFFIXES.map((suffix) => base + suffix);
}

/** The transcript suffix a key ends with, or null when it is not a transcript's key. */
export function transcriptSuffixOf(key: string): (typeof TRANSCRIPT_SUFFIXES)[number] | null {
  return TRANSCRIPT_SUFFIXES.find((suffix) => key.endsWith(suffix)) ?? null;
}

/**
 * The base name a transcript key or file name shares with its recording (`….transcript.json` →
 * `…`), or null for another kind of file. Match it against `baseNameOf(recording key)`.
 */
export function transcriptBaseName(key: string): string | null {
  const suffix = transcriptSuffixOf(key);
  return suffix === null ? null : key.slice(0, -suffix.length);
}
