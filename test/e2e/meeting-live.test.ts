// What the meeting page shows beside the notes follows the organiser's changes during the call,
// without a reload: an attendee added is offered by the notetaker's @ typeahead, slides attached
// to an item appear in the follower's agenda, and closing the meeting shows the follower that
// the minutes are locked (a follower's access does not change then, so nothing used to say so).
// Lines a notetaker typed offline while the meeting was closed are shown to them, not dropped.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, linkFor, NOTES, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { api } from '../server/support/api.js';

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

/** The organiser's change through the API, as their own page would make it. */
async function organiser(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await api(e2e.server, method, path, { cookie: meeting.cookie, ...(body === undefined ? {} : { body }) });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.body;
}

async function open(name: string, role: 'notetaker' | 'follower'): Promise<Page> {
  const { page } = await e2e.user(name);
  await page.goto(`${linkFor(meeting, role)}&session=${meeting.sessions[0]!.id}`);
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  return page;
}

test("the organiser's changes during the call reach the open pages: an attendee, slides, the close", async () => {
  const notetaker = await open('Nora Notetaker', 'notetaker');
  const follower = await open('Finn Follower', 'follower');

  // A late attendee: the notetaker's typeahead offers them.
  const current = (await organiser('GET', `/api/meetings/${meeting.id}`)) as { attendees: { name: string; handle: string | null }[]; agenda: { blocks: { items: { id: string; topic: string }[] }[] }[] };
  await organiser('PATCH', `/api/meetings/${meeting.id}`, { attendees: [...current.attendees.map(({ name, handle }) => ({ name, handle })), { name: 'Zeljko Ivezic', handle: 'ZI' }] });
  await notetaker.getByRole('button', { name: `${current.attendees.length + 1} attendees` }).waitFor();
  await placeCaretAtEnd(notetaker, notetaker.locator(`${NOTES} h3:has-text("Welcome") ~ p`).first());
  await notetaker.keyboard.type('ACTION: @Zel', { delay: 20 });
  await notetaker.locator('.typeahead [role="option"]', { hasText: 'Zeljko Ivezic' }).waitFor();
  await notetaker.keyboard.press('Escape');

  // Slides attached to the first item: the follower's agenda lists them.
  const item = current.agenda[0]!.blocks[0]!.items[0]!;
  await organiser('POST', `/api/meetings/${meeting.id}/items/${item.id}/attachments/links`, { url: 'https://example.org/welcome-slides', title: 'Welcome slides' });
  await follower.locator(`[data-testid="attachments-${item.id}"] a`, { hasText: 'Welcome slides' }).waitFor();

  // Closed: the follower's page says so.
  await organiser('POST', `/api/meetings/${meeting.id}/close`);
  await follower.locator('.badge-closed', { hasText: /closed/i }).waitFor();
  await notetaker.locator(`${NOTES}[contenteditable="false"]`).waitFor();
});

// A notetaker typing offline while the organiser closes the meeting: back online, the server
// refuses those lines, and the page must drop its copy to agree with everyone again. It dropped
// them silently; it now shows them, to copy, kept in the browser (a reload too) until dismissed.
test('lines typed offline while the meeting was closed are shown to their notetaker to copy, not dropped silently', async () => {
  await organiser('POST', `/api/meetings/${meeting.id}/reopen`);
  const page = await open('Tara Train', 'notetaker');
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { polling: 100 });
  await page.context().setOffline(true);
  await page.locator('[data-testid="connection"].conn-offline').waitFor();
  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text("Gen3 next steps") ~ p`).first());
  await page.keyboard.type('RHL: the repo split waits for the test plan', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('ACTION: TJ to circulate the conversion plan', { delay: 5 });
  await page.locator('[data-testid="pending"]').waitFor();

  await organiser('POST', `/api/meetings/${meeting.id}/close`);
  await page.context().setOffline(false);
  const panel = page.getByRole('alert').filter({ hasText: 'not in the notes' });
  await panel.getByRole('heading', { name: '2 lines you typed are not in the notes' }).waitFor();
  await expect(panel.getByRole('textbox').inputValue()).resolves.toBe('RHL: the repo split waits for the test plan\nACTION: TJ to circulate the conversion plan');
  // The notes are the server's: closed, without those lines.
  await page.locator(`${NOTES}[contenteditable="false"]`).waitFor();
  expect(await page.locator(NOTES).innerText()).not.toContain('the repo split waits');
  await expectAccessible(page, 'the lines a closed meeting refused');

  await page.reload();
  await panel.getByRole('heading', { name: '2 lines you typed are not in the notes' }).waitFor();
  await panel.getByRole('button', { name: 'Dismiss' }).click();
  await panel.waitFor({ state: 'detached' });
  await page.reload();
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  expect(await page.getByRole('alert').filter({ hasText: 'not in the notes' }).count()).toBe(0);
});
