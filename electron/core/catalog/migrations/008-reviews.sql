-- Reviews (issue 11): an append-only log of review events, and the tables folded from it.
--
-- review_events is the truth (and, with issue 12, what the team shares); every other table here is
-- derived from it by ReviewStore, and could be rebuilt by folding the log again. Times are UTC ISO
-- strings (`2025-08-08T12:00:00.000Z`), which sort as text.

-- Evaluation form versions. A version used by any review never changes (ReviewStore refuses).
CREATE TABLE form_versions (
  version_id   TEXT NOT NULL PRIMARY KEY,
  form_id      TEXT NOT NULL,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,                -- the form version as JSON (shared/reviews/form-schema.ts)
  published_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_versions_by_form ON form_versions (form_id, published_at);

-- One row per event, never updated or deleted. event_id is a ULID, so the primary key orders by time.
CREATE TABLE review_events (
  event_id       TEXT NOT NULL PRIMARY KEY,
  review_id      TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  reviewer_id    TEXT NOT NULL,
  type           TEXT NOT NULL,
  at             TEXT NOT NULL,
  body           TEXT NOT NULL               -- the whole event as JSON (shared/reviews/review-events.ts)
) WITHOUT ROWID;
CREATE INDEX review_events_by_review ON review_events (review_id, event_id);
CREATE INDEX review_events_by_reviewer ON review_events (reviewer_id, event_id);

CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN
  SELECT RAISE(ABORT, 'review_events is append-only: a correction is a new event');
END;
CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
BEGIN
  SELECT RAISE(ABORT, 'review_events is append-only: a correction is a new event');
END;

-- The current state of each review, folded from its events.
CREATE TABLE reviews (
  review_id       TEXT    NOT NULL PRIMARY KEY,
  interaction_id  TEXT    NOT NULL,
  reviewer_id     TEXT    NOT NULL,
  form_id         TEXT,                      -- null while its form version is not in this catalog
  form_version_id TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('draft', 'submitted')),
  percentage      REAL,                      -- frozen when submitted, live for a draft; null when unknown
  points          REAL,
  max_points      REAL,
  passed          INTEGER,                   -- 0/1; null when unscored
  auto_failed     INTEGER,                   -- 0/1; null when unscored
  tags            TEXT    NOT NULL,          -- JSON array, sorted
  created_at      TEXT    NOT NULL,
  submitted_at    TEXT,
  updated_at      TEXT    NOT NULL,
  reviewed_at     TEXT    NOT NULL,          -- submitted_at, or updated_at for a draft: what from/to filter
  last_event_id   TEXT    NOT NULL,
  -- What the reports need of a submitted review, small: a JSON array of tagged facts, "m:<question>"
  -- answered without full points, "n:<question>" answered N/A, "r:<reason>" an auto-fail reason.
  report          TEXT    NOT NULL DEFAULT '[]',
  -- The call's outcome when the review was last folded (the reports' pass rate by outcome).
  outcome         TEXT,
  state           TEXT    NOT NULL           -- the folded review with its score, as JSON
) WITHOUT ROWID;
CREATE INDEX reviews_by_interaction ON reviews (interaction_id, reviewed_at);
CREATE INDEX reviews_by_reviewer ON reviews (reviewer_id, interaction_id);
CREATE INDEX reviews_by_form ON reviews (form_id, interaction_id);
CREATE INDEX reviews_by_form_version ON reviews (form_version_id);
CREATE INDEX reviews_by_status_score ON reviews (status, percentage, interaction_id);
CREATE INDEX reviews_newest_first ON reviews (reviewed_at DESC, review_id DESC);
-- Covers the reports: one pass over the period's submitted reviews never reads their state.
CREATE INDEX reviews_for_reports ON reviews (status, reviewed_at, form_id, form_version_id, reviewer_id,
  outcome, percentage, passed, report);

-- Notes of the reviews, for the waveform's markers and the call's note list.
CREATE TABLE review_notes (
  review_id      TEXT    NOT NULL,
  note_id        TEXT    NOT NULL,
  interaction_id TEXT    NOT NULL,
  at_ms          INTEGER NOT NULL,
  end_ms         INTEGER,
  lane           TEXT    NOT NULL CHECK (lane IN ('agent', 'customer', 'both')),
  text           TEXT    NOT NULL,
  question_id    TEXT,
  created_at     TEXT    NOT NULL,
  updated_at     TEXT    NOT NULL,
  PRIMARY KEY (review_id, note_id)
) WITHOUT ROWID;
CREATE INDEX review_notes_by_interaction ON review_notes (interaction_id, at_ms);

-- Tags present on each review (after adds and removes), for the tag filter and autocompletion.
CREATE TABLE review_tags (
  review_id      TEXT NOT NULL,
  tag            TEXT NOT NULL,
  interaction_id TEXT NOT NULL,
  PRIMARY KEY (review_id, tag)
) WITHOUT ROWID;
CREATE INDEX review_tags_by_tag ON review_tags (tag, interaction_id);

-- One row per reviewed call, for the call list's review column and its filters: joined 1:1 by
-- primary key, and an unreviewed call is one without a row. The call's review is its most recently
-- submitted one ('passed' / 'failed'); 'draft' while none is submitted.
CREATE TABLE call_reviews (
  interaction_id TEXT    NOT NULL PRIMARY KEY,
  review_status  TEXT    NOT NULL CHECK (review_status IN ('draft', 'passed', 'failed')),
  percentage     REAL,                       -- of that review (null for a draft)
  review_id      TEXT    NOT NULL,           -- that review
  reviews        INTEGER NOT NULL,           -- reviews of the call, drafts included
  updated_at     TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX call_reviews_by_status ON call_reviews (review_status, percentage);
CREATE INDEX call_reviews_by_score ON call_reviews (percentage);
