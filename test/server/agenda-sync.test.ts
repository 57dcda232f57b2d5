// Editing the agenda of a running meeting: the notes' headings follow, live, for every notetaker
// connected, while what they wrote stays where it was (under its item, with its actions).
import { afterEach, describe, expect, it } from 'vitest';
import { $createTextNode, $getRoot } from 'lexical';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import type { AgendaDayInput, CreatedMeeting, Meeting } from '../../shared/api/index.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { connectNotetaker, readDocument, type Notetaker } from './notes-support.js';
import * as Y from 'yjs';
import type { ReadBlock } from '../../shared/notes/read.js';

const DATE = '2020-11-17';

let server: TestServer;
let notetakers: Notetaker[] = [];
afterEach(async () => {
  for (const n of notetakers) n.destroy();
  notetakers = [];
  await server?.close();
});

/** Each block as `type|agenda item|text`, headings with their tag. */
const outline = (blocks: ReadBlock[]): string[] => blocks.map((b) => `${b.type === 'heading' ? b.tag : b.type}|${b.agendaItemId ?? '-'}|${b.text}`);

function agendaOf(meeting: Meeting | CreatedMeeting): AgendaDayInput[] {
  return meeting.agenda.map((day) => ({
    date: day.date,
    blocks: day.blocks.map((block) => ({ id: block.id, title: block.title, moderator: block.moderator, notetaker: block.notetaker, items: block.items.map((item) => ({ ...item })) })),
  }));
}

async function runningMeeting(): Promise<{ admin: Account; meeting: CreatedMeeting; n: Notetaker; doc: string }> {
  server = await startServer();
  const admin = await setupAdmin(server);
  const meeting = await createMeeting(server, admin, {
    title: 'Agenda while typing',
    startDate: DATE,
    attendees: [
      { name: 'Robert Lupton', handle: 'RHL' },
      { name: 'Kian-Tat Lim', handle: 'KTL' },
    ],
    agenda: [{ date: DATE, blocks: [{ title: 'Morning', moderator: 'RHL', notetaker: 'KTL', items: [{ time: '09:00', topic: 'Budget', coordinators: ['RHL'] }, { time: '10:00', topic: 'Plans' }] }] }],
  });
  const doc = meeting.sessions[0]!.doc;
  const n = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'));
  notetakers.push(n);
  await n.synced();
  await waitFor(() => n.blocks().some((b) => b.text.includes('Budget')));
  return { admin, meeting, n, doc };
}

/** Types a line at the end of the paragraph under the heading whose text contains `topic`. */
function typeUnder(n: Notetaker, topic: string, text: string): void {
  n.edit(() => {
    const children = $getRoot().getChildren();
    const heading = children.findIndex((node) => node.getTextContent().includes(topic));
    const paragraph = children.slice(heading + 1).find((node) => node.getType() === 'paragraph');
    if (!paragraph || !('append' in paragraph)) throw new Error(`no line under ${topic}`);
    (paragraph as unknown as { append(node: unknown): void }).append($createTextNode(text));
  });
}

