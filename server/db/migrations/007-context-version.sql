-- What a session document's notes are read against (its meeting's title, attendees, agenda and
-- days) changes rarely; the notes layer keeps it in memory per loaded document and reads it again
-- only when this counter has moved. Triggers bump it on every change to those tables, so no code
-- path that edits a meeting can leave a stale copy behind.
CREATE TABLE context_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO context_version (id, version) VALUES (1, 0);

CREATE TRIGGER context_version_meetings_insert AFTER INSERT ON meetings BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_meetings_update AFTER UPDATE ON meetings BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_meetings_delete AFTER DELETE ON meetings BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_attendees_insert AFTER INSERT ON attendees BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_attendees_update AFTER UPDATE ON attendees BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_attendees_delete AFTER DELETE ON attendees BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_blocks_insert AFTER INSERT ON agenda_blocks BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_blocks_update AFTER UPDATE ON agenda_blocks BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_blocks_delete AFTER DELETE ON agenda_blocks BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_items_insert AFTER INSERT ON agenda_items BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_items_update AFTER UPDATE ON agenda_items BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_agenda_items_delete AFTER DELETE ON agenda_items BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_note_sessions_insert AFTER INSERT ON note_sessions BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_note_sessions_update AFTER UPDATE ON note_sessions BEGIN UPDATE context_version SET version = version + 1; END;
CREATE TRIGGER context_version_note_sessions_delete AFTER DELETE ON note_sessions BEGIN UPDATE context_version SET version = version + 1; END;
