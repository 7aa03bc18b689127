-- A counter that moves whenever any interaction row changes, whoever writes it (this process or
-- another): the list's cached views are valid while it stands still. A sync that changes no call
-- (checkpoints, unchanged recordings) leaves it alone, so views outlive a periodic sync.
CREATE TABLE interactions_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO interactions_generation (id, n) VALUES (1, 0);
CREATE TRIGGER interactions_generation_insert AFTER INSERT ON interactions
BEGIN
  UPDATE interactions_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER interactions_generation_update AFTER UPDATE ON interactions
BEGIN
  UPDATE interactions_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER interactions_generation_delete AFTER DELETE ON interactions
BEGIN
  UPDATE interactions_generation SET n = n + 1 WHERE id = 1;
END;
