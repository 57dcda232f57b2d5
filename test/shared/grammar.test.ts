// Table-driven tests of the action-item grammar (shared/actions/README.md).
// Every worked example of test/fixtures/action-lines.json runs first, then our own cases.

import { actionLines } from '../fixtures/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isActionText,
  parseActionBlock,
  ticketUrl,
  type ActionSpan,
  type Attendee,
  type Mention,
  type ParsedAction,
  type ParseOptions,
} from '../../shared/actions';

interface FixtureAction {
  line: string;
  expect: { assignees: string[]; everyone: boolean; due: string | null; done: boolean; tickets: string[]; description: string };
  why?: string;
}

interface Fixtures {
  sessionDate: string;
  attendees: Attendee[];
  actions: FixtureAction[];
  ordinary: string[];
}

// The product team's worked examples (test/fixtures/action-lines.json).
const fixtures = actionLines<Fixtures>();

/** What a case checks; fields left out are not checked. Assignees compare as a set of names. */
interface Expect {
  kind?: ParsedAction['kind'];
  assignees?: string[];
  assigneeText?: string[];
  everyone?: boolean;
  due?: string | null;
  done?: boolean;
  tickets?: string[];
  description?: string;
  /** Each span as [kind, the substring it covers], in order. */
  spans?: [ActionSpan['kind'], string][];
}

interface Case {
  line: string;
  /** Set for a check-list item: `line` is then its text without the checkbox. */
  checked?: boolean;
  mentions?: Mention[];
  session?: string;
  options?: ParseOptions;
  /** null: not an action item. */
  expect: Expect | null;
}

function assertParsed(c: Case, attendees: readonly Attendee[], defaultSession: string): void {
  const got = parseActionBlock(
    { text: c.line, checked: c.checked ?? null, mentions: c.mentions ?? [] },
    attendees,
    c.session ?? defaultSession,
    c.options,
  );
  if (c.expect === null) {
    expect(got).toBeNull();
    return;
  }
  expect(got).not.toBeNull();
  if (!got) return;
  const e = c.expect;
  if (e.kind !== undefined) expect(got.kind).toBe(e.kind);
  if (e.assignees !== undefined) expect(got.assignees.map((a) => a.name).sort()).toEqual([...e.assignees].sort());
  if (e.assigneeText !== undefined) expect(got.assigneeText).toEqual(e.assigneeText);
  if (e.everyone !== undefined) expect(got.everyone).toBe(e.everyone);
  if (e.due !== undefined) expect(got.due).toBe(e.due);
  if (e.done !== undefined) expect(got.done).toBe(e.done);
  if (e.tickets !== undefined) expect(got.tickets).toEqual(e.tickets);
  if (e.description !== undefined) expect(got.description).toBe(e.description);
  if (e.spans !== undefined) expect(got.spans.map((s) => [s.kind, c.line.slice(s.start, s.end)])).toEqual(e.spans);
}

describe('fixtures: action-lines.json', () => {
  const asCase = (a: FixtureAction): Case => ({ line: a.line, expect: a.expect });
  it.each(fixtures.actions.map(asCase))('typed as text: $line', (c) => {
    assertParsed(c, fixtures.attendees, fixtures.sessionDate);
  });

  // In the editor, typing "[ ] " or "[x] " turns the line into a check-list item and the prefix
  // disappears; the same line must give the same record.
  const asCheckItem = fixtures.actions
    .filter((a) => /^\[[ x]\] /.test(a.line))
    .map((a): Case => ({ line: a.line.slice(4), checked: a.line.startsWith('[x]'), expect: a.expect }));
  it.each(asCheckItem)('as a check-list item: $line', (c) => {
    assertParsed(c, fixtures.attendees, fixtures.sessionDate);
  });

  it.each(fixtures.ordinary)('ordinary line: %s', (line) => {
    assertParsed({ line, expect: null }, fixtures.attendees, fixtures.sessionDate);
  });
});

