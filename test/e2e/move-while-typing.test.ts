// Every way the page lets a notetaker move text (Enter in the middle of a line, Backspace joining
// two lines, nesting and un-nesting list items, turning a line into a heading, pasting over a
// selection) while another notetaker is typing into the moved part: the typed text survives,
// whole. Dragging text is the one way the page does not offer (its drop cannot always take along
// what someone types into the dragged text meanwhile), and a test says so.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, linkFor, NOTES, placeCaret, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';
import { notesOutline, readNotesState } from '../../shared/notes/outline.js';
import type { SerializedEditorState } from 'lexical';

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

async function openAs(name: string): Promise<Page> {
  const user = await e2e.user(name);
  await user.page.goto(`${linkFor(meeting, 'notetaker')}&session=${meeting.sessions[1]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

function under(page: Page, topic: string) {
  return page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first();
}

/** A block of the notes that shows `text`. */
function block(page: Page, text: string) {
  return page.locator(`${NOTES} :is(p, li, h2, h3)`, { hasText: text }).last();
}

async function shows(page: Page, text: string): Promise<void> {
  await page.locator(NOTES, { hasText: text }).waitFor();
}

async function outline(page: Page): Promise<string[]> {
  const state = await page.locator(NOTES).evaluate((root) => (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): unknown } } }).__lexicalEditor.getEditorState().toJSON());
  return notesOutline(state as SerializedEditorState);
}

/** Both pages show the server's document, which holds `sentence` whole. */
async function keeps(pages: Page[], sentence: string): Promise<string[]> {
  let expected: string[] = [];
  await waitFor(
    async () => {
      const room = e2e.server.app.collab.get(meeting.sessions[1]!.doc);
      if (!room) return false;
      expected = notesOutline(readNotesState(room.doc));
      const shown = await Promise.all(pages.map(outline));
      return shown.every((o) => JSON.stringify(o) === JSON.stringify(expected)) && expected.some((line) => line.includes(sentence));
    },
    { timeout: 30_000, interval: 100 },
  ).catch(() => {
    throw new Error(`"${sentence}" is not whole in the document, or a page differs:\n${expected.join('\n')}`);
  });
  return expected;
}

/** Types `text` while `move` happens once the first few letters have reached the mover. */
async function typeWhileMoving(typist: Page, mover: Page, text: string, move: () => Promise<void>): Promise<void> {
  // Exact text, counted: Playwright's hasText would match " is " in any "this".
  const prefix = text.slice(0, 4);
  const occurrences = () => mover.locator(NOTES).evaluate((element, p) => element.textContent!.split(p).length - 1, prefix);
  const before = await occurrences();
  const typing = typist.keyboard.type(text, { delay: 40 });
  await waitFor(async () => (await occurrences()) > before, { interval: 5, message: `"${prefix}" reaches the mover` });
  await move();
  await typing;
}

async function caretAtStart(page: Page, text: string): Promise<void> {
  await placeCaret(page, block(page, text), 'start');
}

describe('moving text while another notetaker types into it', () => {
  test('Enter in the middle of a line while someone types at its end', async () => {
    const [ann, ben] = [await openAs('Ann Mover'), await openAs('Ben Typist')];
    await placeCaretAtEnd(ann, under(ann, 'Alert production integration'));
    await ann.keyboard.type('First half, second half.', { delay: 5 });
    await shows(ben, 'First half, second half.');
    await placeCaretAtEnd(ben, block(ben, 'First half, second half.'));
    await placeCaret(ann, block(ann, 'First half'), 'First half,'.length);
    await typeWhileMoving(ben, ann, ' Ben adds this sentence.', () => ann.keyboard.press('Enter'));
    const lines = await keeps([ann, ben], 'second half. Ben adds this sentence.');
    expect(lines.some((line) => line.endsWith('|First half,')), lines.join('\n')).toBe(true);
  });

  test('Backspace joining a line onto the one above while someone types in it', async () => {
    const [ann, ben] = [await openAs('Ann Joiner'), await openAs('Ben Writer')];
    await placeCaretAtEnd(ann, under(ann, 'New framework for metric computation'));
    await ann.keyboard.type('Upper line.', { delay: 5 });
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('Lower line', { delay: 5 });
    await shows(ben, 'Lower line');
    await placeCaretAtEnd(ben, block(ben, 'Lower line'));
    await caretAtStart(ann, 'Lower line');
    await typeWhileMoving(ben, ann, ' keeps every word typed here', () => ann.keyboard.press('Backspace'));
    await keeps([ann, ben], 'Upper line.Lower line keeps every word typed here');
  });

  test('nesting and un-nesting a list item while someone types into it and into the item below', async () => {
    const [ann, ben, cat] = [await openAs('Ann Nester'), await openAs('Ben Listwriter'), await openAs('Cat Listwriter')];
    await placeCaretAtEnd(ann, under(ann, 'Team status'));
    await ann.keyboard.type('- one', { delay: 5 });
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('two', { delay: 5 });
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('three', { delay: 5 });
    for (const page of [ben, cat]) await page.locator(`${NOTES} li`, { hasText: 'three' }).waitFor();
    await placeCaretAtEnd(ben, ben.locator(`${NOTES} li`, { hasText: 'two' }));
    await placeCaretAtEnd(cat, cat.locator(`${NOTES} li`, { hasText: 'three' }));
    await caretAtStart(ann, 'two');
    await Promise.all([
      typeWhileMoving(ben, ann, ' gets nested', () => ann.keyboard.press('Tab')),
      cat.keyboard.type(' stays below', { delay: 40 }),
    ]);
    await keeps([ann, ben, cat], 'two gets nested');
    await keeps([ann, ben, cat], 'three stays below');
    expect(await ann.locator(`${NOTES} li li`, { hasText: 'two gets nested' }).count()).toBe(1);

    await caretAtStart(ann, 'two gets nested');
    await typeWhileMoving(ben, ann, ' and un-nested', () => ann.keyboard.press('Shift+Tab'));
    await keeps([ann, ben, cat], 'two gets nested and un-nested');
    await waitFor(async () => (await ann.locator(`${NOTES} li li`, { hasText: 'un-nested' }).count()) === 0, { message: 'the item is back at the top level' });
  });

  test('turning a line into a heading while someone types in it', async () => {
    const [ann, ben] = [await openAs('Ann Formatter'), await openAs('Ben Typist Two')];
    await placeCaretAtEnd(ann, under(ann, 'Focus Friday'));
    await ann.keyboard.type('Decisions', { delay: 5 });
    await shows(ben, 'Decisions');
    await placeCaretAtEnd(ben, block(ben, 'Decisions'));
    await caretAtStart(ann, 'Decisions');
    await typeWhileMoving(ben, ann, ' taken today', () => ann.getByRole('button', { name: 'Heading' }).click());
    await keeps([ann, ben], 'Decisions taken today');
    await ann.locator(`${NOTES} h2`, { hasText: 'Decisions taken today' }).waitFor();
  });

  test('pasting over a selection that covers the line someone types in', async () => {
    const [ann, ben] = [await openAs('Ann Paster'), await openAs('Ben Keeps')];
    await placeCaretAtEnd(ann, under(ann, 'Wrap up'));
    await ann.keyboard.type('alpha line', { delay: 5 });
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('bravo line', { delay: 5 });
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('charlie line', { delay: 5 });
    await shows(ben, 'charlie line');
    await placeCaretAtEnd(ben, block(ben, 'bravo line'));
    await caretAtStart(ann, 'alpha line');
    await ann.keyboard.press('Shift+ArrowDown');
    await ann.keyboard.press('Shift+ArrowDown');
    await ann.keyboard.press('Shift+End');
    const sentence = ' is written during the paste';
    let seen = '';
    await typeWhileMoving(ben, ann, sentence, async () => {
      // What Ann's editor shows of Ben's sentence when she pastes, read in the same task as the
      // paste (how much has reached her by then depends on the machine's load).
      seen = await ann.locator(NOTES).evaluate((element) => {
        const line = [...element.querySelectorAll('p')].find((p) => p.textContent?.startsWith('bravo line'));
        const shown = line ? line.textContent!.slice('bravo line'.length) : '';
        const data = new DataTransfer();
        data.setData('text/plain', 'Pasted summary');
        element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        return shown;
      });
    });
    expect(sentence.startsWith(seen), `Ann saw "${seen}"`).toBe(true);
    // The paste replaced what Ann saw of the three lines, the first letters of Ben's sentence
    // among them. Ben's line is gone, so the rest of his sentence goes where it stood: right
    // after the pasted text, as in any editor, in one piece. Known limit (README): letters he
    // typed while the paste was on its way to him can be lost with the line; what he typed once
    // it arrived is kept.
    const lines = await keeps([ann, ben], 'Pasted summary');
    const line = lines.find((l) => l.includes('|Pasted summary'))!;
    const rest = line.slice(line.indexOf('|Pasted summary') + '|Pasted summary'.length);
    expect(rest.length, lines.join('\n')).toBeGreaterThan(0);
    expect(sentence.endsWith(rest), `"${rest}" is the end of Ben's sentence, whole`).toBe(true);
    const unseen = sentence.slice(seen.length);
    if (rest !== unseen) console.log(`paste while typing: Ann saw "${seen}", kept "${rest}", lost "${unseen.slice(0, unseen.length - rest.length)}"`);
  });

  test('dragging text inside the notes is not offered', async () => {
    const ann = await openAs('Ann Dragger');
    await placeCaretAtEnd(ann, under(ann, 'Plan to end of project: Part III'));
    await ann.keyboard.type('drag me somewhere', { delay: 5 });
    await ann.keyboard.press('Shift+Home');
    const prevented = await block(ann, 'drag me somewhere').evaluate((element) => {
      const event = new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() });
      element.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(prevented).toBe(true);
  });
});
