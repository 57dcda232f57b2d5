-- Collaborative documents: a merged Yjs state plus an append-only log of updates since.
CREATE TABLE documents (
  name        TEXT PRIMARY KEY,
  state       BLOB,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE document_updates (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  doc         TEXT NOT NULL,
  data        BLOB NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE INDEX document_updates_doc ON document_updates (doc, id);
