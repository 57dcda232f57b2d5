// Action items typed through the real page: inline highlighting, the @ typeahead, the record the
// server extracts (GET /api/meetings/:id/actions) and the Actions panel of a follower.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { caretSettled, createFixtureMeeting, expectAccessible, focusedRow, linkFor, signInAsOrganiser, NOTES, notesDiagnosis, placeCaret, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';
import { actionsOf, typeNotes } from '../exports/typing.js';
import { api, type Account } from '../server/support/api.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import { connectNotetaker } from '../server/notes-support.js';

let e2e: E2E;
let meeting: MeetingFixture;

beforeAll(async () => {
  e2e = await startE2E();
  meeting = await createFixtureMeeting(e2e.server);
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

interface ApiAction {
  id: string;
  description: string;
  assignees: { name: string; handle: string | null }[];
  due: string | null;
  done: boolean;
}

async function meetingActions(): Promise<ApiAction[]> {
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/actions`, { headers: { cookie: meeting.cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: ApiAction[] }).items;
}

async function open(name: string, role: 'notetaker' | 'follower'): Promise<Page> {
  const user = await e2e.user(name);
  await user.page.goto(`${linkFor(meeting, role)}&session=${meeting.sessions[0]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

test('an action typed in the notes becomes a record and shows in a follower’s Actions panel', async () => {
  const writer = await open('Nora Notetaker', 'notetaker');
  const follower = await open('Finn Follower', 'follower');

  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("Project news and updates") ~ p`).first());
  // `[ ] ` makes a check item; `@` opens the attendee typeahead.
  await writer.keyboard.type('[ ] ', { delay: 10 });
  await writer.keyboard.type('@RH', { delay: 30 });
  await writer.locator('.typeahead [role="option"]', { hasText: 'Robert Lupton' }).waitFor();
  await writer.keyboard.press('Enter');
  await writer.locator(`${NOTES} .mention`, { hasText: '@RHL' }).waitFor();
  // A space comes with the mention; the one typed after it by habit is not a second.
  await writer.keyboard.type(' convene a meeting on graph generation by 2020-12-07', { delay: 5 });

  // The server's record (how soon is the benchmark's question, not this test's).
  let seen: ApiAction[] = [];
  const record = await waitFor(
    // The record exists from the first words on; wait for the one that reflects the whole line.
    async () => (seen = await meetingActions()).find((a) => a.description.includes('convene a meeting on graph generation') && a.due !== null),
    { timeout: 30_000, interval: 50, message: 'the action record via GET /api/meetings/:id/actions' },
  ).catch(async (error: unknown) => {
    // Say what there was instead: the records, and the line as the page shows it and as the
    // server holds it. (CI once waited in vain: the line had gone into the next item's heading,
    // most likely a keystroke the page was slow to handle; scripts/patch-lexical-yjs.mjs, 14.)
    await e2e.screenshot(writer, 'actions-notetaker-failed').catch(() => undefined);
    const notes = await notesDiagnosis(e2e.server, writer, meeting.sessions[0]!.doc, /convene|@RHL|Project news/);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nrecords: ${JSON.stringify(seen)}\n${notes}`);
  });
  expect(record.assignees.map((a) => a.handle)).toEqual(['RHL']);
  expect(record.due).toBe('2020-12-07');
  expect(record.done).toBe(false);

  // Inline: the block is marked as an action and its chips show the assignee and the due date.
  await writer.locator(`${NOTES} li[data-action]`, { hasText: 'convene a meeting' }).waitFor();
  await expect(writer.locator(`${NOTES} li[data-action]`, { hasText: 'convene a meeting' }).innerText()).resolves.toBe('@RHL convene a meeting on graph generation by 2020-12-07');
  await writer.locator('.action-chip-row .chip-assignee', { hasText: 'RHL' }).waitFor();
  await writer.locator('.action-chip-row .chip-due', { hasText: /Dec\s+7/ }).waitFor();

  // The follower's panel gets it from the server's push.
  const followerItem = follower.locator('[data-testid="actions-list"] li', { hasText: 'convene a meeting on graph generation' });
  await followerItem.waitFor();
  await followerItem.locator('.chip-assignee', { hasText: 'RHL' }).waitFor();

  // Ticking the checkbox in the notes marks it done everywhere.
  await writer.locator(`${NOTES} li[role="checkbox"]`, { hasText: 'convene a meeting' }).click({ position: { x: 8, y: 10 } });
  await follower.locator('[data-testid="actions-list"] li.done', { hasText: 'convene a meeting on graph generation' }).waitFor();
  await waitFor(async () => (await meetingActions()).find((a) => a.id === record.id)?.done === true, { message: 'ticked record' });

  // A second action by marker, typed while the follower watches.
  await writer.keyboard.press('End');
  await caretSettled(writer);
  await writer.keyboard.press('Enter');
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('ACTION: KTL to send the budget burn-downs due 2020-12-15', { delay: 5 });
  await follower.locator('[data-testid="actions-list"] li', { hasText: 'send the budget burn-downs' }).waitFor();
  await expect(follower.locator('[data-testid="actions-count"]').innerText()).resolves.toBe('2');
  // The follower's notes highlight what the writer typed as the writer's do, the ticked item done.
  await follower.locator(`${NOTES} li[data-action][data-done="true"]`, { hasText: 'convene a meeting' }).waitFor();
  await follower.locator(`${NOTES} [data-action]`, { hasText: 'send the budget burn-downs' }).waitFor();
  await follower.locator('.action-chip-row .chip-assignee', { hasText: 'KTL' }).waitFor();
  await follower.locator('.action-chip-row .chip-due', { hasText: /Dec\s+15/ }).waitFor();
  // And both panels hold the record as the whole line reads, not as it read halfway through.
  for (const page of [writer, follower]) {
    const item = page.locator('[data-testid="actions-list"] li', { hasText: 'send the budget burn-downs' });
    await item.locator('.chip-due', { hasText: /Dec\s+15/ }).waitFor();
    // In the session's year, without the year, as the margin's chip writes it.
    await expect(item.locator('.chip-due').innerText()).resolves.not.toContain('2020');
    await expect(item.locator('.action-desc').innerText()).resolves.toBe('send the budget burn-downs');
  }

  await e2e.screenshot(writer, 'actions-notetaker');
  await e2e.screenshot(follower, 'actions-follower');
});

test('ticking in the Actions panel or the tracker ticks the line in the notes; the tracker filters and flags overdue actions', async () => {
  const writer = await open('Nora Again', 'notetaker');
  // Its own actions, in its own agenda item: a ticked check item and an ACTION line.
  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("Gen3 next steps") ~ p`).first());
  await writer.keyboard.type('[x] RHL to draft the data model by 2020-12-09', { delay: 5 });
  await writer.keyboard.press('Enter');
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('ACTION: KTL to review the milestones due 2020-12-16', { delay: 5 });
  await waitFor(async () => (await meetingActions()).some((a) => a.description.includes('review the milestones') && a.due === '2020-12-16'), { timeout: 30_000, message: 'both records' });
  const line = writer.locator(`${NOTES} li[role="checkbox"]`, { hasText: 'draft the data model' });
  await line.waitFor();
  await expect(line.getAttribute('aria-checked')).resolves.toBe('true');

  // The panel's tick goes through the server, which unticks the checkbox in the notes.
  await writer.getByRole('button', { name: /Mark “draft the data model” open again/ }).click();
  await writer.locator(`${NOTES} li[role="checkbox"][aria-checked="false"]`, { hasText: 'draft the data model' }).waitFor();
  await writer.locator('[data-testid="actions-list"] li:not(.done)', { hasText: 'draft the data model' }).waitFor();

  // The tracker, as the signed-in organiser.
  const organiser = await e2e.user();
  await signInAsOrganiser(organiser.context, meeting, e2e.server.url);
  await organiser.page.goto('/actions');
  const tracker = organiser.page.getByTestId('tracker');
  await tracker.locator('tr', { hasText: 'review the milestones' }).waitFor();
  // Due in 2020 and open: overdue.
  await tracker.locator('tr.overdue', { hasText: 'draft the data model' }).waitFor();
  await expectAccessible(organiser.page, 'the actions tracker');
  await organiser.page.getByLabel('Assignee').fill('KTL');
  await waitFor(async () => (await tracker.locator('tbody tr').count()) >= 1 && (await tracker.locator('tbody tr', { hasText: 'draft the data model' }).count()) === 0, { message: 'filtered to KTL' });
  await e2e.screenshot(organiser.page, 'tracker');
  await tracker.getByRole('button', { name: /Mark “review the milestones” done/ }).click();
  // Done in the record, so the open filter drops it; done in the notes' panel too.
  await writer.locator('[data-testid="actions-list"] li.done', { hasText: 'review the milestones' }).waitFor();
  await waitFor(async () => (await meetingActions()).find((a) => a.description.includes('review the milestones'))?.done === true, { message: 'done record' });

  // Copy and paste an action line: the copy is a second action with its own id, the original keeps its id.
  const original = (await meetingActions()).find((a) => a.description.includes('draft the data model'))!;
  await placeCaretAtEnd(writer, line);
  await writer.keyboard.press('Shift+Home');
  await writer.keyboard.press('Control+c');
  await writer.keyboard.press('End');
  await caretSettled(writer);
  await writer.keyboard.press('Enter');
  await writer.keyboard.press('Control+v');
  await waitFor(async () => (await meetingActions()).filter((a) => a.description.includes('draft the data model')).length === 2, { message: 'a second record for the pasted copy' });
  const copies = (await meetingActions()).filter((a) => a.description.includes('draft the data model'));
  expect(new Set(copies.map((a) => a.id)).size).toBe(2);
  expect(copies.map((a) => a.id)).toContain(original.id);
});

test('the page highlights exactly the blocks the server extracts: an action in a quote or a heading too', async () => {
  const writer = await open('Quinn Quoter', 'notetaker');
  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("Project news and updates") ~ p`).first());
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  // `> ` is Markdown for a quote; `## ` for a heading.
  await writer.keyboard.type('> ACTION: KTL to check the quoted figures by 2020-12-11', { delay: 5 });
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('## TODO: RHL book the follow-up room', { delay: 5 });
  await waitFor(
    async () => {
      const actions = await meetingActions();
      return actions.some((a) => a.description.includes('check the quoted figures') && a.due === '2020-12-11') && actions.some((a) => a.description.includes('book the follow-up room'));
    },
    { timeout: 30_000, message: 'records of the quoted and the heading action' },
  );
  await writer.locator(`${NOTES} blockquote[data-action]`, { hasText: 'check the quoted figures' }).waitFor();
  await writer.locator(`${NOTES} h2[data-action]`, { hasText: 'book the follow-up room' }).waitFor();
  await writer.locator('.action-chip-row .chip-due', { hasText: /Dec\s+11/ }).waitFor();
});

