// A meeting's pages follow what is shown beside the notes: every connection of the meeting, on
// any of its days, notetaker or follower, is told when the meeting is edited (title, attendees
// for the typeahead, agenda, its series renamed as a whole), a proposal is scheduled into it, a file or link is attached or
// removed, and when it is closed or reopened (a follower's access does not change then, so it
// was never told, and kept showing the meeting open). Another meeting's pages are told nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { connectNotetaker, type Notetaker } from './notes-support.js';
import type { CreatedMeeting } from '../../shared/api/index.js';

let server: TestServer;
let admin: Account;
let meeting: CreatedMeeting;
let other: CreatedMeeting;
const clients: Notetaker[] = [];

beforeAll(async () => {
  server = await startServer();
  admin = await setupAdmin(server);
  const attendees = [{ name: 'Kian-Tat Lim', handle: 'KTL' }];
  meeting = await createMeeting(server, admin, { title: 'Pipelines sync', startDate: '2030-01-07', endDate: '2030-01-08', attendees, agenda: [{ date: '2030-01-07', blocks: [{ items: [{ topic: 'Butler migration' }] }] }] });
  other = await createMeeting(server, admin, { title: 'Other team', startDate: '2030-01-07', attendees });
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

const told = (client: Notetaker) => client.controls.filter((message) => message.type === 'meeting').map((message) => message.changed as string);

test("every page of the meeting is told what changed beside the notes, and no other meeting's", async () => {
  const notetaker = await join(meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
  const follower = await join(meeting.sessions[1]!.doc, linkToken(meeting, 'follower'));
  const stranger = await join(other.sessions[0]!.doc, linkToken(other, 'follower'));
  const pages = [notetaker, follower];

  const step = async (what: string, changed: 'details' | 'attachments', act: () => Promise<{ status: number }>, status: number) => {
    const before = pages.map((page) => told(page).length);
    expect((await act()).status, what).toBe(status);
    await waitFor(() => pages.every((page, i) => told(page).slice(before[i]).includes(changed)), { message: `the pages told of ${what}` });
  };
  const itemId = meeting.agenda[0]!.blocks[0]!.items[0]!.id;
  await step('a new title', 'details', () => api(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { title: 'Pipelines weekly' } }), 200);
  await step('an attendee added', 'details', () => api(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }, { name: 'Leanne Guy', handle: 'LG' }] } }), 200);
  const proposal = await api<{ proposal: { id: string } }>(server, 'POST', `/api/meetings/${meeting.id}/proposals`, { cookie: admin.cookie, body: { topic: 'Registry schema', minutes: 10 } });
  await step('a proposal scheduled', 'details', () => api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${proposal.body.proposal.id}/schedule`, { cookie: admin.cookie, body: { date: '2030-01-07' } }), 200);
  let linkId = '';
  await step(
    'a link attached',
    'attachments',
    async () => {
      const response = await api<{ id: string }>(server, 'POST', `/api/meetings/${meeting.id}/items/${itemId}/attachments/links`, { token: linkToken(meeting, 'notetaker'), body: { url: 'https://example.org/slides', title: 'Slides' } });
      linkId = response.body.id;
      return response;
    },
    201,
  );
  await step('the link removed', 'attachments', () => api(server, 'DELETE', `/api/meetings/${meeting.id}/attachments/${linkId}`, { token: linkToken(meeting, 'notetaker') }), 204);
  await step('its series given a name', 'details', () => api(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { series: 'Pipelines' } }), 200);
  await step('its series renamed as a whole', 'details', () => api(server, 'PATCH', '/api/series/Pipelines', { cookie: admin.cookie, body: { name: 'Data pipelines' } }), 200);
  await step('the close', 'details', () => api(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie }), 200);
  await step('the reopening', 'details', () => api(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: admin.cookie }), 200);

  // The other meeting's page hears of its own meeting's change, and of nothing before it (a
  // socket delivers in order: anything sent to it earlier would have arrived first).
  expect((await api(server, 'PATCH', `/api/meetings/${other.id}`, { cookie: admin.cookie, body: { location: 'Tucson' } })).status).toBe(200);
  await waitFor(() => told(stranger).length > 0, { message: "the other meeting's page told of its own change" });
  expect(told(stranger)).toEqual(['details']);
});
