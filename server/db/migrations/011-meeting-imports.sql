-- Pages imported as meetings (server/import): the same page imported again is recognised by the
-- SHA-256 of its text and offered as a replacement instead of a duplicate.
CREATE TABLE meeting_imports (
  hash        TEXT PRIMARY KEY,
  meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  filename    TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX meeting_imports_meeting ON meeting_imports (meeting_id);
