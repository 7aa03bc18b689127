-- A sync that lists the bucket flat (every key under the prefix, in order, with StartAfter) resumes
-- after the last key of the last folder it wrote: folders are written in key order, so everything
-- before it is done.
ALTER TABLE sync_runs ADD COLUMN resume_after TEXT;

-- When each date folder was last listed whole (by a sync, or by a GET that listed it out of turn):
-- a dispatch whose recording would have been uploaded before then, and is not in the catalog, has
-- none, so the GET answers 404 without asking S3. Kept across runs; by location, so a bucket switch
-- starts over.
CREATE TABLE listed_folders (
  location  TEXT    NOT NULL,               -- as sync_runs.location
  folder    TEXT    NOT NULL,               -- e.g. egress-recordings/2025/08/08/
  listed_at INTEGER NOT NULL,               -- unix ms when that listing began
  PRIMARY KEY (location, folder)
) WITHOUT ROWID;
