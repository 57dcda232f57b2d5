// The write side of action_items: an extraction pass makes a document's records match what it
// read, in one transaction. What a pass does is written once, as a plan of statements (a
// generator yielding `Step`s), and run by one of two executors:
//
//   - on the embedded SQLite database, synchronously, with statements prepared once, inside
//     the query layer's connection lock: a pass's write is a handful of row lookups and one or
//     two row writes, and building and compiling each statement through the query layer, with
//     an await per statement, cost several times what SQLite itself spends (most of a pass's
//     write in the fan-out benchmark's profiles);
//   - on the query layer (PostgreSQL, or a transaction a caller already holds), one query at a
//     time, awaited.

import { atomically, type Queries } from '../db/sql/index.js';
import { statementCache, type Db, type Statement } from '../db/database.js';
import type { ActionRecord } from '../../shared/api/actions.js';
import type { ExtractedAction } from '../notes/extractor.js';
import { getAction, selectActions, toRecords, type ActionRow, type ContentColumns, type StoredRow } from './action-items.js';

export interface DocOwner {
  doc: string;
  meetingId: string;
  sessionId: string;
}

export interface PassOutcome {
  /** Records inserted, edited, revived or removed in this pass. */
  changed: ActionRecord[];
  /** Ids that left the notes in this pass. */
  removed: string[];
  /** The document's present actions, in document order (applyChanges: only when `reordered`). */
  present: ActionRecord[];
  /** Something a reader of the list would notice (content, presence or order). */
  visible: boolean;
  /** The order of the present actions changed. */
  reordered: boolean;
  /** Ids of the pass's actions recorded under another document (a block pasted across sessions): left as they are. */
  foreign: string[];
}

// ---- Steps: the statements a pass's plan asks for, and what each gives back ---------------------

interface StepResults {
  /** The stored rows of these ids (any document), in no particular order. */
  rows: StoredRow[];
  /** A document's stored rows (removed ones too), in document order. */
  docRows: StoredRow[];
  /** Which of these ids are recorded under another document. */
  foreign: string[];
  insert: void;
  /** The content columns that changed, and the position if it did, written; the record revived if it was removed. */
  update: void;
  /** Only the position: a line added above does not make an action "updated". */
  move: void;
  remove: void;
  /** A document's present actions' ids, in document order. */
  order: string[];
  /** The records (joined) of these ids, in no particular order. */
  records: ActionRow[];
  /** A document's present records (joined), in document order. */
  present: ActionRow[];
}

type Step =
  | { kind: 'rows'; ids: readonly string[] }
  | { kind: 'docRows'; doc: string }
  | { kind: 'foreign'; ids: readonly string[]; doc: string }
  | { kind: 'insert'; row: StoredRow }
  | { kind: 'update'; id: string; set: Partial<ContentColumns>; position: number | null; revive: boolean; now: string }
  | { kind: 'move'; id: string; position: number }
  | { kind: 'remove'; id: string; now: string }
  | { kind: 'order'; doc: string }
  | { kind: 'records'; ids: readonly string[] }
  | { kind: 'present'; doc: string };

type Plan<T> = Generator<Step, T, unknown>;

/** One statement of a plan: `const rows = yield* ask({ kind: 'rows', ids })`. */
function* ask<S extends Step>(step: S): Plan<StepResults[S['kind']]> {
  return (yield step) as StepResults[S['kind']];
}

// ---- Plans: what a pass writes ----------------------------------------------------------------

