-- What an Egress manifest beside a recording tells (duration is already a column): unix ms.
ALTER TABLE recordings ADD COLUMN started_ms INTEGER;
ALTER TABLE recordings ADD COLUMN ended_ms INTEGER;

-- Where an interaction came from: 'file' (an import), 'upstream' (the upstream Recording API), or
-- 'recording': a stand-in for a recording no metadata describes, so that it still shows in the
-- list with what its key (and manifest) tell. Stand-ins come and go with the catalog store.
ALTER TABLE interactions ADD COLUMN source TEXT NOT NULL DEFAULT 'file';
CREATE INDEX interactions_stand_ins ON interactions (recording_id) WHERE source = 'recording';

-- Search: one contentless FTS5 row per interaction (rowid = interactions.rowid) holding the words
-- of its customer name, ids and phone. A phone is indexed as digits in several forms (full,
-- national, last 7, last 4), so "(510) 345-5686", "3455686" and "+1 510 345 5686" all find it.
-- detail=none keeps the index small and fast to build: queries are AND-ed prefix terms, no phrases.
CREATE VIRTUAL TABLE interactions_search USING fts5(
  terms,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'unicode61 remove_diacritics 2'
);
