-- A sync that lists the bucket flat (every key under the prefix, in order, with StartAfter) resumes
-- after the last key of the last folder it wrote: folders are written in key order, so everything
-- before it is done.
ALTER TABLE sync_runs ADD COLUMN resume_after TEXT;

-- When each date folder was last listed whole, by anything (a GET lists a folder no sync has been
-- through yet) and by a sync. A dispatch whose recording would have been uploaded before the sync's
-- listing, and that is not in the catalog, has none: the GET answers 404 without asking S3. Kept
-- across runs; by location, so a bucket switch starts over.
CREATE TABLE listed_folders (
  location  TEXT    NOT NULL,               -- as sync_runs.location
  folder    TEXT    NOT NULL,               -- e.g. egress-recordings/2025/08/08/
  listed_at INTEGER NOT NULL,               -- unix ms when its last listing began
  synced_at INTEGER,                        -- unix ms when its last listing by a sync began
  PRIMARY KEY (location, folder)
) WITHOUT ROWID;
