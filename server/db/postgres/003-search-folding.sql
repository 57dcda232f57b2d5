-- Search folds diacritics as SQLite's FTS5 (unicode61, remove_diacritics 2) does: "café" is
-- found by "cafe". unaccent() is not immutable (its rules are a file), so the tsvector cannot be
-- a generated column any more: a trigger keeps it.
CREATE EXTENSION IF NOT EXISTS unaccent;

ALTER TABLE search_docs DROP COLUMN words;
ALTER TABLE search_docs ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector;

CREATE FUNCTION search_docs_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The title weighs four times the body (see server/search/search.ts).
  NEW.words := setweight(to_tsvector('simple', unaccent(NEW.title)), 'A') || to_tsvector('simple', unaccent(NEW.body));
  RETURN NEW;
END $$;
CREATE TRIGGER search_docs_words BEFORE INSERT OR UPDATE OF title, body ON search_docs
  FOR EACH ROW EXECUTE FUNCTION search_docs_words();

UPDATE search_docs SET title = title;
CREATE INDEX search_docs_words ON search_docs USING gin (words);
