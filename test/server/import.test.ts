// Importing old minutes against a real server and SQLite file: a page in each format is previewed
// (dry run), then imported; the created meeting's agenda, notes (through the notes export),
// actions and proposals are checked field by field, and it is an ordinary meeting (tracker,
// carried-over actions, a second import of the same page is caught).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/processes.js';
import { loadConfig } from '../../server/config.js';
import { actionsOf, typeNotes } from '../exports/typing.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { importSample } from '../fixtures/index.js';
import type { ActionList, CreatedMeeting, ImportPreview, Meeting } from '../../shared/api/index.js';

type Created = CreatedMeeting & { import: ImportPreview };

/** What each sample's action lines must become: assignees (as a set), due date, done. */
const EXPECTED: Record<string, Array<{ description: string; assignees: string[]; everyone?: boolean; due: string | null; done: boolean; tickets?: string[] }>> = {
  'dm-f2f-wiki.txt': [
    { description: 'circulate the revised schedule', assignees: ["Wil O'Mullane"], due: '2020-11-20', done: false },
    { description: 'Convene a meeting on graph generation', assignees: ['Robert Lupton'], due: '2020-12-07', done: false },
    { description: 'update the milestone chart', assignees: ['Leanne Guy'], due: '2020-11-27', done: false },
    { description: 'sent the burn-rate spreadsheet', assignees: ['Kian-Tat Lim'], due: null, done: true },
    { description: 'report the AP latency numbers', assignees: ['Yusra AlSayyad'], due: '2020-12-01', done: false },
    { description: 'port the ingest scripts, moved to DM-29330', assignees: ['mbutler'], due: null, done: false, tickets: ['DM-29330'] },
    { description: 'Write the science platform roadmap', assignees: ['Frossie Economou'], due: '2021-01-15', done: false },
    { description: 'booked the next face-to-face', assignees: ["Wil O'Mullane"], due: null, done: true },
    { description: 'Review the Gen3 butler migration plan', assignees: ['Kian-Tat Lim'], due: '2020-12-04', done: false },
    { description: 'Schedule the AP review in two weeks', assignees: ['Yusra AlSayyad'], due: '2020-12-03', done: false },
    { description: 'read the operations readiness document', assignees: [], everyone: true, due: '2020-12-15', done: false },
  ],
  'gen3-hedgedoc.md': [
    { description: 'write up the registry schema', assignees: ['Kian-Tat Lim'], due: '2017-03-10', done: false },
    { description: 'review the registry schema', assignees: ['Michael Wood-Vasey'], due: '2017-03-14', done: false },
    { description: 'comment on the butler RFC-741', assignees: [], everyone: true, due: '2017-03-20', done: false },
    { description: 'circulated the repository layout', assignees: ['Jim Bosch'], due: null, done: true },
    { description: 'set up the CI for the test plan', assignees: ['Simon Krughoff'], due: '2017-03-15', done: false },
    { description: 'sent the minutes of the last meeting', assignees: ['Kian-Tat Lim'], due: null, done: true },
    { description: 'draft the test plan', assignees: ['parejkoj'], due: '2017-03-10', done: false },
  ],
  'alerts-confluence.html': [
    { description: 'publish schema v4 to the repository', assignees: ['Eric Bellm'], due: '2021-03-09', done: false },
    { description: 'benchmarked the packet size', assignees: ['Krzysztof Findeisen'], due: null, done: true },
    { description: 'profile the image differencing step', assignees: ['Yusra AlSayyad'], due: '2021-03-16', done: false },
    { description: 'move the broker tests to the new cluster, moved to DM-29001', assignees: ['mbutler'], due: null, done: false, tickets: ['DM-29001'] },
  ],
  'ops-etherpad.html': [
    { description: 'get the UPS quote', assignees: ["Wil O'Mullane"], due: '2022-05-13', done: false },
    { description: 'draft the DP0.3 release notes', assignees: ['Leanne Guy'], due: '2022-05-20', done: false },
    { description: 'checked the photometry', assignees: ['Robert Lupton'], due: null, done: true },
  ],
  'sqre-storage.xml': [
    { description: 'finish the LTD migration', assignees: ['Jonathan Sick'], due: '2019-06-24', done: false },
    { description: 'update the technote template', assignees: ['Simon Krughoff'], due: null, done: true },
    { description: 'write the notebook service plan', assignees: ['Frossie Economou'], due: '2019-06-21', done: false },
  ],
};