// Our own meeting: the fixture's attendees, with ids, and some whose names and handles are traps.
const attendees: Attendee[] = [
  ...fixtures.attendees.map((a, i) => ({ ...a, id: `a${i}` })),
  { id: 'rhl', name: 'Robert Lupton', handle: 'RHL' },
  { id: 'wom', name: "Wil O'Mullane", handle: 'WOM' },
  { id: 'al', name: 'Al Smith', handle: 'AL' },
  { id: 'fix', name: 'Felix Xu', handle: 'FIX' },
  { id: 'gpdf', name: 'Gregory Dubois-Felsmann', handle: 'gpdf' },
  { id: 'zi', name: 'Željko Ivezić', handle: 'ZI' },
  { id: 'jc', name: 'Jim Chiang', handle: 'JC' },
  { id: 'tj', name: 'Tim Jenness', handle: null, email: 'tjenness@example.org' },
  { id: 'may', name: 'May Parker', handle: 'MP' },
];
const SESSION = '2017-03-06'; // a Monday

const markers: Case[] = [
  { line: 'ACTION: RHL to send the validation plan', expect: { kind: 'action', assignees: ['Robert Lupton'], done: false, description: 'send the validation plan' } },
  { line: 'Action: RHL to send the validation plan', expect: { kind: 'action', assignees: ['Robert Lupton'] } },
  { line: 'Action item: KTL circulate the minutes', expect: { kind: 'action', assignees: ['Kian-Tat Lim'], description: 'circulate the minutes' } },
  { line: 'TODO: JFB fix the butler registry', expect: { kind: 'todo', assignees: ['Jim Bosch'], description: 'fix the butler registry' } },
  { line: '  ACTION: KTL circulate the minutes', expect: { kind: 'action', assignees: ['Kian-Tat Lim'] } },
  { line: '[] JFB fix the butler registry', expect: { kind: 'check', done: false, assignees: ['Jim Bosch'] } },
  { line: '[x] JFB fixed the butler registry', expect: { kind: 'check', done: true, description: 'fixed the butler registry' } },
  { line: '[X] JFB fixed the butler registry', expect: { kind: 'check', done: true } },
  { line: '✓ RHL sent the slides', expect: { kind: 'done', done: true, assignees: ['Robert Lupton'], description: 'sent the slides' } },
  { line: '✔ RHL sent the slides', expect: { kind: 'done', done: true } },
  { line: '✅ RHL sent the slides', expect: { kind: 'done', done: true, description: 'sent the slides' } },
  { line: 'DONE RHL sent the slides', expect: { kind: 'done', done: true, assignees: ['Robert Lupton'], description: 'sent the slides' } },
  { line: 'DONE: RHL sent the slides', expect: { kind: 'done', done: true, description: 'sent the slides' } },
  { line: 'Done: RHL sent the slides', expect: { kind: 'done', done: true, assignees: ['Robert Lupton'] } },
  { line: 'KTL wrote the walkthrough', checked: true, expect: { kind: 'check', done: true, assignees: ['Kian-Tat Lim'], description: 'wrote the walkthrough' } },
  { line: 'KTL write the walkthrough', checked: false, expect: { kind: 'check', done: false } },
  { line: 'TODO: KTL write the walkthrough', checked: false, expect: { kind: 'check', done: false, description: 'write the walkthrough', spans: [['marker', 'TODO:'], ['assignee', 'KTL']] } },
  // The checkbox is the state the tracker ticks; text cannot overrule it.
  { line: '✓ KTL wrote the walkthrough', checked: false, expect: { kind: 'check', done: false, description: 'wrote the walkthrough' } },
];

const ordinary: Case[] = [
  { line: 'Done with the review, moving on', expect: null },
  { line: 'Robert Lupton will present the plan by Friday', expect: null },
  { line: 'KTL to send the slides by 2017-03-10', expect: null },
  { line: 'Todo list for tomorrow', expect: null },
  { line: 'ACTIONS were reviewed from last week', expect: null },
  { line: 'Focus Friday is Dec 7', expect: null },
  { line: 'Dec 7 review with @ktl and Jim Bosch', expect: null },
  { line: 'DONEGAL site visit on 2017-03-09', expect: null },
  { line: '[1] reference to the design note', expect: null },
  { line: '[x]y is not a checkbox', expect: null },
  { line: '[ ]no space after the box', expect: null },
  { line: '', expect: null },
  // A marker alone is not an action yet: typing "[ ] " must not create a record.
  { line: '[ ] ', expect: null },
  { line: 'ACTION:   ', expect: null },
  { line: '✓', expect: null },
  { line: '   ', checked: false, expect: null },
];

