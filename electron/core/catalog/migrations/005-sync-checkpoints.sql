-- Sync checkpoints: a sync lists the bucket one folder (key prefix) at a time and records each
-- folder as it completes, in the same transaction as that folder's catalog writes. A sync that did
-- not complete (killed, cancelled, failed) is resumed by the next one: its completed folders are not
-- listed again, and its final removal pass counts from the original start time.
CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  location    TEXT    NOT NULL,             -- the bucket and prefix it lists; a run of another location is never resumed
  started_at  INTEGER NOT NULL,             -- unix ms when the run first started
  state       TEXT    NOT NULL CHECK (state IN ('running', 'cancelled', 'failed', 'succeeded')),
  finished_at INTEGER                       -- unix ms; null while it can be resumed (a killed run stays 'running')
);

CREATE TABLE sync_folders (
  run_id  INTEGER NOT NULL,                 -- sync_runs.id
  folder  TEXT    NOT NULL,                 -- the key prefix, e.g. egress-recordings/2025/08/08/
  done_at INTEGER NOT NULL,                 -- unix ms
  PRIMARY KEY (run_id, folder)
) WITHOUT ROWID;

-- The ETag of the Egress manifest whose facts the row holds (or that was found unusable), so an
-- unchanged manifest is not fetched again.
ALTER TABLE recordings ADD COLUMN manifest_etag TEXT;
