-- The full-text index keeps no copy of the text and forgets a row by its rowid alone. With
-- external content (migration 010) FTS5 could only forget a row by being handed its old text and
-- tokenising it again, so the notes indexer's rewrite of a section being typed in tokenised the
-- section twice, and the index carried a delete entry for every old word until a merge. Nothing
-- reads text back from search_fts: search ranks with bm25(), which needs only the index, and cuts
-- snippets from search_docs (server/search/search.ts).
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5 (
  title, body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_fts (rowid, title, body) SELECT rowid, title, body FROM search_docs;

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts (rowid, title, body) VALUES (NEW.rowid, NEW.title, NEW.body);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body ON search_docs BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.rowid;
  INSERT INTO search_fts (rowid, title, body) VALUES (NEW.rowid, NEW.title, NEW.body);
END;
