-- Action items extracted from session documents. The Yjs document is the source of truth; this
-- table is an index of it, kept in step by server/notes (one transaction per extraction pass).
-- `id` is the action id stored in the block's NodeState, so it survives edits, moves and ticks.
CREATE TABLE action_items (
  id              TEXT PRIMARY KEY,
  doc             TEXT NOT NULL,
  meeting_id      TEXT REFERENCES meetings (id) ON DELETE CASCADE,
  session_id      TEXT REFERENCES note_sessions (id) ON DELETE CASCADE,
  -- From the heading's NodeState, i.e. from clients: not a foreign key, joined leniently.
  agenda_item_id  TEXT,
  description     TEXT NOT NULL,
  source_text     TEXT NOT NULL,
  -- Resolved attendees: JSON [{id, name, handle}]
  assignees_json  TEXT NOT NULL DEFAULT '[]',
  -- Raw assignee tokens as typed: JSON ["@ktl", "All", …]
  assignee_text   TEXT NOT NULL DEFAULT '[]',
  everyone        INTEGER NOT NULL DEFAULT 0,
  due             TEXT,
  done            INTEGER NOT NULL DEFAULT 0,
  -- Ticket keys: JSON ["DM-29330", …]
  tickets_json    TEXT NOT NULL DEFAULT '[]',
  -- Order of the block within its document.
  position        INTEGER NOT NULL DEFAULT 0,
  -- ISO 8601; set when the block leaves the notes, cleared when it comes back (undo).
  removed_at      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE INDEX action_items_doc ON action_items (doc, position);
CREATE INDEX action_items_meeting ON action_items (meeting_id, session_id, position);
CREATE INDEX action_items_open_due ON action_items (done, due) WHERE removed_at IS NULL;
