-- Versions of a session document's notes (server/history). A version holds either the whole
-- document (a keyframe) or the Yjs update from the previous version's state vector to its own (a
-- delta): reading one merges at most KEYFRAME_EVERY updates, and a version of a long meeting
-- costs what was typed since the previous one, not the meeting's size.
CREATE TABLE note_versions (
  id            TEXT PRIMARY KEY,
  doc           TEXT NOT NULL,
  meeting_id    TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  session_id    TEXT NOT NULL REFERENCES note_sessions (id) ON DELETE CASCADE,
  -- Order within the document, from 1.
  seq           INTEGER NOT NULL,
  at            TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('auto', 'named', 'sealed', 'restore')),
  name          TEXT,
  -- Who asked for it (named, sealed, restore): a display name, kept as it was then.
  created_by    TEXT,
  keyframe      INTEGER NOT NULL CHECK (keyframe IN (0, 1)),
  data          BLOB NOT NULL,
  state_vector  BLOB NOT NULL,
  -- JSON [{name}]: who edited since the previous version.
  authors       TEXT NOT NULL DEFAULT '[]',
  -- SHA-256 of the canonical Markdown of the notes at this version (sealed versions).
  sha256        TEXT,
  UNIQUE (doc, seq)
);
CREATE INDEX note_versions_meeting ON note_versions (meeting_id, kind, seq);

-- Which user each Yjs client id of a document wrote as: recorded by the server from the
-- connection an update arrived on, never from anything the client says about itself.
CREATE TABLE document_authors (
  doc        TEXT NOT NULL,
  client_id  INTEGER NOT NULL,
  user_id    TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (doc, client_id)
);

-- Search (server/search). One row per thing a search can find; triggers keep the rows of
-- meetings, agenda items, proposals and actions in step with their tables, and the notes layer
-- writes one row per agenda item's running notes. The FTS5 index reads its text from here.
CREATE TABLE search_docs (
  rowid           INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('meeting', 'agenda', 'proposal', 'action', 'note')),
  -- The row's source: a meeting, agenda item, proposal or action id; for notes "<doc> <item id or ''>".
  ref             TEXT NOT NULL,
  meeting_id      TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  session_id      TEXT,
  agenda_item_id  TEXT,
  date            TEXT NOT NULL,
  title           TEXT NOT NULL,
  body            TEXT NOT NULL,
  UNIQUE (kind, ref)
);
CREATE INDEX search_docs_meeting ON search_docs (meeting_id);

CREATE VIRTUAL TABLE search_fts USING fts5 (
  title, body,
  content = 'search_docs', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts (rowid, title, body) VALUES (NEW.rowid, NEW.title, NEW.body);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', OLD.rowid, OLD.title, OLD.body);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', OLD.rowid, OLD.title, OLD.body);
  INSERT INTO search_fts (rowid, title, body) VALUES (NEW.rowid, NEW.title, NEW.body);
END;

-- Meetings: the title, with series and place as text to match.
CREATE TRIGGER search_meetings_ai AFTER INSERT ON meetings BEGIN
  INSERT INTO search_docs (kind, ref, meeting_id, date, title, body)
  VALUES ('meeting', NEW.id, NEW.id, NEW.start_date, NEW.title, trim(coalesce(NEW.series, '') || ' ' || coalesce(NEW.location, '')));
END;
CREATE TRIGGER search_meetings_au AFTER UPDATE OF title, series, location, start_date ON meetings BEGIN
  UPDATE search_docs SET date = NEW.start_date, title = NEW.title, body = trim(coalesce(NEW.series, '') || ' ' || coalesce(NEW.location, ''))
  WHERE kind = 'meeting' AND ref = NEW.id;
  UPDATE search_docs SET date = NEW.start_date WHERE meeting_id = NEW.id AND kind = 'proposal';
END;

-- Agenda items: the topic, its coordinators and pre-meeting notes, dated by their day.
CREATE TRIGGER search_agenda_ai AFTER INSERT ON agenda_items BEGIN
  INSERT INTO search_docs (kind, ref, meeting_id, agenda_item_id, date, title, body)
  VALUES ('agenda', NEW.id, NEW.meeting_id, NEW.id, (SELECT date FROM agenda_blocks WHERE id = NEW.block_id), NEW.topic,
          trim(coalesce((SELECT group_concat(value, ', ') FROM json_each(NEW.coordinators)), '') || ' ' || coalesce(NEW.pre_notes, '')))
  ON CONFLICT (kind, ref) DO UPDATE SET date = excluded.date, title = excluded.title, body = excluded.body, meeting_id = excluded.meeting_id;
END;
CREATE TRIGGER search_agenda_au AFTER UPDATE ON agenda_items BEGIN
  UPDATE search_docs SET date = (SELECT date FROM agenda_blocks WHERE id = NEW.block_id), title = NEW.topic,
    body = trim(coalesce((SELECT group_concat(value, ', ') FROM json_each(NEW.coordinators)), '') || ' ' || coalesce(NEW.pre_notes, ''))
  WHERE kind = 'agenda' AND ref = NEW.id;
END;
CREATE TRIGGER search_agenda_ad AFTER DELETE ON agenda_items BEGIN
  DELETE FROM search_docs WHERE kind = 'agenda' AND ref = OLD.id;
END;

