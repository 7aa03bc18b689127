/**
 * Transcripts in the catalog (migration 009): saving a parsed transcript for a recording (or a call
 * without one), reading it back, and searching what was said across the library.
 *
 * A search is answered by the word index alone until the page is known: the index's rowids are
 * `transcript id * 2^20 + turn`, so the calls that match are a shift away from the index, and only
 * the hits that are shown read their turn (for its time and a snippet).
 */
import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../catalog/open-catalog.ts';
import { saidQuery } from './said-query.ts';
import {
  TranscriptProblem,
  type ParsedTranscript,
  type Sentiment,
  type Speaker,
  type TranscriptAlignment,
  type TranscriptFormat,
  type TranscriptSegment,
} from './transcript.ts';

/** What a transcript belongs to: a recording (by key), or a call that has no recording (by id). */
export type TranscriptSubject = { readonly recording_key: string } | { readonly interaction_id: string };

/** Where a transcript was read from: an S3 key with its ETag, or a local file (no ETag). */
export interface TranscriptSource {
  readonly key: string;
  readonly etag: string | null;
}

export interface StoredTranscript {
  readonly subject: TranscriptSubject;
  readonly source_key: string;
  readonly etag: string | null;
  readonly format: TranscriptFormat;
  readonly alignment: TranscriptAlignment | null;
  /** Unix ms. */
  readonly saved_at: number;
  readonly segments: readonly TranscriptSegment[];
}

/** A turn where the words were said: its time, who said it, and the words marked «like this». */
export interface SaidHit {
  readonly start_ms: number;
  readonly speaker: Speaker;
  readonly snippet: string;
}

export interface SaidMatch {
  readonly subject: TranscriptSubject;
  readonly hits: readonly SaidHit[];
}

export interface SaidOptions {
  /** Only words this side said. */
  readonly speaker?: Speaker | null;
  /** Calls in the answer (searchSaid); default 50. */
  readonly limit?: number;
  /** Hits kept per call, in time order; default 3. */
  readonly hitsPerCall?: number;
}

/** A condition over the list's `interactions i`, with its bound parameters (see saidFilterSql). */
export interface SaidFilterSql {
  readonly condition: string;
  readonly params: Record<string, string>;
}

/** Open and close marks of a hit's words in a snippet. */
export const SNIPPET_OPEN = '«';
export const SNIPPET_CLOSE = '»';
/** A transcript holds at most this many turns: the low 20 bits of a segment's id number them. */
export const MAX_SEGMENTS = 1 << 20;
const SEGMENT_SHIFT = 2 ** 20;
// Marks no transcript holds (control characters are removed on save), made « » once the snippet
// is built, so that « » in the spoken text itself cannot be mistaken for a hit.
const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const SNIPPET_TOKENS = 16;

interface TranscriptRow {
  id: number;
  recording_key: string | null;
  interaction_id: string | null;
  source_key: string;
  etag: string | null;
  format: TranscriptFormat;
  alignment_source: 'manifest' | 'key' | null;
  recording_start_ms: number | null;
  saved_at: number;
}

interface SegmentRow {
  start_ms: number;
  end_ms: number;
  speaker: Speaker;
  speaker_label: string | null;
  text: string;
  sentiment: Sentiment | null;
}

interface HitRow {
  start_ms: number;
  speaker: Speaker;
  snippet: string;
}

/**
 * The condition that keeps the calls in which `query` was said (by `speaker`, when given), to AND
 * into the list's filter (`call-filter.ts`): a call matches through its recording's transcript or,
 * for a call without a recording, its own. Null when the query has no word to search for. The
 * parameter names start with `said`, apart from every other filter's.
 */
export function saidFilterSql(
  query: string,
  options: { readonly speaker?: Speaker | null } = {},
): SaidFilterSql | null {
  const said = saidQuery(query, options.speaker ?? null);
  if (said === null) return null;
  const params: Record<string, string> = {};
  // A call must have said every required term, each in a turn of its own choosing.
  const matching = said.required
    .map((match, index) => {
      params[`saidMatch${index}`] = match;
      return `t.id IN (SELECT rowid >> 20 FROM transcript_fts WHERE transcript_fts MATCH $saidMatch${index})`;
    })
    .join(' AND ');
  return {
    condition:
      `(i.recording_id IN (SELECT r.id FROM transcripts t JOIN recordings r ON r.key = t.recording_key ` +
      `WHERE ${matching}) OR i.interaction_id IN (SELECT t.interaction_id FROM transcripts t ` +
      `WHERE t.interaction_id IS NOT NULL AND ${matching}))`,
    params,
  };
}