// A mention chosen in the middle of a line, before a space already there: that space is the one
// after it (it made two), and a space typed right after the choice is not a second either.
test('a mention chosen mid-line leaves one space after it', async () => {
  const writer = await open('Mia Mentioner', 'notetaker');
  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("HiPS images") ~ p`).first());
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('ACTION: send the tile list', { delay: 5 });
  const line = writer.locator(`${NOTES} p[data-action]`, { hasText: 'the tile list' });
  await line.waitFor();
  await placeCaret(writer, line, 'ACTION: send'.length);
  await writer.keyboard.type(' @GP', { delay: 30 });
  await writer.locator('.typeahead [role="option"]', { hasText: 'Gregory Dubois-Felsmann' }).waitFor();
  await writer.keyboard.press('Enter');
  await writer.locator(`${NOTES} .mention`, { hasText: '@GPDF' }).waitFor();
  await writer.keyboard.type(' first', { delay: 5 });
  await expect(line.innerText()).resolves.toBe('ACTION: send @GPDF first the tile list');
});

test("a phone keyboard's space after a chosen mention is not a second one", async () => {
  const writer = await open('Pat Phone', 'notetaker');
  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("Plans for serving photometric redshifts") ~ p`).first());
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('ACTION: @KT', { delay: 30 });
  await writer.locator('.typeahead [role="option"]', { hasText: 'Kian-Tat Lim' }).waitFor();
  await writer.keyboard.press('Enter');
  await writer.locator(`${NOTES} .mention`, { hasText: '@KTL' }).waitFor();
  // A virtual keyboard sends text without key events (Playwright's insertText: input events only).
  await writer.keyboard.insertText(' ');
  await writer.keyboard.insertText('to');
  await writer.keyboard.insertText(' ');
  await writer.keyboard.insertText('reply');
  const line = writer.locator(`${NOTES} p[data-action]`, { hasText: 'reply' });
  await expect(line.innerText()).resolves.toBe('ACTION: @KTL to reply');
});

