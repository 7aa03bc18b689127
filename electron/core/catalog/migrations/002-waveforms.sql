-- Waveform peaks the player computed once for a recording (JSON: per-channel peaks and duration).
CREATE TABLE waveforms (
  recording_key TEXT    NOT NULL PRIMARY KEY,
  etag          TEXT,                        -- the object's ETag when computed: a replaced object is drawn again
  data          TEXT    NOT NULL,
  created_at    INTEGER NOT NULL             -- unix ms
);
