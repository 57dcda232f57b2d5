// The record over time and across meetings, in a real browser against the real server: two
// notetakers type, one names a version, both type more; the history shows the named version with
// each author's text marked; restoring it brings it back live on both pages; the sealed version
// after closing reads as it was. And search finds a word typed a moment ago and opens the meeting
// at its agenda item, and pages on past its first results.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, linkFor, NOTES, placeCaretAtEnd, shownText, signInAsOrganiser, startE2E, focusedRow, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';

let e2e: E2E;
let meeting: MeetingFixture;

beforeAll(async () => {
  // No automatic versions in the way: the list holds what the test makes.
  e2e = await startE2E({ versionPauseMs: 3_600_000, versionEveryMs: 3_600_000 });
  meeting = await createFixtureMeeting(e2e.server);
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

async function openAs(name: string): Promise<Page> {
  const user = await e2e.user(name);
  await user.page.goto(`${linkFor(meeting, 'notetaker')}&session=${meeting.sessions[0]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  // Restoring asks first: say yes.
  user.page.on('dialog', (dialog) => void dialog.accept());
  return user.page;
}

async function typeUnder(page: Page, topic: string, text: string): Promise<void> {
  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first());
  await page.keyboard.press('Enter');
  await page.keyboard.type(text, { delay: 10 });
}

const notes = (page: Page) => page.locator(NOTES).innerText();

async function serverNotes(): Promise<string> {
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/notes?format=md`, { headers: { cookie: meeting.cookie } });
  return response.text();
}

test('a named version shows who wrote what, comes back live for everyone on restore, and the sealed minutes read as they were', async () => {
  const ann = await openAs('Ann Notetaker');
  const ben = await openAs('Ben Notetaker');
  await typeUnder(ann, 'Welcome', 'Ann wrote the welcome summary');
  await typeUnder(ben, 'Project news and updates', 'Ben wrote the project news');
  await waitFor(async () => {
    const md = await serverNotes();
    return md.includes('Ann wrote the welcome summary') && md.includes('Ben wrote the project news');
  }, { message: 'both lines never reached the server' });

  // Ann names a version from the history dialog.
  await ann.getByRole('button', { name: 'History' }).click();
  const annHistory = ann.getByRole('dialog');
  await annHistory.getByLabel('Name this version').fill('before the break');
  await annHistory.getByRole('button', { name: 'Save version' }).click();
  await annHistory.getByRole('status').filter({ hasText: 'Saved “before the break”' }).waitFor();
  await annHistory.getByRole('button', { name: 'Close' }).click();

  // Both type more.
  await typeUnder(ann, 'Welcome', 'Ann added this after the break');
  await typeUnder(ben, 'Project news and updates', 'Ben added this after the break');
  await waitFor(async () => (await serverNotes()).includes('Ben added this after the break') && (await serverNotes()).includes('Ann added this after the break'), {
    message: 'later lines never reached the server',
  });

  // Ben opens the history: the named version, each author's text marked in their colour.
  await ben.getByRole('button', { name: 'History' }).click();
  const history = ben.getByRole('dialog');
  await history.getByRole('button', { name: /before the break/ }).click();
  const version = history.getByTestId('version-notes');
  await version.locator('[data-author="Ann Notetaker"]', { hasText: 'Ann wrote the welcome summary' }).waitFor();
  await version.locator('[data-author="Ben Notetaker"]', { hasText: 'Ben wrote the project news' }).waitFor();
  expect(await version.innerText()).not.toContain('after the break');
  await history.getByRole('list', { name: 'Authors' }).getByText('Ann Notetaker').waitFor();
  await expectAccessible(ben, 'the history dialog');
  await e2e.screenshot(ben, 'history-named-version');

  // What changed since: compared with the version, the current notes' lines are additions.
  await history.getByRole('button', { name: 'Restore this version' }).click();
  await history.getByRole('status').filter({ hasText: 'Restored “before the break” for everyone' }).waitFor();
  // The restore is selected: every word is still its author's.
  await history.getByTestId('version-notes').locator('[data-author="Ben Notetaker"]', { hasText: 'Ben wrote the project news' }).waitFor();

  for (const page of [ann, ben]) {
    await waitFor(async () => !(await notes(page)).includes('after the break'), { message: 'the restore did not reach a page' });
    const text = await notes(page);
    expect(text).toContain('Ann wrote the welcome summary');
    expect(text).toContain('Ben wrote the project news');
  }
  await waitFor(async () => !(await serverNotes()).includes('after the break'), { message: 'the server kept the later lines' });

  // The state before the restore is in the history, and the diff says what the restore removed.
  await history.getByRole('button', { name: /Autosave/ }).first().click();
  await history.getByTestId('version-notes').getByText('Ben added this after the break').waitFor();
  await history.getByLabel('Show changes since').selectOption({ label: 'before the break' });
  await history.getByTestId('version-diff').locator('ins', { hasText: 'Ann added this after the break' }).waitFor();
  await history.getByRole('button', { name: 'Close' }).click();

  // Typing goes on after the restore, for both.
  await typeUnder(ann, 'Welcome', 'Ann typed after the restore');
  await waitFor(async () => (await notes(ben)).includes('Ann typed after the restore'), { message: 'typing after the restore' });

  // The owner closes the meeting: the page shows the seal; the sealed version reads as it was.
  await waitFor(async () => (await serverNotes()).includes('Ann typed after the restore'), { message: 'last line never reached the server' });
  const closed = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/close`, { method: 'POST', headers: { cookie: meeting.cookie, origin: e2e.server.url } });
  expect(closed.status).toBe(200);
  const { seals } = (await closed.json()) as { seals: Array<{ sha256: string; versionId: string; sessionId: string }> };
  const seal = seals.find((s) => s.sessionId === meeting.sessions[0]!.id)!;
  await ben.reload();
  await ben.locator('.seals', { hasText: seal.sha256 }).waitFor();
  await ben.getByRole('button', { name: 'History' }).click();
  const sealedHistory = ben.getByRole('dialog');
  await sealedHistory.getByRole('button', { name: /Sealed/ }).click();
  await sealedHistory.getByText(seal.sha256).waitFor();
  const sealed = sealedHistory.getByTestId('version-notes');
  await sealed.getByText('Ann typed after the restore').waitFor();
  expect(await sealed.innerText()).not.toContain('after the break');
  // A closed meeting's history offers no restore.
  expect(await sealedHistory.getByRole('button', { name: 'Restore this version' }).count()).toBe(0);
  await e2e.screenshot(ben, 'history-sealed');
});

test('search finds a word typed a moment ago and opens the meeting at its agenda item', async () => {
  // The first test closed the fixture meeting: reopen it.
  const reopened = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/reopen`, { method: 'POST', headers: { cookie: meeting.cookie, origin: e2e.server.url } });
  expect(reopened.status).toBe(200);
  // A member searches from the top bar of another page, before the words are typed: nothing yet.
  const member = await e2e.user();
  await member.context.addCookies(
    meeting.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: e2e.server.url };
    }),
  );
  await member.page.goto('/actions');
  const box = member.page.getByRole('searchbox', { name: 'Search all meetings' });
  await box.fill('butler registry');
  await box.press('Enter');
  await member.page.getByRole('status').filter({ hasText: 'Nothing found' }).waitFor();

  const cara = await openAs('Cara Notetaker');
  await typeUnder(cara, 'Gen3 next steps', 'the butler registry migration is scheduled');
  // The same words submitted again search again, until the notes are indexed (within seconds).
  await waitFor(async () => {
    await box.fill('butler registry');
    await box.press('Enter');
    await member.page.getByRole('status').filter({ hasText: /results? for|Nothing found/ }).waitFor();
    return (await member.page.locator('.search-result').count()) > 0;
  }, { message: 'the typed words were never found' });
  const result = member.page.locator('.search-result').first();
  expect(await result.locator('mark').allInnerTexts()).toEqual(['butler', 'registry']);
  await expectAccessible(member.page, 'the search page');
  await e2e.screenshot(member.page, 'search-results');
  await result.getByRole('link').click();
  const heading = member.page.locator(`${NOTES} h3[data-revealed="true"]`);
  await heading.waitFor();
  expect(await shownText(heading)).toContain('Gen3 next steps');
  expect(await heading.evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  expect(new URL(member.page.url()).searchParams.get('item')).not.toBeNull();

  // A guest's box searches its meeting.
  await cara.getByRole('searchbox', { name: 'Search this meeting' }).fill('butler');
  await cara.getByRole('searchbox', { name: 'Search this meeting' }).press('Enter');
  await cara.locator('.search-result', { hasText: 'Gen3 next steps' }).waitFor();
});

