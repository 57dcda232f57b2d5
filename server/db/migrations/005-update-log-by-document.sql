-- The update log as one b-tree keyed by (doc, id), so an append writes one b-tree instead of
-- three (the table, its (doc, id) index and the sqlite_sequence row of AUTOINCREMENT), and loading a
-- document reads its rows in key order. The store numbers each document's rows after its last one.
CREATE TABLE document_log (
  doc         TEXT NOT NULL,
  id          INTEGER NOT NULL,
  data        BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (doc, id)
) WITHOUT ROWID;

INSERT INTO document_log (doc, id, data, created_at)
  SELECT doc, id, data, created_at FROM document_updates;

DROP TABLE document_updates;
DELETE FROM sqlite_sequence WHERE name = 'document_updates';
ALTER TABLE document_log RENAME TO document_updates;