const names: Case[] = [
  { line: '[ ] Kian-Tat Lim review the schema', expect: { assignees: ['Kian-Tat Lim'], assigneeText: ['Kian-Tat Lim'], description: 'review the schema' } },
  { line: "[ ] Wil O'Mullane approve the budget", expect: { assignees: ["Wil O'Mullane"], description: 'approve the budget' } },
  { line: '[ ] Wil O’Mullane approve the budget', expect: { assignees: ["Wil O'Mullane"], assigneeText: ['Wil O’Mullane'], description: 'approve the budget' } },
  { line: '[ ] Michael Wood‐Vasey check the photometry', expect: { assignees: ['Michael Wood-Vasey'], description: 'check the photometry' } },
  { line: '[ ] Zeljko Ivezic approve the descope', expect: { assignees: ['Željko Ivezić'], description: 'approve the descope' } },
  { line: '[ ] robert lupton send the validation plan', expect: { assignees: ['Robert Lupton'], description: 'send the validation plan' } },
  { line: "[ ] Robert Lupton's slides need a review", expect: { assignees: [], description: "Robert Lupton's slides need a review" } },
  { line: 'ACTION: RHL, KTL and JFB review the plan', expect: { assignees: ['Robert Lupton', 'Kian-Tat Lim', 'Jim Bosch'], assigneeText: ['RHL', 'KTL', 'JFB'], description: 'review the plan' } },
  { line: 'ACTION: RHL & KTL to review the plan', expect: { assignees: ['Robert Lupton', 'Kian-Tat Lim'], description: 'review the plan' } },
  { line: 'ACTION: RHL/KTL: review the plan', expect: { assignees: ['Robert Lupton', 'Kian-Tat Lim'], description: 'review the plan' } },
  { line: 'ACTION: Robert Lupton, Kian-Tat Lim, and Jim Bosch draft the charge', expect: { assignees: ['Robert Lupton', 'Kian-Tat Lim', 'Jim Bosch'], description: 'draft the charge' } },
  { line: 'ACTION: KTL - write the design note', expect: { assignees: ['Kian-Tat Lim'], description: 'write the design note' } },
  { line: 'ACTION: KTL: write the design note', expect: { assignees: ['Kian-Tat Lim'], description: 'write the design note' } },
  { line: 'ACTION: KTL, please write the design note', expect: { assignees: ['Kian-Tat Lim'], description: 'please write the design note' } },
  // A join that no attendee completes: the names stay in the description.
  { line: 'ACTION: KTL and the DM team review the plan', expect: { assignees: ['Kian-Tat Lim'], description: 'KTL and the DM team review the plan' } },
  { line: 'ACTION: KTL KTL review the plan', expect: { assignees: ['Kian-Tat Lim'], assigneeText: ['KTL'], description: 'review the plan' } },
  // A name made of month words is a person, not a date.
  { line: 'ACTION: May Parker send the report', expect: { assignees: ['May Parker'], due: null, description: 'send the report' } },
];