describe('importing old minutes', () => {
  let server: TestServer;
  let admin: Account;

  const preview = async (name: string, extra: Record<string, unknown> = {}): Promise<ImportPreview> => {
    const response = await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample(name), filename: name, dryRun: true, ...extra } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('previews a messy wiki page: dates, logistics, attendees, the agenda by day, notes under items, proposals, actions, and what it guessed', async () => {
    const p = await preview('dm-f2f-wiki.txt');
    expect(p).toMatchObject({
      format: 'text',
      title: 'DM Leadership Team Face-to-Face Meeting 2020-11',
      startDate: '2020-11-17',
      endDate: '2020-11-19',
      location: 'Virtual (Zoom)',
      joinUrl: 'https://noirlab.zoom.us/j/92876543210',
      joinText: 'Meeting ID: 928 7654 3210 Passcode: 4321',
      duplicateOf: null,
      closed: true,
    });
    expect(p.attendees).toContainEqual({ name: 'Kian-Tat Lim', handle: 'KTL' });
    expect(p.attendees).toContainEqual({ name: 'mbutler', handle: 'mbutler' });
    expect(p.days.map((d) => d.date)).toEqual(['2020-11-17', '2020-11-18', '2020-11-19']);
    const [day1, day2, day3] = p.days;
    // Names broken by stray spaces are repaired against the attendee list.
    expect(day1!.blocks[0]).toMatchObject({ moderator: "Wil O'Mullane", notetaker: 'Kian-Tat Lim' });
    expect(day2!.blocks[0]).toMatchObject({ moderator: 'Leanne Guy', notetaker: 'Yusra AlSayyad' });
    expect(day1!.blocks[0]!.items.map((i) => [i.time, i.topic, i.coordinators])).toEqual([
      ['09:00', 'Welcome', ["Wil O'Mullane"]],
      // Two names run together are parted.
      ['09:15', 'Project news and updates', ['Tim Jenness', 'Frossie Economou']],
      ['10:00', 'Plan to end of project: Part I', ['Leanne Guy']],
    ]);
    expect(day1!.blocks[0]!.items[0]!.preNotes).toBe('Agenda review; code of conduct');
    // HTML fragments inside a cell become lines of their own.
    expect(day1!.blocks[0]!.items[0]!.notes.map((n) => n.text)).toEqual(['Wil welcomed everyone.', 'Schedule is tight', 'ACTION: WOM circulate the revised schedule by 2020-11-20']);
    expect(day2!.blocks[0]!.items.map((i) => i.topic)).toEqual(['Alert production integration', 'Gen3 next steps']);
    expect(day3!.closing.map((n) => n.text)).toEqual([
      'Kian-Tat Lim Review the Gen3 butler migration plan by 2020-12-04',
      'Yusra AlSayyad Schedule the AP review in two weeks by 2020-12-03',
      'All read the operations readiness document by 2020-12-15',
    ]);
    expect(p.proposals).toEqual([
      { topic: 'Data preview 0 readiness', requestedBy: 'Leanne Guy', priority: 'high', notes: 'Asked for Tuesday 3:30', merged: false },
      { topic: 'Science platform auth changes', requestedBy: 'Frossie Economou', priority: null, notes: 'merged with previous', merged: true },
      { topic: 'Camera data flow review', requestedBy: 'Robert Lupton', priority: null, notes: 'Not scheduled', merged: false },
    ]);
    expect(p.warnings.join('\n')).toMatch(/Action Item Summary.*left out/);
    expect(p.guesses).toEqual(expect.arrayContaining(['"Ki an-Tat Lim" read as Kian-Tat Lim', '"Tim JennessFrossie Economou" read as Tim Jenness, Frossie Economou']));
    expect(p.guesses.some((g) => g.startsWith('"Robert Lupton Convene a meeting on graph generation'))).toBe(true);
    // Nothing was created by the dry run.
    expect((await api(server, 'GET', '/api/meetings', { cookie: admin.cookie })).body.meetings).toEqual([]);
  });

  it('recognises the action lines of every sample with their assignees, due dates and state', async () => {
    let found = 0;
    let total = 0;
    const report: string[] = [];
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const p = await preview(name);
      for (const want of expected) {
        total++;
        const got = p.actions.find((a) => a.description === want.description);
        const right = got && [...got.assignees].sort().join('|') === [...want.assignees].sort().join('|') && got.due === want.due && got.done === want.done && got.everyone === (want.everyone ?? false) && (!want.tickets || got.tickets.join() === want.tickets.join());
        if (right) found++;
        else report.push(`${name}: ${want.description} → ${JSON.stringify(got)}`);
      }
      expect(p.actions).toHaveLength(expected.length);
    }
    console.log(`import recognition: ${found} of ${total} action lines with the right assignee, due date and state`);
    expect(report).toEqual([]);
  });

  it('reads each format as what it is', async () => {
    expect((await preview('gen3-hedgedoc.md')).format).toBe('markdown');
    expect((await preview('alerts-confluence.html')).format).toBe('html');
    expect((await preview('sqre-storage.xml')).format).toBe('confluence');
    const md = await preview('gen3-hedgedoc.md');
    expect(md).toMatchObject({ title: 'Gen3 middleware sync', startDate: '2017-03-06', endDate: '2017-03-07', location: 'Tucson, room 4', joinUrl: 'https://lsst.zoom.us/j/123456789' });
    expect(md.days[0]!.blocks[0]).toMatchObject({ moderator: 'Jim Bosch', notetaker: 'Simon Krughoff' });
    expect(md.days[0]!.blocks[0]!.items[0]).toMatchObject({ time: '09:00', minutes: 30, topic: 'Butler requirements', coordinators: ['KTL'] });
    // Notes under a heading that names an agenda item go under that item.
    expect(md.days[0]!.blocks[0]!.items[0]!.notes.map((n) => n.text)).toContain('Discussion of the registry went long.');
    const html = await preview('alerts-confluence.html');
    expect(html).toMatchObject({ title: 'Alert Production Review 2021-03-02', startDate: '2021-03-02', endDate: '2021-03-02' });
    expect(html.days[0]!.blocks[0]!.items.map((i) => [i.time, i.topic, i.coordinators])).toEqual([
      ['10:00', 'Alert packet schema', ['Eric Bellm']],
      ['10:30', 'Latency budget', ['Yusra AlSayyad']],
    ]);
    const pad = await preview('ops-etherpad.html');
    expect(pad).toMatchObject({ format: 'html', title: 'Operations weekly', startDate: '2022-05-09', endDate: '2022-05-09' });
    expect(pad.attendees.map((a) => a.handle)).toEqual(['RHL', 'LG', 'WOM']);
    const storage = await preview('sqre-storage.xml');
    expect(storage.attendees.map((a) => a.name)).toEqual(['Frossie Economou', 'Jonathan Sick', 'Simon Krughoff']);
    expect(storage.warnings).toEqual([]);
  });

  it('imports a page as an ordinary meeting, exactly as previewed, closed when past; a second import is caught', async () => {
    const shown = await preview('dm-f2f-wiki.txt');
    const made = await api<Created>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample('dm-f2f-wiki.txt'), filename: 'dm-f2f-wiki.txt', series: 'DMLT' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const meeting = made.body;
    expect(meeting).toMatchObject({ title: shown.title, series: 'DMLT', startDate: '2020-11-17', endDate: '2020-11-19', closed: true, location: 'Virtual (Zoom)' });
    expect(meeting.links.map((l) => l.role).sort()).toEqual(['follower', 'notetaker']);
    expect(meeting.agenda.map((d) => [d.date, d.blocks.map((b) => [b.moderator, b.notetaker, b.items.map((i) => i.topic)])])).toEqual(
      shown.days.map((d) => [d.date, d.blocks.map((b) => [b.moderator, b.notetaker, b.items.map((i) => i.topic)])]),
    );

    // The notes, read back from the session documents, sit under their items.
    const notes = (await api<string>(server, 'GET', `/api/meetings/${meeting.id}/notes?format=md`, { cookie: admin.cookie })).body;
    const welcome = notes.slice(notes.indexOf('09:00 · Welcome'), notes.indexOf('09:15 · Project news'));
    expect(welcome).toContain('Wil welcomed everyone.');
    expect(welcome).toContain('ACTION: WOM circulate the revised schedule by 2020-11-20');
    expect(notes).toContain('- [ ] Robert Lupton Convene a meeting on graph generation 07 Dec 2020');

    // The actions are records, as the preview said.
    const actions = (await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items;
    expect(actions.map((a) => [a.description, a.due, a.done]).sort()).toEqual(shown.actions.map((a) => [a.description, a.due, a.done]).sort());
    const convene = actions.find((a) => a.description === 'Convene a meeting on graph generation')!;
    expect(convene).toMatchObject({ sessionDate: '2020-11-17', agendaItemTitle: 'Project news and updates', assignees: [expect.objectContaining({ name: 'Robert Lupton' })] });
    expect(actions.find((a) => a.description.startsWith('port the ingest scripts'))!.tickets).toEqual(['DM-29330']);
    // …in the tracker across meetings…
    const ktl = (await api<ActionList>(server, 'GET', '/api/actions?assignee=KTL&status=all', { cookie: admin.cookie })).body.items;
    // (an action for All counts for every attendee)
    expect(ktl.map((a) => a.description).sort()).toEqual(['Review the Gen3 butler migration plan', 'read the operations readiness document', 'sent the burn-rate spreadsheet']);
    // …and carried into the next meeting of the series.
    const next = await createMeeting(server, admin, { title: 'DMLT December', series: 'DMLT', startDate: '2020-12-14' });
    const past = (await api<ActionList>(server, 'GET', `/api/meetings/${next.id}/past-actions`, { cookie: admin.cookie })).body.items;
    expect(past.map((a) => a.description)).toContain('Review the Gen3 butler migration plan');
    expect(past.map((a) => a.description)).not.toContain('booked the next face-to-face');

    const proposals = (await api(server, 'GET', `/api/meetings/${meeting.id}/proposals`, { cookie: admin.cookie })).body.proposals as Array<{ topic: string; requestedBy: string | null; priority: string | null; status: string }>;
    expect(proposals.map((p) => [p.topic, p.requestedBy, p.priority, p.status])).toEqual([
      ['Data preview 0 readiness', 'Leanne Guy', 'high', 'unscheduled'],
      // "merged with previous"
      ['Science platform auth changes', 'Frossie Economou', null, 'merged'],
      ['Camera data flow review', 'Robert Lupton', null, 'unscheduled'],
    ]);

    // The same page again: caught, then replaced on request.
    const again = await api(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample('dm-f2f-wiki.txt') } });
    expect(again.status).toBe(409);
    expect(again.body.duplicateOf).toBe(meeting.id);
    expect((await preview('dm-f2f-wiki.txt')).duplicateOf).toBe(meeting.id);
    const replaced = await api<Created>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample('dm-f2f-wiki.txt'), replace: true, open: true } });
    expect(replaced.status).toBe(201);
    expect(replaced.body.closed).toBe(false);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: admin.cookie })).status).toBe(404);
    expect((await api<Meeting>(server, 'GET', `/api/meetings/${replaced.body.id}`, { cookie: admin.cookie })).body.title).toBe(shown.title);
  });

  it('imports a table of the running notes as a table, and one holding an action as lines, so that the action is one', async () => {
    const body = { content: importSample('dm-sync-tables.md'), filename: 'dm-sync-tables.md' };
    const shown = (await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { ...body, dryRun: true } })).body;
    const [budget, milestones] = shown.days[0]!.blocks.flatMap((b) => b.items);
    expect(budget!.notes.map((n) => n.table ?? n.text)).toEqual([
      'Numbers for the year:',
      { header: true, rows: [['Site', 'Cores', 'Status'], ['SLAC', '4000', 'ordered'], ['IN2P3', '2500', 'installed']] },
      'Agreed to revisit in June.',
    ]);
    expect(milestones!.notes.some((n) => n.table)).toBe(false);
    expect(shown.actions.map((a) => a.description)).toEqual(['publish the DP0.2 schedule']);

    const made = await api<Created>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const notes = (await api<string>(server, 'GET', `/api/meetings/${made.body.id}/notes?format=md`, { cookie: admin.cookie })).body;
    expect(notes).toContain('Numbers for the year:\n\n| Site | Cores | Status |\n| --- | --- | --- |\n| SLAC | 4000 | ordered |\n| IN2P3 | 2500 | installed |\n\nAgreed to revisit in June.');
    const actions = (await api<ActionList>(server, 'GET', `/api/meetings/${made.body.id}/actions`, { cookie: admin.cookie })).body.items;
    expect(actions.map((a) => [a.description, a.due])).toEqual([['publish the DP0.2 schedule', '2021-05-14']]);
  });

  // Each heading of the notes is looked up in the agenda read so far: once a scan of the agenda per
  // heading, minutes of the server's one thread for a page this size (every meeting stalled).
  it("reads a page as large as an import may be, thousands of agenda rows and headings, each heading's notes under its item", async () => {
    const n = 12_000;
    const rows = Array.from({ length: n }, (_, i) => `| 09:00 | Topic ${i} of the year | KTL | |`).join('\n');
    const notes = Array.from({ length: n }, (_, i) => `### Topic ${i} of the year\n\nAgreed on topic ${i}`).join('\n\n');
    const content = `# A year of calls\n\nDate: 2021-01-04\n\n## Agenda\n\n| Time | Topic | Coordinator | Pre-meeting notes |\n| --- | --- | --- | --- |\n${rows}\n\n## Notes\n\n${notes}\n`;
    expect(content.length).toBeGreaterThan(1_000_000);
    const response = await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content, filename: 'year.md', dryRun: true } });
    expect(response.status).toBe(200);
    const items = response.body.days[0]!.blocks.flatMap((b) => b.items);
    expect(items).toHaveLength(n);
    for (const i of [0, 7_777, n - 1]) expect(items[i]!.notes.map((note) => note.text)).toEqual([`Agreed on topic ${i}`]);
  });

  // Text copied out of a wiki page has no heading marks, so a short line naming a section is taken
  // for its heading; in a page that marks its headings only a line that is nothing but the name is.
  it('keeps a line of notes that begins like a section name as notes, and an action written as a heading as an action, in a page that marks its headings', async () => {
    const content = [
      '# Weekly sync',
      'Date: 2021-01-04',
      '## Agenda',
      '| Time | Topic |',
      '| --- | --- |',
      '| 09:00 | Budget |',
      '## Notes',
      '### Budget',
      'Actions carried over from last week were reviewed',
      'Notes from the breakout are in the drive',
      '#### Decisions',
      // An action someone wrote as a heading: an action still (a heading never is one).
      '#### ACTION: RHL send the slides by 2021-01-06',
      'Action items',
      '- [ ] KTL write it up by 2021-01-08',
    ].join('\n');
    const shown = (await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content, filename: 'weekly.md', dryRun: true } })).body;
    expect(shown.days[0]!.blocks[0]!.items[0]!.notes.map((note) => [note.text, note.heading])).toEqual([
      ['Actions carried over from last week were reviewed', undefined],
      ['Notes from the breakout are in the drive', undefined],
      ['Decisions', 3],
      ['ACTION: RHL send the slides by 2021-01-06', undefined],
    ]);
    expect(shown.actions.map((a) => a.line)).toEqual(['ACTION: RHL send the slides by 2021-01-06', 'KTL write it up by 2021-01-08']);
    expect(shown.days[0]!.closing.map((note) => [note.text, note.task])).toEqual([['KTL write it up by 2021-01-08', true]]);
  });

  it('is for members only', async () => {
    const meeting = await createMeeting(server, admin, { title: 'Someone else’s', startDate: '2020-11-20' });
    const body = { content: importSample('gen3-hedgedoc.md'), dryRun: true };
    expect((await api(server, 'POST', '/api/meetings/import', { body })).status).toBe(401);
    expect((await api(server, 'POST', '/api/meetings/import', { token: linkToken(meeting, 'notetaker'), body })).status).toBe(403);
    expect((await api(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: '' } })).status).toBe(400);
  });
});

