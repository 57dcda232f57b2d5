// The action_items table: an index of the session documents, written only by extraction passes.

import type { Db } from '../db/database.js';
import type { ActionAssignee, ActionRecord } from '../../shared/notes/model.js';
import type { ExtractedAction } from './extract.js';

interface ActionRow {
  id: string;
  doc: string;
  meeting_id: string | null;
  session_id: string | null;
  agenda_item_id: string | null;
  description: string;
  source_text: string;
  assignees_json: string;
  assignee_text: string;
  everyone: number;
  due: string | null;
  done: number;
  tickets_json: string;
  position: number;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DocOwner {
  doc: string;
  meetingId: string | null;
  sessionId: string | null;
}

export interface PassOutcome {
  /** Records inserted, edited, revived or removed in this pass. */
  changed: ActionRecord[];
  /** Ids that left the notes in this pass. */
  removed: string[];
  /** The document's present actions, in document order. */
  present: ActionRecord[];
  /** Something a reader of the list would notice (content, presence or order). */
  visible: boolean;
}

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

export function rowToRecord(row: ActionRow): ActionRecord {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    sessionId: row.session_id,
    agendaItemId: row.agenda_item_id,
    doc: row.doc,
    description: row.description,
    sourceText: row.source_text,
    assignees: parseJson<ActionAssignee[]>(row.assignees_json, []),
    assigneeText: parseJson<string[]>(row.assignee_text, []),
    everyone: row.everyone === 1,
    due: row.due,
    done: row.done === 1,
    tickets: parseJson<string[]>(row.tickets_json, []),
    position: row.position,
    removedAt: row.removed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The row's content columns as the pass would write them, for change detection. */
function contentOf(owner: DocOwner, action: ExtractedAction): Omit<ActionRow, 'id' | 'doc' | 'position' | 'removed_at' | 'created_at' | 'updated_at'> {
  return {
    meeting_id: owner.meetingId,
    session_id: owner.sessionId,
    agenda_item_id: action.agendaItemId,
    description: action.description,
    source_text: action.sourceText,
    assignees_json: JSON.stringify(action.assignees),
    assignee_text: JSON.stringify(action.assigneeText),
    everyone: action.everyone ? 1 : 0,
    due: action.due,
    done: action.done ? 1 : 0,
    tickets_json: JSON.stringify(action.tickets),
  };
}

export class ActionStore {
  private readonly byDoc;
  private readonly byId;
  private readonly insert;
  private readonly update;
  private readonly move;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.byDoc = db.prepare<[string], ActionRow>('SELECT * FROM action_items WHERE doc = ? ORDER BY position, id');
    this.byId = db.prepare<[string], ActionRow>('SELECT * FROM action_items WHERE id = ?');
    this.insert = db.prepare<ActionRow>(
      `INSERT INTO action_items (id, doc, meeting_id, session_id, agenda_item_id, description, source_text, assignees_json,
         assignee_text, everyone, due, done, tickets_json, position, removed_at, created_at, updated_at)
       VALUES (@id, @doc, @meeting_id, @session_id, @agenda_item_id, @description, @source_text, @assignees_json,
         @assignee_text, @everyone, @due, @done, @tickets_json, @position, @removed_at, @created_at, @updated_at)`,
    );
    this.update = db.prepare<Omit<ActionRow, 'doc' | 'created_at'>>(
      `UPDATE action_items SET meeting_id = @meeting_id, session_id = @session_id, agenda_item_id = @agenda_item_id,
         description = @description, source_text = @source_text, assignees_json = @assignees_json,
         assignee_text = @assignee_text, everyone = @everyone, due = @due, done = @done, tickets_json = @tickets_json,
         position = @position, removed_at = @removed_at, updated_at = @updated_at
       WHERE id = @id`,
    );
    this.move = db.prepare<[number, string]>('UPDATE action_items SET position = ? WHERE id = ?');
    this.remove = db.prepare<[string, string, string]>('UPDATE action_items SET removed_at = ?, updated_at = ? WHERE id = ?');
  }

  get(id: string): ActionRecord | null {
    const row = this.byId.get(id);
    return row ? rowToRecord(row) : null;
  }

  /** The document each id is recorded under, for ids that already exist. */
  docsOf(ids: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const id of ids) {
      const row = this.byId.get(id);
      if (row) found.set(id, row.doc);
    }
    return found;
  }

  list(doc: string, { includeRemoved = false } = {}): ActionRecord[] {
    return this.byDoc
      .all(doc)
      .filter((row) => includeRemoved || row.removed_at === null)
      .map(rowToRecord);
  }

  /**
   * Makes the document's records match one extraction pass, in one transaction: upserts present
   * actions, marks vanished ones removed, revives returning ones under the same id. A position
   * change alone is stored without touching `updated_at`.
   */
  applyPass(owner: DocOwner, actions: readonly ExtractedAction[], now = new Date().toISOString()): PassOutcome {
    return this.db.transaction((): PassOutcome => {
      const existing = new Map(this.byDoc.all(owner.doc).map((row) => [row.id, row]));
      const beforeOrder = [...existing.values()].filter((r) => r.removed_at === null).map((r) => r.id);
      const changedIds: string[] = [];
      const removed: string[] = [];
      const seen = new Set<string>();
      for (const action of actions) {
        if (seen.has(action.id)) continue; // the extractor never sends duplicates; be safe anyway
        seen.add(action.id);
        const content = contentOf(owner, action);
        const row = existing.get(action.id);
        if (!row) {
          this.insert.run({ id: action.id, doc: owner.doc, ...content, position: action.position, removed_at: null, created_at: now, updated_at: now });
          changedIds.push(action.id);
          continue;
        }
        const same = (Object.keys(content) as Array<keyof typeof content>).every((key) => row[key] === content[key]);
        if (!same || row.removed_at !== null) {
          this.update.run({ id: action.id, ...content, position: action.position, removed_at: null, updated_at: now });
          changedIds.push(action.id);
        } else if (row.position !== action.position) {
          this.move.run(action.position, action.id);
        }
      }
      for (const row of existing.values()) {
        if (row.removed_at === null && !seen.has(row.id)) {
          this.remove.run(now, now, row.id);
          removed.push(row.id);
          changedIds.push(row.id);
        }
      }
      const present = this.list(owner.doc);
      const afterOrder = present.map((r) => r.id);
      const reordered = beforeOrder.length !== afterOrder.length || beforeOrder.some((id, i) => id !== afterOrder[i]);
      const changed = changedIds.map((id) => this.get(id)).filter((r): r is ActionRecord => r !== null);
      return { changed, removed, present, visible: changed.length > 0 || reordered };
    })();
  }
}