/** The row's content columns as the pass would write them, for change detection. */
function contentOf(owner: DocOwner, action: ExtractedAction): ContentColumns {
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

const CONTENT_KEYS: ReadonlyArray<keyof ContentColumns> = Object.keys(contentOf({ doc: '', meetingId: '', sessionId: '' }, {
  id: '', agendaItemId: null, description: '', sourceText: '', assignees: [], assigneeText: [], everyone: false, due: null, done: false, tickets: [], position: 0, kind: 'line',
})) as Array<keyof ContentColumns>;

/** Inserts, updates (reviving a removed record) or re-positions one record; what it did. */
function* write(owner: DocOwner, action: ExtractedAction, row: StoredRow | undefined, now: string): Plan<'changed' | 'moved' | 'same'> {
  const content = contentOf(owner, action);
  if (!row) {
    yield* ask({ kind: 'insert', row: { id: action.id, doc: owner.doc, ...content, position: action.position, removed_at: null, created_at: now, updated_at: now } });
    return 'changed';
  }
  // Only what changed is written: a keystroke in an action's line changes its text, and writing
  // every column would rewrite the row's entry in each of the table's three indexes too (four
  // pages to the WAL and the checkpoint instead of one).
  const changed = CONTENT_KEYS.filter((key) => row[key] !== content[key]);
  if (row.removed_at !== null || changed.length > 0) {
    const set: Partial<Record<keyof ContentColumns, unknown>> = {};
    for (const key of changed) set[key] = content[key];
    const position = row.position !== action.position ? action.position : null;
    yield* ask({ kind: 'update', id: action.id, set: set as Partial<ContentColumns>, position, revive: row.removed_at !== null, now });
    return 'changed';
  }
  if (row.position !== action.position) {
    yield* ask({ kind: 'move', id: action.id, position: action.position });
    return 'moved';
  }
  return 'same';
}

/** The records of these ids, in the order given. */
function* recordsOf(ids: string[]): Plan<ActionRecord[]> {
  if (ids.length === 0) return [];
  const byId = new Map(toRecords(yield* ask({ kind: 'records', ids })).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is ActionRecord => r !== undefined);
}

/** See ActionStore.applyPass. */
function* passPlan(owner: DocOwner, actions: readonly ExtractedAction[], now: string): Plan<PassOutcome> {
  const rows = yield* ask({ kind: 'docRows', doc: owner.doc });
  const foreign = actions.length === 0 ? [] : yield* ask({ kind: 'foreign', ids: actions.map((a) => a.id), doc: owner.doc });
  const refused = new Set(foreign);
  const existing = new Map(rows.map((row) => [row.id, row]));
  const beforeOrder = rows.filter((r) => r.removed_at === null).map((r) => r.id);
  const changedIds: string[] = [];
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    if (seen.has(action.id) || refused.has(action.id)) continue; // the extractor never sends duplicates; be safe anyway
    seen.add(action.id);
    if ((yield* write(owner, action, existing.get(action.id), now)) === 'changed') changedIds.push(action.id);
  }
  for (const row of existing.values()) {
    if (row.removed_at === null && !seen.has(row.id)) {
      yield* ask({ kind: 'remove', id: row.id, now });
      removed.push(row.id);
      changedIds.push(row.id);
    }
  }
  const present = toRecords(yield* ask({ kind: 'present', doc: owner.doc }));
  const afterOrder = present.map((r) => r.id);
  const reordered = beforeOrder.length !== afterOrder.length || beforeOrder.some((id, i) => id !== afterOrder[i]);
  const changed = yield* recordsOf(changedIds);
  return { changed, removed, present, visible: changed.length > 0 || reordered, reordered, foreign };
}

/** See ActionStore.applyChanges. */
function* changesPlan(owner: DocOwner, actions: readonly ExtractedAction[], gone: readonly string[], now: string): Plan<PassOutcome> {
  const ids = [...actions.map((a) => a.id), ...gone];
  const rows = ids.length === 0 ? [] : yield* ask({ kind: 'rows', ids });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const changedIds: string[] = [];
  const removed: string[] = [];
  const foreign: string[] = [];
  let moved = false;
  let beforeOrder: string[] | null = null;
  for (const action of actions) {
    const row = byId.get(action.id);
    if (row && row.doc !== owner.doc) {
      foreign.push(action.id);
      continue;
    }
    if (row && row.removed_at === null && row.position !== action.position) beforeOrder ??= yield* ask({ kind: 'order', doc: owner.doc });
    const outcome = yield* write(owner, action, row, now);
    if (outcome === 'changed') {
      changedIds.push(action.id);
      // As it now stands, for the removals below.
      byId.set(action.id, { ...(row ?? ({} as StoredRow)), id: action.id, doc: owner.doc, removed_at: null });
    } else if (outcome === 'moved') moved = true;
  }
  for (const id of gone) {
    const row = byId.get(id);
    if (!row || row.doc !== owner.doc || row.removed_at !== null) continue;
    yield* ask({ kind: 'remove', id, now });
    removed.push(id);
    changedIds.push(id);
  }
  // Positions shift under every line added above them; only an order that changed is news.
  let reordered = false;
  if (moved && beforeOrder !== null) {
    const before = beforeOrder;
    reordered = (yield* ask({ kind: 'order', doc: owner.doc })).some((id, i) => id !== before[i]);
  }
  const changed = yield* recordsOf(changedIds);
  const present = reordered ? toRecords(yield* ask({ kind: 'present', doc: owner.doc })) : [];
  return { changed, removed, present, visible: changedIds.length > 0 || reordered, reordered, foreign };
}

// ---- Executors --------------------------------------------------------------------------------

/** Runs a plan's steps on the query layer, one awaited query at a time. */
async function runOnQueries<T>(q: Queries, plan: Plan<T>): Promise<T> {
  let next = plan.next();
  while (!next.done) next = plan.next(await queryStep(q, next.value));
  return next.value;
}