describe('npm run quorum -- import', () => {
  let server: TestServer;

  afterAll(async () => {
    await server?.close();
  });

  it('previews and imports files next to a running server, which then serves the meeting like any other', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const file = fileURLToPath(new URL('../fixtures/import/gen3-hedgedoc.md', import.meta.url));
    const env = { DATA_DIR: server.dataDir };

    const dry = await runCli(['import', file, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('gen3-hedgedoc.md (markdown): "Gen3 middleware sync", 2017-03-06 to 2017-03-07, 5 attendees, 3 agenda items, 7 actions, 2 proposals');
    expect(dry.stdout).toContain('[ ] 2017-03-06 Kian-Tat Lim: write up the registry schema (due 2017-03-10)');
    expect(dry.stdout).toContain('[x] 2017-03-06 Jim Bosch: circulated the repository layout');
    expect((await api(server, 'GET', '/api/meetings', { cookie: admin.cookie })).body.meetings).toEqual([]);

    const made = await runCli(['import', file, '--series', 'Gen3', '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const [result] = JSON.parse(made.stdout) as Array<{ meetingId: string; actions: unknown[] }>;
    const meeting = (await api<Meeting>(server, 'GET', `/api/meetings/${result!.meetingId}`, { cookie: admin.cookie })).body;
    expect(meeting).toMatchObject({ title: 'Gen3 middleware sync', series: 'Gen3', closed: true, owner: { id: admin.user.id } });
    const actions = (await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items;
    expect(actions).toHaveLength(7);

    const again = await runCli(['import', file], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`imported before as meeting ${meeting.id}`);
  });
});

describe('TICKET_PROJECTS', () => {
  let server: TestServer;

  afterAll(async () => {
    await server?.close();
  });

  it('makes the listed projects tickets, in import previews and in the actions extracted from notes, and only those', async () => {
    expect(() => loadConfig({ TICKET_PROJECTS: 'DM,rfc' })).toThrow(/TICKET_PROJECTS must list project keys such as DM,RFC \(not rfc\)/);
    server = await startServer({ ticketProjects: loadConfig({ TICKET_PROJECTS: 'RFC,LVV' }).ticketProjects });
    const admin = await setupAdmin(server);
    const made = await api<Created>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample('gen3-hedgedoc.md') } });
    expect(made.body.import.actions.find((a) => a.description === 'comment on the butler RFC-741')!.tickets).toEqual(['RFC-741']);
    const actions = (await api<ActionList>(server, 'GET', `/api/meetings/${made.body.id}/actions`, { cookie: admin.cookie })).body.items;
    expect(actions.find((a) => a.description === 'comment on the butler RFC-741')!.tickets).toEqual(['RFC-741']);
    // DM is not listed here: DM-29330 is plain text.
    const wiki = await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content: importSample('dm-f2f-wiki.txt'), dryRun: true } });
    expect(wiki.body.actions.find((a) => a.description.startsWith('port the ingest scripts'))!.tickets).toEqual([]);
    // Typed notes too: the notes layer extracts with the same list.
    const typed = await createMeeting(server, admin, { title: 'Typed', startDate: '2021-01-04' });
    const client = await typeNotes(server, typed, ['ACTION: comment on RFC-800 and DM-12 by 2021-01-08']);
    const [record] = await actionsOf(server, typed.id, admin, 1);
    client.destroy();
    expect(record!.tickets).toEqual(['RFC-800']);
    // The page highlights what the server extracts.
    expect((await api<Meeting>(server, 'GET', `/api/meetings/${made.body.id}`, { cookie: admin.cookie })).body.ticketProjects).toEqual(['RFC', 'LVV']);
  });
});