const handlesAndOrdinaryWords: Case[] = [
  { line: '[ ] All update the coordination page', expect: { everyone: true, assignees: [], assigneeText: ['All'], description: 'update the coordination page' } },
  { line: '[ ] AL update the coordination page', expect: { everyone: false, assignees: ['Al Smith'], description: 'update the coordination page' } },
  // "Al" is neither the handle "AL" (handles are case-sensitive) nor the full name.
  { line: '[ ] Al update the coordination page', expect: { assignees: [], description: 'Al update the coordination page' } },
  { line: '[ ] Fix the nightly build', expect: { assignees: [], description: 'Fix the nightly build' } },
  { line: '[ ] FIX the nightly build', expect: { assignees: ['Felix Xu'], description: 'the nightly build' } },
  { line: '[ ] gpdf review the schema', expect: { assignees: ['Gregory Dubois-Felsmann'], description: 'review the schema' } },
  // Capitals are initials: a handle stored in lower case still matches them.
  { line: '[ ] GPDF review the schema', expect: { assignees: ['Gregory Dubois-Felsmann'], description: 'review the schema' } },
  { line: '[ ] Gpdf review the schema', expect: { assignees: [], description: 'Gpdf review the schema' } },
  { line: '[ ] KTLs review the schema', expect: { assignees: [], description: 'KTLs review the schema' } },
  { line: '[ ] KTL-led review of the schema', expect: { assignees: [], description: 'KTL-led review of the schema' } },
  { line: '[ ] all hands prepare questions', expect: { everyone: false, assignees: [], description: 'all hands prepare questions' } },
  { line: '[ ] all: prepare questions', expect: { everyone: true, description: 'prepare questions' } },
  { line: '[ ] Everyone: prepare questions', expect: { everyone: true, description: 'prepare questions' } },
  { line: '[ ] @all prepare questions', expect: { everyone: true, assigneeText: ['@all'], description: 'prepare questions' } },
  { line: '[ ] All and RHL: prepare questions', expect: { everyone: true, assignees: ['Robert Lupton'], description: 'prepare questions' } },
];

const atMentions: Case[] = [
  { line: '[ ] @ktl review the schema', expect: { assignees: ['Kian-Tat Lim'], assigneeText: ['@ktl'], description: 'review the schema' } },
  { line: '[ ] @kian-tat review the schema', expect: { assignees: ['Kian-Tat Lim'] } },
  { line: '[ ] @bosch review the schema', expect: { assignees: ['Jim Bosch'] } },
  { line: '[ ] @jbosch review the schema', expect: { assignees: ['Jim Bosch'] } },
  { line: '[ ] @RobertLupton review the schema', expect: { assignees: ['Robert Lupton'] } },
  { line: '[ ] @mario.juric review the schema', expect: { assignees: ['Mario Juric'] } },
  { line: '[ ] @tjenness review the schema', expect: { assignees: ['Tim Jenness'], description: 'review the schema' } },
  { line: '[ ] @wood-vasey check the photometry', expect: { assignees: ['Michael Wood-Vasey'] } },
  // Two Jims: an ambiguous mention stays unresolved rather than guessing.
  { line: '[ ] @jim review the schema', expect: { assignees: [], assigneeText: ['@jim'], description: 'review the schema' } },
  { line: '[ ] @nobody review the schema', expect: { assignees: [], assigneeText: ['@nobody'], description: 'review the schema' } },
  { line: 'ACTION: RHL to sync with @JFB about the Butler', expect: { assignees: ['Robert Lupton', 'Jim Bosch'], assigneeText: ['RHL', '@JFB'], description: 'sync with @JFB about the Butler' } },
  { line: 'ACTION: KTL to mail ktl@example.org the plan', expect: { assignees: ['Kian-Tat Lim'], assigneeText: ['KTL'], description: 'mail ktl@example.org the plan' } },
  { line: 'ACTION: meet @2pm about the plan', expect: { assignees: [], assigneeText: [], description: 'meet @2pm about the plan' } },
  // A full name after '@' typed as text (not chosen from the list; pasted or imported notes) is the
  // whole name: the surname is not left to the description, and it tells two Jims apart.
  { line: 'ACTION: @Robert Lupton to review the schema', expect: { assignees: ['Robert Lupton'], assigneeText: ['@Robert Lupton'], description: 'review the schema', spans: [['marker', 'ACTION:'], ['assignee', '@Robert Lupton']] } },
  { line: '[ ] @Jim Bosch review the schema', expect: { assignees: ['Jim Bosch'], assigneeText: ['@Jim Bosch'], description: 'review the schema' } },
  { line: '[ ] @Željko Ivezić and @Kian-Tat Lim approve the descope', expect: { assignees: ['Željko Ivezić', 'Kian-Tat Lim'], description: 'approve the descope' } },
  { line: 'ACTION: RHL to sync with @Jim Chiang about the Butler', expect: { assignees: ['Robert Lupton', 'Jim Chiang'], assigneeText: ['RHL', '@Jim Chiang'], description: 'sync with @Jim Chiang about the Butler' } },
  { line: '[ ] @Robert reviews the schema', expect: { assignees: ['Robert Lupton'], assigneeText: ['@Robert'], description: 'reviews the schema' } },
];