async function queryStep(q: Queries, step: Step): Promise<unknown> {
  switch (step.kind) {
    case 'rows':
      return q.selectFrom('action_items').selectAll().where('id', 'in', [...step.ids]).execute();
    case 'docRows':
      return q.selectFrom('action_items').selectAll().where('doc', '=', step.doc).orderBy('position').orderBy('id').execute();
    case 'foreign':
      return (await q.selectFrom('action_items').select('id').where('id', 'in', [...step.ids]).where('doc', '<>', step.doc).execute()).map((row) => row.id);
    case 'insert':
      return q.insertInto('action_items').values(step.row).execute();
    case 'update':
      return q
        .updateTable('action_items')
        .set({ ...step.set, ...(step.position !== null ? { position: step.position } : {}), ...(step.revive ? { removed_at: null } : {}), updated_at: step.now })
        .where('id', '=', step.id)
        .execute();
    case 'move':
      return q.updateTable('action_items').set({ position: step.position }).where('id', '=', step.id).execute();
    case 'remove':
      return q.updateTable('action_items').set({ removed_at: step.now, updated_at: step.now }).where('id', '=', step.id).execute();
    case 'order':
      return (await q.selectFrom('action_items').select('id').where('doc', '=', step.doc).where('removed_at', 'is', null).orderBy('position').orderBy('id').execute()).map((r) => r.id);
    case 'records':
      return selectActions(q).where('a.id', 'in', [...step.ids]).execute();
    case 'present':
      return recordsOfDoc(q, step.doc).execute();
  }
}

/** A document's records (joined) in document order; the removed ones only when asked. */
function recordsOfDoc(q: Queries, doc: string, includeRemoved = false) {
  const query = selectActions(q).where('a.doc', '=', doc);
  return (includeRemoved ? query : query.where('a.removed_at', 'is', null)).orderBy('a.position').orderBy('a.id');
}

/** At most this many shapes of update are kept prepared (a pass writes a few: text, position, done…). */
const UPDATE_SHAPES = 64;

/** The same statements for SQLite, prepared once; lists of ids travel as one JSON array. */
function sqliteStatements(db: Db) {
  const joined = `SELECT a.*, m.title AS meeting_title, m.series AS series, s.date AS session_date, i.topic AS agenda_item_title
    FROM action_items a JOIN meetings m ON m.id = a.meeting_id
    LEFT JOIN note_sessions s ON s.id = a.session_id LEFT JOIN agenda_items i ON i.id = a.agenda_item_id`;
  const inList = '(SELECT value FROM json_each(?))';
  const prepared = statementCache(db, UPDATE_SHAPES);
  return {
    rows: db.prepare(`SELECT * FROM action_items WHERE id IN ${inList}`),
    docRows: db.prepare('SELECT * FROM action_items WHERE doc = ? ORDER BY position, id'),
    foreign: db.prepare(`SELECT id FROM action_items WHERE id IN ${inList} AND doc <> ?`).pluck(),
    insert: db.prepare(
      `INSERT INTO action_items (id, doc, ${CONTENT_KEYS.join(', ')}, position, removed_at, created_at, updated_at)
       VALUES (@id, @doc, ${CONTENT_KEYS.map((key) => `@${key}`).join(', ')}, @position, @removed_at, @created_at, @updated_at)`,
    ),
    /** The update of these columns, prepared the first time it is asked for. */
    update(step: Extract<Step, { kind: 'update' }>): Statement {
      const columns = Object.keys(step.set);
      if (step.position !== null) columns.push('position');
      const assignments = [...columns.map((key) => `${key} = @${key}`), ...(step.revive ? ['removed_at = NULL'] : []), 'updated_at = @now'];
      return prepared(`UPDATE action_items SET ${assignments.join(', ')} WHERE id = @id`);
    },
    move: db.prepare('UPDATE action_items SET position = ? WHERE id = ?'),
    remove: db.prepare('UPDATE action_items SET removed_at = ?, updated_at = ? WHERE id = ?'),
    order: db.prepare('SELECT id FROM action_items WHERE doc = ? AND removed_at IS NULL ORDER BY position, id').pluck(),
    records: db.prepare(`${joined} WHERE a.id IN ${inList}`),
    present: db.prepare(`${joined} WHERE a.doc = ? AND a.removed_at IS NULL ORDER BY a.position, a.id`),
  };
}

type SqliteStatements = ReturnType<typeof sqliteStatements>;

