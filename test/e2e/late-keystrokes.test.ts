// Typing into a page that is busy. A keystroke is handled late when the page's thread stalls in
// the middle of it (a collection, the machine giving the core to another process) or when it
// waits behind a long task; it must still be applied once, where the caret is. Lexical's
// mutation observer took a keystroke stalled for more than 100 ms for a change made outside the
// editor and applied it a second time (scripts/patch-lexical-yjs.mjs, 14): markdown shortcuts
// kept their space, and text could go into the next block. And the @
// menu, whose query is a render behind a fast typist on a busy page, must insert the attendee
// that was typed, once (client/editor/plugins/MentionTypeaheadPlugin.tsx); and a key pressed
// right after Home or an arrow must act where the caret now is, even when another notetaker's
// change came in between (CaretSyncPlugin.tsx).
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { caretSettled, createFixtureMeeting, heldOutline, linkFor, NOTES, placeCaretAtEnd, shownOutline, startE2E, type E2E, type MeetingFixture } from './browser.js';
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

async function openNotetaker(name: string): Promise<Page> {
  const user = await e2e.user(name);
  await user.page.goto(`${linkFor(meeting, 'notetaker')}&session=${meeting.sessions[0]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/**
 * Makes the page stall in the middle of handling every keystroke's text, for longer than
 * Lexical's 100 ms: a listener that runs before the editor's and holds the thread. What a busy
 * machine does now and then, made to happen every time.
 */
async function stallEveryKeystroke(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.addEventListener(
      'input',
      () => {
        const until = performance.now() + 150;
        while (performance.now() < until) {
          // Held, as by a collection or a descheduled core.
        }
      },
      true,
    );
  });
}

/** The blocks of the notes from `first` to `last` (all without them), as the page shows them. */
async function shown(page: Page, first?: RegExp, last?: RegExp): Promise<string[]> {
  const lines = await shownOutline(page);
  return first && last ? between(lines, first, last) : lines;
}

/** The same blocks as the server's document holds them. */
function held(first: RegExp, last: RegExp): string[] {
  const lines = heldOutline(e2e.server, meeting.sessions[0]!.doc);
  return lines ? between(lines, first, last) : [];
}

function between(lines: string[], first: RegExp, last: RegExp): string[] {
  const from = lines.findIndex((line) => first.test(line));
  const to = lines.findIndex((line, i) => i > from && last.test(line));
  return from < 0 || to < 0 ? lines : lines.slice(from, to + 1);
}

test('markdown shortcuts, nesting and an action with a mention come out as typed on a page that stalls at every keystroke', async () => {
  const page = await openNotetaker('Stella Stalled');
  await stallEveryKeystroke(page);

  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text("Plan to end of project: Part I") ~ p`).first());
  await page.keyboard.type('## Burn rates', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('- first point', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('nested point', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('[ ] @RH', { delay: 5 });
  await page.locator('.typeahead [role="option"]', { hasText: 'Robert Lupton' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`${NOTES} .mention`, { hasText: '@RHL' }).waitFor();
  await page.keyboard.type('convene a meeting on graph generation by 2020-12-07', { delay: 5 });

  const expected = [
    '0|0|heading h3|09:45 · Plan to end of project: Part I · WOM',
    '0|0|quote|Burn rates; milestones; transition of personnel to operations',
    '0|0|heading h2|Burn rates',
    '1|0|listitem|first point',
    '2|1|listitem|nested point',
    '1|0|listitem [ ]|@RHL convene a meeting on graph generation by 2020-12-07',
    '0|0|heading h2|Block 2 (moderator KTL, notetaker YA)',
  ];
  await waitFor(async () => JSON.stringify(await shown(page, /Plan to end of project: Part I/, /Block 2/)) === JSON.stringify(expected), {
    message: 'the page to show the lines as typed',
  }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}\nshown: ${JSON.stringify(await shown(page, /Plan to end of project: Part I/, /Block 2/), null, 1)}`, { cause: error });
  });
  await waitFor(() => JSON.stringify(held(/Plan to end of project: Part I/, /Block 2/)) === JSON.stringify(expected), { message: "the server's document to hold the same" });
  // And the line is the action the server extracts.
  await waitFor(
    async () => {
      const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/actions`, { headers: { cookie: meeting.cookie } });
      const { items } = (await response.json()) as { items: { description: string; due: string | null; assignees: { handle: string | null }[] }[] };
      return items.some((a) => a.description === 'convene a meeting on graph generation' && a.due === '2020-12-07' && a.assignees[0]?.handle === 'RHL');
    },
    { message: 'the action record' },
  );
});

/** Presses keys one after the other without waiting for the page between them: they queue up while it is busy. */
async function pressQueued(page: Page, keys: { key: string; code: string; keyCode: number; text?: string }[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const sent: Promise<unknown>[] = [];
  for (const { key, code, keyCode, text } of keys) {
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, windowsVirtualKeyCode: keyCode, ...(text ? { text, unmodifiedText: text } : {}) }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode }));
  }
  await Promise.all(sent);
  await cdp.detach();
}

