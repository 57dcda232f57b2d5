// The meetings list of a team that has used Quorum for years: ten years of a weekly meeting and a
// series whose meetings are all older than that. The past ones come a page at a time, the series
// filter offers every series and finds its oldest meetings, and a series typed into the create
// form in another case joins the series it names (its open actions would not carry otherwise). A
// series is renamed as a whole from the list, and given another series' name it joins it. The
// series chosen is in the address, and a meeting's series links to the list of its meetings.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Locator } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, focusedRow, signInAsOrganiser, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';

let e2e: E2E;
let fixture: MeetingFixture;
const WEEKS = 520;

beforeAll(async () => {
  e2e = await startE2E();
  fixture = await createFixtureMeeting(e2e.server);
  const create = async (title: string, series: string, startDate: string) => {
    const response = await fetch(`${e2e.server.url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: e2e.server.url, cookie: fixture.cookie },
      body: JSON.stringify({ title, series, startDate, attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }] }),
    });
    if (response.status !== 201) throw new Error(`create ${title}: ${response.status} ${await response.text()}`);
  };
  await create('Camera commissioning kick-off', 'Camera commissioning', '2009-03-02');
  await create('Camera commissioning review', 'Camera commissioning', '2009-06-01');
  const first = Date.parse('2010-01-04T00:00:00Z');
  for (let week = 0; week < WEEKS; week += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, WEEKS - week) }, (_, i) => {
        const date = new Date(first + (week + i) * 7 * 86_400_000).toISOString().slice(0, 10);
        return create(`Ops weekly ${date}`, 'Ops weekly', date);
      }),
    );
  }
  await create('Ops weekly, the next one', 'Ops weekly', '2099-01-05');
});
afterEach((context) => e2e.afterTest(context));

/** The series filter once it offers these series and shows this one (the list is read as the page loads, and again after a rename). */
async function filterShows(filter: Locator, offered: string[], chosen?: string): Promise<void> {
  const seen = async () => JSON.stringify([await filter.locator('option').allTextContents(), await filter.inputValue()]);
  await waitFor(async () => {
    const [options, value] = JSON.parse(await seen()) as [string[], string];
    return JSON.stringify(options) === JSON.stringify(['All series', ...offered]) && (chosen === undefined || value === chosen);
  }, { message: `the series filter offering ${offered.join(', ')}${chosen ? `, showing ${chosen}` : ''}` }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; it reads ${await seen()}`);
  });
}
afterAll(async () => {
  await e2e?.close();
});

test('years of meetings: the past a page at a time, every series in the filter, and a series typed in another case joins its series', async () => {
  const { page, context } = await e2e.user();
  await signInAsOrganiser(context, fixture, e2e.server.url);
  await page.goto('/');
  const upcoming = page.getByRole('region', { name: 'Upcoming' });
  const past = page.getByRole('region', { name: 'Past' });
  await upcoming.getByRole('link', { name: 'Ops weekly, the next one' }).waitFor();
  // The most recent first, a page of them, and the way to older ones.
  await past.getByRole('link', { name: 'Ops weekly 2019-12-16' }).waitFor();
  expect(await past.locator('tbody tr').count()).toBe(50);
  const older = page.getByRole('button', { name: 'Show older meetings' });
  await older.click();
  await past.getByRole('link', { name: 'Ops weekly 2018-12-31' }).waitFor();
  expect(await past.locator('tbody tr').count()).toBe(100);
  // The keyboard goes on from the first meeting added.
  await waitFor(async () => (await focusedRow(page, '[aria-label="Past"] tbody tr')) === 50, { message: 'the first meeting added focused' });
  await expectAccessible(page, 'a long meetings list');
  await e2e.screenshot(page, 'meetings-list-older');

  // Every series is offered, the one whose meetings are all older than ten years of another too;
  // choosing it lists its meetings.
  const filter = page.getByLabel('Series');
  await filterShows(filter, ['Camera commissioning', 'DMLT', 'Ops weekly']);
  await filter.selectOption('Camera commissioning');
  await past.getByRole('link', { name: 'Camera commissioning kick-off' }).waitFor();
  expect(await past.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Camera commissioning review'), expect.stringContaining('Camera commissioning kick-off')]);
  await upcoming.getByText('None.').waitFor();
  await expect(older.count()).resolves.toBe(0);
  // The whole series, older pages included, for a series of more meetings than a page.
  await filter.selectOption('Ops weekly');
  await upcoming.getByRole('link', { name: 'Ops weekly, the next one' }).waitFor();
  await past.getByRole('link', { name: 'Ops weekly 2019-12-16' }).waitFor();
  for (let shown = 50; shown < WEEKS; shown += 50) {
    await older.click();
    await past.locator(`tbody tr:nth-child(${Math.min(shown + 50, WEEKS)})`).waitFor();
  }
  await past.getByRole('link', { name: 'Ops weekly 2010-01-04' }).waitFor();
  await expect(older.count()).resolves.toBe(0);
  expect(await past.locator('tbody tr').count()).toBe(WEEKS);

  // A new meeting of the weekly series, its name typed as someone remembers it: the form says it
  // joins the series, and the meeting is made in it.
  await page.getByRole('link', { name: 'New meeting' }).click();
  await page.getByLabel('Title').fill('Ops weekly, the one after');
  const series = page.getByLabel(/^Series/);
  await expect(series.evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value))).resolves.toEqual([
    'Camera commissioning',
    'DMLT',
    'Ops weekly',
  ]);
  await series.fill('camera');
  await page.getByText('A new series.').waitFor();
  await series.fill('ops  WEEKLY');
  await page.getByText(`Joins the series Ops weekly: ${WEEKS + 1} meetings, the last on`).waitFor();
  await e2e.screenshot(page, 'meetings-list-series-joined');
  await page.getByLabel('First day').fill('2099-01-12');
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await page.waitForURL(/\/m\/[A-Za-z0-9]+/);
  await page.keyboard.press('Escape');
  await page.locator('.badge', { hasText: /^Ops weekly$/ }).waitFor();
});

