// Clocks on the pages. The meeting page's day and the agenda item marked "now" are read in the
// meeting's time zone (the DMLT fixture meets in Los Angeles), with the minutes the item's slot
// has left, for the moderator keeping time; what is overdue, upcoming or past is read on the
// reader's own day. The browsers' clocks are set, not waited for.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, linkFor, signInAsOrganiser, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { waitFor } from '../helpers/wait.js';
import { connectNotetaker } from '../server/notes-support.js';
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

/** The agenda panel's item marked as on now, as "title | mark", or null. */
function markedNow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const item = document.querySelector('[data-testid="outline"] > li[aria-current="time"]');
    return item ? `${item.querySelector('.outline-title')?.textContent} | ${item.querySelector('.outline-now')?.textContent}` : null;
  });
}

test('a follower’s page opens on the meeting’s today and marks the item its clock is in, as the clock moves', async () => {
  const { page } = await e2e.user('Mona Moderator');
  // 17:30 on Tuesday 17 November in Los Angeles, already Wednesday in UTC: the page opens on
  // Tuesday (it opened on Wednesday, the day of the UTC date), after Tuesday's last item.
  await page.clock.setFixedTime(new Date('2020-11-18T01:30:00Z'));
  await page.goto(linkFor(meeting, 'follower'));
  await page.locator('[data-testid="outline"]').waitFor();
  await expect(page.getByRole('tab', { selected: true }).innerText()).resolves.toBe('Tue, Nov 17');
  expect(await markedNow(page)).toBeNull();

  // 09:20 there: "Project news and updates" (09:15, 30 minutes) is on, 25 minutes left.
  await page.clock.setFixedTime(new Date('2020-11-17T17:20:00Z'));
  await waitFor(async () => (await markedNow(page)) === '09:15 · Project news and updates · WOM | now · 25 min left', {
    message: 'Project news marked now',
    timeout: 60_000,
  }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; marked: ${await markedNow(page)}`);
  });
  await expectAccessible(page, 'the agenda with an item marked now');
  // 09:50: the next item, "Plan to end of project: Part I" (09:45, 45 minutes), 40 minutes left.
  await page.clock.setFixedTime(new Date('2020-11-17T17:50:00Z'));
  await waitFor(async () => (await markedNow(page)) === '09:45 · Plan to end of project: Part I · WOM | now · 40 min left', {
    message: 'the next item marked now',
    timeout: 60_000,
  }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; marked: ${await markedNow(page)}`);
  });
  // The day's other tabs have a clock of their own: Wednesday's agenda marks nothing on Tuesday.
  await page.getByRole('tab', { name: 'Wed, Nov 18' }).click();
  await page.getByRole('tab', { name: 'Wed, Nov 18', selected: true }).waitFor();
  await page.locator('[data-testid="outline"]', { hasText: 'Alert production integration' }).waitFor();
  expect(await markedNow(page)).toBeNull();
});

// A day of many items in a short window: the agenda scrolls in its own box, and the item on now
// was out of sight at its bottom. The box brings it up when the mark moves to it.
test('the item on now is brought into sight in an agenda that scrolls in its own box', async () => {
  const { page } = await e2e.user('Sam Short-Screen', { viewport: { width: 1360, height: 560 } });
  // 14:12 on Wednesday 18 November in Los Angeles: "Focus Friday" (14:10, 5 minutes), the day's
  // second-last item.
  await page.clock.setFixedTime(new Date('2020-11-18T22:12:00Z'));
  await page.goto(linkFor(meeting, 'follower'));
  await waitFor(async () => (await markedNow(page)) === '14:10 · Focus Friday · YA | now · 3 min left', { message: 'Focus Friday marked now', timeout: 60_000 });
  const sight = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="outline"]')!;
    const item = box.querySelector('li[aria-current="time"]')!.getBoundingClientRect();
    const shown = box.getBoundingClientRect();
    return { scrolls: box.scrollHeight > box.clientHeight, inSight: item.top >= shown.top && item.bottom <= shown.bottom };
  });
  expect(sight).toEqual({ scrolls: true, inSight: true });
});

// 19:00 on Thursday 19 November, the meeting's last day, for a reader in California: already
// Friday in UTC, by which the meetings list put the meeting under Past and the tracker flagged an
// action due that day as overdue.
test('a reader’s today is their own day: a meeting on its last day is upcoming, an action due today is not overdue', async () => {
  const lastDay = meeting.sessions.find((session) => session.date === '2020-11-19')!;
  const writer = connectNotetaker(e2e.server.collabUrl, lastDay.doc, meeting.links.find((link) => link.role === 'notetaker')!.token);
  try {
    await writer.synced();
    writer.edit(() => void $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL to send the slides by 2020-11-19'))));
    await waitFor(
      async () => {
        const { body } = await api(e2e.server, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: meeting.cookie });
        return (body as { items: { description: string }[] }).items.some((action) => action.description.includes('send the slides'));
      },
      { message: 'the action in the API', timeout: 60_000 },
    );
  } finally {
    writer.destroy();
  }
  const { page, context } = await e2e.user(undefined, { timezoneId: 'America/Los_Angeles' });
  await signInAsOrganiser(context, meeting, e2e.server.url);
  await page.clock.setFixedTime(new Date('2020-11-20T03:00:00Z'));

  await page.goto('/');
  await page.getByRole('region', { name: 'Upcoming' }).getByRole('link', { name: 'Leadership Team Virtual Face-to-Face' }).waitFor();
  expect(await page.getByRole('region', { name: 'Past' }).getByRole('link').count()).toBe(0);

  await page.goto('/actions');
  const row = page.getByTestId('tracker').locator('tbody tr', { hasText: 'send the slides' });
  await row.waitFor();
  expect(await row.getAttribute('class')).not.toContain('overdue');
  expect(await row.innerText()).not.toContain('overdue');
});

test('a reader elsewhere sees each item’s time on their own clock; a reader where the meeting is held does not', async () => {
  const item = (page: Page, title: string) => page.getByTestId('outline').locator('li', { hasText: title });
  // The meeting is held in Los Angeles; 09:00 there on Tuesday 17 November is 18:00 in Paris.
  const paris = await e2e.user('Pierre in Paris', { timezoneId: 'Europe/Paris', locale: 'en-GB' });
  await paris.page.clock.setFixedTime(new Date('2020-11-17T16:00:00Z'));
  await paris.page.goto(linkFor(meeting, 'follower'));
  await item(paris.page, '09:00 · Welcome').locator('.outline-yours', { hasText: /^18:00 your time$/ }).waitFor();
  const times = await paris.page.getByTestId('outline').locator('.outline-yours').allTextContents();
  expect(times.length).toBeGreaterThan(3);
  for (const time of times) expect(time).toMatch(/^\d\d:\d\d your time$/);
  await expectAccessible(paris.page, 'the agenda with the reader’s own times');
  await e2e.screenshot(paris.page, 'agenda-your-time');

  const local = await e2e.user('Lou in Los Angeles', { timezoneId: 'America/Los_Angeles', locale: 'en-GB' });
  await local.page.clock.setFixedTime(new Date('2020-11-17T16:00:00Z'));
  await local.page.goto(linkFor(meeting, 'follower'));
  await item(local.page, '09:00 · Welcome').waitFor();
  expect(await local.page.getByTestId('outline').locator('.outline-yours').count()).toBe(0);
});
