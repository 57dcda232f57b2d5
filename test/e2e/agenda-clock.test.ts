// The meeting's clock on its page: the day it opens on and the agenda item marked "now" are read
// in the meeting's time zone (the DMLT fixture meets in Los Angeles), with the minutes the item's
// slot has left, for the moderator keeping time. The browser's clock is set, not waited for.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, linkFor, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';

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