test('the @ menu inserts the attendee typed, once, when Enter comes before the menu has caught up', async () => {
  const page = await openNotetaker('Quinn Quick');
  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text("Gen3 next steps") ~ p`).first());
  await page.keyboard.type('KTL to ask ', { delay: 5 });
  // "@R" shows Robert Lupton first; "@RHL" is Robert Lupton, but "@K" would be someone else.
  await page.keyboard.type('@K', { delay: 5 });
  await page.locator('.typeahead [role="option"]').first().waitFor();
  // The page is busy when "T" and Enter arrive: both are handled before the menu renders again.
  await page.evaluate(() => {
    setTimeout(() => {
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // A long task.
      }
    }, 0);
  });
  await pressQueued(page, [
    { key: 'T', code: 'KeyT', keyCode: 84, text: 'T' },
    { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  ]);
  await page.keyboard.type('about the budget', { delay: 5 });
  const line = async () => (await shown(page, /Gen3 next steps/, /HiPS images/)).find((l) => l.includes('KTL to ask'));
  await waitFor(async () => (await line())?.endsWith('about the budget') === true, { message: 'the line typed' });
  expect(await line()).toBe('0|0|paragraph|KTL to ask @KTL about the budget');
});

/** Makes the page busy for a moment: keys pressed now wait, and are handled one after the other. */
async function busyFor(page: Page, ms: number): Promise<void> {
  await page.evaluate((ms) => {
    setTimeout(() => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // A long task.
      }
    }, 0);
  }, ms);
}

test('Enter and Backspace right after Home or the arrows act where the caret now is, on a busy page', async () => {
  const page = await openNotetaker('Hana Home');
  const paragraph = (topic: string) => page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first();

  await placeCaretAtEnd(page, paragraph('Plans for serving photometric redshifts'));
  await page.keyboard.type('split before me', { delay: 5 });
  await busyFor(page, 300);
  await pressQueued(page, [
    { key: 'Home', code: 'Home', keyCode: 36 },
    { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  ]);
  await waitFor(async () => (await shown(page, /Plans for serving/, /Gen3 next steps/)).length === 4, { message: 'the split' });
  expect(await shown(page, /Plans for serving/, /Gen3 next steps/)).toEqual([
    '0|0|heading h3|11:00 · Plans for serving photometric redshifts · LG',
    '0|0|paragraph|',
    '0|0|paragraph|split before me',
    '0|0|heading h3|11:30 · Gen3 next steps · TJ',
  ]);

  await placeCaretAtEnd(page, paragraph('HiPS images from science pipelines'));
  await page.keyboard.type('word one', { delay: 5 });
  await busyFor(page, 300);
  const left = { key: 'ArrowLeft', code: 'ArrowLeft', keyCode: 37 };
  await pressQueued(page, [left, left, left, { key: 'Backspace', code: 'Backspace', keyCode: 8 }]);
  // "word one" with the caret three to the left is "word |one": Backspace takes the space.
  const line = async () => (await shown(page)).find((l) => l.includes('word'));
  await waitFor(async () => (await line()) !== '0|0|paragraph|word one', { message: 'the deletion' });
  expect(await line()).toBe('0|0|paragraph|wordone');
});

test("a caret moved with Home stays there when another notetaker's change arrives before the page has read the move", async () => {
  const [page, other] = [await openNotetaker('Mo Mover'), await openNotetaker('Otto Other')];
  const paragraph = (on: Page, topic: string) => on.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first();
  await placeCaretAtEnd(page, paragraph(page, 'Plans for serving photometric redshifts'));
  await page.keyboard.type('start here', { delay: 5 });
  await caretSettled(page);

  // The page is busy: the browser's word that the caret moved (`selectionchange`) waits in its
  // queue, and the other notetaker's change is handled first. Held here until that change shows.
  await page.evaluate(() => {
    const held = { on: true };
    (window as unknown as { heldCaret: typeof held }).heldCaret = held;
    window.addEventListener('selectionchange', (event) => held.on && event.stopImmediatePropagation(), true);
  });
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.getSelection()?.anchorOffset === 0);
  await placeCaretAtEnd(other, paragraph(other, 'Gen3 next steps'));
  await other.keyboard.type('typed elsewhere', { delay: 5 });
  await waitFor(async () => (await shown(page)).some((l) => l.endsWith('typed elsewhere')), { message: "the other notetaker's change shown" });
  await page.evaluate(() => {
    (window as unknown as { heldCaret: { on: boolean } }).heldCaret.on = false;
    document.dispatchEvent(new Event('selectionchange'));
  });

  await page.keyboard.type('X', { delay: 5 });
  const line = async () => (await shown(page)).find((l) => l.includes('start here'));
  await waitFor(async () => (await line())?.includes('X') === true, { message: 'the letter typed' });
  expect(await line()).toBe('0|0|paragraph|Xstart here');
});