describe('editing the agenda of a running meeting', () => {
  it('renames headings, adds new items where they belong, keeps every written line and action under its item', async () => {
    const { admin, meeting, n, doc } = await runningMeeting();
    const [budget, plans] = meeting.agenda[0]!.blocks[0]!.items;
    typeUnder(n, 'Budget', 'ACTION: @RHL send the budget');
    await waitFor(async () => (await server.app.notes.listActions(doc)).length === 1, { message: 'the action is extracted' });

    const agenda = agendaOf(meeting);
    const block = agenda[0]!.blocks[0]!;
    block.title = 'Morning session';
    block.items = [
      { ...block.items[0]!, topic: 'Budget 2021', time: '09:05' },
      { topic: 'Hiring', time: '09:30', coordinators: ['KTL'], preNotes: 'Two open positions' },
      ...block.items.slice(1),
    ];
    agenda[0]!.blocks.push({ title: 'Afternoon', items: [{ time: '14:00', topic: 'Wrap-up' }] });
    const patched = await api<Meeting>(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { agenda } });
    expect(patched.status).toBe(200);
    const hiring = patched.body.agenda[0]!.blocks[0]!.items[1]!.id;
    const wrapUp = patched.body.agenda[0]!.blocks[1]!.items[0]!.id;

    // The connected notetaker sees the new headings without doing anything.
    const expected = [
      'h2|-|Morning session (moderator RHL, notetaker KTL)',
      `h3|${budget!.id}|09:05 · Budget 2021 · RHL`,
      `paragraph|${budget!.id}|ACTION: @RHL send the budget`,
      `h3|${hiring}|09:30 · Hiring · KTL`,
      `quote|${hiring}|Two open positions`,
      `paragraph|${hiring}|`,
      `h3|${plans!.id}|10:00 · Plans`,
      `paragraph|${plans!.id}|`,
      'h2|-|Afternoon',
      `h3|${wrapUp}|14:00 · Wrap-up`,
      `paragraph|${wrapUp}|`,
    ];
    await waitFor(() => JSON.stringify(outline(n.truth())) === JSON.stringify(expected), { message: 'the notetaker has the new agenda' }).catch(() => expect(outline(n.truth())).toEqual(expected));
    // Its editor shows it (the Lexical binding followed the server's edit).
    expect(outline(n.blocks())).toEqual(expected);
    // The action stays the same record, under the same item.
    await server.app.notes.flush(doc);
    const actions = await server.app.notes.listActions(doc);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ agendaItemId: budget!.id, description: expect.stringContaining('send the budget') });
  });

  it('keeps the heading and notes of an item taken off the agenda, and changes nothing when the agenda did not change', async () => {
    const { admin, meeting, n, doc } = await runningMeeting();
    const plans = meeting.agenda[0]!.blocks[0]!.items[1]!;
    typeUnder(n, 'Plans', 'we discussed the plans');
    await waitFor(() => n.truth().some((b) => b.text === 'we discussed the plans'));
    const agenda = agendaOf(meeting);
    agenda[0]!.blocks[0]!.items.pop();
    expect((await api(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { agenda } })).status).toBe(200);
    const room = server.app.collab.get(doc)!;
    expect(outline(readDocument(Y.encodeStateAsUpdate(room.doc)))).toContain(`paragraph|${plans.id}|we discussed the plans`);
    expect(outline(readDocument(Y.encodeStateAsUpdate(room.doc)))).toContain(`h3|${plans.id}|10:00 · Plans`);
    // Saving the same agenda again writes nothing into the notes.
    const before = Y.encodeStateVector(room.doc);
    expect(await server.app.notes.syncAgenda(meeting.id)).toBe(0);
    expect(Y.encodeStateVector(room.doc)).toEqual(before);
  });

  it('puts a block added before the others in front of them, with its own heading', async () => {
    const { admin, meeting, n } = await runningMeeting();
    const [budget, plans] = meeting.agenda[0]!.blocks[0]!.items;
    const agenda = agendaOf(meeting);
    agenda[0]!.blocks.unshift({ title: 'Early', moderator: 'KTL', items: [{ time: '08:00', topic: 'Coffee' }] });
    const patched = await api<Meeting>(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { agenda } });
    const coffee = patched.body.agenda[0]!.blocks[0]!.items[0]!.id;
    const headings = () => outline(n.truth()).filter((line) => line.startsWith('h'));
    await waitFor(() => headings().length === 5, { message: 'five headings' });
    expect(headings()).toEqual([
      'h2|-|Early (moderator KTL)',
      `h3|${coffee}|08:00 · Coffee`,
      'h2|-|Morning (moderator RHL, notetaker KTL)',
      `h3|${budget!.id}|09:00 · Budget · RHL`,
      `h3|${plans!.id}|10:00 · Plans`,
    ]);
  });

  it('gives a scheduled proposal its heading in the notes at once', async () => {
    const { admin, meeting, n } = await runningMeeting();
    const proposal = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals`, { cookie: admin.cookie, body: { topic: 'Release schedule', requestedBy: 'KTL', minutes: 20 } });
    expect(proposal.status).toBe(201);
    const scheduled = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${proposal.body.proposal.id}/schedule`, {
      cookie: admin.cookie,
      body: { date: DATE, time: '09:30' },
    });
    expect(scheduled.status).toBe(200);
    const item = scheduled.body.item.id as string;
    await waitFor(() => outline(n.blocks()).some((line) => line.startsWith(`h3|${item}|09:30 · Release schedule`)), { message: 'the scheduled item has its heading' });
    // Between Budget (09:00) and Plans (10:00), where the agenda puts it.
    const headings = outline(n.blocks()).filter((line) => line.startsWith('h3'));
    expect(headings.map((line) => line.split('|')[2])).toEqual(['09:00 · Budget · RHL', '09:30 · Release schedule · KTL', '10:00 · Plans']);
  });

  it('keeps what a notetaker types while the agenda is being saved', async () => {
    const { admin, meeting, n } = await runningMeeting();
    const agenda = agendaOf(meeting);
    agenda[0]!.blocks[0]!.items[0]!.topic = 'Budget (revised)';
    // The keystrokes and the save cross on the wire.
    typeUnder(n, 'Budget', 'typed during the save');
    const saving = api(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { agenda } });
    typeUnder(n, 'Budget', ' and after it');
    expect((await saving).status).toBe(200);
    await waitFor(() => n.truth().some((b) => b.text.includes('Budget (revised)')));
    const live = server.app.collab.get(meeting.sessions[0]!.doc)!;
    await waitFor(() => readDocument(Y.encodeStateAsUpdate(live.doc)).some((b) => b.text.includes('and after it')));
    const lines = outline(readDocument(Y.encodeStateAsUpdate(live.doc)));
    const budget = meeting.agenda[0]!.blocks[0]!.items[0]!.id;
    expect(lines).toContain(`paragraph|${budget}|typed during the save and after it`);
  });
});
