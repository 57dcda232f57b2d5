import { afterEach, describe, expect, it } from 'vitest';
import { $createTextNode, $getRoot, $isParagraphNode, type SerializedLexicalNode } from 'lexical';
import { newDoc } from '../../shared/notes/client-id.js';
import { readNotesState } from '../../shared/notes/outline.js';
import { seedSessionDocument } from '../../server/notes/seed.js';
import type { SessionOutline } from '../../server/notes/lookup.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import { api, createMeeting, dmltFixture, linkToken, setupAdmin } from './support/api.js';
import { connectNotetaker, converged, type Notetaker } from './notes-support.js';

describe('session documents are seeded on the server', () => {
  let server: TestServer;
  const notetakers: Notetaker[] = [];
  const open = (doc: string, token: string): Notetaker => {
    const n = connectNotetaker(server.collabUrl, doc, token);
    notetakers.push(n);
    return n;
  };
  afterEach(async () => {
    for (const n of notetakers.splice(0)) n.destroy();
    await server.close();
  });

  it('a new meeting day opens with its agenda, once, even when two notetakers open it together and after a restart', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const meeting = (await api<CreatedMeeting>(server, 'POST', '/api/meetings', { cookie: admin.cookie, body: dmltFixture() })).body;
    const details = (await api(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: admin.cookie })).body;
    const day1 = meeting.sessions[0]!;
    const items = details.agenda[0].blocks.flatMap((b: { items: Array<{ id: string; topic: string; time: string }> }) => b.items);
    expect(items.length).toBeGreaterThan(3);

    // Two notetakers open the never-opened document at the same moment.
    const token = linkToken(meeting, 'notetaker');
    const a = open(day1.doc, token);
    const b = open(day1.doc, token);
    await Promise.all([a.synced(), b.synced()]);
    const blocks = await converged([a, b]);

    const headings = blocks.filter((block) => block.type === 'heading');
    const itemHeadings = headings.filter((h) => h.agendaItemId !== null);
    // One heading per agenda item, in agenda order, each carrying its item's id, time, topic, coordinator.
    expect(itemHeadings.map((h) => h.agendaItemId)).toEqual(items.map((i: { id: string }) => i.id));
    expect(itemHeadings[0]!.text).toBe('09:00 · Welcome · WOM');
    // One heading per block, naming its moderator and notetaker.
    expect(headings.filter((h) => h.agendaItemId === null).map((h) => h.text)).toEqual([
      'Block 1 (moderator YA, notetaker KTL)',
      'Block 2 (moderator KTL, notetaker YA)',
      'Block 3 (moderator WOM, notetaker GPDF)',
    ]);
    // Under every item an empty paragraph for running notes (after its pre-meeting notes, if any).
    const afterWelcome = blocks.slice(blocks.indexOf(blocks.find((x) => x.text === '09:00 · Welcome · WOM')!) + 1);
    expect(afterWelcome[0]).toMatchObject({ type: 'quote', text: expect.stringContaining('Introductory remarks') });
    expect(afterWelcome[1]).toMatchObject({ type: 'paragraph', text: '' });
    const seededCount = blocks.length;

    // Type something, restart the server, reconnect: the agenda is still there once.
    a.edit(() => {
      const firstNotes = $getRoot().getChildren().find((node) => $isParagraphNode(node) && node.getTextContent() === '');
      if (!$isParagraphNode(firstNotes)) throw new Error('no empty paragraph');
      firstNotes.append($createTextNode('WOM: welcome everyone'));
    });
    await waitFor(() => b.blocks().some((x) => x.text === 'WOM: welcome everyone'));
    for (const n of notetakers.splice(0)) n.destroy();
    server = await server.restart();
    const c = open(day1.doc, token);
    const d = open(day1.doc, token);
    await Promise.all([c.synced(), d.synced()]);
    const again = await converged([c, d]);
    expect(again.length).toBe(seededCount);
    expect(again.filter((x) => x.text === 'WOM: welcome everyone')).toHaveLength(1);
    expect(again.filter((x) => x.agendaItemId !== null && x.type === 'heading').length).toBe(items.length);
  });

  it("writes every day's agenda and its action ids under small client ids (unboxed in V8)", async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const meeting = (await api<CreatedMeeting>(server, 'POST', '/api/meetings', { cookie: admin.cookie, body: dmltFixture() })).body;
    expect(meeting.sessions.length).toBe(3);
    for (const session of meeting.sessions) {
      const n = open(session.doc, linkToken(meeting, 'notetaker'));
      await n.synced();
      await converged([n]);
      // An action line: the server gives it an id, written into the live document.
      n.edit(() => {
        const empty = $getRoot().getChildren().find((node) => $isParagraphNode(node) && node.getTextContent() === '');
        if (!$isParagraphNode(empty)) throw new Error('no empty paragraph');
        empty.append($createTextNode('ACTION: WOM to send the slides'));
      });
      await waitFor(() => n.truth().some((block) => block.text === 'ACTION: WOM to send the slides' && block.actionId !== null), { message: 'the action id written by the server' });
      // Who wrote the document besides this notetaker: the seeding, and the room's id write.
      const writers = [...n.client.doc.store.clients.keys()].filter((client) => client !== n.client.doc.clientID);
      expect(writers.length).toBeGreaterThanOrEqual(2);
      for (const client of writers) expect(client).toBeLessThan(2 ** 30);
    }
  });

  it('a day without an agenda gets one empty paragraph; a document of no meeting is not touched', async () => {
    server = await startServer({ openDocuments: true });
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin, { title: 'No agenda', startDate: '2030-02-01' });
    const n = open(meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
    await n.synced();
    const blocks = await waitFor(() => (n.blocks().length > 0 ? n.blocks() : null));
    expect(blocks.map((b) => [b.type, b.text])).toEqual([['paragraph', '']]);

    const other = open('scratchpad-1', '');
    await other.synced();
    const room = await waitFor(() => server.app.collab.get('scratchpad-1'));
    expect(room.doc.share.size).toBe(0);
  });
});

