import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { DOCUMENT_NAME_PATTERN } from '../../shared/protocol/index.js';
import { findSessionByDoc } from '../../server/meetings/meetings.js';
import type { CreatedMeeting, Meeting } from '../../shared/api/index.js';
import { addMember, api, createMeeting, dmltFixture, linkToken, setupAdmin, type Account } from './support/api.js';

describe('meetings API', () => {
  let server: TestServer;
  let admin: Account;
  let owner: Account;
  let dmlt: CreatedMeeting;

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    owner = await addMember(server, admin, 'owner@example.org', 'Olivia Owner');
    const created = await api<CreatedMeeting>(server, 'POST', '/api/meetings', { cookie: owner.cookie, body: dmltFixture() });
    expect(created.status).toBe(201);
    dmlt = created.body;
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates a meeting in one call: one session per day, an edit and a view link', async () => {
    expect(dmlt.id).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(dmlt).toMatchObject({ title: 'Leadership Team Virtual Face-to-Face', series: 'DMLT', startDate: '2020-11-17', endDate: '2020-11-19' });
    expect(dmlt.sessions.map((s) => s.date)).toEqual(['2020-11-17', '2020-11-18', '2020-11-19']);
    for (const session of dmlt.sessions) {
      expect(session.doc).toBe(`session-${session.id}`);
      expect(session.doc).toMatch(DOCUMENT_NAME_PATTERN);
      expect(session.id.length).toBeGreaterThanOrEqual(16);
      expect(await findSessionByDoc(server.app.sql.db, session.doc)).toEqual({ meetingId: dmlt.id, sessionId: session.id, date: session.date });
    }
    expect(await findSessionByDoc(server.app.sql.db, 'session-unknown')).toBeNull();
    expect(await findSessionByDoc(server.app.sql.db, 'anything-else')).toBeNull();

    expect(dmlt.links.map((l) => l.role)).toEqual(['notetaker', 'follower']);
    for (const link of dmlt.links) {
      // 32 random bytes, base64url: 256 bits.
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(link.url).toBe(`${server.app.config.publicUrl}/m/${dmlt.id}?token=${link.token}`);
    }
    expect(dmlt.attendees).toHaveLength(15);
    expect(dmlt.attendees[1]).toEqual({ name: 'Robert Lupton', handle: 'RHL', email: null });
    expect(dmlt.access).toEqual({ role: 'owner', canWrite: true, canManage: true });
  });

  it('accepts the agenda shape of the fixture and gives every block and item an id', () => {
    expect(dmlt.agenda.map((d) => d.date)).toEqual(['2020-11-17', '2020-11-18', '2020-11-19']);
    const day1 = dmlt.agenda[0]!;
    expect(day1.blocks).toHaveLength(3);
    expect(day1.blocks[0]).toMatchObject({ moderator: 'YA', notetaker: 'KTL' });
    expect(day1.blocks[0]!.items[0]).toMatchObject({
      time: '09:00',
      minutes: 15,
      topic: 'Welcome',
      coordinators: ['WOM'],
      preNotes: 'Introductory remarks; review agenda and code of conduct; past actions',
    });
    const ids = dmlt.agenda.flatMap((d) => d.blocks.flatMap((b) => [b.id, ...b.items.map((i) => i.id)]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stores share tokens only as hashes', () => {
    const dump = JSON.stringify(server.app.db.prepare('SELECT * FROM share_links').all());
    for (const link of dmlt.links) expect(dump).not.toContain(link.token);
  });

  it('reads a meeting as a member, and as a guest with a token (without attendee e-mails)', async () => {
    const withEmail = await createMeeting(server, owner, { attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL', email: 'ktl@example.org' }] });
    const asMember = await api<Meeting>(server, 'GET', `/api/meetings/${withEmail.id}`, { cookie: admin.cookie });
    expect(asMember.body.attendees[0]!.email).toBe('ktl@example.org');
    expect(asMember.body.links).toHaveLength(2);
    expect(asMember.body.links![0]).not.toHaveProperty('token');

    const asGuest = await api<Meeting>(server, 'GET', `/api/meetings/${withEmail.id}`, { bearer: linkToken(withEmail, 'follower') });
    expect(asGuest.status).toBe(200);
    expect(asGuest.body.attendees[0]).toEqual({ name: 'Kian-Tat Lim', handle: 'KTL', email: null });
    expect(asGuest.body.access).toEqual({ role: 'follower', canWrite: false, canManage: false });
    expect(asGuest.body).not.toHaveProperty('links');
    const asNotetaker = await api<Meeting>(server, 'GET', `/api/meetings/${withEmail.id}`, { token: linkToken(withEmail, 'notetaker') });
    expect(asNotetaker.body.access).toEqual({ role: 'notetaker', canWrite: true, canManage: false });
    const me = await api(server, 'GET', '/api/me', { token: linkToken(withEmail, 'notetaker') });
    expect(me.body).toEqual({ kind: 'guest', link: { id: withEmail.links[0]!.id, meetingId: withEmail.id, role: 'notetaker' } });
    // A share link opens its own meeting only.
    expect((await api(server, 'GET', `/api/meetings/${dmlt.id}`, { token: linkToken(withEmail, 'notetaker') })).status).toBe(403);
  });

  it('answers invalid input with a clear 400 naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ startDate: '2030-01-01', attendees: [] }, /required property 'title'/],
      [{ title: 'x', startDate: '01/02/2030', attendees: [] }, /startDate/],
      [{ title: 'x', startDate: '2030-02-30', attendees: [] }, /startDate is not a real date/],
      [{ title: 'x', startDate: '2030-01-05', endDate: '2030-01-01', attendees: [] }, /endDate is before startDate/],
      [{ title: 'x', startDate: '2030-01-01', endDate: '2030-03-01', attendees: [] }, /at most 31 days/],
      [{ title: 'x', startDate: '2030-01-01', timezone: 'Mars/Olympus', attendees: [] }, /unknown time zone/],
      [{ title: 'x', startDate: '2030-01-01', attendees: [{ handle: 'X' }] }, /name/],
      [{ title: 'x', startDate: '2030-01-01', attendees: [], agenda: [{ date: '2030-01-02', blocks: [] }] }, /not a day of the meeting/],
      [{ title: 'x', startDate: '2030-01-01', attendees: [], agenda: [{ date: '2030-01-01', blocks: [{ items: [{ topic: 'T', time: '25:00' }] }] }] }, /time/],
    ];
    for (const [body, message] of cases) {
      const response = await api(server, 'POST', '/api/meetings', { cookie: owner.cookie, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error, JSON.stringify(body)).toMatch(message);
    }
    const garbage = await fetch(`${server.url}/api/meetings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: owner.cookie }, body: '{"title":' });
    expect(garbage.status).toBe(400);
    expect((await api(server, 'GET', '/api/meetings/not_an_id!', { cookie: owner.cookie })).status).toBe(400);
    expect((await api(server, 'GET', '/api/meetings/AAAAAAAAAAAAAAAAAAAAAA', { cookie: owner.cookie })).status).toBe(404);
  });

  it('lists upcoming, past and by series', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const past = await createMeeting(server, owner, { title: 'Old weekly', series: 'weekly', startDate: '2021-03-01' });
    const soon = await createMeeting(server, owner, { title: 'Next weekly', series: 'weekly', startDate: '2099-03-01' });
    const sooner = await createMeeting(server, owner, { title: 'Sooner weekly', series: 'weekly', startDate: '2098-03-01' });
    const ongoing = await createMeeting(server, owner, { title: 'Running today', startDate: today });

    const upcoming = (await api(server, 'GET', '/api/meetings?when=upcoming', { cookie: owner.cookie })).body.meetings.map((m: { id: string }) => m.id);
    expect(upcoming).toContain(ongoing.id);
    expect(upcoming.indexOf(sooner.id)).toBeLessThan(upcoming.indexOf(soon.id));
    expect(upcoming).not.toContain(past.id);
    expect(upcoming).not.toContain(dmlt.id);

    const pastIds = (await api(server, 'GET', '/api/meetings?when=past', { cookie: owner.cookie })).body.meetings.map((m: { id: string }) => m.id);
    expect(pastIds).toEqual(expect.arrayContaining([past.id, dmlt.id]));
    expect(pastIds.indexOf(past.id)).toBeLessThan(pastIds.indexOf(dmlt.id));
    expect(pastIds).not.toContain(soon.id);

    const series = (await api(server, 'GET', '/api/meetings?series=weekly', { cookie: owner.cookie })).body.meetings.map((m: { title: string }) => m.title);
    expect(series).toEqual(['Next weekly', 'Sooner weekly', 'Old weekly']);
    const limited = await api(server, 'GET', '/api/meetings?series=weekly&limit=1&offset=1', { cookie: owner.cookie });
    expect(limited.body.meetings.map((m: { title: string }) => m.title)).toEqual(['Sooner weekly']);
    expect((await api(server, 'GET', '/api/meetings?when=someday', { cookie: owner.cookie })).status).toBe(400);
  });

  it('lists the series with their meetings; a name typed again in another case joins its series, and a renamed one may change case', async () => {
    const first = await createMeeting(server, owner, { title: 'Camera sync 1', series: 'Camera Sync', startDate: '2024-02-05' });
    const second = await createMeeting(server, owner, { title: 'Camera sync 2', series: 'camera   SYNC', startDate: '2024-02-12' });
    expect(second.series).toBe('Camera Sync');
    const moved = await api<Meeting>(server, 'PATCH', `/api/meetings/${dmlt.id}`, { cookie: owner.cookie, body: { series: ' CAMERA sync' } });
    expect(moved.body.series).toBe('Camera Sync');
    const listed = await api<{ series: Array<{ name: string; meetings: number; first: string; last: string }> }>(server, 'GET', '/api/series', { cookie: owner.cookie });
    expect(listed.status).toBe(200);
    expect(listed.body.series.find((s) => s.name.toLowerCase() === 'camera sync')).toEqual({ name: 'Camera Sync', meetings: 3, first: '2020-11-17', last: '2024-02-12', canRename: true });
    expect(listed.body.series.filter((s) => s.name.toLowerCase() === 'camera sync')).toHaveLength(1);
    // A series of one meeting renamed: the new spelling is taken, not the meeting's own old one.
    const solo = await createMeeting(server, owner, { title: 'Solo', series: 'solo review', startDate: '2024-03-01' });
    const renamed = await api<Meeting>(server, 'PATCH', `/api/meetings/${solo.id}`, { cookie: owner.cookie, body: { series: 'Solo Review' } });
    expect(renamed.body.series).toBe('Solo Review');
    // Put back for the tests that follow; members only.
    await api(server, 'PATCH', `/api/meetings/${dmlt.id}`, { cookie: owner.cookie, body: { series: 'DMLT' } });
    for (const meeting of [first, second, solo]) expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await api(server, 'GET', '/api/series')).status).toBe(401);
    expect((await api(server, 'GET', '/api/series', { token: linkToken(dmlt, 'notetaker') })).status).toBe(403);
  });

  it('updates with PATCH, keeping agenda item ids that are sent back, adding sessions for new days', async () => {
    const meeting = await createMeeting(server, owner, {
      startDate: '2030-05-01',
      agenda: [{ date: '2030-05-01', blocks: [{ moderator: 'A', notetaker: 'B', items: [{ topic: 'First', time: '09:00' }, { topic: 'Second', time: '10:00' }] }] }],
    });
    const [first, second] = meeting.agenda[0]!.blocks[0]!.items;
    const patched = await api<Meeting>(server, 'PATCH', `/api/meetings/${meeting.id}`, {
      cookie: owner.cookie,
      body: {
        title: 'Renamed',
        endDate: '2030-05-02',
        agenda: [
          { date: '2030-05-01', blocks: [{ id: meeting.agenda[0]!.blocks[0]!.id, moderator: 'A', items: [{ id: second!.id, topic: 'Second, moved first', time: '08:30' }] }] },
          { date: '2030-05-02', blocks: [{ items: [{ topic: 'New on day two' }] }] },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBe('Renamed');
    expect(patched.body.sessions.map((s) => s.date)).toEqual(['2030-05-01', '2030-05-02']);
    expect(patched.body.sessions[0]!.id).toBe(meeting.sessions[0]!.id);
    const items = patched.body.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items));
    expect(items.map((i) => i.topic)).toEqual(['Second, moved first', 'New on day two']);
    expect(items[0]!.id).toBe(second!.id);
    expect(items.map((i) => i.id)).not.toContain(first!.id);
    expect(patched.body.agenda[0]!.blocks[0]!.notetaker).toBeNull();

    // PUT replaces: omitted optional fields are cleared.
    const put = await api<Meeting>(server, 'PUT', `/api/meetings/${meeting.id}`, {
      cookie: owner.cookie,
      body: { title: 'Replaced', startDate: '2030-05-01', attendees: [{ name: 'Only One' }] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ title: 'Replaced', endDate: '2030-05-01', series: null, agenda: [] });
    expect(put.body.attendees).toEqual([{ name: 'Only One', handle: null, email: null }]);
    // The session of the day no longer in range keeps its notes.
    expect(put.body.sessions).toHaveLength(2);
  });

  it('deletes a meeting with its sessions and notes documents', async () => {
    const meeting = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    server.app.db.prepare('INSERT INTO document_updates (doc, id, data, created_at) VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM document_updates), ?, ?)').run(doc, Buffer.from([0, 0]), Date.now());
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).status).toBe(404);
    expect(await findSessionByDoc(server.app.sql.db, doc)).toBeNull();
    expect(server.app.db.prepare('SELECT count(*) AS n FROM document_updates WHERE doc = ?').get(doc)).toEqual({ n: 0 });
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: linkToken(meeting, 'follower') })).status).toBe(403);
  });

  it('manages share links: create, list, rotate, revoke', async () => {
    const meeting = await createMeeting(server, owner);
    const created = await api(server, 'POST', `/api/meetings/${meeting.id}/links`, { cookie: owner.cookie, body: { role: 'follower', label: 'for the board' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'follower', label: 'for the board', revokedAt: null });
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: created.body.token })).status).toBe(200);

    const rotated = await api(server, 'POST', `/api/meetings/${meeting.id}/links/${created.body.id}/rotate`, { cookie: owner.cookie });
    expect(rotated.status).toBe(200);
    expect(rotated.body.id).toBe(created.body.id);
    expect(rotated.body.token).not.toBe(created.body.token);
    expect(rotated.body.rotatedAt).not.toBeNull();
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: created.body.token })).status).toBe(403);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: rotated.body.token })).status).toBe(200);

    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/links/${created.body.id}`, { cookie: owner.cookie })).status).toBe(204);
    const revoked = await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: rotated.body.token });
    expect(revoked.status).toBe(403);
    expect(revoked.body.error).toBe('this share link was revoked');
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/links/${created.body.id}/rotate`, { cookie: owner.cookie })).status).toBe(409);

    const list = await api(server, 'GET', `/api/meetings/${meeting.id}/links`, { cookie: owner.cookie });
    expect(list.body.links).toHaveLength(3);
    expect(list.body.links.find((l: { id: string }) => l.id === created.body.id).revokedAt).not.toBeNull();
    // Addresses for the live links (the owner copies them from here), none for the revoked one.
    for (const link of list.body.links) expect(link).not.toHaveProperty('token');
    expect(list.body.links.find((l: { id: string }) => l.id === created.body.id).url).toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(rotated.body.token);
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/links`, { cookie: owner.cookie, body: { role: 'owner' } })).status).toBe(400);
  });

  it('closes and reopens a meeting', async () => {
    const meeting = await createMeeting(server, owner);
    const closed = await api<Meeting>(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: owner.cookie });
    expect(closed.body).toMatchObject({ closed: true, access: { canWrite: false } });
    expect(closed.body.closedAt).not.toBeNull();
    const asNotetaker = await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { token: linkToken(meeting, 'notetaker') });
    expect(asNotetaker.body.access.canWrite).toBe(false);
    const reopened = await api<Meeting>(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: owner.cookie });
    expect(reopened.body).toMatchObject({ closed: false, closedAt: null, access: { canWrite: true } });
  });
});

