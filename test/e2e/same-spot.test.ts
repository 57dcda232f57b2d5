// Several notetakers with their carets at the very same spot, typing at once: the product's main
// scenario. Each person's sentence must stay whole, first word included (people starting in the
// same instant once cut each other's first words: "al" + "red green …" + "pha bravo …", fixed by
// scripts/patch-lexical-yjs.mjs, 6; test/client/same-spot-start.test.ts replays that start from
// seeds), and every page, a follower's and the server's document must read the same.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, linkFor, NOTES, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
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

async function openAs(name: string, role: 'notetaker' | 'follower', session: number): Promise<Page> {
  const user = await e2e.user(name);
  await user.page.goto(`${linkFor(meeting, role)}&session=${meeting.sessions[session]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/** The running-notes paragraph right under an agenda item's heading (and its pre-meeting notes). */
function notesParagraph(page: Page, topic: string) {
  return page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first();
}

async function paragraphText(page: Page, topic: string): Promise<string> {
  return (await notesParagraph(page, topic).innerText()).replace(/\u00a0/g, ' ');
}

/** The server's copy of the session, as the notes export renders it. */
async function exported(): Promise<string> {
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/notes?format=md`, { headers: { cookie: meeting.cookie } });
  expect(response.status).toBe(200);
  return response.text();
}

const SENTENCES = ['alpha bravo charlie delta echo', 'one two three four five six', 'red green blue cyan magenta'];

/** Every sentence whole: the typist's letters together, nobody else's among them. */
function expectWhole(text: string, sentences: readonly string[]): void {
  for (const sentence of sentences) expect(text, `"${sentence.trim()}" is not whole`).toContain(sentence);
}

async function typeAtOnce(pages: Page[], texts: string[]): Promise<void> {
  await Promise.all(pages.map((page, i) => page.keyboard.type(texts[i]!, { delay: 25 })));
}

/**
 * Waits for every page to read the same `length` characters, then checks them with `expected`,
 * and for the server's document to hold them (as the Markdown export writes them: `inExport`).
 */
async function assertSameEverywhere(pages: Page[], topic: string, length: number, expected: (text: string) => void, inExport = (text: string) => text): Promise<string> {
  let text = '';
  let texts: string[] = [];
  await waitFor(
    async () => {
      texts = await Promise.all(pages.map((page) => paragraphText(page, topic)));
      text = texts[0]!;
      return texts.every((t) => t === text) && text.length >= length ? text : null;
    },
    { timeout: 60_000 },
  ).catch(() => {
    throw new Error(`the pages read:\n${texts.map((t) => JSON.stringify(t)).join('\n')}`);
  });
  expected(text);
  await waitFor(async () => (await exported()).includes(inExport(text)), { timeout: 60_000, message: `the server's document holds "${inExport(text)}"` });
  return text;
}

describe('three notetakers with their carets at the same spot', () => {
  test('typing at once at the end of an empty paragraph keeps every sentence whole', async () => {
    const topic = 'Welcome';
    const writers = [await openAs('Ann Notetaker', 'notetaker', 0), await openAs('Ben Notetaker', 'notetaker', 0), await openAs('Cat Notetaker', 'notetaker', 0)];
    const follower = await openAs('Fay Follower', 'follower', 0);
    for (const page of writers) await placeCaretAtEnd(page, notesParagraph(page, topic));
    await typeAtOnce(writers, SENTENCES);
    const text = await assertSameEverywhere([...writers, follower], topic, SENTENCES.join('').length, (t) => {
      expectWhole(t, SENTENCES);
      expect(t.length).toBe(SENTENCES.join('').length);
    });
    expect(text.length).toBeGreaterThan(0);
    await e2e.screenshot(writers[0]!, 'same-spot-empty');
  });

  test('typing at once at the end of a paragraph that has text keeps every sentence whole', async () => {
    const topic = 'Project news and updates';
    const writers = [await openAs('Dan Notetaker', 'notetaker', 0), await openAs('Eve Notetaker', 'notetaker', 0), await openAs('Flo Notetaker', 'notetaker', 0)];
    const follower = await openAs('Gus Follower', 'follower', 0);
    await placeCaretAtEnd(writers[0]!, notesParagraph(writers[0]!, topic));
    await writers[0]!.keyboard.type('WOM: opening remarks.', { delay: 5 });
    for (const page of writers) await notesParagraph(page, topic).filter({ hasText: 'WOM: opening remarks.' }).waitFor();
    for (const page of writers) await placeCaretAtEnd(page, notesParagraph(page, topic));
    await typeAtOnce(writers, SENTENCES.map((s) => ` ${s}`));
    await assertSameEverywhere([...writers, follower], topic, 'WOM: opening remarks.'.length + SENTENCES.map((s) => ` ${s}`).join('').length, (t) => {
      expect(t.startsWith('WOM: opening remarks.')).toBe(true);
      const typed = t.slice('WOM: opening remarks.'.length);
      expectWhole(typed, SENTENCES.map((s) => ` ${s}`));
      expect(typed.length).toBe(SENTENCES.map((s) => ` ${s}`).join('').length);
    });
  });

  test('one of them typing an address keeps every sentence whole, and the address is one link on every page', async () => {
    const topic = 'Plan to end of project: Part I';
    const writers = [await openAs('Hal Notetaker', 'notetaker', 0), await openAs('Ida Notetaker', 'notetaker', 0), await openAs('Jo Notetaker', 'notetaker', 0)];
    const follower = await openAs('Kim Follower', 'follower', 0);
    await placeCaretAtEnd(writers[0]!, notesParagraph(writers[0]!, topic));
    await writers[0]!.keyboard.type('WOM: budget.', { delay: 5 });
    for (const page of writers) await notesParagraph(page, topic).filter({ hasText: 'WOM: budget.' }).waitFor();
    for (const page of writers) await placeCaretAtEnd(page, notesParagraph(page, topic));
    const sentences = [' slides at https://indico.example.org/event/42 then questions', ' one two three four five six', ' red green blue cyan magenta'];
    await typeAtOnce(writers, sentences);
    const address = 'https://indico.example.org/event/42';
    await assertSameEverywhere(
      [...writers, follower],
      topic,
      'WOM: budget.'.length + sentences.join('').length,
      (t) => {
        expectWhole(t.slice('WOM: budget.'.length), sentences);
        expect(t.length).toBe('WOM: budget.'.length + sentences.join('').length);
      },
      // A link, written as an autolink by the export.
      (t) => t.replace(address, `<${address}>`),
    );
    for (const page of [...writers, follower]) {
      const links = notesParagraph(page, topic).locator('a');
      await expect(links.count()).resolves.toBe(1);
      await expect(links.getAttribute('href')).resolves.toBe(address);
      await expect(links.innerText()).resolves.toBe(address);
    }
  });
});
