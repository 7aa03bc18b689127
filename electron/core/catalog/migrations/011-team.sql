-- The team (issue 12; docs/team.md): review events and forms shared through the bucket.
--
-- team_outbox holds what this machine wrote and the bucket does not have yet. A row is inserted in
-- the transaction that stores the event (or publishes the form), so nothing can be stored and not
-- queued. Before an upload the rows of a batch get their object key (batch_key), committed before the
-- PUT: a retry after a crash uploads the same rows under the same key, never a second copy.
CREATE TABLE team_outbox (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  kind      TEXT NOT NULL CHECK (kind IN ('event', 'form')),
  item_id   TEXT NOT NULL,                -- the event_id, or the form's version_id
  folder    TEXT NOT NULL,                -- the reviewer_id (events) or the form_id (forms)
  batch_key TEXT,                         -- the object key chosen for its upload; null until then
  UNIQUE (kind, item_id)
);
CREATE INDEX team_outbox_by_batch ON team_outbox (batch_key);

-- Objects already read from the bucket (stored or refused), so a re-listed key is not read again.
-- Keys older than a folder's cursor less the window are never listed again and are pruned.
CREATE TABLE team_pulled (
  key    TEXT NOT NULL PRIMARY KEY,
  folder TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX team_pulled_by_folder ON team_pulled (folder, key);

-- The last key read in each reviewer's folder: the next listing starts 15 minutes of key time before it.
CREATE TABLE team_cursors (
  folder   TEXT NOT NULL PRIMARY KEY,
  last_key TEXT NOT NULL
) WITHOUT ROWID;

-- Objects and events refused (wrong folder for their reviewer, malformed): reported, never silent.
CREATE TABLE team_refused (
  key    TEXT NOT NULL,
  reason TEXT NOT NULL,
  at     TEXT NOT NULL,
  PRIMARY KEY (key, reason)
) WITHOUT ROWID;

-- Reviewers' profiles read from `v1/reviewers/{reviewer_id}.json`: the name and ARN shown for them.
CREATE TABLE team_reviewers (
  reviewer_id TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  arn         TEXT
) WITHOUT ROWID;

-- Small facts of the team's sync: the cached identity, the last pull and push, the profile shared.
CREATE TABLE team_state (
  name  TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
