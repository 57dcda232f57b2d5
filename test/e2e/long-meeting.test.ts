// A long meeting's page. The browser skips laying out the notes' blocks that are off screen
// (content-visibility in styles.css) and counts a block it has never drawn as one line; the
// margin's chips are placed from the blocks' positions, so wherever one scrolls, through blocks
// drawn for the first time that wrap onto several lines, each chip row must stand level with its
// action line.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { createFixtureMeeting, linkFor, NOTES, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { connectNotetaker } from '../server/notes-support.js';
import { waitFor } from '../helpers/wait.js';
import { dmltMeeting } from '../fixtures/index.js';

const LINES = 900;
const ACTION_EVERY = 15;
const ACTIONS = Math.floor(LINES / ACTION_EVERY);

let e2e: E2E;
let meeting: MeetingFixture;

beforeAll(async () => {
  e2e = await startE2E();
  meeting = await createFixtureMeeting(e2e.server);
});

afterAll(async () => {
  await e2e?.close();
});

/** Line n of the notes: every third wraps onto several lines, every ACTION_EVERY-th is an action. */
function line(n: number): string {
  const words = `item ${n} the plan for alert production needs a decision on storage before the review`;
  const text = n % 3 === 0 ? `${words}; ${words}; ${words}` : words;
  return n % ACTION_EVERY === ACTION_EVERY - 1 ? `ACTION: RHL ${text}` : text;
}

/** For each action line at least partly on screen: how far its chip row stands from it (px). */
function offsets(page: Page): Promise<{ rows: number; actions: number; onScreen: number[] }> {
  return page.evaluate((notes) => {
    const scroller = document.querySelector(notes)!.closest('.notes')!.getBoundingClientRect();
    const rows = [...document.querySelectorAll('.action-chip-row')];
    const actions = [...document.querySelectorAll(`${notes} [data-action]`)];
    const onScreen: number[] = [];
    actions.forEach((block, i) => {
      const box = block.getBoundingClientRect();
      if (box.bottom < scroller.top || box.top > scroller.bottom || !rows[i]) return;
      onScreen.push(rows[i]!.getBoundingClientRect().top - box.top);
    });
    return { rows: rows.length, actions: actions.length, onScreen };
  }, NOTES);
}

async function scrollTo(page: Page, fraction: number): Promise<void> {
  await page.locator(NOTES).evaluate((element, f) => {
    const scroller = element.closest('.notes')!;
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * f;
  }, fraction);
}

test('chips stand level with their action lines wherever a long meeting is scrolled', async () => {
  const session = meeting.sessions[0]!;
  const token = meeting.links.find((link) => link.role === 'notetaker')!.token;
  const writer = connectNotetaker(e2e.server.collabUrl, session.doc, token);
  try {
    await writer.synced();
    writer.edit(() => {
      const root = $getRoot();
      for (let n = 0; n < LINES; n++) root.append($createParagraphNode().append($createTextNode(line(n))));
    });
    const reader = await e2e.user('Reader');
    await reader.page.goto(`${e2e.server.url}${linkFor(meeting, 'notetaker')}&session=${session.id}`);
    await reader.page.locator(`${NOTES} p`, { hasText: line(LINES - 1) }).waitFor({ state: 'attached' });

    // Down to the end through blocks never drawn, then back up to others never drawn.
    for (const fraction of [1, 0.5, 0.2]) {
      await scrollTo(reader.page, fraction);
      await waitFor(
        async () => {
          const { rows, actions, onScreen } = await offsets(reader.page);
          return rows === ACTIONS && actions === ACTIONS && onScreen.length > 0 && onScreen.every((offset) => Math.abs(offset) < 1.5);
        },
        { message: `chips level with their lines, scrolled to ${fraction}` },
      );
    }
    const { onScreen } = await offsets(reader.page);
    expect(onScreen.length).toBeGreaterThan(0);
  } finally {
    writer.destroy();
  }
});

// Ctrl+P (or "Save as PDF" to send the minutes round) on a long meeting: on screen the notes are a
// scroll box as tall as the window, and a printer cut them off after it (two pages of a 900-line
// meeting). Printed, every line is there, with the attendees above and without the controls.
test('printing a long meeting prints all of its notes, the attendees and none of the controls', async () => {
  const session = meeting.sessions[0]!;
  const follower = await e2e.user('Printer');
  const page = follower.page;
  await page.goto(`${e2e.server.url}${linkFor(meeting, 'follower')}&session=${session.id}`);
  await page.locator(`${NOTES} p`, { hasText: line(LINES - 1) }).waitFor({ state: 'attached' });

  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate((notes) => {
    const content = document.querySelector(notes)!;
    const last = content.lastElementChild!.getBoundingClientRect();
    // Every box around the notes shows all of them: none clips what overflows it.
    const clipping: string[] = [];
    for (let box = content.parentElement; box; box = box.parentElement) {
      const { overflowY } = getComputedStyle(box);
      if (overflowY !== 'visible' && box.getBoundingClientRect().bottom < last.bottom - 1) clipping.push(`${box.className || box.tagName}: ${overflowY}`);
    }
    const shown = (selector: string) => [...document.querySelectorAll(selector)].filter((el) => getComputedStyle(el).display !== 'none').length;
    return {
      clipping,
      height: content.getBoundingClientRect().height,
      controls: shown('.topbar, .toolbar, .meeting-actions, .session-bar, .outline'),
      attendees: shown('.attendee-list li'),
      actionsPanel: shown('.actions-panel'),
    };
  }, NOTES);
  expect(printed.clipping).toEqual([]);
  expect(printed.controls).toBe(0);
  expect(printed.attendees).toBe(dmltMeeting<{ attendees: unknown[] }>().attendees.length);
  expect(printed.actionsPanel).toBe(1);

  // The PDF a browser prints has as many pages as the notes are tall (A4: 1,123 px a page).
  const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  const pages = pdf.match(/\/Type\s*\/Page\b/g)?.length ?? 0;
  expect(pages).toBeGreaterThanOrEqual(Math.floor(printed.height / 1123));
  e2e.assertNoPageErrors();
});