test('search shows more results past the first thirty, each once, until there are no more', async () => {
  const items = Array.from({ length: 70 }, (_, i) => ({ topic: `Mirror alignment step ${i + 1}` }));
  const created = await fetch(`${e2e.server.url}/api/meetings`, {
    method: 'POST',
    headers: { cookie: meeting.cookie, origin: e2e.server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Commissioning week', series: 'COM', startDate: '2021-03-01', attendees: [], agenda: [{ date: '2021-03-01', blocks: [{ items }] }] }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const member = await e2e.user();
  await signInAsOrganiser(member.context, meeting, e2e.server.url);
  await member.page.goto(`/search?q=${encodeURIComponent('mirror alignment')}`);
  // The series filter offers the series there are.
  const series = member.page.getByLabel('Series');
  await waitFor(async () => (await series.evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value))).includes('COM'), { message: 'the series offered' });
  const status = member.page.getByRole('status');
  await status.filter({ hasText: '30+ results' }).waitFor();
  const results = member.page.locator('.search-result');
  expect(await results.count()).toBe(30);
  const more = member.page.getByRole('button', { name: 'Show more results' });
  await more.click();
  await status.filter({ hasText: '60+ results' }).waitFor();
  // The keyboard goes on from the first result added.
  await waitFor(async () => (await focusedRow(member.page, '.search-result')) === 30, { message: 'the first result added focused' });
  await more.click();
  await status.filter({ hasText: /^70 results/ }).waitFor();
  expect(await more.count()).toBe(0);
  const titles = await results.locator('strong').allInnerTexts();
  expect(new Set(titles).size).toBe(70);
  expect(titles.slice().sort()).toEqual(items.map((item) => item.topic).sort());
});
