/**
 * `npm run import -- --transcripts DIR_OR_FILES`: transcripts from local files into the catalog.
 * A file is matched to its call by its name (the base name it shares with a catalogued recording:
 * `outbound-15103455686_1754653479.vtt`) or, failing that, by a `dispatch_id` / `interaction_id`
 * inside it. A file that matches nothing or cannot be read is counted and listed with the reason,
 * never fatal: the rest are imported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { parseTranscript } from '../transcripts/parse-transcript.ts';
import { TranscriptIngest } from '../transcripts/transcript-ingest.ts';
import { transcriptBaseName } from '../transcripts/transcript-keys.ts';
import type { TranscriptSubject } from '../transcripts/transcript-store.ts';
import { MAX_TRANSCRIPT_BYTES, type TranscriptFormat } from '../transcripts/transcript.ts';

/** Files a folder is searched for (Transcribe names its output `….json` whatever it holds). */
const TRANSCRIPT_FILE = /\.(transcript\.json|json|vtt|srt)$/i;
/** Transcripts saved in one import past which the word index is merged (see optimizeIndex). */
const OPTIMIZE_AFTER = 500;
const RECORDING_BASE = /^(?:outbound|inbound)-\d{1,15}_(\d{1,12})$/;

export interface ImportedTranscript {
  readonly file: string;
  readonly subject: TranscriptSubject;
  readonly format: TranscriptFormat;
  readonly segments: number;
  /** How it was matched: by its file name or by an id inside it. */
  readonly matchedBy: 'name' | 'dispatch_id' | 'interaction_id';
}

export interface TranscriptFileProblem {
  readonly file: string;
  readonly reason: string;
}

export interface TranscriptImportSummary {
  readonly imported: readonly ImportedTranscript[];
  /** Read, but no call in the catalog is theirs. */
  readonly unmatched: readonly TranscriptFileProblem[];
  /** Not a transcript Tapedeck reads (malformed, unrecognised, too large, unreadable). */
  readonly bad: readonly TranscriptFileProblem[];
}

/** The files a list of paths stands for: files as given, folders searched (recursively) for transcripts. */
export function transcriptFilesIn(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && TRANSCRIPT_FILE.test(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    const full = resolve(path);
    if (statSync(full).isDirectory()) walk(full);
    else files.push(full);
  }
  return [...new Set(files)];
}

export function importTranscriptFiles(
  db: CatalogDatabase,
  paths: readonly string[],
): TranscriptImportSummary {
  const ingest = new TranscriptIngest(db);
  const imported: ImportedTranscript[] = [];
  const unmatched: TranscriptFileProblem[] = [];
  const bad: TranscriptFileProblem[] = [];
  for (const file of transcriptFilesIn(paths)) {
    const outcome = importOne(ingest, file);
    if ('subject' in outcome) imported.push(outcome);
    else (outcome.kind === 'bad' ? bad : unmatched).push({ file, reason: outcome.reason });
  }
  if (imported.length >= OPTIMIZE_AFTER) ingest.store.optimizeIndex();
  return { imported, unmatched, bad };
}

type Outcome = ImportedTranscript | { kind: 'bad' | 'unmatched'; reason: string };

function importOne(ingest: TranscriptIngest, file: string): Outcome {
  let content: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_TRANSCRIPT_BYTES) {
      return {
        kind: 'bad',
        reason: `it is ${Math.round(size / 1024 / 1024)} MB, larger than the ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB a transcript is read up to`,
      };
    }
    content = readFileSync(file);
  } catch (error) {
    return { kind: 'bad', reason: `it could not be read (${(error as Error).message})` };
  }

  // By name first: the recording it was made from places a LiveKit history in time.
  const name = basename(file);
  const base = transcriptBaseName(name) ?? name.replace(/\.json$/i, '');
  const byName = ingest.recordingKeyForBase(base);
  if (byName !== null) {
    const reading = parseTranscript(content, {
      recordingStart: ingest.alignmentFor({ key: byName, timestamp: timestampOf(byName) }),
    });
    if (!reading.ok) return { kind: 'bad', reason: reading.problem };
    return save(ingest, file, { recording_key: byName }, reading.transcript, 'name');
  }

  // Else by an id inside: read once to find it (a LiveKit history is then read again, placed).
  const first = parseTranscript(content, { recordingStart: { source: 'key', recording_start_ms: 0 } });
  if (!first.ok) return { kind: 'bad', reason: first.problem };
  const reference = first.transcript.reference;
  if (!reference) return unmatchedReason(base);
  const match = ingest.subjectForReference(reference);
  if (match === null) {
    return {
      kind: 'unmatched',
      reason: `no call in the catalog has its ${[
        reference.dispatch_id && `dispatch_id ${reference.dispatch_id}`,
        reference.interaction_id && `interaction_id ${reference.interaction_id}`,
      ]
        .filter(Boolean)
        .join(' or ')}: import the calls' metadata (or sync the bucket) first`,
    };
  }
  const { subject, by } = match;
  if (first.transcript.format !== 'livekit') return save(ingest, file, subject, first.transcript, by);
  if (!('recording_key' in subject)) {
    return {
      kind: 'unmatched',
      reason:
        `its ${by} ${reference[by]} is a call without a recording, and a LiveKit history needs the ` +
        'recording’s start to be placed in time',
    };
  }
  const key = subject.recording_key;
  const placed = parseTranscript(content, {
    recordingStart: ingest.alignmentFor({ key, timestamp: timestampOf(key) }),
  });
  if (!placed.ok) return { kind: 'bad', reason: placed.problem };
  return save(ingest, file, subject, placed.transcript, by);
}

function save(
  ingest: TranscriptIngest,
  file: string,
  subject: TranscriptSubject,
  parsed: Parameters<TranscriptIngest['save']>[1],
  matchedBy: ImportedTranscript['matchedBy'],
): Outcome {
  try {
    // A local file has no ETag; its path says where it came from.
    const segments = ingest.save(subject, parsed, { key: file, etag: null });
    return { file, subject, format: parsed.format, segments, matchedBy };
  } catch (error) {
    return { kind: 'bad', reason: (error as Error).message };
  }
}

function unmatchedReason(base: string): Outcome {
  return {
    kind: 'unmatched',
    reason: RECORDING_BASE.test(base)
      ? `no recording named ${base} is in the catalog, and no dispatch_id or interaction_id inside: sync the bucket first`
      : 'its name is not a recording’s (outbound-{phone}_{unix seconds}) and it has no dispatch_id or interaction_id inside',
  };
}

/** The unix seconds in a recording key's file name. */
function timestampOf(recordingKey: string): number {
  const match = /_(\d{1,12})\.[a-z0-9]+$/i.exec(recordingKey);
  return match ? Number(match[1]) : 0;
}

/** One line per file that was not imported, then the summary line. */
export function describeTranscriptImport(summary: TranscriptImportSummary): string[] {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = [
    ...summary.bad.map((problem) => `skipped ${problem.file}: ${problem.reason}`),
    ...summary.unmatched.map((problem) => `not matched ${problem.file}: ${problem.reason}`),
  ];
  const total = summary.imported.length + summary.bad.length + summary.unmatched.length;
  const segments = summary.imported.reduce((sum, item) => sum + item.segments, 0);
  lines.push(
    `Transcripts: ${n(summary.imported.length)} imported (${n(segments)} turns), ` +
      `${n(summary.unmatched.length)} not matched to a call, ${n(summary.bad.length)} unreadable, ` +
      `of ${n(total)} file${total === 1 ? '' : 's'}.`,
  );
  return lines;
}
