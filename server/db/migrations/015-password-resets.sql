-- One-time links an admin gives a member who forgot their password (or the command line gives
-- the admin). Stored as the SHA-256 hash of the token, like every other secret.
CREATE TABLE password_resets (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     TEXT NOT NULL REFERENCES users (id),
  created_by  TEXT REFERENCES users (id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT,
  revoked_at  TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