test('a follower whose connection dropped while an action was typed and ticked sees both once back', async () => {
  const writer = await open('Nora Later', 'notetaker');
  const follower = await open('Finn Offline', 'follower');
  await placeCaretAtEnd(writer, writer.locator(`${NOTES} h3:has-text("Gen3 next steps") ~ p`).first());
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await writer.keyboard.type('ACTION: RHL to book the offline room', { delay: 5 });
  await writer.keyboard.press('Enter');
  await caretSettled(writer);
  await follower.locator('[data-testid="actions-list"] li:not(.done)', { hasText: 'book the offline room' }).waitFor();

  // The server's pushes while the follower's socket is down never reach it.
  await follower.context().setOffline(true);
  await follower.locator('[data-testid="connection"].conn-offline').waitFor();
  await writer.keyboard.type('ACTION: KTL to circulate the offline minutes', { delay: 5 });
  const typed = await waitFor(async () => (await meetingActions()).find((a) => a.description.includes('circulate the offline minutes')), {
    timeout: 30_000,
    message: 'the record of the action typed while the follower was offline',
  });
  const ticked = (await meetingActions()).find((a) => a.description.includes('book the offline room'))!;
  await tickThroughApi(ticked.id);

  await follower.context().setOffline(false);
  await follower.locator('[data-testid="connection"].conn-connected').waitFor();
  await follower.locator(`[data-testid="actions-list"] li[data-action-id="${typed.id}"]`, { hasText: 'circulate the offline minutes' }).waitFor();
  await follower.locator(`[data-testid="actions-list"] li.done[data-action-id="${ticked.id}"]`).waitFor();
});

