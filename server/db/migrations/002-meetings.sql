-- Accounts, meetings and share links (issue 3). Times are ISO 8601 UTC strings; dates YYYY-MM-DD.
-- Secrets (login sessions, invites, share links) are stored only as SHA-256 hashes of their tokens.

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name           TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  password_hash  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  -- Removed members keep their row (meetings still name their owner) but can no longer sign in.
  removed_at     TEXT
);

CREATE TABLE login_sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE TABLE invites (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  email        TEXT,
  role         TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  created_by   TEXT NOT NULL REFERENCES users (id),
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  accepted_at  TEXT,
  accepted_by  TEXT REFERENCES users (id),
  revoked_at   TEXT
);

CREATE TABLE meetings (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  series      TEXT,
  start_date  TEXT NOT NULL,
  end_date    TEXT NOT NULL,
  timezone    TEXT,
  location    TEXT,
  join_url    TEXT,
  join_text   TEXT,
  owner_id    TEXT NOT NULL REFERENCES users (id),
  closed_at   TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX meetings_start ON meetings (start_date);
CREATE INDEX meetings_series ON meetings (series, start_date);

CREATE TABLE attendees (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  name        TEXT NOT NULL,
  handle      TEXT,
  email       TEXT
);
CREATE INDEX attendees_meeting ON attendees (meeting_id, position);

-- Agenda: per day, blocks (each with a moderator and a notetaker) of items. Item ids are stable
-- across agenda edits, so notes and actions can refer to them.
CREATE TABLE agenda_blocks (
  id          TEXT PRIMARY KEY,
  meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  date        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  title       TEXT,
  moderator   TEXT,
  notetaker   TEXT
);
CREATE INDEX agenda_blocks_meeting ON agenda_blocks (meeting_id, date, position);

CREATE TABLE agenda_items (
  id            TEXT PRIMARY KEY,
  meeting_id    TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  block_id      TEXT NOT NULL REFERENCES agenda_blocks (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  time          TEXT,
  minutes       INTEGER,
  topic         TEXT NOT NULL,
  coordinators  TEXT NOT NULL DEFAULT '[]', -- JSON array of names or handles
  pre_notes     TEXT
);
CREATE INDEX agenda_items_block ON agenda_items (block_id, position);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id);

-- One note-taking session per meeting day, each backed by the collaborative document `doc`.
CREATE TABLE note_sessions (
  id          TEXT PRIMARY KEY,
  meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  date        TEXT NOT NULL,
  doc         TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);
CREATE INDEX note_sessions_meeting ON note_sessions (meeting_id, date);

CREATE TABLE share_links (
  id          TEXT PRIMARY KEY,
  meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('notetaker', 'follower')),
  token_hash  TEXT NOT NULL UNIQUE,
  label       TEXT,
  created_by  TEXT REFERENCES users (id),
  created_at  TEXT NOT NULL,
  rotated_at  TEXT,
  revoked_at  TEXT
);
CREATE INDEX share_links_meeting ON share_links (meeting_id);

CREATE TABLE topic_proposals (
  id                  TEXT PRIMARY KEY,
  meeting_id          TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  topic               TEXT NOT NULL,
  requested_by        TEXT,
  minutes             INTEGER,
  priority            TEXT CHECK (priority IN ('low', 'medium', 'high')),
  notes               TEXT,
  status              TEXT NOT NULL DEFAULT 'unscheduled' CHECK (status IN ('unscheduled', 'scheduled', 'merged')),
  item_id             TEXT REFERENCES agenda_items (id) ON DELETE SET NULL,
  merged_into_kind    TEXT CHECK (merged_into_kind IN ('proposal', 'item')),
  merged_into_id      TEXT,
  created_by_user     TEXT REFERENCES users (id),
  created_by_link     TEXT REFERENCES share_links (id) ON DELETE SET NULL,
  created_at          TEXT NOT NULL
);
CREATE INDEX topic_proposals_meeting ON topic_proposals (meeting_id, created_at);
