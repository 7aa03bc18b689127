-- Transcripts: what was said in a call, as timed turns per speaker, with a full-text index over
-- the words so that "which calls mentioned a lawyer" is one query and every hit carries its time.
-- Written by electron/core/transcripts/transcript-store.ts; stands apart from every other table
-- (a transcript names its recording by key, or its call by interaction id, and may arrive first).

-- One per recording (or per call without a recording): where it was read from, which version
-- (the ETag, so the sync reads a file again only when it changed) and how it was placed in time.
CREATE TABLE transcripts (
  id                 INTEGER PRIMARY KEY,
  recording_key      TEXT UNIQUE,
  interaction_id     TEXT UNIQUE,
  source_key         TEXT    NOT NULL,        -- the S3 key or local file it was read from
  etag               TEXT,
  format             TEXT    NOT NULL CHECK (format IN ('transcribe', 'contact-lens', 'livekit', 'vtt', 'srt')),
  alignment_source   TEXT    CHECK (alignment_source IN ('manifest', 'key')),
  recording_start_ms INTEGER,                 -- unix ms that became 0, for wall-clock formats
  segment_count      INTEGER NOT NULL,
  saved_at           INTEGER NOT NULL,        -- unix ms
  CHECK ((recording_key IS NULL) <> (interaction_id IS NULL))
);

-- The turns. A segment's id is its transcript's id * 2^20 + its place in the transcript, so that a
-- transcript's segments are one range of the table's own key (no second index to keep), and a hit
-- in the word index tells its transcript by a shift (rowid >> 20) without reading any row.
CREATE TABLE transcript_segments (
  id            INTEGER PRIMARY KEY,
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER NOT NULL,
  speaker       TEXT    NOT NULL CHECK (speaker IN ('agent', 'customer', 'unknown')),
  speaker_label TEXT,
  text          TEXT    NOT NULL,
  sentiment     TEXT    CHECK (sentiment IN ('POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED')),
  transcript_id INTEGER GENERATED ALWAYS AS (id >> 20) VIRTUAL
);

-- The word index: external content (the words are stored once, in transcript_segments; snippets
-- read them from there), full detail for phrase queries, no per-row sizes (nothing ranks by
-- length). The speaker is a column of its own, one word long, so "said by the customer" is a
-- column filter inside the index: no segment row is read to answer it.
CREATE VIRTUAL TABLE transcript_fts USING fts5(
  text,
  speaker,
  content = 'transcript_segments',
  content_rowid = 'id',
  columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Whoever writes segments keeps the index right: an external-content index forgets a row through
-- the 'delete' command given the very values it indexed, which these triggers have.
CREATE TRIGGER transcript_segments_index AFTER INSERT ON transcript_segments
BEGIN
  INSERT INTO transcript_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER transcript_segments_unindex AFTER DELETE ON transcript_segments
BEGIN
  INSERT INTO transcript_fts (transcript_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER transcript_segments_reindex AFTER UPDATE OF text, speaker ON transcript_segments
BEGIN
  INSERT INTO transcript_fts (transcript_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
  INSERT INTO transcript_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;

-- The index's words, so that a prefix ("canc*") is looked up as the few words it stands for.
CREATE VIRTUAL TABLE transcript_vocab USING fts5vocab(transcript_fts, 'row');
