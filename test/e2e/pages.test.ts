// The pages around the notes, driven through the UI only: first-run setup, the meetings list,
// the create-meeting form (attendees pasted, agenda typed as rows), the meeting page with its
// tabs, share dialog and in-call agenda item, and closing the meeting live.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { caretSettled, expectAccessible, NOTES, startE2E, type E2E } from './browser.js';
import { waitFor } from '../helpers/wait.js';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

test('an organiser sets up Quorum, creates a meeting from pasted attendees and agenda rows, shares it and closes it', async () => {
  const { page, context } = await e2e.user();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Rotating, revoking and closing ask first: the organiser says yes.
  page.on('dialog', (dialog) => void dialog.accept());

  // First run: the only thing to do is create the admin.
  await page.goto('/');
  await page.waitForURL('**/setup');
  await page.getByLabel('Your name').fill('Wil O’Mullane');
  await page.getByLabel('E-mail').fill('wil@example.org');
  await page.getByLabel(/^Password/).fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Meetings' }).waitFor();
  // No meeting yet: the page says what to do first, not "None." twice.
  const welcome = page.getByRole('region', { name: 'Getting started' });
  await welcome.getByRole('link', { name: 'Create a meeting' }).waitFor();
  await welcome.getByRole('link', { name: 'Members' }).waitFor();
  expect(await page.getByText('None.').count()).toBe(0);
  await expectAccessible(page, 'the meetings page of a new installation');

  // The create form.
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title').fill('DMLT weekly');
  await page.getByLabel(/^Series/).fill('DMLT');
  await page.getByLabel('First day').fill('2031-03-04');
  await page.getByLabel(/^Last day/).fill('2031-03-05');
  await page.getByLabel(/one a line/i).fill('Robert Lupton (RHL)\nKian-Tat Lim (KTL)\nLeanne Guy (LG)\n');
  await page.getByText('3 attendees: Robert Lupton (RHL), Kian-Tat Lim (KTL), Leanne Guy (LG)').waitFor();
  await page.getByLabel('Time of item 1').first().fill('09:00');
  await page.getByLabel('Topic of item 1').first().fill('Project news');
  await page.getByLabel('Coordinators of item 1').first().fill('RHL');
  // Typing a topic opens the next row.
  await page.getByLabel('Topic of item 2').first().fill('Budget review');
  await e2e.screenshot(page, 'create-meeting-form');
  await page.getByRole('button', { name: 'Create meeting' }).click();

  // The meeting page opens with the share dialog (the links to send); closed for now.
  await page.waitForURL(/\/m\/[A-Za-z0-9]+/);
  await page.getByRole('dialog').getByText('The meeting is ready').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  // The meeting page: logistics, a tab per day, the agenda seeded into the notes.
  await page.getByRole('heading', { name: 'DMLT weekly' }).waitFor();
  await expect(page.getByRole('tab').count()).resolves.toBe(2);
  await page.locator(`${NOTES} h3`, { hasText: '09:00 · Project news · RHL' }).waitFor();
  await page.locator(`${NOTES} h3`, { hasText: 'Budget review' }).waitFor();
  await page.getByRole('button', { name: '3 attendees' }).click();
  await page.locator('.attendee-list', { hasText: 'Kian-Tat Lim' }).waitFor();
  const meetingId = new URL(page.url()).pathname.split('/').pop()!;

  // Adding an agenda item during the call: into the meeting's agenda and the notes, once.
  await page.getByRole('button', { name: '+ Agenda item' }).click();
  await page.getByLabel('Topic', { exact: true }).fill('Late-breaking: cloud costs');
  await page.getByLabel('Coordinator', { exact: true }).fill('LG');
  await page.getByLabel('Coordinator', { exact: true }).press('Enter');
  await page.locator(`${NOTES} h3`, { hasText: 'Late-breaking: cloud costs · LG' }).waitFor();
  await caretSettled(page);
  await page.keyboard.type('LG: estimate due next week');
  await page.locator(NOTES, { hasText: 'LG: estimate due next week' }).waitFor();
  await expect(page.locator(`${NOTES} h3`, { hasText: 'Late-breaking' }).count()).resolves.toBe(1);
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const stored = (await (await fetch(`${e2e.server.url}/api/meetings/${meetingId}`, { headers: { cookie: cookies } })).json()) as {
    agenda: { blocks: { items: { topic: string }[] }[] }[];
  };
  expect(stored.agenda[0]!.blocks.flatMap((b) => b.items.map((i) => i.topic))).toContain('Late-breaking: cloud costs');

  // Share: the view link can be copied, rotated (new address) and revoked.
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog');
  const address = dialog.getByLabel('View link address');
  await address.waitFor();
  const first = await address.inputValue();
  expect(first).toContain(`/m/${meetingId}?token=`);
  await dialog.getByRole('button', { name: 'Copy the view link' }).click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  const linkRow = dialog.locator('.share-link', { has: page.getByLabel('View link address') });
  await linkRow.getByRole('button', { name: 'Rotate' }).click();
  await waitFor(async () => (await address.inputValue()) !== first, { message: 'rotated address' });
  const rotated = await address.inputValue();
  // The old address no longer opens the meeting; the new one does.
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
  expect((await fetch(`${e2e.server.url}/api/meetings/${meetingId}`, { headers: { authorization: `Bearer ${tokenOf(first)}` } })).status).toBeGreaterThanOrEqual(400);
  expect((await fetch(`${e2e.server.url}/api/meetings/${meetingId}`, { headers: { authorization: `Bearer ${tokenOf(rotated)}` } })).status).toBe(200);
  // A guest opening the view link is asked for a name once, then follows live.
  const guest = await e2e.user();
  expect(new URL(rotated).origin).toBe(e2e.server.url);
  await guest.page.goto(rotated);
  await guest.page.getByLabel('Your name').fill('Gina Guest');
  await guest.page.getByRole('button', { name: 'Join' }).click();
  await guest.page.locator(`${NOTES}[contenteditable="false"]`, { hasText: 'LG: estimate due next week' }).waitFor();
  await guest.page.reload();
  await guest.page.locator('[data-testid="followers"]', { hasText: 'Gina Guest (you)' }).waitFor();
  await page.locator('[data-testid="followers"]', { hasText: 'Gina Guest' }).waitFor();

  await linkRow.getByRole('button', { name: 'Revoke' }).click();
  // Revoking cuts the guest off at once.
  await guest.page.locator('[data-testid="connection"].conn-closed').waitFor();
  await address.waitFor({ state: 'detached' });
  expect((await fetch(`${e2e.server.url}/api/meetings/${meetingId}`, { headers: { authorization: `Bearer ${tokenOf(rotated)}` } })).status).toBeGreaterThanOrEqual(400);
  await page.keyboard.press('Escape');

  // The meetings list shows it under Upcoming, with its series.
  await page.getByRole('link', { name: 'Quorum' }).click();
  const upcoming = page.getByRole('region', { name: 'Upcoming' });
  await upcoming.getByRole('link', { name: 'DMLT weekly' }).waitFor();
  await upcoming.getByRole('cell', { name: 'DMLT', exact: true }).waitFor();
  await e2e.screenshot(page, 'meetings-list');
  await upcoming.getByRole('link', { name: 'DMLT weekly' }).click();

  // Closing locks the minutes at once for the open page, and reopening unlocks them.
  await page.getByRole('button', { name: 'Close meeting' }).click();
  await page.locator(`${NOTES}[contenteditable="false"]`).waitFor();
  await page.locator('[data-testid="connection"]', { hasText: 'read-only' }).waitFor();
  await expectAccessible(page, 'a closed meeting');
  await e2e.screenshot(page, 'meeting-closed');
  await page.getByRole('button', { name: 'Reopen' }).click();
  await page.locator(`${NOTES}[contenteditable="true"]`).waitFor();
});
