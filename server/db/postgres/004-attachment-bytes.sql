-- Attached files' bytes, by SHA-256: on one process they are files in DATA_DIR, but processes
-- sharing a database each have a DATA_DIR of their own (server/attachments/bytes.ts).
CREATE TABLE attachment_bytes (
  sha256  text PRIMARY KEY,
  bytes   bytea NOT NULL
);
