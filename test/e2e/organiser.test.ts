// The organiser's pages, driven through the UI only, with axe-core on every page visited: a
// two-day meeting with blocks, moderators and notetakers made in the page; both links copied from
// the page right away and again later, and opened as a guest notetaker and a follower; the agenda
// edited while the notetaker types (their text stays under its item); topics proposed, scheduled
// and merged; a new member accepting an invitation.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, NOTES, placeCaret, startE2E, type E2E, type User } from './browser.js';
import { waitFor } from '../helpers/wait.js';

let e2e: E2E;
let organiser: User;
let meetingPath = '';
const links: { edit: string; view: string } = { edit: '', view: '' };

beforeAll(async () => {
  e2e = await startE2E();
  organiser = await e2e.user();
  await organiser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Rotating, revoking and closing ask first: the organiser says yes.
  organiser.page.on('dialog', (dialog) => void dialog.accept());
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

/** Copies a link from the open share dialog with its Copy button; the address the clipboard got. */
async function copyLink(page: Page, which: 'edit' | 'view'): Promise<string> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: `Copy the ${which} link` }).click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  return clipboard(page);
}

test('an organiser creates a two-day meeting with blocks, moderators and notetakers in the page, and copies both links', async () => {
  const { page } = organiser;
  await page.goto('/');
  await page.waitForURL('**/setup');
  await expectAccessible(page, 'the setup page');
  await page.getByLabel('Your name').fill('Wil O’Mullane');
  await page.getByLabel('E-mail').fill('wil@example.org');
  await page.getByLabel(/^Password/).fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Meetings' }).waitFor();
  await expectAccessible(page, 'the meetings list');

  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title').fill('Leadership face-to-face');
  await page.getByLabel('First day').fill('2031-03-04');
  await page.getByLabel(/^Last day/).fill('2031-03-05');
  await page.getByLabel(/Joining instructions/).fill('Meeting ID 123 456, passcode 789');
  // Attendees: some pasted, one added on its own.
  await page.getByLabel(/Paste a list/).fill('Robert Lupton (RHL)\nKian-Tat Lim (KTL)\n');
  await page.getByLabel('Name', { exact: true }).fill('Leanne Guy');
  await page.getByLabel(/^Handle/).fill('LG');
  await page.getByRole('button', { name: 'Add attendee' }).click();
  await page.getByText('3 attendees: Robert Lupton (RHL), Kian-Tat Lim (KTL), Leanne Guy (LG)').waitFor();

  // Day 1: two blocks, each with a moderator and a notetaker chosen from the attendees.
  const day1 = page.getByRole('region', { name: /March 4|4 March/ });
  const block1 = day1.getByTestId('agenda-block').nth(0);
  await block1.getByLabel(/^Block title/).fill('Morning');
  await block1.getByLabel('Moderator').selectOption('RHL');
  await block1.getByLabel('Notetaker').selectOption('KTL');
  await block1.getByLabel('Time of item 1 in block 1').fill('09:00');
  await block1.getByLabel('Topic of item 1 in block 1').fill('Welcome');
  await block1.getByLabel('Topic of item 2 in block 1').fill('Budget');
  await block1.getByLabel('Time of item 2 in block 1').fill('09:30');
  await day1.getByRole('button', { name: /\+ Block on/ }).click();
  const block2 = day1.getByTestId('agenda-block').nth(1);
  await block2.getByLabel(/^Block title/).fill('Afternoon');
  await block2.getByLabel('Moderator').selectOption('LG');
  await block2.getByLabel('Notetaker').selectOption('RHL');
  await block2.getByLabel('Time of item 1 in block 2').fill('13:00');
  await block2.getByLabel('Topic of item 1 in block 2').fill('Roadmap');
  // Budget moves to the afternoon with the keyboard (Alt+↓ from its topic field, past the open
  // row at the end of the morning), then Roadmap in front of it by mouse.
  await block1.getByLabel('Topic of item 2 in block 1').press('Alt+ArrowDown');
  await waitFor(async () => (await block2.getByLabel('Topic of item 1 in block 2').inputValue()) === 'Budget', { message: 'Budget moved to the afternoon' });
  const row = (topic: string) => block2.locator('tbody').filter({ has: page.locator(`input[data-field="topic"]`) }).filter({ has: page.getByRole('button', { name: `Move ${topic} up` }) });
  await row('Roadmap').locator('.drag-handle').dragTo(row('Budget'));
  await waitFor(async () => (await block2.getByLabel('Topic of item 1 in block 2').inputValue()) === 'Roadmap', { message: 'Roadmap dragged in front of Budget' });
  const day2 = page.getByRole('region', { name: /March 5|5 March/ });
  await day2.getByLabel('Topic of item 1 in block 1').fill('Wrap-up');
  await expectAccessible(page, 'the new-meeting form');
  await e2e.screenshot(page, 'organiser-new-meeting');
  await page.getByRole('button', { name: 'Create meeting' }).click();

  // The meeting opens with its share dialog: both links, ready to copy.
  await page.waitForURL(/\/m\/[A-Za-z0-9]+$/);
  meetingPath = new URL(page.url()).pathname;
  const dialog = page.getByRole('dialog');
  await dialog.getByText('The meeting is ready').waitFor();
  await expectAccessible(page, 'the share dialog');
  links.edit = await copyLink(page, 'edit');
  links.view = await copyLink(page, 'view');
  expect(links.edit).toMatch(new RegExp(`${meetingPath}\\?token=`));
  expect(links.view).toMatch(new RegExp(`${meetingPath}\\?token=`));
  expect(links.edit).not.toBe(links.view);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });

  // The agenda is in the notes: block headings with their people, items under them.
  await page.locator(`${NOTES} h2`, { hasText: 'Morning (moderator RHL, notetaker KTL)' }).waitFor();
  await page.locator(`${NOTES} h2`, { hasText: 'Afternoon (moderator LG, notetaker RHL)' }).waitFor();
  const headings = await page.locator(`${NOTES} h3`).allTextContents();
  expect(headings).toEqual(['09:00 · Welcome', '13:00 · Roadmap', '09:30 · Budget']);
  await expectAccessible(page, 'the meeting page');

  // Later: the share dialog still gives both addresses, the same ones, and works from the
  // keyboard alone: focus the Share button, Enter, Tab to a Copy button, Enter, Escape.
  await page.reload();
  await page.getByRole('button', { name: 'Share' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').getByRole('button', { name: 'Copy the edit link' }).waitFor();
  for (let tabs = 0; tabs < 20; tabs++) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    if (focused === 'Copy the edit link') break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').getByRole('button', { name: 'Copied the edit link' }).waitFor();
  expect(await clipboard(page)).toBe(links.edit);
  expect(await copyLink(page, 'view')).toBe(links.view);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  // The links work: a guest notetaker writes, a follower watches.
  // A guest without a stored name is asked for one first.
  const guest = await e2e.user();
  await guest.page.goto(links.edit);
  await guest.page.getByLabel('Your name').waitFor();
  await expectAccessible(guest.page, 'the guest name prompt');
  await guest.page.getByLabel('Your name').fill('Gus Guest');
  await guest.page.getByRole('button', { name: 'Join' }).click();
  await guest.page.locator(`${NOTES}[contenteditable="true"]`).waitFor();
  await expectAccessible(guest.page, 'the meeting page as a guest notetaker');
  const follower = await e2e.user('Fay Follower');
  await follower.page.goto(links.view);
  await follower.page.locator(`${NOTES}[contenteditable="false"]`).waitFor();
  await expectAccessible(follower.page, 'the meeting page as a follower');
  await guest.context.close();
  await follower.context.close();
});

