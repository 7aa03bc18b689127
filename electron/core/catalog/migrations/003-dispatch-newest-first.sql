-- A dispatch id is `dispatch_{ts}_{phone}`: its parsed parts find its calls, newest first, so the
-- id's own index is not needed (one index less to maintain on every import).
DROP INDEX interactions_by_dispatch_id;
DROP INDEX interactions_by_dispatch;
CREATE INDEX interactions_by_dispatch ON interactions (dispatch_phone, dispatch_ts, start_ms DESC);
