// Past actions are live: the pages of a series' later meetings are told to read them again when an
// earlier meeting is closed (its open actions are carried in), when one of those actions is ticked
// (from the next meeting's panel or the tracker), and when the earlier meeting is reopened (they
// are withdrawn). Reviewing last week's actions at the start of a call, a moderator ticks one and
// every notetaker and follower sees it go, without reloading.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { connectNotetaker, type Notetaker } from './notes-support.js';
import { laterMeetingDocs } from '../../server/tracker/action-items.js';
import type { ActionList, CreatedMeeting } from '../../shared/api/index.js';

let server: TestServer;
let admin: Account;
let november: CreatedMeeting;
let december: CreatedMeeting;
let january: CreatedMeeting;
let other: CreatedMeeting;
const clients: Notetaker[] = [];

const attendees = [{ name: 'Kian-Tat Lim', handle: 'KTL' }];

beforeAll(async () => {
  server = await startServer();
  admin = await setupAdmin(server);
  november = await createMeeting(server, admin, { title: 'DMLT November', series: 'DMLT', startDate: '2020-11-17', attendees });
  december = await createMeeting(server, admin, { title: 'DMLT December', series: 'DMLT', startDate: '2020-12-15', endDate: '2020-12-16', attendees });
  january = await createMeeting(server, admin, { title: 'DMLT January', series: 'DMLT', startDate: '2021-01-12', attendees });
  other = await createMeeting(server, admin, { title: 'Other team', series: 'OTHER', startDate: '2020-12-01', attendees });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.close();
});

async function join(doc: string, token: string): Promise<Notetaker> {
  const client = connectNotetaker(server.collabUrl, doc, token);
  clients.push(client);
  await client.synced();
  return client;
}

const told = (client: Notetaker) => client.controls.filter((message) => message.type === 'past-actions').length;

test("the later meetings of the series are the ones told, every day of each; not the meeting itself, an earlier one or another series'", async () => {
  const docs = await laterMeetingDocs(server.app.sql.db, november.id);
  expect(docs.sort()).toEqual([...december.sessions, ...january.sessions].map((session) => session.doc).sort());
  expect(await laterMeetingDocs(server.app.sql.db, january.id)).toEqual([]);
  expect(await laterMeetingDocs(server.app.sql.db, other.id)).toEqual([]);
});

test("a later meeting's notetakers and followers are told when the earlier one is closed, a carried action ticked, the meeting reopened", async () => {
  const notetaker = await join(november.sessions[0]!.doc, linkToken(november, 'notetaker'));
  await waitFor(() => notetaker.client.doc.share.size > 0 && notetaker.blocks().length > 0, { message: 'the notes seeded' });
  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL circulate the revised schedule'))));
  const action = await waitFor(
    async () => (await api<ActionList>(server, 'GET', `/api/meetings/${november.id}/actions`, { cookie: admin.cookie })).body.items?.find((a) => a.description === 'circulate the revised schedule'),
    { message: 'the action recorded' },
  );
  // Both days of December (a follower on the second), and January's notetaker.
  const decemberFollower = await join(december.sessions[1]!.doc, linkToken(december, 'follower'));
  const januaryNotetaker = await join(january.sessions[0]!.doc, linkToken(january, 'notetaker'));
  const watching = [decemberFollower, januaryNotetaker];

  const pastOfDecember = async () => (await api<ActionList>(server, 'GET', `/api/meetings/${december.id}/past-actions?status=all`, { cookie: admin.cookie })).body.items;
  const step = async (what: string, act: () => Promise<unknown>, expected: (items: ActionList['items']) => boolean) => {
    const before = watching.map(told);
    await act();
    await waitFor(() => watching.every((client, i) => told(client) > before[i]!), { message: `the later meetings told after ${what}` });
    // What they read then is what changed.
    expect(expected(await pastOfDecember()), what).toBe(true);
  };

  await step(
    'the close',
    () => api(server, 'POST', `/api/meetings/${november.id}/close`, { cookie: admin.cookie }),
    (items) => items.some((a) => a.id === action.id && !a.done),
  );
  await step(
    'a tick from the next meeting',
    () => api(server, 'PATCH', `/api/actions/${action.id}`, { token: linkToken(december, 'notetaker'), body: { done: true } }),
    (items) => items.some((a) => a.id === action.id && a.done),
  );
  await step(
    'the reopening',
    () => api(server, 'POST', `/api/meetings/${november.id}/reopen`, { cookie: admin.cookie }),
    (items) => items.length === 0,
  );
});

