/** The relational modules' contract (test/contracts/relational.contract.ts) on the embedded SQLite database. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/db/database.js';
import { sqliteSql } from '../../server/db/sql/index.js';
import { relationalContract } from '../contracts/relational.contract.js';
import { setupFirstAdmin } from '../../server/accounts/accounts.js';
import { createMeeting } from '../../server/meetings/meetings.js';
import { ActionStore } from '../../server/tracker/action-store.js';
import type { ExtractedAction } from '../../server/notes/extractor.js';

const dir = mkdtempSync(join(tmpdir(), 'quorum-relational-'));
const opened: Db[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

relationalContract('SQLite', async () => {
  const db = openDatabase(join(dir, `${opened.length}.db`));
  opened.push(db);
  return sqliteSql(db);
});

describe('extraction passes on the embedded database', () => {
  it('write beside the query layer, never inside a transaction of it that is still open', async () => {
    const db = openDatabase(join(dir, 'passes.db'));
    opened.push(db);
    const sql = sqliteSql(db);
    const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: 'correct horse battery' });
    const meeting = await createMeeting(sql.db, admin.id, { title: 'Weekly', startDate: '2026-12-04', attendees: [] });
    const session = meeting.sessions[0]!;
    const owner = { doc: session.doc, meetingId: meeting.id, sessionId: session.id };
    const store = new ActionStore(sql.db, db);
    const action = (description: string): ExtractedAction => ({
      id: 'a1', agendaItemId: null, description, sourceText: `ACTION: ${description}`, assignees: [], assigneeText: [],
      everyone: false, due: null, done: false, tickets: [], position: 0, kind: 'line',
    });
    await store.applyPass(owner, [action('first')]);

    // A transaction of the query layer is open, waiting, when a pass wants to write; it then fails.
    let release!: () => void;
    const waiting = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const begin = new Promise<void>((resolve) => (begun = resolve));
    const failing = sql.db.transaction().execute(async (trx) => {
      await trx.updateTable('meetings').set({ title: 'Renamed' }).where('id', '=', meeting.id).execute();
      begun();
      await waiting;
      throw new Error('rolled back');
    });
    await begin;
    expect(db.inTransaction).toBe(true);
    const pass = store.applyChanges(owner, [action('second')], []);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    const outcome = await pass;

    // The pass waited for it, and its write is not undone with it.
    expect(outcome.changed.map((r) => [r.description, r.meetingTitle])).toEqual([['second', 'Weekly']]);
    expect(await store.get('a1')).toMatchObject({ description: 'second', meetingTitle: 'Weekly' });
    expect(db.inTransaction).toBe(false);
  });

  it('write all of a pass or nothing: a statement failing midway undoes the ones before it', async () => {
    const db = openDatabase(join(dir, 'atomic.db'));
    opened.push(db);
    const sql = sqliteSql(db);
    const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: 'correct horse battery' });
    const meeting = await createMeeting(sql.db, admin.id, { title: 'Weekly', startDate: '2026-12-04', attendees: [] });
    const session = meeting.sessions[0]!;
    const owner = { doc: session.doc, meetingId: meeting.id, sessionId: session.id };
    const store = new ActionStore(sql.db, db);
    const action = (id: string, description: string, position: number): ExtractedAction => ({
      id, agendaItemId: null, description, sourceText: `ACTION: ${description}`, assignees: [], assigneeText: [],
      everyone: false, due: null, done: false, tickets: [], position, kind: 'line',
    });
    await store.applyPass(owner, [action('a1', 'first', 0)]);
    // The database refuses the pass's second write (as a full disk would), after its first went in.
    db.exec(`CREATE TEMP TRIGGER refuse_b2 BEFORE INSERT ON action_items WHEN NEW.id = 'b2'
             BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
    await expect(store.applyChanges(owner, [action('a1', 'second', 0), action('b2', 'new', 1)], [])).rejects.toThrow('refused for the test');
    expect(await store.list(owner.doc)).toMatchObject([{ id: 'a1', description: 'first' }]);
    expect(db.inTransaction).toBe(false);
    // And the next pass writes as usual.
    db.exec('DROP TRIGGER refuse_b2');
    await store.applyChanges(owner, [action('a1', 'second', 0), action('b2', 'new', 1)], []);
    expect((await store.list(owner.doc)).map((r) => r.description)).toEqual(['second', 'new']);
  });
});