function sqliteStep(s: SqliteStatements, step: Step): unknown {
  switch (step.kind) {
    case 'rows':
      return s.rows.all(JSON.stringify(step.ids));
    case 'docRows':
      return s.docRows.all(step.doc);
    case 'foreign':
      return s.foreign.all(JSON.stringify(step.ids), step.doc);
    case 'insert':
      return void s.insert.run(step.row);
    case 'update':
      return void s.update(step).run({ ...step.set, ...(step.position !== null ? { position: step.position } : {}), now: step.now, id: step.id });
    case 'move':
      return void s.move.run(step.position, step.id);
    case 'remove':
      return void s.remove.run(step.now, step.now, step.id);
    case 'order':
      return s.order.all(step.doc);
    case 'records':
      return s.records.all(JSON.stringify(step.ids));
    case 'present':
      return s.present.all(step.doc);
  }
}

/** Runs a plan's steps on the embedded database, in one transaction (a throw rolls it back). */
function planRunner(db: Db): <T>(plan: Plan<T>) => T {
  const statements = sqliteStatements(db);
  const inTransaction = db.transaction((plan: Plan<unknown>) => {
    let next = plan.next();
    while (!next.done) next = plan.next(sqliteStep(statements, next.value));
    return next.value;
  });
  return <T>(plan: Plan<T>): T => inTransaction(plan as Plan<unknown>) as T;
}

/**
 * The notes layer's handle on action_items: one transaction per extraction pass. A document's
 * passes never overlap (the notes service queues them), so what a pass reads of its document's
 * rows no other pass changes meanwhile; another process never writes them (one owner per
 * document).
 */
export class ActionStore {
  /**
   * A plan run in one transaction of the embedded database, with its statements prepared once.
   * Made once too: wrapping a function in a transaction costs about as much as a pass's update.
   */
  private runOnSqlite: (<T>(plan: Plan<T>) => T) | null = null;

  /**
   * `sqlite`: the connection underneath `q` when it is the embedded database (the query layer's
   * `sqlite`), for the synchronous executor; passes given a transaction of `q` run on it instead.
   */
  constructor(
    private readonly q: Queries,
    private readonly sqlite: Db | null = null,
  ) {}

  async get(id: string, q: Queries = this.q): Promise<ActionRecord | null> {
    return getAction(q, id);
  }

  /** The session document an action is recorded under, or null for an unknown id. */
  async docOf(id: string): Promise<string | null> {
    const row = await this.q.selectFrom('action_items').select('doc').where('id', '=', id).executeTakeFirst();
    return row?.doc ?? null;
  }

  /** A document's present actions in document order (and the removed ones, when asked). */
  async list(doc: string, { includeRemoved = false } = {}, q: Queries = this.q): Promise<ActionRecord[]> {
    return toRecords(await recordsOfDoc(q, doc, includeRemoved).execute());
  }

  /**
   * Makes the document's records match one extraction pass, in one transaction: upserts present
   * actions, marks vanished ones removed, revives returning ones under the same id. A position
   * change alone is stored without touching `updated_at`. Never touches another document's
   * records: actions carrying their ids are reported `foreign`.
   */
  applyPass(owner: DocOwner, actions: readonly ExtractedAction[], now = new Date().toISOString()): Promise<PassOutcome> {
    return this.run(passPlan(owner, actions, now));
  }

  /**
   * Applies an incremental pass in one transaction: the actions that changed since the previous
   * pass, and the ids that left the notes since then. Never touches another document's records
   * (actions carrying their ids are reported `foreign`). `present` is read only when the order
   * changed (empty otherwise).
   */
  applyChanges(owner: DocOwner, actions: readonly ExtractedAction[], gone: readonly string[], now = new Date().toISOString()): Promise<PassOutcome> {
    return this.run(changesPlan(owner, actions, gone, now));
  }

  private run<T>(plan: Plan<T>): Promise<T> {
    const sqlite = this.sqlite;
    if (!sqlite || this.q.isTransaction) return atomically(this.q, (trx) => runOnQueries(trx, plan));
    this.runOnSqlite ??= planRunner(sqlite);
    const runOnSqlite = this.runOnSqlite;
    // The plan runs synchronously, so what it must not share the connection with is a transaction
    // of the query layer left open across an await (it would take these statements into it, and
    // roll them back with its own). With none open, nothing can start one before the plan ends, so
    // it runs at once, without the query layer's connection handed over through its promises.
    // (An executor runs at once, and what the plan throws rejects the promise.)
    if (!sqlite.inTransaction) return new Promise<T>((resolve) => resolve(runOnSqlite(plan)));
    // One is open: wait for the connection, which the query layer gives back when it ends.
    return this.q.connection().execute(async () => runOnSqlite(plan));
  }
}