test("the next meeting's Past actions follow the earlier one live: carried in as it closes, ticked by one notetaker for everyone", async () => {
  // An earlier meeting of the fixture's series, with one open action, typed by a stock client.
  const organiser = { cookie: meeting.cookie };
  const created = await api<CreatedMeeting>(e2e.server, 'POST', '/api/meetings', {
    ...organiser,
    body: { title: 'DMLT October', series: 'DMLT', startDate: '2020-10-20', attendees: [{ name: 'Robert Lupton', handle: 'RHL' }] },
  });
  expect(created.status).toBe(201);
  const earlier = created.body;
  const typist = await typeNotes(e2e.server, earlier, ['ACTION: RHL circulate the October minutes']);
  try {
    await actionsOf(e2e.server, earlier.id, organiser as Account, 1);
    // The next meeting (the fixture's) is open in a notetaker's and a follower's page when the
    // earlier one is closed: the action arrives in both, without a reload.
    const notetaker = await open('Nadia Notetaker', 'notetaker');
    const follower = await open('Felix Follower', 'follower');
    expect((await api(e2e.server, 'POST', `/api/meetings/${earlier.id}/close`, organiser)).status).toBe(200);
    for (const page of [notetaker, follower]) await page.locator('[data-testid="past-actions"] li:not(.done)', { hasText: 'circulate the October minutes' }).waitFor();

    // Reviewed at the start of the call: the notetaker ticks it, and the follower sees it done.
    await notetaker.getByRole('button', { name: 'Mark “circulate the October minutes” done' }).click();
    await follower.locator('[data-testid="past-actions"] li.done', { hasText: 'circulate the October minutes' }).waitFor();

    // The organiser moves this meeting out of the series and back: what it carries follows.
    const series = async (name: string) => expect((await api(e2e.server, 'PATCH', `/api/meetings/${meeting.id}`, { ...organiser, body: { series: name } })).status).toBe(200);
    await series('DMLT (retired)');
    for (const page of [notetaker, follower]) await page.locator('[data-testid="past-actions"]').waitFor({ state: 'detached' });
    await series('DMLT');
    for (const page of [notetaker, follower]) await page.locator('[data-testid="past-actions"] li.done', { hasText: 'circulate the October minutes' }).waitFor();
  } finally {
    typist.destroy();
  }
});

