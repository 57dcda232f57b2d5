// The action tracker and export API against a real server: notes are typed into session
// documents by a stock y-websocket client (blocks built with the client's Lexical node classes),
// the server extracts the actions, and the API lists, filters, exports and ticks them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { ProviderClient } from '../helpers/clients.js';
import { addMember, api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { actionsOf, editNotes, typeNotes } from '../exports/typing.js';
import { $getRoot } from 'lexical';
import { scrubUrl } from '../../server/logger.js';
import type { ActionList, ActionRecord, CreatedMeeting, RenamedSeries, SeriesList } from '../../shared/api/index.js';


const descriptions = (items: ActionRecord[]) => items.map((a) => a.description).sort();

describe('action tracker API', () => {
  let server: TestServer;
  let admin: Account;
  let fritz: Account;
  let november: CreatedMeeting;
  let december: CreatedMeeting;
  let other: CreatedMeeting;
  const clients: ProviderClient[] = [];
  let novemberActions: ActionRecord[];

  const attendees = [
    { name: 'Fritz Mueller', handle: 'FM', email: 'fritz@example.org' },
    { name: 'Kian-Tat Lim', handle: 'KTL' },
    { name: 'Robert Lupton', handle: 'RHL' },
  ];

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    fritz = await addMember(server, admin, 'fritz@example.org', 'Fritz Mueller');
    november = await createMeeting(server, admin, { title: 'DMLT November', series: 'DMLT', startDate: '2020-11-17', attendees });
    december = await createMeeting(server, admin, { title: 'DMLT December', series: 'DMLT', startDate: '2020-12-15', attendees });
    other = await createMeeting(server, admin, { title: 'Other team', series: 'OTHER', startDate: '2020-11-20', attendees });
    clients.push(
      await typeNotes(server, november, [
        { check: 'Fritz Mueller Create a shared sheet to collect budget burn-downs by 15 Jan 2021' },
        'ACTION: @KTL convene a meeting on graph generation, due 2022-03-18, see DM-29330',
        'TODO: All review the validation plan by 2020-12-01',
        'DONE RHL sent the slides',
        'ACTION: RHL =HYPERLINK("http://evil.example") <script>alert(1)</script> by 2020-12-10',
        'RHL: how does validation map to phase 3? Not an action.',
      ]),
      await typeNotes(server, december, ['ACTION: KTL follow up on graph generation due 2020-12-20']),
      await typeNotes(server, other, ['ACTION: Fritz Mueller draft the charter by 2021-02-01']),
    );
    novemberActions = await actionsOf(server, november.id, admin, 5);
    await actionsOf(server, december.id, admin, 1);
    await actionsOf(server, other.id, admin, 1);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.close();
  });

  const byDescription = (start: string) => {
    const found = novemberActions.find((a) => a.description.startsWith(start));
    if (!found) throw new Error(`no action "${start}" in ${JSON.stringify(descriptions(novemberActions))}`);
    return found;
  };

  it("lists a meeting's actions as JSON with the contracted fields", () => {
    const sheet = byDescription('Create a shared sheet');
    expect(sheet).toMatchObject({
      assignees: [{ name: 'Fritz Mueller', handle: 'FM' }],
      everyone: false,
      due: '2021-01-15',
      done: false,
      tickets: [],
      sessionId: november.sessions[0]!.id,
      meetingId: november.id,
      meetingTitle: 'DMLT November',
    });
    expect(byDescription('convene')).toMatchObject({ assignees: [{ handle: 'KTL' }], due: '2022-03-18', tickets: ['DM-29330'] });
    expect(byDescription('review the validation plan')).toMatchObject({ everyone: true, due: '2020-12-01' });
    expect(byDescription('sent the slides')).toMatchObject({ done: true });
    expect(novemberActions.some((a) => a.sourceText.includes('Not an action'))).toBe(false);
  });

  it('exports CSV with formula cells neutralised', async () => {
    const response = await api(server, 'GET', `/api/meetings/${november.id}/actions?format=csv`, { cookie: admin.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="dmlt-november-actions\.csv"/);
    const text = response.body as string;
    expect(text.startsWith('Id,Description,Assignees')).toBe(true);
    // Marked as UTF-8 for Excel (fetch's text() reads past the mark, so the bytes are checked).
    const bytes = new Uint8Array(await (await fetch(`${server.url}/api/meetings/${november.id}/actions?format=csv`, { headers: { cookie: admin.cookie! } })).arrayBuffer());
    expect([...bytes.slice(0, 6)]).toEqual([0xef, 0xbb, 0xbf, ...Buffer.from('Id,')]);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"")');
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(6);
  });

  it('exports a Markdown table and an iCalendar that parses back', async () => {
    const md = await api(server, 'GET', `/api/meetings/${november.id}/actions?format=md`, { cookie: admin.cookie });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(md.body).toContain('| Description | Due date | Assignee | Status | Tickets | Appears on |');
    expect(md.body).toContain('\\<script\\>');

    const ics = await api(server, 'GET', `/api/meetings/${november.id}/actions?format=ics`, { cookie: admin.cookie });
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const todos = new ICAL.Component(ICAL.parse(ics.body as string)).getAllSubcomponents('vtodo');
    expect(todos.map((t) => [t.getFirstPropertyValue('summary'), t.getFirstPropertyValue('due')?.toString() ?? null]).sort()).toEqual(
      novemberActions.map((a) => [a.description, a.due]).sort(),
    );
  });

  it('refuses an unknown format', async () => {
    const response = await api(server, 'GET', `/api/meetings/${november.id}/actions?format=xlsx`, { cookie: admin.cookie });
    expect(response.status).toBe(400);
  });

  it('filters across meetings by assignee, status, series and due date', async () => {
    const get = async (query: string, account: Account = admin) => {
      const response = await api<ActionList>(server, 'GET', `/api/actions?${query}`, { cookie: account.cookie });
      expect(response.status).toBe(200);
      return descriptions(response.body.items);
    };
    // Open by default; All counts for every attendee of its meeting.
    expect(await get('assignee=KTL')).toEqual(['convene a meeting on graph generation, see DM-29330', 'follow up on graph generation', 'review the validation plan'].sort());
    expect(await get('assignee=@ktl&status=all')).toEqual(await get('assignee=KTL'));
    expect(await get('assignee=RHL&status=done')).toEqual(['sent the slides']);
    expect(await get('assignee=me', fritz)).toEqual(
      ['Create a shared sheet to collect budget burn-downs', 'draft the charter', 'review the validation plan'].sort(),
    );
    expect(await get('assignee=fritz%40example.org')).toEqual(await get('assignee=me', fritz));
    expect(await get('series=OTHER')).toEqual(['draft the charter']);
    expect(await get('series=DMLT&due_before=2020-12-15')).toEqual(
      ['=HYPERLINK("http://evil.example") <script>alert(1)</script>', 'review the validation plan'].sort(),
    );
    expect(await get('status=done')).toEqual(['sent the slides']);
    const bad = await api(server, 'GET', '/api/actions?due_before=tomorrow', { cookie: admin.cookie });
    expect(bad.status).toBe(400);
    // Pages of the list, in its order.
    const ordered = async (query: string) => (await api<ActionList>(server, 'GET', `/api/actions?${query}`, { cookie: admin.cookie })).body.items.map((a) => a.id);
    const all = await ordered('status=all');
    expect(all.length).toBeGreaterThan(4);
    expect(await ordered('status=all&limit=2')).toEqual(all.slice(0, 2));
    expect(await ordered('status=all&limit=2&offset=2')).toEqual(all.slice(2, 4));
    expect(await ordered(`status=all&offset=${all.length}`)).toEqual([]);
    expect((await api(server, 'GET', '/api/actions?limit=0', { cookie: admin.cookie })).status).toBe(400);
    expect((await api(server, 'GET', '/api/actions?limit=20001', { cookie: admin.cookie })).status).toBe(400);
  });

  it('lets guests with a token read their own meeting only; nobody else', async () => {
    const follower = linkToken(november, 'follower');
    const viaQuery = await api<ActionList>(server, 'GET', `/api/meetings/${november.id}/actions`, { token: follower });
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body.items).toHaveLength(5);
    const viaBearer = await api(server, 'GET', `/api/meetings/${november.id}/actions?format=csv`, { bearer: follower });
    expect(viaBearer.status).toBe(200);
    expect((await api(server, 'GET', `/api/meetings/${december.id}/actions`, { token: follower })).status).toBe(403);
    expect((await api(server, 'GET', `/api/meetings/${november.id}/actions`)).status).toBe(401);
    expect((await api(server, 'GET', `/api/meetings/${november.id}/actions`, { token: 'not-a-token' })).status).toBe(403);
    // Across meetings a guest sees its link's meeting only.
    const across = await api<ActionList>(server, 'GET', '/api/actions?status=all', { token: follower });
    expect(new Set(across.body.items.map((a) => a.meetingId))).toEqual(new Set([november.id]));
    expect((await api(server, 'GET', '/api/actions')).status).toBe(401);
  });

  it('ticks an action in the notes too; followers cannot tick', async () => {
    const sheet = byDescription('Create a shared sheet');
    const refused = await api(server, 'PATCH', `/api/actions/${sheet.id}`, { token: linkToken(november, 'follower'), body: { done: true } });
    expect(refused.status).toBe(403);
    const otherGuest = await api(server, 'PATCH', `/api/actions/${sheet.id}`, { token: linkToken(other, 'notetaker'), body: { done: true } });
    expect(otherGuest.status).toBe(403);
    expect((await api(server, 'PATCH', `/api/actions/${sheet.id}`, { body: { done: true } })).status).toBe(401);

    const ticked = await api<ActionRecord>(server, 'PATCH', `/api/actions/${sheet.id}`, { token: linkToken(november, 'notetaker'), body: { done: true } });
    expect(ticked.status).toBe(200);
    expect(ticked.body).toMatchObject({ id: sheet.id, done: true });
    // The notes say so: the notes export and every connected editor see a ticked checkbox.
    const notes = await api(server, 'GET', `/api/meetings/${november.id}/notes?format=md`, { cookie: admin.cookie });
    expect(notes.body).toContain('- [x] Fritz Mueller Create a shared sheet');

    const textAction = byDescription('convene');
    const byMember = await api<ActionRecord>(server, 'PATCH', `/api/actions/${textAction.id}`, { cookie: fritz.cookie, body: { done: true } });
    expect(byMember.status).toBe(200);
    expect(byMember.body.done).toBe(true);
    const after = await api(server, 'GET', `/api/meetings/${november.id}/notes?format=md`, { cookie: admin.cookie });
    expect(after.body).toMatch(/DONE:? @KTL convene a meeting/);

    // Untick both again for the tests that follow.
    for (const id of [sheet.id, textAction.id]) {
      const undone = await api<ActionRecord>(server, 'PATCH', `/api/actions/${id}`, { cookie: admin.cookie, body: { done: false } });
      expect(undone.body.done).toBe(false);
    }
    expect((await api(server, 'PATCH', '/api/actions/nosuchaction', { cookie: admin.cookie, body: { done: true } })).status).toBe(404);
    expect((await api(server, 'PATCH', `/api/actions/${sheet.id}`, { cookie: admin.cookie, body: { done: 'yes' } })).status).toBe(400);
  });

  it('carries open actions into the next meeting of the series when the earlier one is closed', async () => {
    const past = async () => {
      const response = await api<ActionList>(server, 'GET', `/api/meetings/${december.id}/past-actions`, { cookie: admin.cookie });
      expect(response.status).toBe(200);
      return descriptions(response.body.items);
    };
    expect(await past()).toEqual([]);
    expect((await api(server, 'POST', `/api/meetings/${november.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    const open = descriptions(novemberActions.filter((a) => !a.done));
    expect(await past()).toEqual(open);
    // A notetaker of the later meeting may tick a carried action; it then leaves the list.
    const carried = byDescription('review the validation plan');
    const ticked = await api(server, 'PATCH', `/api/actions/${carried.id}`, { token: linkToken(december, 'notetaker'), body: { done: true } });
    expect(ticked.status).toBe(200);
    expect(await past()).toEqual(open.filter((d) => d !== carried.description));
    // status=all keeps it, now done; the action done before the close was never carried.
    const all = await api<ActionList>(server, 'GET', `/api/meetings/${december.id}/past-actions?status=all`, { cookie: admin.cookie });
    expect(descriptions(all.body.items)).toEqual(open);
    expect(all.body.items.find((a) => a.id === carried.id)?.done).toBe(true);
    // Another series, and the earlier meeting itself, carry nothing.
    const otherPast = await api<ActionList>(server, 'GET', `/api/meetings/${other.id}/past-actions`, { cookie: admin.cookie });
    expect(otherPast.body.items).toEqual([]);
    const own = await api<ActionList>(server, 'GET', `/api/meetings/${november.id}/past-actions`, { cookie: admin.cookie });
    expect(own.body.items).toEqual([]);
    // Reopening withdraws them.
    expect((await api(server, 'POST', `/api/meetings/${november.id}/reopen`, { cookie: admin.cookie })).status).toBe(200);
    expect(await past()).toEqual([]);
    await api(server, 'PATCH', `/api/actions/${carried.id}`, { cookie: admin.cookie, body: { done: false } });
  });

  it('a series typed again in another case or spacing is the same series: its actions carry, its filters match', async () => {
    // The series is typed by hand on each meeting; "dmlt" for next month's must not start a series
    // of its own, which would stop the carry-over without a word.
    const january = await createMeeting(server, admin, { title: 'DMLT January', series: '  dmlt ', startDate: '2021-01-12', attendees });
    expect(january.series).toBe('DMLT');
    expect((await api(server, 'POST', `/api/meetings/${november.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    const carried = await api<ActionList>(server, 'GET', `/api/meetings/${january.id}/past-actions`, { cookie: admin.cookie });
    const open = descriptions(novemberActions.filter((a) => !a.done));
    expect(descriptions(carried.body.items)).toEqual(open);
    // The filters read a series name the same way.
    const exact = await api<ActionList>(server, 'GET', '/api/actions?status=all&series=DMLT', { cookie: admin.cookie });
    const loose = await api<ActionList>(server, 'GET', '/api/actions?status=all&series=Dmlt', { cookie: admin.cookie });
    expect(exact.body.items.length).toBeGreaterThan(0);
    expect(descriptions(loose.body.items)).toEqual(descriptions(exact.body.items));
    const meetings = await api<{ meetings: Array<{ title: string }> }>(server, 'GET', '/api/meetings?series=dmlt', { cookie: admin.cookie });
    expect(meetings.body.meetings.map((m) => m.title)).toEqual(['DMLT January', 'DMLT December', 'DMLT November']);
    expect((await api(server, 'POST', `/api/meetings/${november.id}/reopen`, { cookie: admin.cookie })).status).toBe(200);
    expect((await api(server, 'DELETE', `/api/meetings/${january.id}`, { cookie: admin.cookie })).status).toBe(204);
  });

  it('a series renamed as a whole takes all its meetings along; renamed to another series, the two are one and actions carry across', async () => {
    const leadership = await createMeeting(server, admin, { title: 'Leadership February', series: 'Data Management Leadership', startDate: '2021-02-09', attendees });
    expect((await api(server, 'POST', `/api/meetings/${november.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    const pastOf = async (meeting: CreatedMeeting) => descriptions((await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/past-actions`, { cookie: admin.cookie })).body.items);
    expect(await pastOf(leadership)).toEqual([]);
    const rename = (from: string, name: string, who: Account = admin) => api<RenamedSeries>(server, 'PATCH', `/api/series/${encodeURIComponent(from)}`, { cookie: who.cookie, body: { name } });
    const listed = async (who: Account = admin) => (await api<SeriesList>(server, 'GET', '/api/series', { cookie: who.cookie })).body.series;

    // Fritz owns none of DMLT's meetings: he may not rename it, and the list says so.
    expect((await listed(fritz)).find((s) => s.name === 'DMLT')?.canRename).toBe(false);
    expect((await listed()).find((s) => s.name === 'DMLT')?.canRename).toBe(true);
    expect((await rename('DMLT', 'Fritz series', fritz)).status).toBe(403);
    expect((await rename('No such series', 'Anything')).status).toBe(404);
    expect((await rename('DMLT', '   ')).status).toBe(400);

    // A change of case renames, and joins nothing.
    const recased = await rename('DMLT', ' dmlt ');
    expect(recased.status).toBe(200);
    expect(recased.body).toMatchObject({ series: { name: 'dmlt', meetings: 2 }, merged: false });
    // A new name is a rename too.
    expect((await rename('dmlt', 'Leadership team')).body).toMatchObject({ series: { name: 'Leadership team', meetings: 2 }, merged: false });
    expect((await rename('Leadership team', 'dmlt')).body).toMatchObject({ series: { name: 'dmlt', meetings: 2 }, merged: false });
    // Named as another series, however typed: one series, in date order, November's actions carried.
    const merged = await rename('dmlt', 'data management LEADERSHIP');
    expect(merged.body).toMatchObject({ series: { name: 'Data Management Leadership', meetings: 3, first: '2020-11-17', last: '2021-02-09' }, merged: true });
    expect(await pastOf(leadership)).toEqual(descriptions(novemberActions.filter((a) => !a.done)));
    expect((await listed()).map((s) => s.name)).not.toContain('dmlt');
    const meetings = await api<{ meetings: Array<{ title: string; series: string }> }>(server, 'GET', `/api/meetings?series=${encodeURIComponent('Data Management Leadership')}`, { cookie: admin.cookie });
    expect(meetings.body.meetings.map((m) => m.title)).toEqual(['Leadership February', 'DMLT December', 'DMLT November']);
    const tracked = await api<ActionList>(server, 'GET', '/api/actions?status=all&series=DMLT', { cookie: admin.cookie });
    expect(tracked.body.items).toEqual([]);

    // As the others found them: DMLT again, without the February meeting.
    expect((await api(server, 'DELETE', `/api/meetings/${leadership.id}`, { cookie: admin.cookie })).status).toBe(204);
    expect((await rename('Data Management Leadership', 'DMLT')).body.series).toMatchObject({ name: 'DMLT', meetings: 2 });
    expect((await api(server, 'POST', `/api/meetings/${november.id}/reopen`, { cookie: admin.cookie })).status).toBe(200);
  });

  it('exports the notes as Markdown and as an escaped, self-contained HTML page', async () => {
    const md = await api(server, 'GET', `/api/meetings/${november.id}/notes?format=md`, { token: linkToken(november, 'follower') });
    expect(md.status).toBe(200);
    expect(md.body).toContain('# DMLT November');
    expect(md.body).toContain('## Action item summary');
    expect(md.body).toContain('RHL: how does validation map to phase 3? Not an action.');

    const html = await api(server, 'GET', `/api/meetings/${november.id}/notes?format=html`, { cookie: admin.cookie });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = html.body as string;
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Fritz Mueller (FM)');
    expect((await api(server, 'GET', `/api/meetings/${november.id}/notes?format=pdf`, { cookie: admin.cookie })).status).toBe(400);
    expect((await api(server, 'GET', `/api/meetings/${november.id}/notes`, { token: linkToken(other, 'follower') })).status).toBe(403);
  });

  it("serves a member's private calendar feed of open actions, rotatable and revocable", async () => {
    expect((await api(server, 'POST', '/api/me/calendar-feed')).status).toBe(401);
    expect((await api(server, 'POST', '/api/me/calendar-feed', { token: linkToken(november, 'notetaker') })).status).toBe(403);
    const created = await api<{ url: string }>(server, 'POST', '/api/me/calendar-feed', { cookie: fritz.cookie });
    expect(created.status).toBe(201);
    const url = new URL(created.body.url);
    expect(url.pathname).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);

    const feed = await fetch(`${server.url}${url.pathname}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => [e.summary, e.startDate.toString()]).sort()).toEqual([
      ['Create a shared sheet to collect budget burn-downs', '2021-01-15'],
      ['draft the charter', '2021-02-01'],
      ['review the validation plan', '2020-12-01'],
    ]);

    const rotated = await api<{ url: string }>(server, 'POST', '/api/me/calendar-feed', { cookie: fritz.cookie });
    expect((await fetch(`${server.url}${url.pathname}`)).status).toBe(404);
    const rotatedPath = new URL(rotated.body.url).pathname;
    expect((await fetch(`${server.url}${rotatedPath}`)).status).toBe(200);
    expect((await api(server, 'DELETE', '/api/me/calendar-feed', { cookie: fritz.cookie })).status).toBe(204);
    expect((await fetch(`${server.url}${rotatedPath}`)).status).toBe(404);
    expect((await api(server, 'DELETE', '/api/me/calendar-feed', { cookie: fritz.cookie })).status).toBe(404);
    // The token is the feed's only secret: request logs show the path without it.
    expect(scrubUrl(`${rotatedPath}?style=todo`)).toBe('/api/calendar/[redacted]?style=todo');
  });

  it('hides an action deleted from the notes, keeping its record (last: it edits the other meeting)', async () => {
    const [charter] = await actionsOf(server, other.id, admin, 1);
    editNotes(clients[2]!, () => $getRoot().getLastChildOrThrow().remove());
    await actionsOf(server, other.id, admin, 0);
    const all = await api<ActionList>(server, 'GET', `/api/meetings/${other.id}/actions?include_removed=true`, { cookie: admin.cookie });
    expect(all.body.items).toEqual([expect.objectContaining({ id: charter!.id, description: 'draft the charter', removed: true })]);
    const tick = await api(server, 'PATCH', `/api/actions/${charter!.id}`, { cookie: admin.cookie, body: { done: true } });
    expect(tick.status).toBe(409);
    const mine = await api<ActionList>(server, 'GET', '/api/actions?assignee=me', { cookie: fritz.cookie });
    expect(mine.body.items.map((a) => a.id)).not.toContain(charter!.id);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = await api(server, 'GET', '/api/openapi.json');
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    for (const path of [
      '/api/meetings/{id}/actions',
      '/api/meetings/{id}/past-actions',
      '/api/actions',
      '/api/actions/{id}',
      '/api/meetings/{id}/notes',
      '/api/me/calendar-feed',
      '/api/calendar/{file}',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
