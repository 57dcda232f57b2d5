-- As migration 013 on SQLite: actions' search rows are written by the notes layer's search
-- indexer at the notes' pace, not at every extraction pass (server/search/indexer.ts).
DROP TRIGGER search_actions_ai ON action_items;
DROP TRIGGER search_actions_au ON action_items;
DROP FUNCTION search_actions_aiu();