test('a closed meeting moved to another series, or along its own, tells the meetings that carried it and those that now do', async () => {
  const ops = await createMeeting(server, admin, { title: 'Ops October', series: 'OPS', startDate: '2020-10-06', attendees });
  const opsLater = await createMeeting(server, admin, { title: 'Ops November', series: 'OPS', startDate: '2020-11-03', attendees });
  const plan = await createMeeting(server, admin, { title: 'Planning November', series: 'PLAN', startDate: '2020-11-10', attendees });
  const notetaker = await join(ops.sessions[0]!.doc, linkToken(ops, 'notetaker'));
  await waitFor(() => notetaker.blocks().length > 0, { message: 'the notes seeded' });
  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL book the review room'))));
  const action = await waitFor(
    async () => (await api<ActionList>(server, 'GET', `/api/meetings/${ops.id}/actions`, { cookie: admin.cookie })).body.items?.find((a) => a.description === 'book the review room'),
    { message: 'the action recorded' },
  );
  await api(server, 'POST', `/api/meetings/${ops.id}/close`, { cookie: admin.cookie });
  const opsFollower = await join(opsLater.sessions[0]!.doc, linkToken(opsLater, 'follower'));
  const planFollower = await join(plan.sessions[0]!.doc, linkToken(plan, 'follower'));
  const carries = async (meeting: CreatedMeeting) =>
    (await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/past-actions?status=all`, { cookie: admin.cookie })).body.items.some((a) => a.id === action.id);
  expect([await carries(opsLater), await carries(plan)]).toEqual([true, false]);

  const move = async (what: string, body: Record<string, unknown>, toldNow: Notetaker[]) => {
    const before = toldNow.map(told);
    expect((await api(server, 'PATCH', `/api/meetings/${ops.id}`, { cookie: admin.cookie, body })).status).toBe(200);
    await waitFor(() => toldNow.every((client, i) => told(client) > before[i]!), { message: `told after ${what}` });
  };
  // Into the planning series: Ops November no longer carries it, Planning November now does.
  await move('the move to another series', { series: 'PLAN' }, [opsFollower, planFollower]);
  expect([await carries(opsLater), await carries(plan)]).toEqual([false, true]);
  // Past Planning November along its new series: the meeting that carried it is told it no longer does.
  await move('the move to a later date', { startDate: '2020-11-24' }, [planFollower]);
  expect(await carries(plan)).toBe(false);
});

test("a series renamed to another series' name tells that series' later meetings, which now carry its actions", async () => {
  const alpha = await createMeeting(server, admin, { title: 'Alpha September', series: 'ALPHA', startDate: '2020-09-01', attendees });
  const beta = await createMeeting(server, admin, { title: 'Beta October', series: 'BETA', startDate: '2020-10-01', attendees });
  const notetaker = await join(alpha.sessions[0]!.doc, linkToken(alpha, 'notetaker'));
  await waitFor(() => notetaker.blocks().length > 0, { message: 'the notes seeded' });
  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL order the spare filters'))));
  const action = await waitFor(
    async () => (await api<ActionList>(server, 'GET', `/api/meetings/${alpha.id}/actions`, { cookie: admin.cookie })).body.items?.find((a) => a.description === 'order the spare filters'),
    { message: 'the action recorded' },
  );
  await api(server, 'POST', `/api/meetings/${alpha.id}/close`, { cookie: admin.cookie });
  const betaFollower = await join(beta.sessions[0]!.doc, linkToken(beta, 'follower'));
  const before = told(betaFollower);
  expect((await api(server, 'PATCH', '/api/series/ALPHA', { cookie: admin.cookie, body: { name: 'beta' } })).status).toBe(200);
  await waitFor(() => told(betaFollower) > before, { message: "Beta's page told of the actions it now carries" });
  const carried = await api<ActionList>(server, 'GET', `/api/meetings/${beta.id}/past-actions`, { cookie: admin.cookie });
  expect(carried.body.items.map((a) => a.id)).toEqual([action.id]);
});
