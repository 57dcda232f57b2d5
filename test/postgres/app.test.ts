/**
 * The whole service on PostgreSQL (DATABASE_URL): two servers on one database, each with a data
 * directory of its own, used through real HTTP and real WebSocket clients. What one server
 * writes (a meeting, a notetaker's action, the search index, the notes) the other reads; a link
 * revoked through one cuts the sockets of the other; a server started again finds everything.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { closeCodes } from '../helpers/clients.js';
import { api, createMeeting, linkToken, setupAdmin } from '../server/support/api.js';
import { connectNotetaker, type Notetaker } from '../server/notes-support.js';
import type { ActionRecord } from '../../shared/api/actions.js';
import { CloseCode } from '../../shared/protocol/index.js';
import { CHANNEL } from '../../server/cluster/postgres-events.js';
import pg from 'pg';

let db: TestDatabase;
const servers: TestServer[] = [];
const notetakers: Notetaker[] = [];
const linkKey = randomBytes(32).toString('base64');

beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const n of notetakers.splice(0)) n.destroy();
  for (const server of servers.splice(0)) await server.close().catch(() => {});
  await db.drop();
});

async function server(): Promise<TestServer> {
  const started = await startServer({ databaseUrl: db.url, linkKey, databasePoolSize: 4 });
  servers.push(started);
  return started;
}

function notetaker(target: TestServer, doc: string, token: string): Notetaker {
  const n = connectNotetaker(target.collabUrl, doc, token);
  notetakers.push(n);
  return n;
}

describe('the service on PostgreSQL', () => {
  it('serves one database from two servers: meetings, extracted actions and their live panels, attachments, search, exports and link revocation, and keeps it all across a restart', async () => {
    const [a, b] = [await server(), await server()];
    const admin = await setupAdmin(a);
    // The first admin exists for both servers: B refuses a second setup.
    expect((await api(b, 'POST', '/api/setup', { body: { email: 'eve@example.org', name: 'Eve', password: 'correct horse battery' } })).status).toBe(403);
    const meeting = await createMeeting(a, admin, {
      title: 'Pipelines sync',
      startDate: '2026-12-04',
      endDate: '2026-12-05',
      attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }],
      agenda: [{ date: '2026-12-04', blocks: [{ items: [{ topic: 'Butler migration' }] }] }],
    });
    const doc = meeting.sessions[0]!.doc;

    // A follower has the second day open on B: its actions panel hears of the first day's.
    const follower = notetaker(b, meeting.sessions[1]!.doc, linkToken(meeting, 'follower'));
    await follower.synced();

    // A notetaker on A types an action; B lists it, extracted on A into PostgreSQL.
    const n = notetaker(a, doc, linkToken(meeting, 'notetaker'));
    await n.synced();
    await waitFor(() => n.blocks().some((block) => block.text.includes('Butler migration')), { message: 'the agenda seeded' });
    n.edit(() => {
      // Long enough that its record would not fit in one NOTIFY (8,000 bytes).
      $getRoot().append($createParagraphNode().append($createTextNode(`ACTION: KTL move the zeppelin registry (${'with its history '.repeat(230)}) to PostgreSQL by 2026-12-18`)));
    });
    const listed = await waitFor(async () => {
      const response = await api<{ items: ActionRecord[] }>(b, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie });
      return response.body.items.find((action) => action.description.includes('zeppelin')) ?? null;
    }, { message: 'the action never reached the other server' });
    expect(listed).toMatchObject({ due: '2026-12-18', assignees: [expect.objectContaining({ handle: 'KTL' })], agendaItemTitle: 'Butler migration' });
    // The id the extraction gave it is in the notetaker's document.
    await waitFor(() => n.blocks().some((block) => block.actionId === listed.id));
    // The follower on B was sent the first day's list.
    await waitFor(
      () => follower.controls.some((c) => c.type === 'actions' && c.doc === doc && (c.actions as ActionRecord[]).some((action) => action.id === listed.id)),
      { message: "the first day's action never reached the panel on the other server" },
    );

    // Ticked through B: the owner, A, rewrites the line in the notes, and the record follows.
    const ticked = await api<ActionRecord>(b, 'PATCH', `/api/actions/${listed.id}`, { cookie: admin.cookie, body: { done: true } });
    expect(ticked.status).toBe(200);
    expect(ticked.body.done).toBe(true);
    expect(n.blocks().find((block) => block.actionId === listed.id)?.text).toMatch(/^DONE: KTL move the zeppelin registry/);

    // The agenda edited through B: the headings in the notetaker's document on A follow.
    const agenda = [{ date: '2026-12-04', blocks: [{ items: [{ id: meeting.agenda[0]!.blocks[0]!.items[0]!.id, topic: 'Butler migration and registry' }] }] }];
    expect((await api(b, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: admin.cookie, body: { agenda } })).status).toBe(200);
    await waitFor(() => n.blocks().some((block) => block.type === 'heading' && block.text.includes('Butler migration and registry')), { message: 'the headings did not follow the agenda' });

    // A file attached through A is downloaded through B (its bytes are in the database).
    const itemId = meeting.agenda[0]!.blocks[0]!.items[0]!.id;
    const uploaded = await fetch(`${a.url}/api/meetings/${meeting.id}/items/${itemId}/attachments/files?name=plan.txt`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', cookie: admin.cookie, origin: a.url },
      body: Buffer.from('the migration plan\n'),
    });
    expect(uploaded.status).toBe(201);
    const attachment = (await uploaded.json()) as { id: string };
    const downloaded = await fetch(`${b.url}/api/meetings/${meeting.id}/attachments/${attachment.id}`, { headers: { cookie: admin.cookie } });
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe('the migration plan\n');

    // Search through B finds the words, in the notes and as an action, indexed on A.
    const found = await waitFor(async () => {
      const response = await api<{ results: Array<{ kind: string; meetingId: string }> }>(b, 'GET', `/api/search?q=${encodeURIComponent('zeppelin regis')}`, { cookie: admin.cookie });
      const kinds = response.body.results.map((r) => r.kind);
      return kinds.includes('note') && kinds.includes('action') ? response.body.results : null;
    }, { message: 'the notes and the action were never found through the other server' });
    expect(found.every((r) => r.meetingId === meeting.id)).toBe(true);
    // The next page starts where the first ended, in the same order.
    const second = await api<{ results: Array<{ kind: string }> }>(b, 'GET', `/api/search?q=${encodeURIComponent('zeppelin regis')}&offset=1`, { cookie: admin.cookie });
    expect(second.body.results.map((r) => r.kind)).toEqual(found.slice(1).map((r) => r.kind));

    // B exports the notes from what A stored (B never loaded the document).
    expect(b.app.collab.get(doc)).toBeUndefined();
    const exported = await api<string>(b, 'GET', `/api/meetings/${meeting.id}/notes?format=md`, { cookie: admin.cookie });
    expect(exported.status).toBe(200);
    expect(String(exported.body)).toContain('move the zeppelin registry (with its history');

    // Closed through B: the notetaker's socket on A turns read-only, and each day is sealed
    // where its document is (the first day on A).
    const closed = await api<{ closed: boolean }>(b, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie });
    expect(closed.status).toBe(200);
    await waitFor(() => n.controls.some((c) => c.type === 'access' && c.readOnly === true), { message: 'the notetaker on the other server was not made read-only' });
    const versions = await api<{ versions: Array<{ kind: string; sha256: string | null }> }>(b, 'GET', `/api/meetings/${meeting.id}/sessions/${meeting.sessions[0]!.id}/versions`, { cookie: admin.cookie });
    expect(versions.body.versions.filter((v) => v.kind === 'sealed')).toHaveLength(1);
    await api(b, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: admin.cookie });

    // Revoking the notetaker's link through B closes the notetaker's socket on A.
    const link = meeting.links.find((l) => l.role === 'notetaker')!;
    const codes = closeCodes(n.client);
    expect((await api(b, 'DELETE', `/api/meetings/${meeting.id}/links/${link.id}`, { cookie: admin.cookie })).status).toBe(204);
    await waitFor(() => codes.includes(CloseCode.Forbidden), { message: 'the revoked link kept its socket on the other server' });

    // A stops; a server started afresh on the same database finds the notes and the action.
    await a.stop();
    const again = await a.restart();
    servers.push(again);
    const reread = await api<{ items: ActionRecord[] }>(again, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie });
    expect(reread.body.items.map((action) => action.id)).toEqual([listed.id]);
    const view = notetaker(again, doc, linkToken(meeting, 'follower'));
    await view.synced();
    expect(view.blocks().some((block) => block.text.includes('move the zeppelin registry'))).toBe(true);
  });

  it('answers a tick with the record ticked when the database is slow to commit the edit', async () => {
    const a = await server();
    const admin = await setupAdmin(a);
    const meeting = await createMeeting(a, admin, { title: 'Slow disk', startDate: '2026-12-04', attendees: [], agenda: [{ date: '2026-12-04', blocks: [{ items: [{ topic: 'Storage' }] }] }] });
    const n = notetaker(a, meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
    await n.synced();
    await waitFor(() => n.blocks().some((block) => block.text.includes('Storage')));
    n.edit(() => {
      $getRoot().append($createParagraphNode().append($createTextNode('ACTION: order the new disks')));
    });
    const action = await waitFor(async () => (await api<{ items: ActionRecord[] }>(a, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items[0] ?? null);
    // Every edit now takes a quarter of a second to commit: the server's own tick too.
    await db.slowUpdates(0.25);
    // Nothing left for the notes layer to read before the tick.
    await a.app.collab.get(meeting.sessions[0]!.doc)!.settled();
    await a.app.notes.flush(meeting.sessions[0]!.doc);
    const ticked = await api<ActionRecord>(a, 'PATCH', `/api/actions/${action.id}`, { cookie: admin.cookie, body: { done: true } });
    expect(ticked.status).toBe(200);
    expect(ticked.body.done).toBe(true);
    await waitFor(() => n.blocks().some((block) => block.text === 'DONE: order the new disks'));
  });

  it("tells the other processes of a pass's actions only when the meeting has other days they may hold", async () => {
    const a = await server();
    const admin = await setupAdmin(a);
    // Every notification on the processes' channel, as another process would receive it.
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const told: string[] = [];
    listener.on('notification', (message) => {
      const { event } = JSON.parse(message.payload ?? '{}') as { event?: { type?: string; doc?: string } };
      if (event?.type === 'actions-changed' && event.doc) told.push(event.doc);
    });
    await listener.query(`LISTEN ${CHANNEL}`);
    try {
      const typeAction = async (meeting: Awaited<ReturnType<typeof createMeeting>>, text: string): Promise<void> => {
        const n = notetaker(a, meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
        await n.synced();
        await waitFor(() => n.blocks().some((block) => block.text.includes('Standup')), { message: 'the agenda seeded' });
        n.edit(() => {
          $getRoot().append($createParagraphNode().append($createTextNode(`ACTION: ${text}`)));
        });
        await waitFor(async () => (await api<{ items: ActionRecord[] }>(a, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items.length > 0, {
          message: 'the action was not extracted',
        });
      };
      const agenda = (date: string) => [{ date, blocks: [{ items: [{ topic: 'Standup' }] }] }];
      const oneDay = await createMeeting(a, admin, { title: 'One day', startDate: '2026-12-07', attendees: [], agenda: agenda('2026-12-07') });
      const twoDays = await createMeeting(a, admin, { title: 'Two days', startDate: '2026-12-08', endDate: '2026-12-09', attendees: [], agenda: agenda('2026-12-08') });
      await typeAction(oneDay, 'book the room');
      // Published after the first meeting's pass: once it arrives, the first one's would have.
      await typeAction(twoDays, 'send the minutes');
      await waitFor(() => told.includes(twoDays.sessions[0]!.doc), { message: "the two-day meeting's pass was not announced" });
      expect(told).not.toContain(oneDay.sessions[0]!.doc);
    } finally {
      await listener.end();
    }
  });

  it("tells a meeting's pages on the other process what changed beside the notes: past actions closed in and ticked, the meeting edited", async () => {
    const [a, b] = [await server(), await server()];
    const admin = await setupAdmin(a);
    const attendees = [{ name: 'Kian-Tat Lim', handle: 'KTL' }];
    const earlier = await createMeeting(a, admin, { title: 'DMLT November', series: 'DMLT', startDate: '2020-11-17', attendees });
    const later = await createMeeting(a, admin, { title: 'DMLT December', series: 'DMLT', startDate: '2020-12-15', attendees });
    const n = notetaker(a, earlier.sessions[0]!.doc, linkToken(earlier, 'notetaker'));
    await n.synced();
    await waitFor(() => n.blocks().length > 0, { message: 'the notes seeded' });
    n.edit(() => {
      $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL circulate the revised schedule')));
    });
    const action = await waitFor(async () => (await api<{ items: ActionRecord[] }>(a, 'GET', `/api/meetings/${earlier.id}/actions`, { cookie: admin.cookie })).body.items[0], {
      message: 'the action was not extracted',
    });
    // The later meeting's follower is on B; the close and the tick are made through A.
    const follower = notetaker(b, later.sessions[0]!.doc, linkToken(later, 'follower'));
    await follower.synced();
    const told = () => follower.controls.filter((c) => c.type === 'past-actions').length;
    expect((await api(a, 'POST', `/api/meetings/${earlier.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    await waitFor(() => told() >= 1, { message: 'the close was not told to the other process' });
    // What its page then reads, through B: the action carried in.
    const past = await api<{ items: ActionRecord[] }>(b, 'GET', `/api/meetings/${later.id}/past-actions`, { cookie: admin.cookie });
    expect(past.body.items.map((item) => item.id)).toEqual([action.id]);
    const before = told();
    expect((await api(a, 'PATCH', `/api/actions/${action.id}`, { cookie: admin.cookie, body: { done: true } })).status).toBe(200);
    await waitFor(() => told() > before, { message: 'the tick was not told to the other process' });
    expect((await api(a, 'PATCH', `/api/meetings/${later.id}`, { cookie: admin.cookie, body: { title: 'DMLT December face-to-face' } })).status).toBe(200);
    await waitFor(() => follower.controls.some((c) => c.type === 'meeting' && c.changed === 'details'), { message: 'the edit was not told to the other process' });
  });

  it('series and accounts: a series typed in another case joins its series, a series renamed as a whole, a removed member comes back, a password link and a role change work', async () => {
    const a = await server();
    const admin = await setupAdmin(a);
    await createMeeting(a, admin, { title: 'Ops 1', series: 'Ops Weekly', startDate: '2030-01-07' });
    const second = await createMeeting(a, admin, { title: 'Ops 2', series: ' ops  weekly', startDate: '2030-01-14' });
    expect(second.series).toBe('Ops Weekly');
    expect((await api(a, 'GET', '/api/series', { cookie: admin.cookie })).body).toEqual({ series: [{ name: 'Ops Weekly', meetings: 2, first: '2030-01-07', last: '2030-01-14', canRename: true }] });
    // Renamed as a whole, then joined to another series by its name.
    await createMeeting(a, admin, { title: 'Ops review', series: 'Operations', startDate: '2030-02-04' });
    expect((await api(a, 'PATCH', '/api/series/Ops%20Weekly', { cookie: admin.cookie, body: { name: 'Ops weekly' } })).body).toMatchObject({ series: { name: 'Ops weekly', meetings: 2 }, merged: false });
    expect((await api(a, 'PATCH', '/api/series/Ops%20weekly', { cookie: admin.cookie, body: { name: 'OPERATIONS' } })).body).toMatchObject({ series: { name: 'Operations', meetings: 3 }, merged: true });

    const invite = async (email: string) => (await api(a, 'POST', '/api/invites', { cookie: admin.cookie, body: { email } })).body.token as string;
    const joined = await api(a, 'POST', '/api/invites/accept', { body: { token: await invite('pat@example.org'), name: 'Pat', password: 'pat password one' } });
    const pat = joined.body.user as { id: string };
    expect((await api(a, 'PATCH', `/api/members/${pat.id}`, { cookie: admin.cookie, body: { role: 'admin' } })).body.user.role).toBe('admin');
    expect((await api(a, 'PATCH', `/api/members/${pat.id}`, { cookie: admin.cookie, body: { role: 'member' } })).body.user.role).toBe('member');
    expect((await api(a, 'PATCH', `/api/members/${admin.user.id}`, { cookie: admin.cookie, body: { role: 'member' } })).status).toBe(400);
    const link = await api(a, 'POST', `/api/members/${pat.id}/password-reset`, { cookie: admin.cookie });
    const token = new URL(link.body.url).searchParams.get('token')!;
    expect((await api(a, 'POST', '/api/password-resets/accept', { body: { token, password: 'pat password two' } })).status).toBe(200);
    expect((await api(a, 'POST', '/api/login', { body: { email: 'pat@example.org', password: 'pat password two' } })).status).toBe(200);
    expect((await api(a, 'DELETE', `/api/members/${pat.id}`, { cookie: admin.cookie })).status).toBe(204);
    const back = await api(a, 'POST', '/api/invites/accept', { body: { token: await invite('PAT@example.org'), name: 'Pat Again', password: 'pat password three' } });
    expect(back.status).toBe(201);
    expect(back.body.user.id).toBe(pat.id);
  });

  it('says what is wrong when the database cannot be reached, and starts nothing', async () => {
    const url = new URL(db.url);
    url.password = 'wrong-password';
    url.username = 'nobody_here';
    await expect(startServer({ databaseUrl: url.toString() })).rejects.toThrow(/cannot use the PostgreSQL database at .*nobody_here:\*\*\*@/);
  });
});
