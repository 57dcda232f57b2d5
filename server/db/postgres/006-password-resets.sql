-- One-time links an admin gives a member who forgot their password (or the command line gives
-- the admin). Stored as the SHA-256 hash of the token, like every other secret.
CREATE TABLE password_resets (
  id          text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  user_id     text NOT NULL REFERENCES users (id),
  created_by  text REFERENCES users (id),
  created_at  text NOT NULL,
  expires_at  text NOT NULL,
  used_at     text,
  revoked_at  text
);
CREATE INDEX password_resets_user ON password_resets (user_id);
