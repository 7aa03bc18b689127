-- A GET names the download after the newest call with its dispatch id: the index answers that alone.
DROP INDEX interactions_by_dispatch_id;
CREATE INDEX interactions_by_dispatch_id ON interactions (dispatch_id, start_ms DESC);
