-- What an Egress manifest beside a recording tells (duration is already a column): unix ms.
ALTER TABLE recordings ADD COLUMN started_ms INTEGER;
ALTER TABLE recordings ADD COLUMN ended_ms INTEGER;

-- Where an interaction came from: 'file' (an import), 'upstream' (the upstream Recording API), or
-- 'recording': a stand-in for a recording no metadata describes, so that it still shows in the
-- list with what its key (and manifest) tell. The catalog store adds and removes stand-ins.
ALTER TABLE interactions ADD COLUMN source TEXT NOT NULL DEFAULT 'file';

-- Phone search ignores formatting and matches the end of a number ("345-5686" finds
-- +15103455686): the phone's digits reversed make "ends with" a range scan of this index.
ALTER TABLE interactions ADD COLUMN phone_rev TEXT;
UPDATE interactions SET phone_rev = tapedeck_phone_rev(phone) WHERE phone IS NOT NULL;
CREATE INDEX interactions_by_phone_rev ON interactions (phone_rev);

-- Names are searched word by word (prefixes, diacritics folded) with FTS5. The index is contentless
-- (rowid = interactions.rowid) and kept by the triggers below, whoever writes. Identifiers (phone,
-- interaction id, dispatch id) are searched through B-tree indexes instead: in FTS5 every one is a
-- unique term, which made a million-row import 6x slower for no better lookups.
CREATE VIRTUAL TABLE interactions_search USING fts5(
  name,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO interactions_search (rowid, name)
  SELECT rowid, customer_name FROM interactions WHERE customer_name IS NOT NULL;
CREATE TRIGGER interactions_search_insert AFTER INSERT ON interactions
  WHEN new.customer_name IS NOT NULL
BEGIN
  INSERT INTO interactions_search (rowid, name) VALUES (new.rowid, new.customer_name);
END;
CREATE TRIGGER interactions_search_delete AFTER DELETE ON interactions
  WHEN old.customer_name IS NOT NULL
BEGIN
  DELETE FROM interactions_search WHERE rowid = old.rowid;
END;
CREATE TRIGGER interactions_search_update AFTER UPDATE OF customer_name ON interactions
  WHEN new.customer_name IS NOT old.customer_name
BEGIN
  DELETE FROM interactions_search WHERE rowid = old.rowid;
  INSERT INTO interactions_search (rowid, name) SELECT new.rowid, new.customer_name WHERE new.customer_name IS NOT NULL;
END;

-- Stand-ins are found by the recording they stand for.
CREATE INDEX interactions_stand_ins ON interactions (recording_id) WHERE source = 'recording';

-- The list's order index also carries the filter columns, so any combination of status, outcome,
-- date and has-recording is answered from the index alone (no row is read to test a filter).
DROP INDEX interactions_newest_first;
CREATE INDEX interactions_newest_first
  ON interactions (start_ms DESC, interaction_id DESC, status, outcome, recording_id);
