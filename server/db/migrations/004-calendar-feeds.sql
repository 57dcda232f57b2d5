-- Private iCalendar feeds of a member's open actions (issue 5). One feed per member: creating it
-- again rotates the token, deleting the row revokes it. Only the SHA-256 hash of the token is kept.
CREATE TABLE calendar_feeds (
  user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);
