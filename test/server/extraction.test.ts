import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, $isTextNode, type ElementNode } from 'lexical';
import { $createListItemNode, $createListNode, $isListItemNode, type ListItemNode } from '@lexical/list';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import { $setActionId, newActionId } from '../../shared/notes/action-id.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { $createMentionNode } from '../../shared/notes/nodes.js';
import { findActionBlock } from '../../server/notes/yjs-blocks.js';
import { readYjsBlocks } from '../../shared/notes/yjs-read.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import * as Y from 'yjs';
import { $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { $createHeadingNode } from '@lexical/rich-text';
import { $blockStartingWith, $blockWithActionId, connectNotetaker, indexMatches, type Notetaker } from './notes-support.js';

const ATTENDEES = [
  { name: 'Robert Lupton', handle: 'RHL' },
  { name: 'Kian-Tat Lim', handle: 'KTL' },
  { name: 'Frossie Economou', handle: 'FE' },
];
const DATE = '2020-11-17';

function $paragraph(text: string, id?: string): ElementNode {
  const p = $createParagraphNode().append($createTextNode(text));
  if (id) $setActionId(p, id);
  return p;
}

function $checkItem(text: string, checked = false, id?: string): ListItemNode {
  const item = $createListItemNode(checked).append($createTextNode(text));
  if (id) $setActionId(item, id);
  return item;
}

describe('action extraction', () => {
  let server: TestServer;
  let admin: Account;
  const owner = async (): Promise<Account> => admin;
  let meeting: CreatedMeeting;
  let doc: string;
  let n: Notetaker;
  const attendees = async () => (await server.app.notes.lookup.describe(doc))!.attendees;
  const matches = async () => indexMatches(server, doc, n, await attendees(), DATE);

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    meeting = await createMeeting(server, admin, {
      title: 'Extraction',
      startDate: DATE,
      attendees: ATTENDEES,
      agenda: [{ date: DATE, blocks: [{ items: [{ time: '09:00', topic: 'Budget', coordinators: ['RHL'] }, { time: '10:00', topic: 'Plans' }] }] }],
    });
    doc = meeting.sessions[0]!.doc;
    n = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'));
    await n.synced();
    await waitFor(() => n.blocks().length > 0);
  });
  afterAll(async () => {
    n.destroy();
    await server.close();
  });

  it('records an action typed without an id, gives its block an id, and attaches it to its agenda item', async () => {
    n.edit(() => {
      $getRoot().append($paragraph('ACTION: @KTL convene a meeting on graph generation, due 2022-03-18'));
    });
    const { records, actionBlocks } = await matches();
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      meetingId: meeting.id,
      sessionId: meeting.sessions[0]!.id,
      description: 'convene a meeting on graph generation',
      due: '2022-03-18',
      done: false,
      assigneeText: ['@KTL'],
      sourceText: 'ACTION: @KTL convene a meeting on graph generation, due 2022-03-18',
    });
    expect(record!.assignees.map((a) => a.handle)).toEqual(['KTL']);
    // The id the server gave is in the notetaker's document, on that block.
    expect(actionBlocks[0]!.actionId).toBe(record!.id);
    // Typed at the end of the notes: under the last agenda item.
    const plans = n.blocks().find((b) => b.text.startsWith('10:00 · Plans'))!;
    expect(record!.agendaItemId).toBe(plans.agendaItemId);
  });

  it('calls for no pass of its own when a pass writes fresh ids into the notes', async () => {
    // A pass that waited a throttle interval after its own id write held the next keystroke's
    // pass back as long: in a quiet meeting every action line took ~200 ms instead of ~20.
    const passes = async (): Promise<number> => Number(/^quorum_extraction_pass_seconds_count (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())![1]);
    n.edit(() => {
      $getRoot().append($paragraph('ACTION: @FE book the room for the review'));
    });
    const serverHas = (): boolean => {
      const room = server.app.collab.get(doc);
      return room !== undefined && readYjsBlocks(room.doc.get(ROOT_NAME, Y.XmlText)).some((b) => b.text.includes('book the room'));
    };
    await waitFor(serverHas, { message: 'the line never reached the server' });
    // This pass records the line and writes its id into the notes.
    await server.app.notes.flush(doc);
    const record = (await server.app.notes.store.list(doc)).find((a) => a.sourceText.includes('book the room'));
    expect(record).toBeDefined();
    expect(findActionBlock(server.app.collab.get(doc)!.doc, record!.id)).not.toBeNull();
    const after = await passes();
    // Nothing changed since but the pass's own ids: no pass is due.
    await server.app.notes.flush(doc);
    expect(await passes()).toBe(after);
  });

  it('keeps an id while the action is edited, ticked and moved; a plain note never becomes a record', async () => {
    const id = newActionId();
    n.edit(() => {
      const list = $createListNode('check').append($checkItem('Robert Lupton send the budget burn-downs', false, id));
      $getRoot().append(list, $paragraph('RHL: the budget looks fine until March 2021'));
    });
    await matches();
    expect(await server.app.notes.store.get(id)).toMatchObject({ description: 'send the budget burn-downs', done: false });
    const createdAt = (await server.app.notes.store.get(id))!.createdAt;

    // Edit the text.
    n.edit(() => {
      const text = $blockWithActionId(id).getFirstChild();
      if ($isTextNode(text)) text.setTextContent('Robert Lupton send the budget burn-downs by 15 Jan 2021');
    });
    await waitFor(async () => (await server.app.notes.store.get(id))?.due === '2021-01-15');
    // Tick it.
    n.edit(() => {
      const item = $blockWithActionId(id);
      if ($isListItemNode(item)) item.setChecked(true);
    });
    await waitFor(async () => (await server.app.notes.store.get(id))?.done === true);
    // Move it to the top of the notes, under the first agenda item.
    n.edit(() => {
      const item = $blockWithActionId(id);
      const list = item.getParentOrThrow();
      const firstNotes = $blockStartingWith('09:00').getNextSibling()!;
      firstNotes.insertAfter(list);
    });
    const { records } = await matches();
    const record = records.find((r) => r.id === id)!;
    expect(record).toMatchObject({ description: 'send the budget burn-downs', due: '2021-01-15', done: true, createdAt });
    const budget = n.blocks().find((b) => b.text.startsWith('09:00 · Budget'))!;
    expect(record.agendaItemId).toBe(budget.agendaItemId);
    expect(records.map((r) => r.id)[0]).toBe(id);
    expect(records.some((r) => r.sourceText.startsWith('RHL: the budget'))).toBe(false);
  });

  it('marks a deleted action removed and revives the same record on undo', async () => {
    const id = newActionId();
    n.undo.stopCapturing();
    n.edit(() => {
      $getRoot().append($paragraph('TODO: FE write the summary', id));
    });
    await waitFor(async () => (await server.app.notes.store.get(id))?.removed === false);
    n.undo.stopCapturing();
    n.edit(() => {
      $blockWithActionId(id).remove();
    });
    await waitFor(async () => (await server.app.notes.store.get(id))?.removed === true);
    expect((await server.app.notes.listActions(doc)).some((r) => r.id === id)).toBe(false);
    n.undo.undo();
    await waitFor(() => n.blocks().some((b) => b.actionId === id));
    await waitFor(async () => (await server.app.notes.store.get(id))?.removed === false);
    await matches();
  });

  it('gives a pasted copy of an action a fresh id and leaves the original its own', async () => {
    const id = newActionId();
    n.edit(() => {
      $getRoot().append($paragraph('ACTION: RHL review the plan', id));
    });
    await waitFor(() => server.app.notes.store.get(id));
    // What a paste from an old client does: the same block, id and all, inserted above.
    n.edit(() => {
      $blockWithActionId(id).insertBefore($paragraph('ACTION: RHL review the plan', id));
    });
    const { actionBlocks } = await matches();
    const copies = actionBlocks.filter((b) => b.text === 'ACTION: RHL review the plan');
    expect(copies).toHaveLength(2);
    // The block that had the id keeps it, although the copy came first in the document.
    expect(copies[1]!.actionId).toBe(id);
    expect(copies[0]!.actionId).not.toBe(id);
  });

  it('ticking from the tracker ticks the line in everyone\'s notes, and unticking unticks it', async () => {
    const check = newActionId();
    const line = newActionId();
    n.edit(() => {
      $getRoot().append($createListNode('check').append($checkItem('KTL to send the slides', false, check)), $paragraph('ACTION: FE update the risk register', line));
    });
    await waitFor(async () => (await server.app.notes.store.get(check)) && (await server.app.notes.store.get(line)));

    const ticked = await server.app.notes.setActionDone(check, true);
    expect(ticked).toMatchObject({ id: check, done: true, description: 'send the slides' });
    await waitFor(() => n.blocks().find((b) => b.actionId === check)?.checked === true);

    const lineTicked = await server.app.notes.setActionDone(line, true);
    expect(lineTicked).toMatchObject({ id: line, done: true, description: 'update the risk register' });
    await waitFor(() => n.blocks().find((b) => b.actionId === line)?.text === 'DONE: FE update the risk register');

    expect(await server.app.notes.setActionDone(check, false)).toMatchObject({ done: false });
    expect(await server.app.notes.setActionDone(line, false)).toMatchObject({ done: false, description: 'update the risk register' });
    await waitFor(() => n.blocks().find((b) => b.actionId === line)?.text === 'ACTION: FE update the risk register');
    await waitFor(() => n.blocks().find((b) => b.actionId === check)?.checked === false);
    await matches();

    await expect(server.app.notes.setActionDone('anunknownaction', true)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pushes the session\'s action list to every client of the meeting, followers included, as it changes', async () => {
    const follower = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'follower'));
    try {
      await follower.synced();
      const id = newActionId();
      n.edit(() => {
        $getRoot().append($paragraph('TODO: RHL circulate the minutes by Friday', id));
      });
      const pushed = await waitFor(() =>
        follower.controls.find((m) => m.type === 'actions' && (m.actions as Array<{ id: string }>).some((a) => a.id === id)),
      );
      expect(pushed).toMatchObject({ doc, meetingId: meeting.id, sessionId: meeting.sessions[0]!.id, complete: false });
      // Only what changed travels: the new record, not the session's whole list.
      expect((pushed.actions as Array<{ id: string }>).map((a) => a.id)).toEqual([id]);
      const action = (pushed.actions as Array<{ id: string; description: string; due: string }>).find((a) => a.id === id)!;
      expect(action).toMatchObject({ description: 'circulate the minutes', due: '2020-11-20' });
      expect((await server.app.notes.listActions(doc)).length).toBeGreaterThan(1);

      n.edit(() => {
        $blockWithActionId(id).remove();
      });
      await waitFor(() => follower.controls.some((m) => m.type === 'actions' && (m.removed as string[]).includes(id)));

      // Routes can re-send the current list too: the whole session's, in document order, as the table has it.
      const before = follower.controls.length;
      server.app.notes.pushActions(doc);
      const again = await waitFor(() => follower.controls.slice(before).find((m) => m.type === 'actions'));
      expect(again.complete).toBe(true);
      expect((again.actions as Array<{ id: string }>).map((a) => a.id)).toEqual((await server.app.notes.listActions(doc)).map((r) => r.id));
    } finally {
      follower.destroy();
    }
  });

  it('resolves an @ mention to the attendee it names; an attendee named by an @handle is not listed twice', async () => {
    const kt = (await attendees()).find((a) => a.handle === 'KTL')!;
    const id = newActionId();
    n.edit(() => {
      const p = $createParagraphNode().append(
        $createTextNode('TODO: '),
        $createMentionNode('@Kian-Tat', String(kt.id), 'KTL'),
        $createTextNode(' book the room by 2020-12-01'),
      );
      $setActionId(p, id);
      $getRoot().append(p);
    });
    const record = await waitFor(() => server.app.notes.store.get(id));
    expect(record).toMatchObject({ description: 'book the room', due: '2020-12-01', everyone: false });
    expect(record.assignees).toEqual([{ id: String(kt.id), name: 'Kian-Tat Lim', handle: 'KTL' }]);

    // An @handle that names nobody on the list is still an assignee, by its handle.
    const other = newActionId();
    n.edit(() => {
      $getRoot().append($paragraph('ACTION: @ktl to sync with @zed about the plan', other));
    });
    const synced = await waitFor(() => server.app.notes.store.get(other));
    expect(synced.assigneeText).toEqual(['@ktl', '@zed']);
    expect(synced.assignees).toEqual([
      { id: String(kt.id), name: 'Kian-Tat Lim', handle: 'KTL' },
      { id: null, name: 'zed', handle: 'zed' },
    ]);
  });

  it('gives a block carrying an action id of another session a fresh id, leaving that session\'s record alone', async () => {
    const original = (await server.app.notes.listActions(doc))[0]!;
    const other = await createMeeting(server, await owner(), { title: 'Other', startDate: '2020-11-18', attendees: ATTENDEES });
    const elsewhere = connectNotetaker(server.collabUrl, other.sessions[0]!.doc, linkToken(other, 'notetaker'));
    try {
      await elsewhere.synced();
      await waitFor(() => elsewhere.blocks().length > 0);
      elsewhere.edit(() => {
        $getRoot().append($paragraph(`ACTION: RHL ${original.description}`, original.id));
      });
      const copy = await waitFor(() => {
        const block = elsewhere.blocks().find((b) => b.text.startsWith('ACTION: RHL'));
        return block && block.actionId !== original.id ? block : null;
      });
      expect(await server.app.notes.store.get(copy.actionId!)).toMatchObject({ sessionId: other.sessions[0]!.id, meetingId: other.id });
      expect(await server.app.notes.store.docOf(copy.actionId!)).toBe(other.sessions[0]!.doc);
      expect(await server.app.notes.store.get(original.id)).toMatchObject({ sessionId: meeting.sessions[0]!.id, meetingId: meeting.id, removed: false });
      expect(await server.app.notes.store.docOf(original.id)).toBe(doc);
    } finally {
      elsewhere.destroy();
    }
  });

  it('indexes the last edits of a notetaker who leaves at once, when the document unloads', async () => {
    const other = await createMeeting(server, await owner(), { title: 'Brief', startDate: DATE, attendees: ATTENDEES });
    const name = other.sessions[0]!.doc;
    const quick = connectNotetaker(server.collabUrl, name, linkToken(other, 'notetaker'));
    await quick.synced();
    await waitFor(() => quick.blocks().length > 0);
    const id = newActionId();
    quick.edit(() => {
      $getRoot().append($paragraph('ACTION: FE send the final minutes', id));
    });
    // Leave as soon as the server has the change.
    await waitFor(() => {
      const room = server.app.collab.get(name);
      return room && findActionBlock(room.doc, id);
    });
    quick.destroy();
    await waitFor(() => !server.app.collab.get(name));
    await waitFor(() => server.app.notes.store.get(id));
    expect(await server.app.notes.store.get(id)).toMatchObject({ description: 'send the final minutes', removed: false });
  });

  it('attaches an action to an agenda item only if the heading names a real item of the session', async () => {
    const id = newActionId();
    n.edit(() => {
      const heading = $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode('11:00 · Made up')), 'no-such-item'), 'item');
      $getRoot().append(heading, $paragraph('ACTION: RHL check the made-up item', id));
    });
    const record = await waitFor(() => server.app.notes.store.get(id));
    expect(record.agendaItemId).toBeNull();
  });

  it('reads the notes against the meeting as it is now: an attendee added while the notes are open is the assignee of a line that names them', async () => {
    const id = newActionId();
    n.edit(() => {
      $getRoot().append($paragraph('ACTION: @YA review the photometry plan', id));
    });
    const before = await waitFor(() => server.app.notes.store.get(id));
    expect(before.assignees).toEqual([{ id: null, name: 'YA', handle: 'YA' }]);
    const patched = await api(server, 'PATCH', `/api/meetings/${meeting.id}`, {
      cookie: admin.cookie,
      body: { attendees: [...ATTENDEES, { name: 'Yusra AlSayyad', handle: 'YA' }] },
    });
    expect(patched.status).toBe(200);
    // Nobody edits the line: the next pass of the open document reads it against the new attendee list.
    n.edit(() => {
      $getRoot().append($paragraph('an unrelated line'));
    });
    const after = await waitFor(async () => {
      const record = await server.app.notes.store.get(id);
      return record?.assignees[0]?.name === 'Yusra AlSayyad' ? record : null;
    });
    expect(after.assignees.map((a) => a.handle)).toEqual(['YA']);
  });
  it('records an action once the database takes writes again, with nobody typing more', async () => {
    const extractionFailures = async (): Promise<number> => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(/^quorum_extraction_failures_total (\d+)/m.exec(text)?.[1] ?? NaN);
    };
    const failuresBefore = await extractionFailures();
    // The database refuses action records, as a full disk would.
    server.app.db.exec(`CREATE TRIGGER refuse_actions BEFORE INSERT ON action_items BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    try {
      n.edit(() => {
        $getRoot().append($paragraph('ACTION: FE write the storage report'));
      });
      // The pass read the line (its block got an id) but could not record it; so did the pass
      // after it, which read the whole document again (the failure counter says so).
      const block = await waitFor(() => n.blocks().find((b) => b.text.includes('write the storage report') && b.actionId !== null));
      await waitFor(async () => (await extractionFailures()) >= failuresBefore + 2, { message: 'two failed passes' });
      expect(await server.app.notes.store.get(block.actionId!)).toBeNull();
    } finally {
      server.app.db.exec('DROP TRIGGER refuse_actions');
    }
    const record = await waitFor(async () => {
      const found = await server.app.notes.store.get(n.blocks().find((b) => b.text.includes('write the storage report'))!.actionId!);
      return found;
    });
    expect(record).toMatchObject({ description: 'write the storage report', removed: false });
    await matches();
  });
});

