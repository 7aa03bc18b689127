-- Recordings found in S3 under the configured prefix: what their keys and the listing tell.
CREATE TABLE recordings (
  id            INTEGER PRIMARY KEY,
  key           TEXT    NOT NULL UNIQUE,
  direction     TEXT    NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  phone         TEXT    NOT NULL,
  ts            INTEGER NOT NULL,            -- unix seconds, from the file name
  size          INTEGER,
  etag          TEXT,
  last_modified INTEGER,                     -- unix ms
  duration      REAL,                        -- seconds, when a manifest tells
  listed_at     INTEGER NOT NULL             -- unix ms of the listing (sync or live lookup) that saw it
);
-- Resolution: a phone's outbound recordings in time order.
CREATE INDEX recordings_by_phone_time ON recordings (phone, direction, ts);

-- Calls from metadata sources (imported files, later an upstream API), the documented list fields.
CREATE TABLE interactions (
  interaction_id TEXT    NOT NULL PRIMARY KEY,
  dispatch_id    TEXT,
  customer_name  TEXT,
  phone          TEXT,
  status         TEXT,
  outcome        TEXT,
  duration       REAL,
  start_time     TEXT,
  end_time       TEXT,
  start_ms       INTEGER,                    -- start_time as unix ms, for ordering
  dispatch_phone TEXT,                       -- parsed from dispatch_id
  dispatch_ts    INTEGER,
  recording_id   INTEGER                     -- recordings.id it resolves to; kept right by the catalog store
);
-- The list: newest first, ties in a stable order so that pages never overlap.
CREATE INDEX interactions_newest_first ON interactions (start_ms DESC, interaction_id DESC);
CREATE INDEX interactions_by_dispatch_id ON interactions (dispatch_id);
-- Linking a newly listed recording to the dispatches it may belong to.
CREATE INDEX interactions_by_dispatch ON interactions (dispatch_phone, dispatch_ts);

-- Small facts about this catalog (which bucket and prefix it describes, sync state).
CREATE TABLE catalog_facts (
  name  TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