async function tickThroughApi(id: string): Promise<void> {
  const response = await fetch(`${e2e.server.url}/api/actions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { cookie: meeting.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ done: true }),
  });
  expect(response.status).toBe(200);
}

// The tracker's "Appears on" opened the meeting at the top of its day: in a long meeting the line
// was somewhere in thousands. It opens the notes at the action's line now, and names its agenda
// item; a click with Ctrl still opens a new tab, as a link does.
test('the tracker links each action to its line in the notes, under its agenda item', async () => {
  const day = meeting.sessions[1]!;
  const writer = connectNotetaker(e2e.server.collabUrl, day.doc, meeting.links.find((link) => link.role === 'notetaker')!.token);
  try {
    await writer.synced();
    writer.edit(() => {
      const heading = $getRoot()
        .getChildren()
        .find((node) => $isHeadingNode(node) && node.getTextContent().includes('Team status'))!;
      const lines = Array.from({ length: 300 }, (_, n) => $createParagraphNode().append($createTextNode(`status line ${n}: on track, nothing to escalate this week`)));
      lines.splice(240, 0, $createParagraphNode().append($createTextNode('ACTION: FM to publish the burn-down sheet by 2021-02-01')));
      let after = heading;
      for (const line of lines) after = after.insertAfter(line) as typeof heading;
    });
    await waitFor(async () => (await meetingActions()).some((action) => action.description.includes('publish the burn-down sheet')), { message: 'the action in the API', timeout: 60_000 });
  } finally {
    writer.destroy();
  }
  const action = (await meetingActions()).find((candidate) => candidate.description.includes('publish the burn-down sheet'))!;

  const organiser = await e2e.user();
  await signInAsOrganiser(organiser.context, meeting, e2e.server.url);
  const page = organiser.page;
  await page.goto('/actions?status=all');
  const row = page.getByTestId('tracker').locator('tbody tr', { hasText: 'publish the burn-down sheet' });
  await row.getByText('Team status', { exact: false }).waitFor();

  // Ctrl+click: a new tab at the same address; this page stays where it is.
  const [tab] = await Promise.all([organiser.context.waitForEvent('page'), row.getByRole('link').click({ modifiers: ['Control'] })]);
  expect(new URL(page.url()).pathname).toBe('/actions');
  expect(new URL(tab.url()).searchParams.get('action')).toBe(action.id);
  await tab.close();

  await row.getByRole('link').click();
  await page.waitForURL((url) => url.pathname === `/m/${meeting.id}` && url.searchParams.get('action') === action.id);
  const line = page.locator(`${NOTES} p[data-revealed="true"]`, { hasText: 'publish the burn-down sheet' });
  await line.waitFor();
  // On screen, in the notes' own scroll box, hundreds of lines down its day.
  const shown = await line.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const scroller = element.closest('.notes')!.getBoundingClientRect();
    return { within: box.top >= scroller.top && box.bottom <= scroller.bottom, scrolled: element.closest('.notes')!.scrollTop };
  });
  expect(shown.within).toBe(true);
  expect(shown.scrolled).toBeGreaterThan(1000);
  // Another day's tab leaves the action behind: it belongs to the day it was opened on.
  await page.getByRole('tab', { name: 'Tue, Nov 17' }).click();
  await page.waitForURL((url) => url.searchParams.get('session') === meeting.sessions[0]!.id && !url.searchParams.has('action'));

  // On another day's page (a guest's, by the notetaker link), the Actions panel lists it "from
  // Nov 18"; choosing it opens that day at its line, the share link kept.
  const guest = await open('Gus Guest', 'notetaker');
  const listed = guest.locator('[data-testid="actions-list"] li', { hasText: 'publish the burn-down sheet' });
  await listed.getByText('from Nov 18', { exact: true }).waitFor();
  await listed.getByRole('link').click();
  await guest.waitForURL((url) => url.searchParams.get('session') === day.id && url.searchParams.get('action') === action.id && url.searchParams.has('token'));
  await guest.getByRole('tab', { name: 'Wed, Nov 18', selected: true }).waitFor();
  await guest.locator(`${NOTES} p[data-revealed="true"]`, { hasText: 'publish the burn-down sheet' }).waitFor();
});

test('years of actions: the tracker shows a page of them at a time, and a tick far down keeps the rows shown', async () => {
  const response = await fetch(`${e2e.server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: e2e.server.url, cookie: meeting.cookie },
    body: JSON.stringify({ title: 'Backlog review', series: 'Backlog', startDate: '2029-01-08', attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }] }),
  });
  const backlog = (await response.json()) as CreatedMeeting;
  const count = 250;
  // Due one a day, so the tracker's order (soonest due first) is the order typed.
  const due = (i: number) => new Date(Date.parse('2029-02-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);
  const client = await typeNotes(
    e2e.server,
    backlog,
    Array.from({ length: count }, (_, i) => `ACTION: KTL backlog item ${i + 1} by ${due(i)}`),
  );
  try {
    const organiser = { cookie: meeting.cookie } as Account;
    await actionsOf(e2e.server, backlog.id, organiser, count);
    const { page, context } = await e2e.user();
    await signInAsOrganiser(context, meeting, e2e.server.url);
    await page.goto('/actions?status=all&series=Backlog');
    const tracker = page.getByTestId('tracker');
    await tracker.locator('tr', { hasText: 'backlog item 200' }).waitFor();
    expect(await tracker.locator('tbody tr').count()).toBe(200);
    await page.getByText('200 shown').waitFor();
    await page.getByRole('button', { name: 'Show more actions' }).click();
    await tracker.locator('tr', { hasText: `backlog item ${count}` }).waitFor();
    expect(await tracker.locator('tbody tr').count()).toBe(count);
    // The keyboard goes on from the first action added (the button is gone: all are shown).
    await waitFor(async () => (await focusedRow(page, '[data-testid="tracker"] tbody tr')) === 200, { message: 'the first action added focused' });
    await expect(page.getByRole('button', { name: 'Show more actions' }).count()).resolves.toBe(0);
    // Ticked far down the list: the list is read again, as long as it was.
    await tracker.getByRole('button', { name: 'Mark “backlog item 240” done' }).click();
    await tracker.locator('tr.done', { hasText: 'backlog item 240' }).waitFor();
    expect(await tracker.locator('tbody tr').count()).toBe(count);
    // A filter starts again from the first page.
    await page.getByLabel('Status').selectOption('open');
    await waitFor(async () => (await tracker.locator('tbody tr').count()) === 200, { message: 'the first page of the open ones' });
    await page.getByRole('button', { name: 'Show more actions' }).waitFor();
  } finally {
    client.destroy();
  }
});
