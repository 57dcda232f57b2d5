-- Actions' search rows are written by the notes layer's search indexer (server/search/indexer.ts)
-- at the notes' pace, not by a trigger at every extraction pass: a pass rewrites an action at
-- each keystroke in its line, and each FTS5 write commits an index segment of its own. Deleted
-- action rows still take their search rows with them.
DROP TRIGGER search_actions_ai;
DROP TRIGGER search_actions_au;