test('a series renamed as a whole from the list, then joined to another series whose name it is given', async () => {
  const { page, context } = await e2e.user();
  await signInAsOrganiser(context, fixture, e2e.server.url);
  await page.goto('/');
  const past = page.getByRole('region', { name: 'Past' });
  const filter = page.getByLabel('Series');
  await filter.locator('option', { hasText: 'Camera commissioning' }).waitFor({ state: 'attached' });
  await filter.selectOption('Camera commissioning');
  await past.getByRole('link', { name: 'Camera commissioning kick-off' }).waitFor();

  await page.getByRole('button', { name: 'Rename series' }).click();
  const form = page.getByRole('form', { name: /^Rename the series / });
  await expect(form.getAttribute('aria-label')).resolves.toBe('Rename the series Camera commissioning');
  await form.getByLabel('New name for the series').fill('AuxTel commissioning');
  await form.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('status').filter({ hasText: 'The series is renamed AuxTel commissioning: 2 meetings.' }).waitFor();
  // The form is gone: the keyboard is on what was done.
  await waitFor(() => page.evaluate(() => document.activeElement?.classList.contains('notice') === true), { message: 'the notice focused' });
  await filterShows(filter, ['AuxTel commissioning', 'DMLT', 'Ops weekly'], 'AuxTel commissioning');
  await past.getByRole('link', { name: 'Camera commissioning review' }).waitFor();

  // Given another series' name, however typed: the form says the two become one, and they do.
  // Cancelled, the keyboard is back on the button.
  await page.getByRole('button', { name: 'Rename series' }).click();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await waitFor(() => page.evaluate(() => document.activeElement?.textContent === 'Rename series'), { message: 'the button focused again' });
  await page.getByRole('button', { name: 'Rename series' }).click();
  await form.getByLabel('New name for the series').fill('dmlt');
  await page.getByText(/^Joins the series DMLT: 1 meeting, the last on/).waitFor();
  await expectAccessible(page, 'renaming a series');
  await e2e.screenshot(page, 'meetings-list-series-rename');
  await form.getByRole('button', { name: 'Join DMLT' }).click();
  await page.getByRole('status').filter({ hasText: 'AuxTel commissioning joined the series DMLT: 3 meetings now.' }).waitFor();
  await filterShows(filter, ['DMLT', 'Ops weekly'], 'DMLT');
  // The list read again for DMLT: its own meeting and the two that joined it.
  await waitFor(async () => (await past.locator('tbody tr').count()) === 3, { message: 'the three meetings of DMLT' });
  await past.getByRole('link', { name: 'Camera commissioning kick-off' }).waitFor();

  // The series chosen is in the address: a reload keeps it.
  expect(new URL(page.url()).search).toBe('?series=DMLT');
  await page.reload();
  await past.getByRole('link', { name: 'Camera commissioning kick-off' }).waitFor();
  await filterShows(filter, ['DMLT', 'Ops weekly'], 'DMLT');
  expect(await past.locator('tbody tr').count()).toBe(3);
  // A meeting's series links to the list of its meetings.
  await filter.selectOption('');
  await page.getByRole('region', { name: 'Upcoming' }).getByRole('link', { name: 'Ops weekly, the next one' }).click();
  await page.getByRole('link', { name: 'Ops weekly', exact: true }).click();
  await page.getByRole('heading', { name: 'Meetings' }).waitFor();
  await filterShows(filter, ['DMLT', 'Ops weekly'], 'Ops weekly');
  await past.getByRole('link', { name: 'Ops weekly 2019-12-16' }).waitFor();
  expect(await past.getByRole('link', { name: 'Camera commissioning kick-off' }).count()).toBe(0);
});
