// What an extraction pass pushes reaches every client of the meeting, whichever day they have
// open: a follower with the second day open sees the first day's actions appear in its panel,
// and so does one on a day added to the meeting after the notes were loaded (the days a pass
// pushes to are read with the meeting, and read again when the meeting changes).
import { afterEach, expect, test } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin } from './support/api.js';
import { connectNotetaker, type Notetaker } from './notes-support.js';
import type { ActionRecord, CreatedMeeting } from '../../shared/api/index.js';

const clients: Notetaker[] = [];
let server: TestServer | null = null;
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  server = null;
});

async function join(target: TestServer, doc: string, token: string): Promise<Notetaker> {
  const client = connectNotetaker(target.collabUrl, doc, token);
  clients.push(client);
  await client.synced();
  return client;
}

/** Waits until `client` was pushed `doc`'s actions with one described as `what`. */
async function pushed(client: Notetaker, doc: string, what: string): Promise<void> {
  await waitFor(
    () => client.controls.some((c) => c.type === 'actions' && c.doc === doc && (c.actions as ActionRecord[]).some((action) => action.description.includes(what))),
    { message: `"${what}" never reached the panel` },
  );
}

test("a follower of another day, even one added since the notes loaded, is pushed the first day's actions", async () => {
  server = await startServer();
  const admin = await setupAdmin(server);
  const meeting = await createMeeting(server, admin, {
    title: 'Pipelines sync',
    startDate: '2026-12-04',
    endDate: '2026-12-05',
    attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }],
    agenda: [{ date: '2026-12-04', blocks: [{ items: [{ topic: 'Butler migration' }] }] }],
  });
  const firstDay = meeting.sessions[0]!.doc;
  const secondDay = await join(server, meeting.sessions[1]!.doc, linkToken(meeting, 'follower'));
  const notetaker = await join(server, firstDay, linkToken(meeting, 'notetaker'));
  await waitFor(() => notetaker.blocks().some((block) => block.text.includes('Butler migration')), { message: 'the agenda seeded' });

  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL move the registry to PostgreSQL'))));
  await pushed(secondDay, firstDay, 'move the registry');

  // A third day, while the first day's notes stay loaded.
  const longer = await api<CreatedMeeting>(server, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { endDate: '2026-12-06' } });
  expect(longer.status).toBe(200);
  const added = longer.body.sessions.find((session) => session.date === '2026-12-06');
  expect(added).toBeDefined();
  const thirdDay = await join(server, added!.doc, linkToken(meeting, 'follower'));

  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL archive the old registry'))));
  await pushed(thirdDay, firstDay, 'archive the old registry');
  await pushed(secondDay, firstDay, 'archive the old registry');
});
