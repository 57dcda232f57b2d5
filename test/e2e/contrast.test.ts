// Every text on the pages reads (axe's contrast rule, WCAG AA) in a light and in a dark system
// theme, including what only a meeting in progress shows: action lines, their chips, a done
// action, a ticket, a link and its box, the mention typeahead. A dark theme gives dark pages;
// printing stays black on white. A reader may choose a theme other than the system's.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/wait.js';
import { caretSettled, createFixtureMeeting, expectAccessible, linkFor, NOTES, placeCaretAtEnd, signInAsOrganiser, startE2E, type E2E, type MeetingFixture } from './browser.js';

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

/** Relative luminance (0 black … 1 white) of the page's background and of its text. */
function luminance(page: Page): Promise<{ background: number; text: number }> {
  return page.evaluate(() => {
    const of = (css: string): number => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(document.documentElement);
    return { background: of(style.backgroundColor), text: of(style.color) };
  });
}

test.each([
  ['light', 0, 'Gen3 next steps', 'DM-12345'],
  ['dark', 1, 'Team status', 'DM-23456'],
] as const)('in a %s system theme every text reads; a dark theme is dark; printing is black on white', async (scheme, day, topic, ticket) => {
  const { page, context } = await e2e.user(`Dora ${scheme}`, { colorScheme: scheme });
  await signInAsOrganiser(context, meeting, e2e.server.url);

  await page.goto(`${linkFor(meeting, 'notetaker')}&session=${meeting.sessions[day]!.id}`);
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first());
  await page.keyboard.type('Slides: https://indico.example.org/event/42 ', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('[ ] @RH', { delay: 20 });
  // The typeahead, over the notes.
  await page.getByRole('listbox').getByRole('option', { name: /Robert Lupton/ }).waitFor();
  await expectAccessible(page, `the mention typeahead (${scheme})`);
  await page.keyboard.press('Enter');
  await page.keyboard.type(`to check ${ticket} by 2020-12-04`, { delay: 5 });
  // The line after it is a check-list item; Enter on it empty leaves the list.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await caretSettled(page);
  await page.keyboard.type(`[x] KTL sent the ${scheme} plan`, { delay: 5 });
  await page.locator('[data-testid="actions-list"] li', { hasText: `check ${ticket}` }).locator('.chip-assignee', { hasText: 'RHL' }).waitFor();
  await page.locator('[data-testid="actions-list"] li.done', { hasText: `sent the ${scheme} plan` }).waitFor();
  await page.locator('.action-chip-row .chip-due').first().waitFor();
  // The caret in the link: the box to open it from.
  await page.locator(`${NOTES} a[href="https://indico.example.org/event/42"]`).click();
  await page.locator('.link-box a').waitFor();

  const screen = await luminance(page);
  if (scheme === 'dark') {
    expect(screen.background, 'a dark page').toBeLessThan(0.05);
    expect(screen.text, 'light text').toBeGreaterThan(0.6);
  } else expect(screen.background, 'a light page').toBeGreaterThan(0.9);
  await expectAccessible(page, `the meeting page (${scheme})`);
  await e2e.screenshot(page, `meeting-${scheme}`);

  // The meeting's dialogs.
  for (const name of ['Share', 'History']) {
    await page.getByRole('button', { name, exact: true }).click();
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page, `the ${name} dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  for (const [path, what] of [
    ['/', 'the meetings page'],
    ['/actions', 'the action tracker'],
    [`/search?q=${encodeURIComponent('plan')}`, 'the search page'],
    ['/meetings/new', 'the new meeting form'],
    ['/meetings/import', 'the import page'],
    ['/members', 'the members page'],
    ['/account', 'the account page'],
    [`/m/${meeting.id}/edit`, "the meeting's details form"],
    [`/m/${meeting.id}/proposals`, 'the topic proposals'],
  ] as const) {
    await page.goto(path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expectAccessible(page, `${what} (${scheme})`);
  }

  await page.goto(`${linkFor(meeting, 'notetaker')}&session=${meeting.sessions[day]!.id}`);
  await page.locator(`${NOTES} a[href="https://indico.example.org/event/42"]`).waitFor();
  await page.emulateMedia({ media: 'print' });
  const paper = await luminance(page);
  expect(paper.background, 'printed on white').toBeGreaterThan(0.9);
  expect(paper.text, 'in dark ink').toBeLessThan(0.05);
});

test.each([
  ['light', 'dark'],
  ['dark', 'light'],
] as const)('on a %s system a reader chooses %s: the page and their other tabs follow, a reload keeps it, printing stays black on white', async (system, chosen) => {
  const { page, context } = await e2e.user(`Theo ${system}`, { colorScheme: system });
  await signInAsOrganiser(context, meeting, e2e.server.url);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Meetings' }).waitFor();
  const notes = await context.newPage();
  await notes.goto(linkFor(meeting, 'notetaker'));
  await notes.locator('[data-testid="connection"].conn-connected').waitFor();
  const isDark = async (p: Page) => (await luminance(p)).background < 0.05;
  expect(await isDark(page)).toBe(system === 'dark');

  // One press to dark, another to light.
  const button = page.getByRole('button', { name: /^Theme:/ });
  await expect(button.getAttribute('aria-label')).resolves.toBe('Theme: as the system. Switch to dark');
  await button.click();
  if (chosen === 'light') await button.click();
  await expect(button.getAttribute('aria-label')).resolves.toMatch(new RegExp(`^Theme: ${chosen}\\.`));
  await waitFor(async () => (await isDark(page)) === (chosen === 'dark'), { message: 'the page in the chosen theme' });
  await waitFor(async () => (await isDark(notes)) === (chosen === 'dark'), { message: 'the other tab in the chosen theme' });
  await expectAccessible(notes, `the meeting page (${chosen} chosen on a ${system} system)`);
  await notes.reload();
  await notes.locator('[data-testid="connection"].conn-connected').waitFor();
  expect(await isDark(notes)).toBe(chosen === 'dark');
  await notes.emulateMedia({ media: 'print' });
  const paper = await luminance(notes);
  expect(paper.background, 'printed on white').toBeGreaterThan(0.9);
  expect(paper.text, 'in dark ink').toBeLessThan(0.05);

  // Back to the system's.
  while (!(await button.getAttribute('aria-label'))!.startsWith('Theme: as the system')) await button.click();
  await waitFor(async () => (await isDark(page)) === (system === 'dark'), { message: "the page in the system's theme" });
});