export class TranscriptStore {
  readonly #db: CatalogDatabase;
  readonly #now: () => number;
  readonly #byRecording: Statement<[string], TranscriptRow>;
  readonly #byInteraction: Statement<[string], TranscriptRow>;
  readonly #byId: Statement<[number], TranscriptRow>;
  readonly #segmentsOf: Statement<[number, number], SegmentRow>;
  readonly #deleteSegments: Statement<[number, number]>;
  readonly #deleteTranscript: Statement<[number]>;
  readonly #nextId: Statement<[], number>;
  readonly #insertTranscript: Statement<Record<string, unknown>>;
  readonly #insertSegment: Statement<unknown[]>;
  readonly #hitsIn: Statement<[string, string, string, number, number, number], HitRow>;
  readonly #matchingRowids: Statement<[string], number>;
  readonly #saidIn: Statement<[string, number, number], number>;

  constructor(db: CatalogDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    this.#byRecording = db.prepare('SELECT * FROM transcripts WHERE recording_key = ?');
    this.#byInteraction = db.prepare('SELECT * FROM transcripts WHERE interaction_id = ?');
    this.#byId = db.prepare('SELECT * FROM transcripts WHERE id = ?');
    this.#segmentsOf = db.prepare(
      `SELECT start_ms, end_ms, speaker, speaker_label, text, sentiment FROM transcript_segments
        WHERE id >= ? AND id < ? ORDER BY id`,
    );
    this.#deleteSegments = db.prepare('DELETE FROM transcript_segments WHERE id >= ? AND id < ?');
    this.#deleteTranscript = db.prepare('DELETE FROM transcripts WHERE id = ?');
    this.#nextId = db.prepare<[], number>('SELECT coalesce(max(id), 0) + 1 FROM transcripts').pluck();
    this.#insertTranscript = db.prepare(
      `INSERT INTO transcripts (id, recording_key, interaction_id, source_key, etag, format, alignment_source,
         recording_start_ms, segment_count, saved_at)
       VALUES ($id, $recording_key, $interaction_id, $source_key, $etag, $format, $alignment_source,
         $recording_start_ms, $segment_count, $saved_at)`,
    );
    this.#insertSegment = db.prepare(
      `INSERT INTO transcript_segments (id, start_ms, end_ms, speaker, speaker_label, text, sentiment)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#hitsIn = db.prepare(
      `SELECT s.start_ms, s.speaker, snippet(transcript_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet
         FROM transcript_fts JOIN transcript_segments s ON s.id = transcript_fts.rowid
        WHERE transcript_fts MATCH ? AND transcript_fts.rowid >= ? AND transcript_fts.rowid < ?
        ORDER BY transcript_fts.rowid LIMIT ?`,
    );
    this.#matchingRowids = db
      .prepare<[string], number>(
        'SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ? ORDER BY rowid DESC',
      )
      .pluck();
    this.#saidIn = db
      .prepare<[string, number, number], number>(
        'SELECT 1 FROM transcript_fts WHERE transcript_fts MATCH ? AND rowid >= ? AND rowid < ? LIMIT 1',
      )
      .pluck();
  }

  /**
   * Saves `parsed` as the transcript of `subject`, replacing the one it had in the same
   * transaction: a reader sees the old transcript or the new one, never a mix or none.
   */
  save(
    subject: TranscriptSubject,
    parsed: ParsedTranscript,
    source: TranscriptSource,
  ): { segment_count: number } {
    const segments = parsed.segments.filter((segment) => segment.text.trim() !== '');
    if (segments.length > MAX_SEGMENTS) {
      throw new TranscriptProblem(
        `it has ${segments.length} turns; a transcript holds at most ${MAX_SEGMENTS}`,
      );
    }
    this.#db
      .transaction(() => {
        this.#remove(subject);
        const id = this.#nextId.get()!;
        this.#insertTranscript.run({
          id,
          recording_key: 'recording_key' in subject ? subject.recording_key : null,
          interaction_id: 'interaction_id' in subject ? subject.interaction_id : null,
          source_key: source.key,
          etag: source.etag,
          format: parsed.format,
          alignment_source: parsed.alignment?.source ?? null,
          recording_start_ms: parsed.alignment?.recording_start_ms ?? null,
          segment_count: segments.length,
          saved_at: this.#now(),
        });
        segments.forEach((segment, index) => {
          this.#insertSegment.run(
            id * SEGMENT_SHIFT + index,
            Math.round(segment.start_ms),
            Math.round(segment.end_ms),
            segment.speaker,
            segment.speaker_label,
            segment.text.replace(CONTROL, ' '),
            segment.sentiment ?? null,
          );
        });
      })
      .immediate();
    return { segment_count: segments.length };
  }

  /** Forgets the transcript of `subject` (its recording is gone, or its file was removed). */
  remove(subject: TranscriptSubject): boolean {
    return this.#db.transaction(() => this.#remove(subject)).immediate();
  }

  /** Where the saved transcript came from, so a sync reads the file again only when its ETag changed. */
  sourceOf(subject: TranscriptSubject): TranscriptSource | null {
    const row = this.#row(subject);
    return row ? { key: row.source_key, etag: row.etag } : null;
  }

  /** The transcript of a recording (by key) or of a call (by subject), turns in time order. */
  transcriptOf(subject: TranscriptSubject | string): StoredTranscript | null {
    const row = this.#row(typeof subject === 'string' ? { recording_key: subject } : subject);
    if (!row) return null;
    const segments = this.#segmentsOf
      .all(row.id * SEGMENT_SHIFT, (row.id + 1) * SEGMENT_SHIFT)
      .map(({ sentiment, ...segment }) => (sentiment === null ? segment : { ...segment, sentiment }));
    return {
      subject: subjectOf(row),
      source_key: row.source_key,
      etag: row.etag,
      format: row.format,
      alignment:
        row.alignment_source === null || row.recording_start_ms === null
          ? null
          : { source: row.alignment_source, recording_start_ms: row.recording_start_ms },
      saved_at: row.saved_at,
      segments,
    };
  }

  /**
   * The calls in which `query` was said (see said-query.ts for the syntax), most recently saved
   * transcripts first, each with its first hits. The list of calls uses saidFilterSql and hitsFor
   * instead, to keep its own order and filters.
   */
  searchSaid(query: string, options: SaidOptions = {}): SaidMatch[] {
    const said = saidQuery(query, options.speaker ?? null);
    if (said === null) return [];
    const limit = options.limit ?? 50;
    const [first, ...others] = said.required as [string, ...string[]];
    const ids: number[] = [];
    let last = -1;
    // Walk the index newest first and stop at the page's last call: a word said in every call
    // costs one page of the index, not all of it. Other required terms are looked up in each call.
    for (const rowid of this.#matchingRowids.iterate(first)) {
      const id = Math.floor(rowid / SEGMENT_SHIFT);
      if (id === last) continue;
      last = id;
      if (!others.every((match) => this.#saidIn.get(match, id * SEGMENT_SHIFT, (id + 1) * SEGMENT_SHIFT)))
        continue;
      ids.push(id);
      if (ids.length === limit) break;
    }
    return ids.flatMap((id) => {
      const row = this.#byId.get(id);
      return row
        ? [{ subject: subjectOf(row), hits: this.#hits(id, said.any, options.hitsPerCall ?? 3) }]
        : [];
    });
  }

  /** The first hits of `query` in each of `subjects` (a page of the list), in the same order. */
  hitsFor(query: string, subjects: readonly TranscriptSubject[], options: SaidOptions = {}): SaidHit[][] {
    const said = saidQuery(query, options.speaker ?? null);
    return subjects.map((subject) => {
      const row = said === null ? undefined : this.#row(subject);
      return row ? this.#hits(row.id, said!.any, options.hitsPerCall ?? 3) : [];
    });
  }

  #hits(id: number, match: string, limit: number): SaidHit[] {
    return this.#hitsIn
      .all(MARK_OPEN, MARK_CLOSE, match, id * SEGMENT_SHIFT, (id + 1) * SEGMENT_SHIFT, limit)
      .map((hit) => ({ ...hit, snippet: marked(hit.snippet) }));
  }

  #row(subject: TranscriptSubject): TranscriptRow | undefined {
    return 'recording_key' in subject
      ? this.#byRecording.get(subject.recording_key)
      : this.#byInteraction.get(subject.interaction_id);
  }

  #remove(subject: TranscriptSubject): boolean {
    const row = this.#row(subject);
    if (!row) return false;
    this.#deleteSegments.run(row.id * SEGMENT_SHIFT, (row.id + 1) * SEGMENT_SHIFT);
    this.#deleteTranscript.run(row.id);
    return true;
  }
}

function subjectOf(row: TranscriptRow): TranscriptSubject {
  return row.recording_key !== null
    ? { recording_key: row.recording_key }
    : { interaction_id: row.interaction_id! };
}

function marked(snippet: string): string {
  return snippet
    .replaceAll(SNIPPET_OPEN, '“')
    .replaceAll(SNIPPET_CLOSE, '”')
    .replaceAll(MARK_OPEN, SNIPPET_OPEN)
    .replaceAll(MARK_CLOSE, SNIPPET_CLOSE);
}
