// Quorum on a phone (390 × 844, a touch screen): a follower watching the call, a notetaker typing
// an action, the owner checking the meeting list, the tracker, the members and the meeting form.
// No page may be wider than the screen: a phone then zooms the whole page out, and every line of
// the notes is drawn at half size. The meeting page scrolls as one page, the notes in full and the
// panels under them, rather than in boxes a few lines high. On a tablet the panels stay beside
// the notes.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, expectAccessible, linkFor, NOTES, placeCaretAtEnd, serveLinkedPages, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { typeNotes } from '../exports/typing.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let e2e: E2E;
let meeting: MeetingFixture;

beforeAll(async () => {
  e2e = await startE2E({}, PHONE);
  meeting = await createFixtureMeeting(e2e.server);
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

/**
 * What of the page reaches past the screen's right edge: the document's width, and the widest
 * elements. Measured against the phone's width, not the window's: a phone widens its layout
 * window to the page's width (and shows it zoomed out), so the page would always fit that.
 */
async function overflow(page: Page): Promise<{ width: number; screen: number; widest: string[] }> {
  return page.evaluate((screen) => {
    const widest = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > screen + 1 && !element.closest('.scroll-box'))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    return { width: document.documentElement.scrollWidth, screen, widest };
  }, PHONE.viewport.width);
}

async function expectFitsTheScreen(page: Page, where: string): Promise<void> {
  const { width, screen, widest } = await overflow(page);
  expect(width, `${where} is ${width} px wide on a ${screen}-px screen: ${widest.join(', ')}`).toBeLessThanOrEqual(screen);
}

test('a follower on a phone watches the notes and the actions live, in a page as wide as the screen', async () => {
  const notetaker = (await e2e.user('Kian-Tat Lim')).page;
  const follower = (await e2e.user('Leanne Guy')).page;
  const day = `&session=${meeting.sessions[0]!.id}`;
  await notetaker.goto(linkFor(meeting, 'notetaker') + day);
  await follower.goto(linkFor(meeting, 'follower') + day);
  for (const page of [notetaker, follower]) await page.locator('[data-testid="connection"].conn-connected').waitFor();

  await placeCaretAtEnd(notetaker, notetaker.locator(`${NOTES} h3:has-text("Welcome") ~ p`).first());
  await notetaker.keyboard.type('ACTION: KTL send the phone notes by 2020-11-20', { delay: 5 });
  await follower.locator(NOTES, { hasText: 'send the phone notes by 2020-11-20' }).waitFor();
  await follower.locator('[data-testid="actions-list"] li', { hasText: 'send the phone notes' }).waitFor();

  for (const [page, who] of [
    [follower, "the follower's meeting page"],
    [notetaker, "the notetaker's meeting page"],
  ] as const) {
    await expectFitsTheScreen(page, who);
    // The notes are not a box of their own that scrolls inside the page: all of them are laid out
    // in the page, and the panels follow them.
    const notes = await page.locator('.notes').evaluate((element) => ({ shown: element.clientHeight, whole: element.scrollHeight }));
    expect(notes.whole, `${who}: the notes are ${notes.whole} px, shown in a box of ${notes.shown}`).toBeLessThanOrEqual(notes.shown + 1);
    const notesBottom = await page.locator(NOTES).evaluate((element) => element.getBoundingClientRect().bottom);
    const panelTop = await page.getByRole('heading', { name: /^Actions/ }).evaluate((element) => element.getBoundingClientRect().top);
    expect(panelTop, `${who}: the Actions panel is under the notes`).toBeGreaterThan(notesBottom);
  }
  // The notetaker scrolls down the page: the formatting toolbar stays at the top of the screen.
  await notetaker.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await notetaker.waitForFunction(() => window.scrollY > 0);
  const toolbar = await notetaker.getByRole('toolbar', { name: 'Formatting' }).evaluate((element) => element.getBoundingClientRect().top);
  expect(toolbar, "the notetaker's toolbar, scrolled down the page").toBeGreaterThanOrEqual(0);
  await expectAccessible(follower, "a follower's meeting page on a phone");
  await e2e.screenshot(follower, 'phone-follower');

  // A link in the notes opens from a phone: the follower taps it; the notetaker, whose tap puts
  // the caret in it (and who has no Ctrl), taps the box it brings up.
  await serveLinkedPages([notetaker, follower], /^https:\/\/indico\.example\.org\//);
  await notetaker.evaluate(() => window.scrollTo(0, 0));
  await placeCaretAtEnd(notetaker, notetaker.locator(`${NOTES} h3:has-text("Project news and updates") ~ p`).first());
  await notetaker.keyboard.type('slides https://indico.example.org/event/42 ', { delay: 5 });
  const slides = (page: Page) => page.locator(`${NOTES} a[href="https://indico.example.org/event/42"]`);
  const [followerTab] = await Promise.all([follower.context().waitForEvent('page'), slides(follower).tap()]);
  await followerTab.waitForURL('https://indico.example.org/event/42');
  await slides(notetaker).tap();
  const box = notetaker.locator('.link-box a');
  await box.waitFor();
  await expectFitsTheScreen(notetaker, "the notetaker's page with a link's box");
  const [notetakerTab] = await Promise.all([notetaker.context().waitForEvent('page'), box.tap()]);
  await notetakerTab.waitForURL('https://indico.example.org/event/42');
});

test('the owner on a phone: meetings, tracker, members, the meeting and its form fit the screen', async () => {
  const { page, context } = await e2e.user();
  await context.addCookies(
    meeting.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: e2e.server.url };
    }),
  );
  const visits: [path: string, ready: (page: Page) => Promise<unknown>][] = [
    ['/', (p) => p.getByRole('link', { name: 'Leadership Team Virtual Face-to-Face' }).waitFor()],
    // One's account is reached from one's name in the top bar, on a phone too.
    ['/account', (p) => p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ada Admin' }).and(p.locator(':visible')).waitFor()],
    ['/actions', (p) => p.locator('[data-testid="tracker"]').or(p.getByText('No actions match.')).waitFor()],
    ['/members', (p) => p.getByRole('cell', { name: 'admin@example.org' }).waitFor()],
    [`/m/${meeting.id}`, (p) => p.locator('[data-testid="connection"].conn-connected').waitFor()],
    [`/m/${meeting.id}/edit`, (p) => p.getByRole('button', { name: 'Save changes' }).waitFor()],
  ];
  for (const [path, ready] of visits) {
    await page.goto(path);
    await ready(page);
    await expectFitsTheScreen(page, path);
  }
  // The meeting's dialogs and the in-call agenda item's form.
  await page.goto(`/m/${meeting.id}`);
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('dialog').getByLabel('View link address').waitFor();
  await expectFitsTheScreen(page, 'the share dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '+ Agenda item' }).click();
  await page.getByRole('form', { name: 'Add an agenda item' }).waitFor();
  await expectFitsTheScreen(page, 'the in-call agenda item form');
  // The tracker, with an action of a long meeting title: each action is a card whose every part,
  // the meeting's link too, is on the screen, not in a table to scroll sideways.
  const typist = await typeNotes(e2e.server, meeting, ['ACTION: KTL check the tracker on a phone by 2020-11-25']);
  try {
    await page.goto('/actions');
    await page.locator('[data-testid="tracker"] tr', { hasText: 'check the tracker on a phone' }).waitFor();
    const cells = await page.locator('[data-testid="tracker"] tbody td').evaluateAll((tds, screen) =>
      tds.filter((td) => td.getBoundingClientRect().right > screen).map((td) => td.textContent),
      PHONE.viewport.width,
    );
    expect(cells, 'parts of actions out of sight to the right').toEqual([]);
  } finally {
    typist.destroy();
  }
  await expectAccessible(page, 'the tracker on a phone');
  await e2e.screenshot(page, 'phone-tracker');
});

test('a follower on a tablet (768 × 1024): the panels beside the notes, both as tall as the screen allows', async () => {
  const { page } = await e2e.user('Tessa Tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${linkFor(meeting, 'follower')}&session=${meeting.sessions[0]!.id}`);
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  const { width } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth }));
  expect(width, 'the page on a 768-px screen').toBeLessThanOrEqual(768);
  const notes = await page.locator('.notes').evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
  const side = await page.locator('.side').evaluate((element) => element.getBoundingClientRect().toJSON() as DOMRect);
  expect(side.left, 'the side panel starts right of the notes').toBeGreaterThanOrEqual(notes.right - 1);
  expect(side.top, 'the side panel beside the notes, not under them').toBeLessThan(notes.bottom);
  expect(notes.bottom, 'the notes reach the bottom of the screen').toBeGreaterThanOrEqual(1024 - 1);
  await e2e.screenshot(page, 'tablet-follower');
});