const mentionNodes: Case[] = [
  {
    line: '@Kian-Tat Lim review the schema',
    checked: false,
    mentions: [{ start: 0, end: 13, attendeeId: 'a11' }],
    expect: { assignees: ['Kian-Tat Lim'], assigneeText: ['@Kian-Tat Lim'], description: 'review the schema', spans: [['assignee', '@Kian-Tat Lim']] },
  },
  {
    line: 'ACTION: @Robert Lupton to review the schema',
    mentions: [{ start: 8, end: 22, handle: 'RHL' }],
    expect: { assignees: ['Robert Lupton'], description: 'review the schema', spans: [['marker', 'ACTION:'], ['assignee', '@Robert Lupton']] },
  },
  {
    line: 'ACTION: @Jim review the schema',
    mentions: [{ start: 8, end: 12, name: 'Jim Chiang' }],
    expect: { assignees: ['Jim Chiang'], assigneeText: ['@Jim'], description: 'review the schema' },
  },
  {
    // An id the meeting no longer knows: the node's text still finds the person.
    line: 'ACTION: @Jim Bosch review the schema',
    mentions: [{ start: 8, end: 18, attendeeId: 'gone' }],
    expect: { assignees: ['Jim Bosch'], description: 'review the schema' },
  },
  {
    line: 'ACTION: RHL to sync with @Jim Chiang about the Butler',
    mentions: [{ start: 25, end: 36, attendeeId: 'jc' }],
    expect: { assignees: ['Robert Lupton', 'Jim Chiang'], assigneeText: ['RHL', '@Jim Chiang'], description: 'sync with @Jim Chiang about the Butler' },
  },
  {
    line: 'ACTION: @May Parker and @Mario Juric draft the plan',
    mentions: [{ start: 8, end: 19, attendeeId: 'may' }, { start: 24, end: 36, attendeeId: 'a1' }],
    expect: { assignees: ['May Parker', 'Mario Juric'], due: null, description: 'draft the plan' },
  },
  {
    // Out-of-range and overlapping spans (a stale editor state) are ignored, never thrown on.
    line: 'ACTION: KTL review the schema',
    mentions: [{ start: 20, end: 99, attendeeId: 'rhl' }, { start: 5, end: 3, attendeeId: 'rhl' }],
    expect: { assignees: ['Kian-Tat Lim'], description: 'review the schema' },
  },
];

