// Quorum's own minutes come back in: a meeting's notes export (Markdown or HTML), imported on the
// same or another server, makes the same meeting. Its days, blocks, items, times and durations,
// logistics, running notes under their items (nested and numbered lists, tasks, quotes, headings,
// tables, links, bold, italics, code) and action records all match, so that exporting the imported
// meeting gives the same file back, and the copy's seals vouch for the same notes as the
// original's. A real server and SQLite file; the notes typed by a real client, the meeting
// closed (sealed) through the API as an owner closes it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, type LexicalNode, type TextFormatType } from 'lexical';
import { $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import { $getAgendaItemId } from '../../shared/notes/agenda-state.js';
import { $createMentionNode } from '../../shared/notes/nodes.js';
import { $textWithLinks } from '../../shared/notes/links.js';
import { $tableOfRows } from '../../shared/notes/tables.js';
import { actionsOf, editNotes } from '../exports/typing.js';
import { connectProvider } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import type { ActionRecord, CreatedMeeting, ImportPreview } from '../../shared/api/index.js';
import * as Y from 'yjs';

const bullets = (type: 'bullet' | 'number', ...items: Array<string | LexicalNode>): LexicalNode =>
  $createListNode(type).append(
    ...items.map((item) => (typeof item === 'string' ? $createListItemNode().append($createTextNode(item)) : $createListItemNode().append(item))),
  );
const task = (text: string, checked = false): LexicalNode => $createListNode('check').append($createListItemNode(checked).append($createTextNode(text)));
const paragraph = (text: string): LexicalNode => $createParagraphNode().append(...$textWithLinks(text));
const styled = (text: string, ...formats: TextFormatType[]): LexicalNode => formats.reduce((node, format) => node.toggleFormat(format), $createTextNode(text));

/** The running notes typed under each agenda item, by topic. */
const NOTES: Record<string, () => LexicalNode[]> = {
  Welcome: () => [
    $createParagraphNode().append(
      styled('RHL:', 'bold'),
      styled(' how does '),
      styled('validation', 'italic'),
      styled(' map to '),
      styled('phase 2', 'strikethrough'),
      styled(' phase 3? See '),
      $createLinkNode('https://example.org/plan').append(styled('the plan')),
      styled(' and run '),
      styled('butler ingest', 'code'),
      styled(', '),
      styled('not *this* or snake_case', 'bold', 'italic'),
      styled('.'),
    ),
    $createListNode('bullet').append(
      $createListItemNode().append($createTextNode('Validation plan')),
      $createListItemNode().append(bullets('bullet', 'phase 3 starts in March', 'two reviews before')),
      $createListItemNode().append($createTextNode('Schedule')),
    ),
    // An action with sub-items.
    $createListNode('check').append(
      $createListItemNode(false).append($createTextNode('KTL review the Gen3 butler migration plan by Friday')),
      $createListItemNode().append(bullets('bullet', 'start with the registry', 'then the datastore')),
    ),
    task('WOM booked the next face-to-face', true),
    $createParagraphNode().append(styled('ACTION: @LG update the '), styled('milestone chart', 'bold'), styled(' due 2020-11-27')),
    $createQuoteNode().append($createTextNode('The charter says: one notetaker per block.')),
  ],
  'Project news': () => [
    bullets('number', 'Cloud costs are on track', 'Hiring: two posts open'),
    $tableOfRows({ header: true, rows: [['Site', 'Cores'], ['SLAC', '4000'], ['IN2P3', '2500']] }),
    $createHeadingNode('h3').append($createTextNode('Decisions')),
    paragraph('Slides at https://example.org/slides and the plan in DM-29330; questions to ops@lsst.org.'),
  ],
  'Wrap-up': () => [
    paragraph('TODO: All read the operations readiness document by 2020-12-15'),
    // Chosen from the mention list: an attendee without a handle is mentioned by full name.
    $createParagraphNode().append(styled('ACTION: '), $createMentionNode('@Frossie Economou', 'fe'), styled(' write the science platform roadmap by 2021-01-15')),
  ],
};

const AGENDA = [
  {
    date: '2020-11-17',
    blocks: [
      {
        moderator: "Wil O'Mullane",
        notetaker: 'Kian-Tat Lim',
        items: [
          { time: '09:00', minutes: 30, topic: 'Welcome', coordinators: ["Wil O'Mullane"], preNotes: 'Agenda review; code of conduct\n\nSlides: https://example.org/welcome' },
          { time: '09:30', topic: 'Project news', coordinators: ['Tim Jenness', 'Leanne Guy'] },
        ],
      },
      { title: 'Afternoon', items: [{ time: '13:00', minutes: 90, topic: 'Science platform', coordinators: ['Leanne Guy'] }] },
    ],
  },
  { date: '2020-11-18', blocks: [{ title: 'Planning', moderator: 'Leanne Guy', items: [{ topic: 'Wrap-up', coordinators: ["Wil O'Mullane"] }] }] },
];

const ATTENDEES = [
  { name: "Wil O'Mullane", handle: 'WOM' },
  { name: 'Kian-Tat Lim', handle: 'KTL' },
  { name: 'Leanne Guy', handle: 'LG' },
  { name: 'Tim Jenness', handle: 'TJ' },
  { name: 'Robert Lupton', handle: 'RHL' },
  { name: 'Frossie Economou' },
];

/** What the two meetings must agree on about each action. */
const actionFacts = (actions: readonly ActionRecord[]) =>
  actions
    .map((a) => ({ description: a.description, due: a.due, done: a.done, everyone: a.everyone, assignees: a.assignees.map((p) => p.name).sort(), sessionDate: a.sessionDate, item: a.agendaItemTitle, tickets: a.tickets }))
    .sort((a, b) => a.description.localeCompare(b.description));

/** A seal says who sealed the minutes and when: the copy's are the importer's and the import's. */
const withoutSeals = (markdown: string): string => markdown.replace(/\n\n\*Sealed [^\n]*\*/g, '');
/** What each session's seal vouches for: the SHA-256 of its notes as canonical Markdown. */
const sealedHashes = (markdown: string): string[] => [...markdown.matchAll(/SHA-256 of these notes as Markdown: `([0-9a-f]{64})`/g)].map((m) => m[1]!);

describe("Quorum's own notes export, imported again", () => {
  let server: TestServer;
  let admin: Account;
  let original: CreatedMeeting;
  let markdown: string;
  let html: string;
  let actions: ActionRecord[];

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    original = await createMeeting(server, admin, {
      title: 'DM Leadership Team Face-to-Face',
      series: 'DMLT',
      startDate: '2020-11-17',
      endDate: '2020-11-18',
      timezone: 'America/Phoenix',
      location: 'Virtual (Zoom)',
      joinUrl: 'https://noirlab.zoom.us/j/92876543210',
      joinText: 'Meeting ID: 928 7654 3210\nPasscode: 4321',
      attendees: ATTENDEES,
      agenda: AGENDA,
    });
    const topics = new Map(original.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items.map((i) => [i.id, i.topic] as const))));
    const clients = [];
    for (const session of original.sessions) {
      const client = connectProvider(server.collabUrl, session.doc, { params: { token: linkToken(original, 'notetaker') } });
      clients.push(client);
      await client.synced();
      await waitFor(() => client.doc.get('root', Y.XmlText).length > 0, { message: 'document not seeded' });
      editNotes(client, () => {
        for (const heading of $getRoot().getChildren()) {
          const typed = NOTES[topics.get($getAgendaItemId(heading) ?? '') ?? '']?.();
          if (!typed) continue;
          // Below the heading and its pre-meeting notes, in the empty paragraph left for notes.
          let spot = heading.getNextSibling()!;
          while (spot.getTextContent() !== '') spot = spot.getNextSibling()!;
          spot.replace(typed[0]!);
          typed.slice(1).reduce((last, next) => last.insertAfter(next) as LexicalNode, typed[0]!);
        }
        if (session.date === '2020-11-18') $getRoot().getFirstChild()!.insertBefore(paragraph('Recording started at 09:02.'));
      });
    }
    // Each session's notes went as one update: its actions listed means all of it is stored.
    actions = await actionsOf(server, original.id, admin, 5);
    for (const client of clients) client.destroy();
    expect((await api(server, 'POST', `/api/meetings/${original.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    markdown = (await api<string>(server, 'GET', `/api/meetings/${original.id}/notes?format=md`, { cookie: admin.cookie })).body;
    html = (await api<string>(server, 'GET', `/api/meetings/${original.id}/notes?format=html`, { cookie: admin.cookie })).body;
    if (process.env.SHOW_EXPORT) console.log(markdown);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('the notes hold what was typed (the test writes what it means to)', () => {
    expect(markdown).toContain('- Validation plan\n    - phase 3 starts in March\n    - two reviews before\n- Schedule');
    expect(markdown).toContain('- [ ] KTL review the Gen3 butler migration plan by Friday\n    - start with the registry\n    - then the datastore\n');
    // A cell is one line: the pre-meeting notes' lines are joined by <br>, as GFM renders it.
    expect(markdown).toContain("| 09:00 (30 min) | Welcome | Wil O'Mullane | Agenda review; code of conduct<br><br>Slides: https://example.org/welcome |");
    expect(markdown).toContain('| SLAC | 4000 |');
    expect(markdown).toContain('Slides at <https://example.org/slides> and the plan in DM-29330; questions to <ops@lsst.org>.');
    expect(markdown).toContain('**RHL:** how does *validation* map to ~~phase 2~~ phase 3? See [the plan](<https://example.org/plan>) and run `butler ingest`, ***not \\*this\\* or snake\\_case***.');
    expect(markdown).toContain('*Sealed by');
    expect(actionFacts(actions).map((a) => [a.description, a.assignees])).toEqual([
      ['booked the next face-to-face', ["Wil O'Mullane"]],
      ['read the operations readiness document', []],
      ['review the Gen3 butler migration plan', ['Kian-Tat Lim']],
      ['update the milestone chart', ['Leanne Guy']],
      ['write the science platform roadmap', ['Frossie Economou']],
    ]);
  });

  for (const format of ['md', 'html'] as const) {
    it(`an export as ${format === 'md' ? 'Markdown' : 'HTML'} imports as the same meeting, and exports the same again`, async () => {
      const content = format === 'md' ? markdown : html;
      const filename = `dmlt-f2f.${format}`;
      const preview = (await api<ImportPreview>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content, filename, dryRun: true } })).body;
      // The meeting it was exported from is on this server too: the importer says so.
      // (The first test's copy may be the one named.)
      expect(preview.warnings.filter((w) => !w.includes("its day's notes"))).toEqual([
        expect.stringMatching(new RegExp(`^A meeting "${original.title}" starting 2020-11-17 is here already \\(\\w+\\): importing this page makes a second one\\.$`)),
      ]);
      const made = await api<CreatedMeeting>(server, 'POST', '/api/meetings/import', { cookie: admin.cookie, body: { content, filename, series: 'DMLT' } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const copy = made.body;
      expect(copy).toMatchObject({ title: original.title, startDate: '2020-11-17', endDate: '2020-11-18', timezone: 'America/Phoenix', location: 'Virtual (Zoom)', joinUrl: original.joinUrl, joinText: original.joinText, closed: true });
      expect(copy.attendees.map((a) => [a.name, a.handle])).toEqual(original.attendees.map((a) => [a.name, a.handle]));
      const shape = (m: CreatedMeeting) => m.agenda.map((d) => ({ ...d, blocks: d.blocks.map((b) => ({ ...b, id: undefined, items: b.items.map((i) => ({ ...i, id: undefined })) })) }));
      expect(shape(copy)).toEqual(shape(original));
      expect(actionFacts(await actionsOf(server, copy.id, admin, actions.length))).toEqual(actionFacts(actions));
      const again = (await api<string>(server, 'GET', `/api/meetings/${copy.id}/notes?format=md`, { cookie: admin.cookie })).body;
      expect(withoutSeals(again)).toBe(withoutSeals(markdown));
      // Imported closed, its minutes sealed: to the byte the notes that were sealed at the close.
      expect(sealedHashes(markdown)).toHaveLength(2);
      expect(sealedHashes(again)).toEqual(sealedHashes(markdown));
    });
  }
});
