// Three notetakers in Chromium do random things at nearby spots of one agenda item, at the same
// time, round after round (type a word, Enter, Backspace at the start of a line, nest and un-nest,
// tick a check item, paste a list, undo, redo, move the caret), while a follower watches. Then
// every page shows exactly the server's document, nobody's words are interleaved, the follower
// never counted an unsaved change, and the actions table says what the document says.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import type { SerializedEditorState } from 'lexical';
import { caretSettled, createFixtureMeeting, linkFor, NOTES, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';
import { seededRandom } from '../helpers/lexical-peers.js';
import { notesOutline, readNotesState } from '../../shared/notes/outline.js';
import { createReader } from '../../shared/notes/headless.js';
import { $readBlocks } from '../../shared/notes/read.js';
import { parseActionBlock } from '../../shared/actions/index.js';
import { SessionExtractor } from '../../server/notes/extractor.js';
import { differencesFromLexical } from '../helpers/yjs-reader.js';

const SEED = Number(process.env.E2E_SEED ?? 20261202);
const ROUNDS = Number(process.env.E2E_ROUNDS ?? 30);
const TOPIC = 'Welcome';
const ALPHABETS: Record<string, string> = { ann: 'abcdefg', ben: 'hijklmn', cat: 'opqrstu' };

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

async function openAs(name: string, role: 'notetaker' | 'follower'): Promise<Page> {
  const user = await e2e.user(name);
  // The follower's page records whether it ever shows an unsaved-changes count.
  await user.context.addInitScript(() => {
    const watch = () =>
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="pending"]')) (window as unknown as { sawUnsaved: boolean }).sawUnsaved = true;
      }).observe(document.documentElement, { childList: true, subtree: true });
    if (document.documentElement) watch();
    else document.addEventListener('DOMContentLoaded', watch);
  });
  await user.page.goto(`${linkFor(meeting, role)}&session=${meeting.sessions[0]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/** The editor's state as the page's Lexical holds it. */
async function editorState(page: Page): Promise<SerializedEditorState> {
  return page.locator(NOTES).evaluate((root) => (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): unknown } } }).__lexicalEditor.getEditorState().toJSON()) as Promise<SerializedEditorState>;
}

function liveDoc(): Y.Doc {
  const room = e2e.server.app.collab.get(meeting.sessions[0]!.doc);
  if (!room) throw new Error('the session document is not loaded');
  return room.doc;
}

/** Puts the caret at the end (or start) of one of the last blocks of the agenda item's notes. */
async function moveCaret(page: Page, pick: number, atStart: boolean): Promise<void> {
  const moved = await page.locator(NOTES).evaluate(
    (root, { topic, pick, atStart }) => {
      const headings = [...root.querySelectorAll(':scope > h3')];
      const start = headings.find((h) => (h.textContent ?? '').includes(topic));
      if (!start) return false;
      const end = headings[headings.indexOf(start) + 1] ?? null;
      const blocks: Element[] = [];
      for (let el = start.nextElementSibling; el && el !== end; el = el.nextElementSibling) {
        if (el.matches('ul, ol')) blocks.push(...[...el.querySelectorAll('li')].filter((li) => !li.querySelector(':scope > ul, :scope > ol')));
        else if (!el.matches('blockquote, h2, h3')) blocks.push(el);
      }
      const block = blocks[Math.max(0, blocks.length - 1 - pick)];
      if (!block) return false;
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      const texts: Text[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
      const selection = document.getSelection()!;
      (root as HTMLElement).focus();
      if (texts.length === 0) selection.collapse(block, 0);
      else if (atStart) selection.collapse(texts[0]!, 0);
      else selection.collapse(texts[texts.length - 1]!, texts[texts.length - 1]!.length);
      return true;
    },
    { topic: TOPIC, pick, atStart },
  );
  if (moved) await caretSettled(page);
}

type Op = { name: string; run: (page: Page) => Promise<void> };

function ops(random: () => number, word: () => string, typed: (w: string) => void): Op[] {
  return [
    ...Array.from({ length: 6 }, () => ({
      name: 'type',
      run: async (page: Page) => {
        const w = word();
        await page.keyboard.type(` ${w} `, { delay: 12 });
        typed(w);
      },
    })),
    { name: 'enter', run: (page) => page.keyboard.press('Enter') },
    { name: 'enter', run: (page) => page.keyboard.press('Enter') },
    {
      name: 'backspace at line start',
      run: async (page) => {
        await page.keyboard.press('Home');
        await caretSettled(page);
        await page.keyboard.press('Backspace');
      },
    },
    { name: 'indent', run: (page) => page.keyboard.press('Tab') },
    { name: 'outdent', run: (page) => page.keyboard.press('Shift+Tab') },
    {
      name: 'tick',
      run: async (page) => {
        const items = page.locator(`${NOTES} li[role="checkbox"]`);
        const count = await items.count();
        if (count === 0) return;
        // The checkbox is drawn in the item's left padding.
        await items.nth(Math.floor(random() * count)).click({ position: { x: 6, y: 10 }, timeout: 5_000 }).catch(() => undefined);
      },
    },
    {
      name: 'paste a list',
      run: async (page) => {
        const [a, b] = [word(), word()];
        const check = random() < 0.5;
        await page.locator(NOTES).evaluate(
          (element, { a, b, check }) => {
            const data = new DataTransfer();
            const items = check ? `<li role="checkbox" aria-checked="false">[ ] ${a}</li><li>${b}</li>` : `<li>${a}</li><li>${b}</li>`;
            data.setData('text/html', `<ul>${items}</ul>`);
            data.setData('text/plain', `${a}\n${b}`);
            element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
          },
          { a, b, check },
        );
      },
    },
    { name: 'undo', run: (page) => page.keyboard.press('Control+z') },
    { name: 'redo', run: (page) => page.keyboard.press('Control+Shift+z') },
    { name: 'move the caret', run: (page) => moveCaret(page, Math.floor(random() * 3), random() < 0.2) },
    { name: 'move the caret', run: (page) => moveCaret(page, Math.floor(random() * 3), random() < 0.2) },
  ];
}

/** Words whose letters switch notetakers twice or more: interleaved typing. */
function interleaved(text: string): string[] {
  const owner = (ch: string) => Object.keys(ALPHABETS).find((name) => ALPHABETS[name]!.includes(ch));
  return (text.match(/[a-u]+/g) ?? []).filter((w) => [...w].filter((ch, i) => i > 0 && owner(ch) !== owner(w[i - 1]!)).length >= 2);
}

describe('three notetakers doing random things at nearby spots while a follower watches', () => {
  test(`seed ${SEED}: ${ROUNDS} rounds, then every page equals the server's document`, async () => {
    const names = ['ann', 'ben', 'cat'] as const;
    const writers = await Promise.all(names.map((name) => openAs(`${name} notetaker`, 'notetaker')));
    const follower = await openAs('fay follower', 'follower');
    const random = seededRandom(SEED);
    for (const page of writers) await moveCaret(page, 0, false);

    const log: string[] = [];
    /** Words each notetaker typed since its last undo or redo. */
    const kept = new Map<string, string[]>(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        writers.map(async (page, i) => {
          const name = names[i]!;
          const alphabet = ALPHABETS[name]!;
          const word = () => Array.from({ length: 3 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
          const choices = ops(random, word, (w) => kept.get(name)!.push(w));
          const op = choices[Math.floor(random() * choices.length)]!;
          log.push(`${round} ${name} ${op.name}`);
          await op.run(page);
          if (op.name === 'undo' || op.name === 'redo') kept.set(name, []);
        }),
      );
    }

    // Every page, the follower's included, comes to show exactly the server's document.
    const pages = [...writers, follower];
    let last: string[][] = [];
    let expected: string[] = [];
    await waitFor(
      async () => {
        expected = notesOutline(readNotesState(liveDoc()));
        last = await Promise.all(pages.map(async (page) => notesOutline(await editorState(page))));
        return last.every((outline) => JSON.stringify(outline) === JSON.stringify(expected));
      },
      { timeout: 60_000, interval: 250 },
    ).catch(() => {
      throw new Error(`pages differ from the server's document\n--- document\n${expected.join('\n')}\n${last.map((o, i) => `--- page ${i}\n${o.join('\n')}`).join('\n')}\n${log.join('\n')}`);
    });

    // The agenda item's notes, without its heading and pre-meeting notes.
    const start = expected.findIndex((line) => line.includes('|heading h3|') && line.includes(TOPIC));
    const end = expected.findIndex((line, i) => i > start && line.includes('|heading h'));
    const region = expected.slice(start + 1, end < 0 ? undefined : end).filter((line) => !line.includes('|quote|'));
    const text = region.map((line) => line.split('|').slice(3).join('|')).join('\n');
    expect(interleaved(text), `interleaved words in\n${text}\n${log.join('\n')}`).toEqual([]);
    // Words can still be lost when another notetaker's undo or nesting takes back the line they
    // were typed into at that moment (README, "Known limits"); reported, not required here. The
    // seeded headless fuzzer requires nothing be lost for the edits the rescue covers.
    const lost = [...kept.values()].flat().filter((w) => !text.includes(w));
    if (lost.length > 0) console.log(`seed ${SEED}: ${lost.length} typed words gone: ${lost.join(' ')}\n${log.join('\n')}`);
    expect(await follower.evaluate(() => (window as unknown as { sawUnsaved?: boolean }).sawUnsaved === true)).toBe(false);

    // The actions table says what the document says (after the notes layer caught up).
    const docName = meeting.sessions[0]!.doc;
    await e2e.server.app.notes.flush(docName);
    // Read independently of the server's Yjs-level extraction: through Lexical, as a page reads it.
    const reader = createReader();
    Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(liveDoc()));
    reader.flush();
    const fromDocument = reader.editor
      .getEditorState()
      .read(() => $readBlocks())
      .flatMap((b) => {
        const action = parseActionBlock(b, [], meeting.sessions[0]!.date);
        return action && b.actionId ? [{ id: b.actionId, done: action.done, sourceText: b.text }] : [];
      });
    reader.dispose();
    const table = await e2e.server.app.notes.listActions(docName);
    const summary = (a: { id: string; done: boolean; sourceText: string }) => `${a.id} ${a.done ? 'done' : 'open'} ${a.sourceText}`;
    // On a mismatch, say which side is wrong: the Yjs-level reader against Lexical, or the
    // incremental extractor against a first pass over the same document.
    const diagnose = (): string => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(liveDoc()));
      const fresh = new SessionExtractor(copy, { newId: () => { throw new Error('a first pass over the final document wanted a new id'); } });
      let firstPass: string;
      try {
        firstPass = (fresh.pass({ attendees: [], sessionDate: meeting.sessions[0]!.date }).all ?? []).map(summary).sort().join('\n');
      } catch (error) {
        firstPass = String(error);
      }
      return `readers differ:\n${differencesFromLexical(liveDoc()).join('\n') || '(no)'}\nfirst pass over the final document:\n${firstPass}\n${log.join('\n')}`;
    };
    const tableSummary = table.map(summary).sort();
    const documentSummary = fromDocument.map(summary).sort();
    expect(tableSummary, JSON.stringify(tableSummary) === JSON.stringify(documentSummary) ? undefined : diagnose()).toEqual(documentSummary);
    await e2e.screenshot(writers[0]!, 'concurrent-random');
  }, 240_000);
});