-- Topic proposals.
CREATE TRIGGER search_proposals_ai AFTER INSERT ON topic_proposals BEGIN
  INSERT INTO search_docs (kind, ref, meeting_id, agenda_item_id, date, title, body)
  VALUES ('proposal', NEW.id, NEW.meeting_id, NEW.item_id, (SELECT start_date FROM meetings WHERE id = NEW.meeting_id), NEW.topic,
          trim(coalesce(NEW.requested_by, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER search_proposals_au AFTER UPDATE OF topic, requested_by, notes, item_id ON topic_proposals BEGIN
  UPDATE search_docs SET title = NEW.topic, body = trim(coalesce(NEW.requested_by, '') || ' ' || coalesce(NEW.notes, '')), agenda_item_id = NEW.item_id
  WHERE kind = 'proposal' AND ref = NEW.id;
END;
CREATE TRIGGER search_proposals_ad AFTER DELETE ON topic_proposals BEGIN
  DELETE FROM search_docs WHERE kind = 'proposal' AND ref = OLD.id;
END;

-- Actions while they are in the notes (a removed one leaves the index, and comes back with it).
CREATE TRIGGER search_actions_ai AFTER INSERT ON action_items WHEN NEW.removed_at IS NULL AND NEW.meeting_id IS NOT NULL BEGIN
  INSERT INTO search_docs (kind, ref, meeting_id, session_id, agenda_item_id, date, title, body)
  VALUES ('action', NEW.id, NEW.meeting_id, NEW.session_id, NEW.agenda_item_id,
          coalesce((SELECT date FROM note_sessions WHERE id = NEW.session_id), ''), NEW.description, NEW.source_text)
  ON CONFLICT (kind, ref) DO UPDATE SET title = excluded.title, body = excluded.body, agenda_item_id = excluded.agenda_item_id;
END;
CREATE TRIGGER search_actions_au AFTER UPDATE OF description, source_text, agenda_item_id, removed_at ON action_items BEGIN
  DELETE FROM search_docs WHERE kind = 'action' AND ref = NEW.id AND (NEW.removed_at IS NOT NULL OR NEW.meeting_id IS NULL);
  INSERT INTO search_docs (kind, ref, meeting_id, session_id, agenda_item_id, date, title, body)
  SELECT 'action', NEW.id, NEW.meeting_id, NEW.session_id, NEW.agenda_item_id,
         coalesce((SELECT date FROM note_sessions WHERE id = NEW.session_id), ''), NEW.description, NEW.source_text
  WHERE NEW.removed_at IS NULL AND NEW.meeting_id IS NOT NULL
  ON CONFLICT (kind, ref) DO UPDATE SET title = excluded.title, body = excluded.body, agenda_item_id = excluded.agenda_item_id
  WHERE title IS NOT excluded.title OR body IS NOT excluded.body OR agenda_item_id IS NOT excluded.agenda_item_id;
END;
CREATE TRIGGER search_actions_ad AFTER DELETE ON action_items BEGIN
  DELETE FROM search_docs WHERE kind = 'action' AND ref = OLD.id;
END;

-- What existed before this migration.
INSERT INTO search_docs (kind, ref, meeting_id, date, title, body)
  SELECT 'meeting', id, id, start_date, title, trim(coalesce(series, '') || ' ' || coalesce(location, '')) FROM meetings;
INSERT INTO search_docs (kind, ref, meeting_id, agenda_item_id, date, title, body)
  SELECT 'agenda', i.id, i.meeting_id, i.id, b.date, i.topic,
         trim(coalesce((SELECT group_concat(value, ', ') FROM json_each(i.coordinators)), '') || ' ' || coalesce(i.pre_notes, ''))
  FROM agenda_items i JOIN agenda_blocks b ON b.id = i.block_id;
INSERT INTO search_docs (kind, ref, meeting_id, agenda_item_id, date, title, body)
  SELECT 'proposal', p.id, p.meeting_id, p.item_id, m.start_date, p.topic, trim(coalesce(p.requested_by, '') || ' ' || coalesce(p.notes, ''))
  FROM topic_proposals p JOIN meetings m ON m.id = p.meeting_id;
INSERT INTO search_docs (kind, ref, meeting_id, session_id, agenda_item_id, date, title, body)
  SELECT 'action', a.id, a.meeting_id, a.session_id, a.agenda_item_id, coalesce(s.date, ''), a.description, a.source_text
  FROM action_items a LEFT JOIN note_sessions s ON s.id = a.session_id
  WHERE a.removed_at IS NULL AND a.meeting_id IS NOT NULL;

-- A session's authors go with its document.
CREATE TRIGGER document_authors_session_ad AFTER DELETE ON note_sessions BEGIN
  DELETE FROM document_authors WHERE doc = OLD.doc;
END;

-- Session documents whose notes the search index has read at least once (the rest are read in
-- the background after a start: notes written before this migration).
CREATE TABLE search_indexed_docs (
  doc  TEXT PRIMARY KEY
);
CREATE TRIGGER search_indexed_session_ad AFTER DELETE ON note_sessions BEGIN
  DELETE FROM search_indexed_docs WHERE doc = OLD.doc;
END;

-- Text the server wrote on someone's behalf (a restore re-creates the restored version's text as
-- new Yjs items of the server's own client): which clock ranges of that client carry whose words.
CREATE TABLE document_author_ranges (
  doc          TEXT NOT NULL,
  client_id    INTEGER NOT NULL,
  clock_start  INTEGER NOT NULL,
  clock_end    INTEGER NOT NULL,
  user_id      TEXT NOT NULL,
  name         TEXT NOT NULL,
  PRIMARY KEY (doc, client_id, clock_start)
);
CREATE TRIGGER document_author_ranges_session_ad AFTER DELETE ON note_sessions BEGIN
  DELETE FROM document_author_ranges WHERE doc = OLD.doc;
END;
