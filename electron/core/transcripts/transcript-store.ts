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
import { fold, saidQuery, wordsOf, type PrefixExpander, type SaidQuery } from './said-query.ts';
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

/**
 * A said condition fitted to how often the words were said (TranscriptStore.saidFilter). Both
 * kinds keep exactly the same calls; they differ in what they cost:
 * - `few`: the matching calls are listed in the parameters (found in the index up front, at most
 *   FEW_CALLS of them): any query over the list is cheap with it, a full count included;
 * - `many`: each call is looked up in the index as the list reaches it (~30 µs a call), so a page
 *   read in the list's order with a LIMIT stops after a page of matches; a full count of the
 *   list reads every call (use saidFilterSql, the index-driven form, for that).
 */
export interface SaidFilterPlan extends SaidFilterSql {
  readonly reach: 'few' | 'many';
  /** `few`: how many transcripts said it (the calls listed). */
  readonly calls?: number;
}

/** Open and close marks of a hit's words in a snippet. */
export const SNIPPET_OPEN = '«';
export const SNIPPET_CLOSE = '»';
/** A transcript holds at most this many turns: the low 20 bits of a segment's id number them. */
export const MAX_SEGMENTS = 1 << 20;
const SEGMENT_SHIFT = 2 ** 20;
/** Calls a search collects from the index before it calls its word common (see saidFilter). */
export const FEW_CALLS = 2000;
// Marks no transcript holds (control characters are removed on save), made « » once the snippet
// is built, so that « » in the spoken text itself cannot be mistaken for a hit.
const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const SNIPPET_TOKENS = 16;
// eslint-disable-next-line no-control-regex -- the marks are control characters on purpose (above)
const MARKED_SPAN = /\u0002([^\u0003]*)\u0003/g;
/** A prefix standing for more words than this is left to FTS5's own prefix query. */
const MAX_PREFIX_WORDS = 32;

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

interface MarkedHitRow extends HitRow {
  /** The turn's whole text with every matched word marked. */
  marked: string;
}

/** Turns of one call read to choose its best hits (a call says a common word in most of its turns). */
const TURNS_RANKED = 64;

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
  return said === null ? null : indexDrivenSql(said);
}