describe('topic proposals', () => {
  let server: TestServer;
  let owner: Account;
  let meeting: CreatedMeeting;

  beforeAll(async () => {
    server = await startServer();
    owner = await setupAdmin(server);
    meeting = await createMeeting(server, owner, {
      startDate: '2030-11-17',
      endDate: '2030-11-18',
      agenda: [
        {
          date: '2030-11-17',
          blocks: [
            { moderator: 'YA', items: [{ topic: 'Welcome', time: '09:00', minutes: 15 }, { topic: 'News', time: '09:15', minutes: 30 }] },
            { moderator: 'KTL', items: [{ topic: 'Gen3', time: '11:00', minutes: 60 }] },
          ],
        },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const propose = (credentials: { cookie?: string; token?: string }, body: object) =>
    api(server, 'POST', `/api/meetings/${meeting.id}/proposals`, { ...credentials, body });

  it('anyone with access proposes; members default to their own name as requester', async () => {
    const byFollower = await propose({ token: linkToken(meeting, 'follower') }, { topic: 'Provenance WG report', requestedBy: 'LG', minutes: 30, priority: 'medium' });
    expect(byFollower.status).toBe(201);
    expect(byFollower.body.proposal).toMatchObject({ topic: 'Provenance WG report', requestedBy: 'LG', minutes: 30, priority: 'medium', status: 'unscheduled', itemId: null });
    const byOwner = await propose({ cookie: owner.cookie }, { topic: 'HiPS requirements', notes: 'decide who makes maps', priority: 'high' });
    expect(byOwner.body.proposal.requestedBy).toBe('Ada Admin');
    expect((await propose({}, { topic: 'anonymous' })).status).toBe(401);
    expect((await propose({ cookie: owner.cookie }, { topic: 'x', priority: 'urgent' })).status).toBe(400);
    const list = await api(server, 'GET', `/api/meetings/${meeting.id}/proposals`, { token: linkToken(meeting, 'follower') });
    expect(list.body.proposals.map((p: { topic: string }) => p.topic)).toEqual(['Provenance WG report', 'HiPS requirements']);
  });

  it('the owner schedules a proposal into a slot: it becomes an agenda item in time order', async () => {
    const proposal = (await propose({ cookie: owner.cookie }, { topic: 'Focus Friday', requestedBy: 'YA', minutes: 15, notes: 'keep it up?' })).body.proposal;
    const scheduled = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${proposal.id}/schedule`, {
      cookie: owner.cookie,
      body: { date: '2030-11-17', time: '09:10' },
    });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.proposal).toMatchObject({ status: 'scheduled', itemId: scheduled.body.item.id });
    expect(scheduled.body.item).toMatchObject({ topic: 'Focus Friday', time: '09:10', minutes: 15, coordinators: ['YA'], preNotes: 'keep it up?' });
    const agenda = (await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).body.agenda;
    expect(agenda[0]!.blocks[0]!.items.map((i) => i.topic)).toEqual(['Welcome', 'Focus Friday', 'News']);

    // A day with no agenda gets a block; a date outside the meeting is refused.
    const another = (await propose({ cookie: owner.cookie }, { topic: 'Day two topic' })).body.proposal;
    const dayTwo = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${another.id}/schedule`, { cookie: owner.cookie, body: { date: '2030-11-18' } });
    expect(dayTwo.status).toBe(200);
    const outside = (await propose({ cookie: owner.cookie }, { topic: 'Outside' })).body.proposal;
    const refused = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${outside.id}/schedule`, { cookie: owner.cookie, body: { date: '2030-12-01' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/not a day of the meeting/);

    // Scheduling twice is a conflict; unscheduling removes the item and makes it schedulable again.
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${proposal.id}/schedule`, { cookie: owner.cookie, body: { date: '2030-11-17' } })).status).toBe(409);
    const unscheduled = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${proposal.id}/unschedule`, { cookie: owner.cookie });
    expect(unscheduled.body.proposal).toMatchObject({ status: 'unscheduled', itemId: null });
    const after = (await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).body.agenda;
    expect(after[0]!.blocks[0]!.items.map((i) => i.topic)).toEqual(['Welcome', 'News']);
  });

  it('the owner merges a proposal into another topic, which keeps a note of it', async () => {
    const a = (await propose({ cookie: owner.cookie }, { topic: 'Burn rates', requestedBy: 'WOM' })).body.proposal;
    const b = (await propose({ cookie: owner.cookie }, { topic: 'Budget', requestedBy: 'FM', notes: 'Q3' })).body.proposal;
    const merged = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${a.id}/merge`, { cookie: owner.cookie, body: { into: { kind: 'proposal', id: b.id } } });
    expect(merged.status).toBe(200);
    expect(merged.body.proposal).toMatchObject({ status: 'merged', mergedInto: { kind: 'proposal', id: b.id } });
    const list = (await api(server, 'GET', `/api/meetings/${meeting.id}/proposals`, { cookie: owner.cookie })).body.proposals;
    expect(list.find((p: { id: string }) => p.id === b.id).notes).toBe('Q3\nMerged: Burn rates (requested by WOM)');

    const c = (await propose({ cookie: owner.cookie }, { topic: 'Gen3 test plan' })).body.proposal;
    const gen3 = meeting.agenda[0]!.blocks[1]!.items[0]!;
    const intoItem = await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${c.id}/merge`, { cookie: owner.cookie, body: { into: { kind: 'item', id: gen3.id } } });
    expect(intoItem.status).toBe(200);
    const agenda = (await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).body.agenda;
    expect(agenda[0]!.blocks[1]!.items[0]!.preNotes).toBe('Merged: Gen3 test plan (requested by Ada Admin)');
    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/proposals/${b.id}/merge`, { cookie: owner.cookie, body: { into: { kind: 'proposal', id: b.id } } })).status).toBe(400);
  });

  it('edits and deletes proposals; proposals close with the meeting', async () => {
    const p = (await propose({ cookie: owner.cookie }, { topic: 'Typo topc' })).body.proposal;
    const edited = await api(server, 'PATCH', `/api/meetings/${meeting.id}/proposals/${p.id}`, { cookie: owner.cookie, body: { topic: 'Typo topic', minutes: 10 } });
    expect(edited.body.proposal).toMatchObject({ topic: 'Typo topic', minutes: 10 });
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/proposals/${p.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect((await api(server, 'PATCH', `/api/meetings/${meeting.id}/proposals/${p.id}`, { cookie: owner.cookie, body: { minutes: 5 } })).status).toBe(404);

    await api(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: owner.cookie });
    const late = await propose({ token: linkToken(meeting, 'notetaker') }, { topic: 'Too late' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('the meeting is closed');
    await api(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: owner.cookie });
  });

  it('creating a meeting accepts the fixture’s proposals too', async () => {
    const created = await api<CreatedMeeting>(server, 'POST', '/api/meetings', { cookie: owner.cookie, body: dmltFixture() });
    const list = await api(server, 'GET', `/api/meetings/${created.body.id}/proposals`, { cookie: owner.cookie });
    expect(list.body.proposals.map((p: { topic: string; priority: string }) => [p.topic, p.priority])).toEqual([
      ['Status report from the provenance working group', 'medium'],
      ['Requirements for science pipelines to support HiPS images', 'high'],
      ['Focus Friday: keep it up?', 'low'],
    ]);
  });
});