const dates: Case[] = [
  { line: 'ACTION: KTL circulate the minutes due: 2017-03-20', expect: { due: '2017-03-20', description: 'circulate the minutes' } },
  { line: 'ACTION: KTL circulate the minutes (due 2017-03-20)', expect: { due: '2017-03-20', description: 'circulate the minutes' } },
  { line: 'ACTION: KTL circulate the minutes, due date 2017-03-20.', expect: { due: '2017-03-20', description: 'circulate the minutes.' } },
  { line: 'ACTION: KTL circulate the minutes, due 2017-03-20, then archive them', expect: { due: '2017-03-20', description: 'circulate the minutes, then archive them' } },
  { line: 'ACTION: KTL circulate the minutes on 07 Dec 2017', expect: { due: '2017-12-07', description: 'circulate the minutes', spans: [['marker', 'ACTION:'], ['assignee', 'KTL'], ['due', '07 Dec 2017']] } },
  { line: 'ACTION: KTL Dec 7 circulate the minutes', expect: { due: '2017-12-07', description: 'circulate the minutes' } },
  { line: 'ACTION: KTL on Dec 7: circulate the minutes', expect: { due: '2017-12-07', description: 'circulate the minutes', spans: [['marker', 'ACTION:'], ['assignee', 'KTL'], ['due', 'Dec 7']] } },
  { line: 'ACTION: KTL (Dec 7) circulate the minutes', expect: { due: '2017-12-07', description: 'circulate the minutes' } },
  { line: 'ACTION: KTL 2017-03-10: circulate the minutes', expect: { due: '2017-03-10', description: 'circulate the minutes' } },
  // Mid-sentence, the first absolute date is the due date but stays in the sentence.
  { line: 'ACTION: KTL summarise the 7 December review for the board', expect: { due: '2017-12-07', description: 'summarise the 7 December review for the board' } },
  { line: 'ACTION: KTL book rooms between 2017-03-08 and 2017-03-09', expect: { due: '2017-03-08' } },
  { line: 'ACTION: KTL summarise the Dec 7 review by 2017-03-10', expect: { due: '2017-03-10', description: 'summarise the Dec 7 review' } },
  { line: 'ACTION: KTL send the agenda by tomorrow', expect: { due: '2017-03-07', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by Monday', expect: { due: '2017-03-13', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by Sunday', expect: { due: '2017-03-12' } },
  { line: 'ACTION: KTL send the agenda due on Thursday', expect: { due: '2017-03-09', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by next Friday', expect: { due: '2017-03-17', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by Friday 5pm', expect: { due: '2017-03-10', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by next week', expect: { due: '2017-03-13', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda within 2 weeks', expect: { due: '2017-03-20', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by end of month', expect: { due: '2017-03-31', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by the end of the month', expect: { due: '2017-03-31', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by the end of the week', expect: { due: '2017-03-10', description: 'send the agenda', spans: [['marker', 'ACTION:'], ['assignee', 'KTL'], ['due', 'by the end of the week']] } },
  { line: 'ACTION: KTL send the agenda by EOW', expect: { due: '2017-03-10', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by end of next week', expect: { due: '2017-03-17' } },
  { line: 'ACTION: KTL send the agenda by the end of the year', expect: { due: '2017-12-31', description: 'send the agenda' } },
  { line: 'ACTION: KTL send the agenda by EOD', expect: { due: '2017-03-06' } },
  { line: 'ACTION: KTL send the agenda by 3/7', expect: { due: '2017-03-07', description: 'send the agenda' } },
  { line: 'ACTION: KTL review 12/07/2017 release notes', expect: { due: '2017-12-07' } },
  // Relative words without due/by are descriptions, not deadlines.
  { line: 'ACTION: RHL plan the Focus Friday agenda', expect: { due: null, description: 'plan the Focus Friday agenda' } },
  { line: 'ACTION: RHL plan the agenda tomorrow', expect: { due: null, description: 'plan the agenda tomorrow' } },
  { line: 'ACTION: RHL plan the agenda in 2 weeks', expect: { due: null, description: 'plan the agenda in 2 weeks' } },
  // A bare time or a bare month is not a day; the words stay.
  { line: 'ACTION: RHL send the agenda by 5pm', expect: { due: null, description: 'send the agenda by 5pm' } },
  { line: 'ACTION: RHL send the agenda by March', expect: { due: null, description: 'send the agenda by March' } },
  { line: 'ACTION: RHL cut 3/7 of the budget', expect: { due: null, description: 'cut 3/7 of the budget' } },
  { line: 'ACTION: RHL spend the budget nearby Friday', expect: { due: null } },
  // Durations after "by" are amounts; a date glued to a word is not a date.
  { line: 'ACTION: RHL reduce the latency by 2 seconds', expect: { due: null, description: 'reduce the latency by 2 seconds' } },
  { line: 'ACTION: RHL slip the schedule by 2 weeks', expect: { due: null, description: 'slip the schedule by 2 weeks' } },
  { line: 'ACTION: RHL grow the budget by 10%', expect: { due: null, description: 'grow the budget by 10%' } },
  { line: 'ACTION: RHL send it due Friday-ish', expect: { due: null } },
  { line: 'ACTION: RHL send it by 2 weeks from now', expect: { due: '2017-03-20', description: 'send it' } },
  { line: 'ACTION: RHL send it by the 15th of March', expect: { due: '2017-03-15', description: 'send it' } },
  // An explicit year is never moved, even into the past.
  { line: 'ACTION: RHL send the agenda by 2017-02-28', expect: { due: '2017-02-28' } },
  // Year-less dates resolve forward from the session date, across the new year...
  { line: 'ACTION: RHL send the agenda by Jan 5', session: '2020-12-20', expect: { due: '2021-01-05', description: 'send the agenda' } },
  { line: 'ACTION: RHL send the agenda by Friday', session: '2020-12-31', expect: { due: '2021-01-01' } },
  { line: 'ACTION: RHL send the agenda by 31 Dec', session: '2020-12-20', expect: { due: '2020-12-31' } },
  // ...so a year-less date just before the session means next year's.
  { line: 'ACTION: RHL send the agenda by Mar 1', expect: { due: '2018-03-01' } },
  { line: 'ACTION: RHL send the agenda by Mar 6', expect: { due: '2017-03-06' } },
];

const tickets: Case[] = [
  { line: '[ ] KTL port the pipeline, moved to DM-29330', expect: { tickets: ['DM-29330'], description: 'port the pipeline, moved to DM-29330', spans: [['marker', '[ ]'], ['assignee', 'KTL'], ['ticket', 'DM-29330']] } },
  { line: '[ ] KTL close DM-1 and DM-2, see also DM-1', expect: { tickets: ['DM-1', 'DM-2'] } },
  { line: '[ ] KTL convert the files to UTF-8 and check SHA-256 sums', expect: { tickets: [] } },
  { line: '[ ] KTL read CVE-2021-44228 and dm-123 and xDM-12', expect: { tickets: [] } },
  { line: '[ ] KTL close DM-2017 by 2017-03-10', expect: { tickets: ['DM-2017'], due: '2017-03-10', description: 'close DM-2017' } },
  { line: '[ ] KTL close DM-12 and PST-3', options: { ticketProjects: ['DM'] }, expect: { tickets: ['DM-12'] } },
];

const spans: Case[] = [
  {
    line: '[ ] Donald Petravick circulate the plan before the Tuesday session by 2017-03-07',
    expect: { spans: [['marker', '[ ]'], ['assignee', 'Donald Petravick'], ['due', 'by 2017-03-07']] },
  },
  {
    line: 'TODO: Mario Juric and Jim Bosch draft recommendations (DM-9714), due 2017-03-20',
    expect: { spans: [['marker', 'TODO:'], ['assignee', 'Mario Juric'], ['assignee', 'Jim Bosch'], ['ticket', 'DM-9714'], ['due', 'due 2017-03-20']] },
  },
  {
    line: 'Scott Daniel port Sims to Python 3 due in 2 weeks',
    checked: false,
    expect: { spans: [['assignee', 'Scott Daniel'], ['due', 'due in 2 weeks']], due: '2017-03-20' },
  },
  {
    line: 'todo: @JKP @jp new testing framework, ask @RHL',
    expect: { spans: [['marker', 'todo:'], ['assignee', '@JKP'], ['assignee', '@jp'], ['assignee', '@RHL']], description: 'new testing framework, ask @RHL' },
  },
  {
    line: '✓ All: read the design note',
    expect: { spans: [['marker', '✓'], ['assignee', 'All']], done: true, everyone: true },
  },
];

const tables: [string, Case[]][] = [
  ['markers and done state', markers],
  ['ordinary lines are not actions', ordinary],
  ['assignees by name', names],
  ['handles versus ordinary capitalised words', handlesAndOrdinaryWords],
  ['typed @mentions', atMentions],
  ['mention nodes', mentionNodes],
  ['due dates', dates],
  ['tickets', tickets],
  ['spans', spans],
];

describe.each(tables)('%s', (_title, cases) => {
  it.each(cases)('$line', (c) => {
    assertParsed(c, attendees, SESSION);
  });
});

describe('time zones cannot shift dates', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
  // Node re-reads TZ when it is assigned; these are the zones furthest from UTC both ways.
  const zones = ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Australia/Lord_Howe'];
  const cases: Case[] = [
    { line: 'ACTION: KTL send the agenda by Friday', expect: { due: '2017-03-10' } },
    { line: 'ACTION: KTL send the agenda by Jan 5', session: '2020-12-20', expect: { due: '2021-01-05' } },
    { line: 'ACTION: KTL send the agenda due in 2 weeks', session: '2021-03-20', expect: { due: '2021-04-03' } },
    { line: 'ACTION: KTL send the agenda by Monday 1am', session: '2020-12-20', expect: { due: '2020-12-21' } },
    { line: 'ACTION: KTL send the agenda by 2017-03-07', expect: { due: '2017-03-07' } },
  ];
  it.each(zones)('%s', (zone) => {
    process.env.TZ = zone;
    for (const c of cases) assertParsed(c, attendees, SESSION);
  });
});

describe('inputs', () => {
  it('rejects a session date that is not YYYY-MM-DD', () => {
    expect(() => parseActionBlock({ text: 'ACTION: KTL go' }, attendees, '2017-02-30')).toThrow(RangeError);
    expect(() => parseActionBlock({ text: 'ACTION: KTL go' }, attendees, '6 March 2017')).toThrow(RangeError);
  });

  it('works without attendees', () => {
    const got = parseActionBlock({ text: '[ ] @ktl review by 2017-03-07' }, [], SESSION);
    expect(got).toMatchObject({ assignees: [], assigneeText: ['@ktl'], due: '2017-03-07', description: 'review' });
  });

  it('leaves an @token unresolved when its most specific matching form fits two people, though a later form fits one', () => {
    // "al" is the first name of two attendees (ambiguous) and the initials of a third.
    const people: Attendee[] = [
      { id: 'b', name: 'Al Brown' },
      { id: 'g', name: 'Al Green' },
      { id: 'l', name: 'Ann Lee' },
    ];
    expect(parseActionBlock({ text: '[ ] @al review the plan' }, people, SESSION)).toMatchObject({ assignees: [], assigneeText: ['@al'] });
    expect(parseActionBlock({ text: '[ ] @al review the plan' }, people.slice(1), SESSION)?.assignees).toEqual([people[1]]);
  });

  it('returns the attendee objects it was given', () => {
    const got = parseActionBlock({ text: 'ACTION: RHL to go' }, attendees, SESSION);
    expect(got?.assignees[0]).toBe(attendees.find((a) => a.id === 'rhl'));
  });
});

describe('isActionText', () => {
  it.each([
    ['[ ] ', true],
    ['[] draft', true],
    ['[x] done', true],
    ['[X] done', true],
    ['[ ]', true],
    ['ACTION: x', true],
    ['action:', true],
    ['Action item: x', true],
    ['todo: x', true],
    ['✓ x', true],
    ['DONE x', true],
    ['Done: x', true],
    ['Done with it', false],
    ['DONEGAL', false],
    ['Todo list', false],
    ['[1] ref', false],
    ['KTL: notes', false],
    ['', false],
  ] as const)('%j → %s', (text, expected) => {
    expect(isActionText(text)).toBe(expected);
  });
});

describe('ticketUrl', () => {
  it.each([
    ['DM-29330', 'https://tracker.example.org/browse/{key}', 'https://tracker.example.org/browse/DM-29330'],
    ['DM-1', 'https://tracker.example.org/browse/', 'https://tracker.example.org/browse/DM-1'],
    ['DM-1', 'https://t.example.org/{key}?from={key}', 'https://t.example.org/DM-1?from=DM-1'],
    ['DM-1', null, null],
    ['DM-1', undefined, null],
    ['DM-1', '  ', null],
    ['DM-1', 'javascript:alert("{key}")', null],
    ['dm-1', 'https://tracker.example.org/browse/{key}', null],
    ['DM-1"><script>', 'https://tracker.example.org/browse/{key}', null],
  ] as const)('%s with %j', (key, template, expected) => {
    expect(ticketUrl(key, template)).toBe(expected);
  });
});