test('the organiser edits the agenda while a notetaker types: the text stays under its item and the headings change live', async () => {
  const { page } = organiser;
  const notetaker = await e2e.user('Nora Notetaker');
  await notetaker.page.goto(links.edit);
  const welcomeLine = notetaker.page.locator(`${NOTES} h3:has-text("Welcome") + p`);
  await welcomeLine.waitFor();
  await placeCaret(notetaker.page, welcomeLine, 'end');
  await notetaker.page.keyboard.type('Introductions done. ');

  await page.goto(`${meetingPath}/edit`);
  await page.getByRole('heading', { name: /Edit/ }).waitFor();
  await expectAccessible(page, 'the edit-meeting page');
  const day1 = page.getByRole('region', { name: /March 4|4 March/ });
  await day1.getByLabel('Topic of item 1 in block 1').fill('Welcome and introductions');
  await day1.getByLabel('Topic of item 2 in block 1').fill('Hiring');
  await day1.getByLabel('Time of item 2 in block 1').fill('10:00');
  await page.getByLabel(/Paste a list/).fill('Robert Lupton (RHL)\nKian-Tat Lim (KTL)\nLeanne Guy (LG)\nFrossie Economou (FE)');
  // The notetaker keeps typing while the organiser saves.
  const typing = notetaker.page.keyboard.type('Everyone present.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await typing;
  await page.waitForURL(new RegExp(`${meetingPath}$`));

  // The notetaker's page shows the new headings without reloading; their words are under Welcome.
  await notetaker.page.locator(`${NOTES} h3`, { hasText: '09:00 · Welcome and introductions' }).waitFor();
  await notetaker.page.locator(`${NOTES} h3`, { hasText: '10:00 · Hiring' }).waitFor();
  const under = notetaker.page.locator(`${NOTES} h3:has-text("Welcome and introductions") + p`);
  await waitFor(async () => (await under.textContent()) === 'Introductions done. Everyone present.', { message: 'the typed text under Welcome' });
  // And the hiring item sits between Welcome's notes and the afternoon block.
  const order = await notetaker.page.locator(`${NOTES} > h2, ${NOTES} > h3`).allTextContents();
  expect(order.slice(0, 4)).toEqual(['Morning (moderator RHL, notetaker KTL)', '09:00 · Welcome and introductions', '10:00 · Hiring', 'Afternoon (moderator LG, notetaker RHL)']);
  await page.getByRole('button', { name: '4 attendees' }).waitFor();
  await notetaker.context.close();
});

test('topics are proposed by a guest, then scheduled and merged by the organiser', async () => {
  const guest = await e2e.user('Gus Guest');
  const token = new URL(links.edit).searchParams.get('token')!;
  await guest.page.goto(`${meetingPath}/proposals?token=${encodeURIComponent(token)}`);
  await guest.page.getByRole('heading', { name: /Topic proposals/ }).waitFor();
  await expectAccessible(guest.page, 'the proposals page as a guest');
  for (const [topic, minutes] of [
    ['Cloud costs', '20'],
    ['Cloud budget', '10'],
  ] as const) {
    await guest.page.getByLabel('Topic', { exact: true }).fill(topic);
    await guest.page.getByLabel('Minutes').fill(minutes);
    await guest.page.getByRole('button', { name: 'Propose' }).click();
    await guest.page.getByTestId('proposal').filter({ hasText: topic }).waitFor();
  }
  // A guest sees the proposals but cannot arrange them.
  await expect(guest.page.getByRole('button', { name: 'Schedule' }).count()).resolves.toBe(0);

  const { page } = organiser;
  await page.goto(`${meetingPath}/proposals`);
  const proposal = (topic: string) => page.getByTestId('proposal').filter({ has: page.locator('b', { hasText: new RegExp(`^${topic}$`) }) });
  const costs = proposal('Cloud costs');
  await costs.waitFor();
  await expectAccessible(page, 'the proposals page as the owner');
  await costs.getByLabel(/Day to schedule/).selectOption('2031-03-05');
  await costs.getByLabel(/Time to schedule/).fill('11:00');
  await costs.getByRole('button', { name: 'Schedule' }).click();
  await page.getByRole('region', { name: 'Scheduled' }).getByTestId('proposal').filter({ has: page.locator('b', { hasText: /^Cloud costs$/ }) }).waitFor();
  // Cloud costs is an agenda item now: Cloud budget merges into that item.
  const budget = proposal('Cloud budget');
  const notScheduled = page.getByRole('region', { name: 'Not scheduled yet' }).getByTestId('proposal');
  const openTopics = async () => (await notScheduled.locator('b').allTextContents()).join(' | ');
  await waitFor(async () => (await openTopics()) === 'Cloud budget', { message: 'only Cloud budget left unscheduled' }).catch(async (error: Error) => {
    throw new Error(`${error.message}; the list shows: ${await openTopics()}`);
  });
  const target = await budget.locator('optgroup[label="Agenda items"] option', { hasText: 'Cloud costs' }).getAttribute('value');
  expect(target).toMatch(/^item:/);
  await budget.getByLabel(/Merge Cloud budget into/).selectOption(target!);
  await budget.getByRole('button', { name: 'Merge' }).click();
  await page.getByRole('region', { name: 'Merged' }).getByTestId('proposal').filter({ has: page.locator('b', { hasText: /^Cloud budget$/ }) }).waitFor();
  // The scheduled topic is in day 2's agenda and its notes.
  await page.getByRole('button', { name: 'Back to the meeting' }).click();
  await page.getByRole('tab', { name: /Mar 5|5 Mar/ }).click();
  await page.locator(`${NOTES} h3`, { hasText: '11:00 · Cloud costs' }).waitFor();
  await guest.context.close();
});

test('files and links are attached to an agenda item (a PDF dropped onto it), and a follower downloads the PDF', async () => {
  const { page } = organiser;
  await page.goto(meetingPath);
  const welcome = page.getByTestId('outline').locator('li', { hasText: 'Welcome and introductions' });
  await welcome.waitFor();
  // A PDF dropped onto the item, as a file dragged from the desktop arrives.
  const pdf = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  await welcome.evaluate((item, content) => {
    const data = new DataTransfer();
    data.items.add(new File([content], 'Welcome slides.pdf', { type: 'application/pdf' }));
    for (const type of ['dragenter', 'dragover', 'drop']) item.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
  }, pdf);
  await welcome.getByRole('link', { name: /Welcome slides\.pdf/ }).waitFor();
  // An HTML page dressed as a PDF is refused, and says why.
  await page.getByLabel('Files to attach to 09:00 · Welcome and introductions').setInputFiles({ name: 'evil.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
  await welcome.getByRole('alert').filter({ hasText: 'evil.pdf' }).waitFor();
  // A link, with its title.
  await welcome.getByRole('button', { name: /Attach a link to/ }).click();
  await welcome.getByLabel(/Link address for/).fill('https://docs.example.org/welcome');
  await welcome.getByLabel(/Link title for/).fill('Welcome deck');
  await welcome.getByRole('button', { name: 'Add' }).click();
  await welcome.getByRole('link', { name: /Welcome deck/ }).waitFor();
  // Each attachment is its name with a small remove button beside it, not two halves of the row.
  const name = await welcome.getByRole('link', { name: /Welcome deck/ }).boundingBox();
  const remove = await welcome.getByRole('button', { name: 'Remove Welcome deck' }).boundingBox();
  expect(name!.width).toBeGreaterThan(3 * remove!.width);
  await expectAccessible(page, 'the meeting page with attachments');

  const follower = await e2e.user('Fay Follower');
  await follower.page.goto(links.view);
  const item = follower.page.getByTestId('outline').locator('li', { hasText: 'Welcome and introductions' });
  await item.getByRole('link', { name: /Welcome deck/ }).waitFor();
  // Followers download, but have nothing to add or remove with.
  await expect(item.getByRole('button', { name: /Attach|Remove/ }).count()).resolves.toBe(0);
  const [download] = await Promise.all([follower.page.waitForEvent('download'), item.getByRole('link', { name: /Welcome slides\.pdf/ }).click()]);
  expect(download.suggestedFilename()).toBe('Welcome slides.pdf');
  const path = await download.path();
  expect((await import('node:fs')).readFileSync(path, 'utf8')).toBe(pdf);
  await follower.context.close();
});

test('an administrator invites a new member, who accepts in the page and is signed in', async () => {
  const { page } = organiser;
  await page.goto('/members');
  await page.getByRole('heading', { name: 'Members' }).first().waitFor();
  await expectAccessible(page, 'the members page');
  await page.getByLabel(/^E-mail/).fill('new.member@example.org');
  await page.getByRole('button', { name: 'Make an invitation' }).click();
  const url = await page.getByTestId('invite-url').inputValue();
  expect(url).toContain('/invite?token=');

  const invitee = await e2e.user();
  await invitee.page.goto(url);
  await invitee.page.getByRole('heading', { name: 'Join Quorum' }).waitFor();
  await invitee.page.getByText('new.member@example.org').waitFor();
  await expectAccessible(invitee.page, 'the invitation page');
  await invitee.page.getByLabel('Your name').fill('Nina Newcomer');
  await invitee.page.getByLabel(/^Password/).fill('another long password');
  await invitee.page.getByRole('button', { name: 'Join' }).click();
  await invitee.page.getByRole('heading', { name: 'Meetings' }).waitFor();
  await invitee.page.getByText('Nina Newcomer').waitFor();
  // The invitation is used up: opening it again says so.
  const again = await e2e.user();
  await again.page.goto(url);
  await again.page.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
  // The administrator sees the new member.
  await page.reload();
  await page.getByRole('cell', { name: 'Nina Newcomer', exact: true }).waitFor();
});

test('the next meeting starts from this one: its details, attendees and agenda a cadence on, and its open actions under Past actions', async () => {
  const { page } = organiser;
  // The meeting was made without a series. An action is typed in its notes.
  await page.goto(`${meetingPath}/edit`);
  const attendees = await page.getByText(/^\d+ attendees: /).textContent();
  expect(await page.getByLabel(/^Series/).inputValue()).toBe('');
  await page.goto(meetingPath);
  await placeCaret(page, page.locator(`${NOTES} h3:has-text("Welcome") + p`), 'end');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ACTION: RHL circulate the budget burn-downs', { delay: 5 });
  await page.locator('[data-testid="actions-list"] li', { hasText: 'circulate the budget burn-downs' }).waitFor();
  const headings = await page.locator(`${NOTES} h3`).allTextContents();
  // A topic proposed for this meeting that there was no time for.
  await page.goto(`${meetingPath}/proposals`);
  await page.getByLabel('Topic', { exact: true }).fill('Data rights policy');
  await page.getByLabel('Minutes').fill('15');
  await page.getByRole('button', { name: 'Propose' }).click();
  await page.getByRole('region', { name: 'Not scheduled yet' }).getByTestId('proposal').filter({ hasText: 'Data rights policy' }).waitFor();
  await page.getByRole('button', { name: 'Back to the meeting' }).click();
  await page.locator(`${NOTES} h3`).first().waitFor();
  // Every button over the notes reads on one line (the row wraps between buttons when it must),
  // in a window too narrow for the title and all of them side by side.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 1000, height: viewport.height });
  const lines = await page.locator('.meeting-actions button').evaluateAll((buttons) =>
    buttons.map((button) => {
      const range = document.createRange();
      range.selectNodeContents(button);
      return `${button.textContent}: ${new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size}`;
    }),
  );
  expect(lines.filter((line) => !line.endsWith(': 1'))).toEqual([]);
  await page.setViewportSize(viewport);
  // The call is over: the organiser closes the meeting (its open actions carry over) and plans the next.
  await page.getByRole('button', { name: 'Close meeting' }).click();
  await page.getByRole('button', { name: 'Reopen' }).waitFor();

  await page.getByRole('button', { name: 'Next meeting' }).click();
  await page.getByRole('heading', { name: 'Next meeting after “Leadership face-to-face”' }).waitFor();
  await page.getByText('Its open actions show under Past actions in the new meeting.').waitFor();
  // The first of its series: a week on, both days.
  await waitFor(async () => (await page.getByLabel('First day').inputValue()) === '2031-03-11', { message: 'the form filled in from the meeting' });
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Leadership face-to-face');
  // Without a series its actions would not carry over: the two start one, named by the title.
  expect(await page.getByLabel(/^Series/).inputValue()).toBe('Leadership face-to-face');
  await expect(page.getByLabel('Put “Leadership face-to-face” in the Leadership face-to-face series too, so that its open actions carry over').isChecked()).resolves.toBe(true);
  expect(await page.getByLabel(/^Last day/).inputValue()).toBe('2031-03-12');
  expect(await page.getByLabel(/Joining instructions/).inputValue()).toBe('Meeting ID 123 456, passcode 789');
  expect(await page.getByText(/^\d+ attendees: /).textContent()).toBe(attendees);
  const day1 = page.getByRole('region', { name: /March 11|11 March/ });
  expect(await day1.getByTestId('agenda-block').nth(0).getByLabel(/^Block title/).inputValue()).toBe('Morning');
  // A topic scheduled from a proposal was a one-off: it stays with its meeting, and the page says so.
  await page.getByText('Left out of the agenda, as topics scheduled from proposals: “Cloud costs”.').waitFor();
  const topics = await page.getByLabel(/^Topic/).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  expect(topics).not.toContain('Cloud costs');
  expect(topics).toContain('Welcome and introductions');
  // Topics not scheduled are proposed again for the new meeting, unless the organiser says not.
  await expect(page.getByLabel(/not scheduled yet for the new meeting too/).isChecked()).resolves.toBe(true);
  await page.getByText('“Data rights policy”', { exact: false }).waitFor();
  await expectAccessible(page, 'the next-meeting form');
  await page.getByRole('button', { name: 'Create meeting' }).click();

  // A meeting of its own (new address, its share dialog), the same agenda in its notes, and the
  // earlier meeting's open action to review.
  await page.waitForURL((url) => /^\/m\/[A-Za-z0-9]+$/.test(url.pathname) && url.pathname !== meetingPath);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await waitFor(async () => JSON.stringify(await page.locator(`${NOTES} h3`).allTextContents()) === JSON.stringify(headings), { message: 'the agenda in the new notes' });
  await page.locator('[data-testid="past-actions"] li:not(.done)', { hasText: 'circulate the budget burn-downs' }).waitFor();
  await expectAccessible(page, 'the next meeting');
  const next = new URL(page.url()).pathname;
  // A past action opens the earlier meeting's notes at its line.
  await page.locator('[data-testid="past-actions"] li', { hasText: 'circulate the budget burn-downs' }).getByRole('link').click();
  await page.waitForURL((url) => url.pathname === meetingPath && url.searchParams.has('action'));
  await page.locator(`${NOTES} [data-revealed="true"]`, { hasText: 'circulate the budget burn-downs' }).waitFor();
  await page.goto(`${next}/proposals`);
  const carried = page.getByRole('region', { name: 'Not scheduled yet' }).getByTestId('proposal').filter({ hasText: 'Data rights policy' });
  await carried.waitFor();
  expect(await carried.textContent()).toContain('15');

  // Asked again from the first meeting, the page points out that the next one exists.
  await page.goto(meetingPath);
  // The first meeting is in the series now.
  await page.locator('.badge', { hasText: 'Leadership face-to-face' }).waitFor();
  await page.getByRole('button', { name: 'Next meeting' }).click();
  const exists = page.getByRole('status').filter({ hasText: 'The Leadership face-to-face series already has a later meeting' });
  await exists.waitFor();
  expect(await exists.getByRole('link', { name: 'Leadership face-to-face' }).getAttribute('href')).toBe(next);
});
