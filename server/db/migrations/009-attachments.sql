-- Files and links attached to agenda items. A file's bytes live under DATA_DIR/attachments by
-- their SHA-256 (the same file attached twice is stored once); this table says which item each
-- belongs to. No foreign key to agenda_items: saving an agenda replaces its rows (keeping ids),
-- and an item taken off the agenda keeps its attachments in case it comes back.
CREATE TABLE attachments (
  id              TEXT PRIMARY KEY,
  meeting_id      TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  agenda_item_id  TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  name            TEXT NOT NULL,
  url             TEXT,
  sha256          TEXT,
  size            INTEGER,
  content_type    TEXT,
  created_by      TEXT,
  created_at      TEXT NOT NULL,
  CHECK ((kind = 'file' AND sha256 IS NOT NULL AND url IS NULL) OR (kind = 'link' AND url IS NOT NULL AND sha256 IS NULL))
);
CREATE INDEX attachments_by_meeting ON attachments (meeting_id, agenda_item_id, created_at);
CREATE INDEX attachments_by_hash ON attachments (sha256);
