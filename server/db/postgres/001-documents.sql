-- The collaboration core's update log, as in SQLite's 001 and 005: one merged state per
-- document, written by compaction, and the updates appended since, in the order of `id`.
CREATE TABLE documents (
  name text PRIMARY KEY,
  state bytea,
  updated_at bigint NOT NULL
);

CREATE TABLE document_updates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  doc text NOT NULL,
  data bytea NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX document_updates_by_doc ON document_updates (doc, id);

-- A row the readiness probe rewrites: a write that fails says the store cannot write.
CREATE TABLE storage_probe (
  id integer PRIMARY KEY,
  at bigint NOT NULL
);