describe('addresses in what the server writes into the notes', () => {
  it('pre-meeting notes, imported lines and table cells hold their addresses as links, as typed ones are', () => {
    const doc = newDoc();
    const outline: SessionOutline = {
      title: null,
      date: '2020-11-17',
      blocks: [{ id: null, title: null, moderator: null, notetaker: null, items: [{ id: 'item-1', time: '09:00', minutes: 15, topic: 'Welcome', coordinators: [], preNotes: 'Slides: https://indico.example.org/event/42.' }] }],
    };
    const notes = {
      opening: [],
      byItem: new Map([
        [
          'item-1',
          [
            { text: 'see www.example.org/plan and the sheet https://docs.example.org/s?a=1', level: 1 },
            { text: '', level: 0, table: { rows: [['Deck', 'Link'], ['Gen3', 'https://example.org/gen3']], header: true } },
          ],
        ],
      ]),
      closing: [],
    };
    expect(seedSessionDocument(doc, outline, 'test', notes)).toBe(true);
    const links: string[] = [];
    const walk = (node: SerializedLexicalNode & { children?: SerializedLexicalNode[]; url?: string }): void => {
      if (node.type === 'autolink') links.push(`${(node.children ?? []).map((child) => (child as unknown as { text: string }).text).join('')} → ${node.url}`);
      for (const child of node.children ?? []) walk(child);
    };
    walk(readNotesState(doc).root as unknown as SerializedLexicalNode);
    expect(links).toEqual([
      'https://indico.example.org/event/42 → https://indico.example.org/event/42',
      'www.example.org/plan → https://www.example.org/plan',
      'https://docs.example.org/s?a=1 → https://docs.example.org/s?a=1',
      'https://example.org/gen3 → https://example.org/gen3',
    ]);
  });
});