function indexDrivenSql(said: SaidQuery): SaidFilterSql {
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

/** A call of the list: its recording's key when it has one, and its id. */
export interface CallSubject {
  readonly recording_key: string | null;
  readonly interaction_id: string;
}

/** `t`'s turns have said every required term (`t` being a transcripts row). */
function probes(count: number): string {
  return Array.from(
    { length: count },
    (_, index) =>
      `EXISTS (SELECT 1 FROM transcript_fts WHERE transcript_fts MATCH $saidMatch${index} ` +
      `AND transcript_fts.rowid >= (t.id << 20) AND transcript_fts.rowid < ((t.id + 1) << 20))`,
  ).join(' AND ');
}

const storesOf = new WeakMap<CatalogDatabase, TranscriptStore>();

export class TranscriptStore {
  /** One per catalog connection (its statements prepared once), for the list and the transcript route. */
  static of(db: CatalogDatabase): TranscriptStore {
    let store = storesOf.get(db);
    if (!store) {
      store = new TranscriptStore(db);
      storesOf.set(db, store);
    }
    return store;
  }

  readonly #db: CatalogDatabase;
  readonly #now: () => number;
  readonly #byRecording: Statement<[string], TranscriptRow>;
  readonly #byInteraction: Statement<[string], TranscriptRow>;
  readonly #byId: Statement<[number], TranscriptRow>;
  readonly #segmentsOf: Statement<[bigint, bigint], SegmentRow>;
  readonly #deleteSegments: Statement<[bigint, bigint]>;
  readonly #deleteTranscript: Statement<[number]>;
  readonly #nextId: Statement<[], number>;
  readonly #insertTranscript: Statement<Record<string, unknown>>;
  readonly #insertSegment: Statement<unknown[]>;
  readonly #hitsIn: Statement<[string, string, string, bigint, bigint, number], HitRow>;
  readonly #markedTurnsIn: Statement<
    [string, string, string, string, string, bigint, bigint, number],
    MarkedHitRow
  >;
  readonly #matchingRowids: Statement<[string], number>;
  readonly #saidIn: Statement<[string, bigint, bigint], number>;
  readonly #recordingIdsOf: Statement<[string], number>;
  readonly #interactionIdsOf: Statement<[string], string>;
  readonly #listChanged: Statement<[]>;
  readonly #segmentText: Statement<[bigint], { text: string; speaker: Speaker }>;
  readonly #wordsStartingWith: Statement<[string, string, number], string>;

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
    this.#markedTurnsIn = db.prepare(
      `SELECT s.start_ms, s.speaker, snippet(transcript_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet,
              highlight(transcript_fts, 0, ?, ?) AS marked
         FROM transcript_fts JOIN transcript_segments s ON s.id = transcript_fts.rowid
        WHERE transcript_fts MATCH ? AND transcript_fts.rowid >= ? AND transcript_fts.rowid < ?
        ORDER BY transcript_fts.rowid LIMIT ?`,
    );
    this.#matchingRowids = db
      .prepare<[string], number>(
        'SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ? ORDER BY rowid DESC',
      )
      .pluck();
    this.#recordingIdsOf = db
      .prepare<[string], number>(
        `SELECT r.id FROM transcripts t JOIN recordings r ON r.key = t.recording_key
          WHERE t.id IN (SELECT value FROM json_each(?))`,
      )
      .pluck();
    this.#interactionIdsOf = db
      .prepare<[string], string>(
        `SELECT interaction_id FROM transcripts
          WHERE interaction_id IS NOT NULL AND id IN (SELECT value FROM json_each(?))`,
      )
      .pluck();
    // The list's views are kept until a call changes (call-pages.ts); a transcript changes which
    // calls a said filter keeps, so it moves the same counter.
    this.#wordsStartingWith = db
      .prepare<[string, string, number], string>(
        'SELECT term FROM transcript_vocab WHERE term >= ? AND term < ? LIMIT ?',
      )
      .pluck();
    this.#segmentText = db.prepare('SELECT text, speaker FROM transcript_segments WHERE id = ?');
    this.#listChanged = db.prepare('UPDATE interactions_generation SET n = n + 1 WHERE id = 1');
    this.#saidIn = db
      .prepare<[string, bigint, bigint], number>(
        'SELECT 1 FROM transcript_fts WHERE transcript_fts MATCH ? AND rowid >= ? AND rowid < ? LIMIT 1',
      )
      .pluck();
  }

  /**
   * The condition for the list's `said` filter, chosen by how common the words are: see
   * SaidFilterPlan. Reads the index up to FEW_CALLS calls to decide. Null when the query has no
   * word to search for. Like every filter, it describes the catalog as it is now.
   */
  saidFilter(query: string, options: { readonly speaker?: Speaker | null } = {}): SaidFilterPlan | null {
    const said = this.#said(query, options.speaker);
    if (said === null) return null;
    const others = said.required.slice(1);
    const ids: number[] = [];
    let last = -1;
    const [driver, check] = this.#candidates(said);
    for (const rowid of this.#matchingRowids.iterate(driver)) {
      const id = Math.floor(rowid / SEGMENT_SHIFT);
      if (id === last || !check(rowid)) continue;
      last = id;
      ids.push(id);
      if (ids.length > FEW_CALLS) break;
    }
    if (ids.length > FEW_CALLS) {
      const params = Object.fromEntries(said.required.map((match, index) => [`saidMatch${index}`, match]));
      const probe = probes(said.required.length);
      return {
        reach: 'many',
        condition:
          `(EXISTS (SELECT 1 FROM recordings r JOIN transcripts t ON t.recording_key = r.key ` +
          `WHERE r.id = i.recording_id AND ${probe}) OR EXISTS (SELECT 1 FROM transcripts t ` +
          `WHERE t.interaction_id = i.interaction_id AND ${probe}))`,
        params,
      };
    }
    const kept = ids.filter((id) => others.every((match) => this.#saidIn.get(match, ...segmentRange(id))));
    const matching = JSON.stringify(kept);
    return {
      reach: 'few',
      calls: kept.length,
      condition:
        '(i.recording_id IN (SELECT value FROM json_each($saidRecordings)) OR ' +
        'i.interaction_id IN (SELECT value FROM json_each($saidInteractions)))',
      params: {
        saidRecordings: JSON.stringify(this.#recordingIdsOf.all(matching)),
        saidInteractions: JSON.stringify(this.#interactionIdsOf.all(matching)),
      },
    };
  }

  /**
   * How to walk the turns that said the first required term: the term itself, or for a phrase of
   * plain words, its longest word (the rarest, as a rule) with the phrase checked in the turn's
   * text. FTS5 matches a phrase by reading the positions of every word in it ("to", "a"…): 140 ms
   * over 100,000 calls for "speak to a lawyer", against a few ms this way.
   */
  #candidates(said: SaidQuery): [string, (rowid: number) => boolean] {
    const phrase = said.phrases[0];
    if (!phrase) return [said.required[0]!, () => true];
    const longest = phrase.reduce((a, b) => (b.length > a.length ? b : a));
    const driver =
      said.speaker === null
        ? `text : ("${longest}")`
        : `text : ("${longest}") AND speaker : "${said.speaker}"`;
    return [
      driver,
      (rowid) => {
        const segment = this.#segmentText.get(BigInt(rowid));
        return segment !== undefined && containsRun(wordsOf(segment.text), phrase);
      },
    ];
  }

  /**
   * Merges the word index's segments into one. Searches of the most recently saved transcripts
   * slow down (to ~1 ms a call for a common word) while a sync's many small segments wait to be
   * merged; run this after a sync or an import that saved many transcripts (~6 s a 100k calls).
   */
  optimizeIndex(): void {
    this.#db.exec(`INSERT INTO transcript_fts (transcript_fts) VALUES ('optimize')`);
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
        this.#listChanged.run();
      })
      .immediate();
    return { segment_count: segments.length };
  }

  /** Forgets the transcript of `subject` (its recording is gone, or its file was removed). */
  remove(subject: TranscriptSubject): boolean {
    return this.#db
      .transaction(() => {
        const removed = this.#remove(subject);
        if (removed) this.#listChanged.run();
        return removed;
      })
      .immediate();
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
      .all(...segmentRange(row.id))
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
    const said = this.#said(query, options.speaker);
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
      if (!others.every((match) => this.#saidIn.get(match, ...segmentRange(id)))) continue;
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
    const said = this.#said(query, options.speaker);
    return subjects.map((subject) => {
      const row = said === null ? undefined : this.#row(subject);
      return row ? this.#hits(row.id, said!.any, options.hitsPerCall ?? 3) : [];
    });
  }

  /**
   * The best hits of `query` in each call of a list page, in the page's order: a call's transcript
   * is its recording's or, when that has none, its own (by interaction id), as the said filter
   * matches them. Best first: turns holding more of the searched terms (a phrase is one), then
   * more matches, then earlier ones.
   */
  hitsForCalls(query: string, calls: readonly CallSubject[], options: SaidOptions = {}): SaidHit[][] {
    const said = this.#said(query, options.speaker);
    if (said === null) return calls.map(() => []);
    const limit = options.hitsPerCall ?? 3;
    return calls.map((call) => {
      const row = this.#rowOfCall(call);
      if (!row) return [];
      // One term: every hit holds all of it, so the best are the first (no turn is ranked).
      return said.terms.length === 1
        ? this.#hits(row.id, said.any, limit)
        : this.#bestHits(row.id, said.any, limit);
    });
  }

  /** The transcript of a call: its recording's, else one saved for the call itself. */
  transcriptOfCall(call: CallSubject): StoredTranscript | null {
    const row = this.#rowOfCall(call);
    return row ? this.transcriptOf(subjectOf(row)) : null;
  }

  /**
   * The index-driven condition of saidFilterSql (one pass over the words' index, whatever the list
   * holds), with prefixes looked up as the words they stand for: for a whole view of the list.
   */
  saidFilterSql(query: string, options: { readonly speaker?: Speaker | null } = {}): SaidFilterSql | null {
    const said = this.#said(query, options.speaker);
    return said === null ? null : indexDrivenSql(said);
  }

  #rowOfCall(call: CallSubject): TranscriptRow | undefined {
    return (
      (call.recording_key === null ? undefined : this.#byRecording.get(call.recording_key)) ??
      this.#byInteraction.get(call.interaction_id)
    );
  }

  #bestHits(id: number, match: string, limit: number): SaidHit[] {
    const ranked = this.#markedTurnsIn
      .all(MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, match, ...segmentRange(id), TURNS_RANKED)
      .map((turn, place) => {
        const spans = [...turn.marked.matchAll(MARKED_SPAN)].map((span) => fold(span[1]!));
        return { turn, place, terms: new Set(spans).size, matches: spans.length };
      });
    ranked.sort((a, b) => b.terms - a.terms || b.matches - a.matches || a.place - b.place);
    return ranked
      .slice(0, limit)
      .map(({ turn }) => ({ start_ms: turn.start_ms, speaker: turn.speaker, snippet: marked(turn.snippet) }));
  }

  #said(query: string, speaker: Speaker | null | undefined): SaidQuery | null {
    return saidQuery(query, speaker ?? null, this.#expandPrefix);
  }

  readonly #expandPrefix: PrefixExpander = (stem) => {
    const words = this.#wordsStartingWith.all(stem, `${stem}\u{10FFFF}`, MAX_PREFIX_WORDS + 1);
    return words.length > MAX_PREFIX_WORDS ? null : words;
  };

  #hits(id: number, match: string, limit: number): SaidHit[] {
    return this.#hitsIn
      .all(MARK_OPEN, MARK_CLOSE, match, ...segmentRange(id), limit)
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
    this.#deleteSegments.run(...segmentRange(row.id));
    this.#deleteTranscript.run(row.id);
    return true;
  }
}

/**
 * The ids of a transcript's segments, as integers: FTS5 takes a rowid bound only when it is an
 * INTEGER value, and better-sqlite3 binds a JS number past 2^31 as a REAL, which FTS5 ignores
 * (it then reads the term's whole doclist: 1 ms instead of 30 µs for a common word).
 */
function segmentRange(id: number): [bigint, bigint] {
  return [BigInt(id) << 20n, BigInt(id + 1) << 20n];
}

/** `words` has `run` in it, word for word, in order. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let start = 0; start + run.length <= words.length; start += 1) {
    if (run.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
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
