-- One row the server rewrites to learn whether it can write (at start, and while writes fail:
-- a full disk or a read-only file), so that /readyz tells the truth and editing resumes by itself.
CREATE TABLE storage_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
