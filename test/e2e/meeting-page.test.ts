// The meeting page in a real browser against the real server: concurrent notetakers, a live
// read-only follower, and offline edits that survive a reload.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { caretSettled, createFixtureMeeting, linkFor, NOTES, notesDiagnosis, pasteInto, placeCaret, placeCaretAtEnd, serveLinkedPages, shownNotesText, startE2E, undoDiagnosis, watchUndoHistory, type E2E, type MeetingFixture } from './browser.js';
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


async function openAs(name: string, role: 'notetaker' | 'follower', session = 0): Promise<Page> {
  const user = await e2e.user(name);
  const url = `${linkFor(meeting, role)}&session=${meeting.sessions[session]!.id}`;
  await user.page.goto(url);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/**
 * Sets the text of the first non-empty text node whose text matches, in this page's editor: what
 * Lexical's binding does by itself when it slips. A follower's binding writes the change into its
 * mirror only; `skipCollab` keeps a notetaker's binding from writing it at all.
 */
async function setTextInEditor(page: Page, match: { containing?: string; notContaining?: string }, text: string, { skipCollab = false } = {}): Promise<void> {
  await page.locator(NOTES).evaluate(
    (root, { match, text, skipCollab }) => {
      type Node = { __type: string; getTextContent(): string; setTextContent(text: string): void };
      type Editor = { update(fn: () => void, options: { discrete: true; tag?: string }): void; getEditorState(): { _nodeMap: Map<string, Node> } };
      const editor = (root as unknown as { __lexicalEditor: Editor }).__lexicalEditor;
      const matches = (content: string): boolean =>
        content.trim() !== '' && (match.containing === undefined || content.includes(match.containing)) && (match.notContaining === undefined || !content.includes(match.notContaining));
      editor.update(
        () => {
          const node = [...editor.getEditorState()._nodeMap.values()].find((n) => n.__type === 'text' && matches(n.getTextContent()));
          node!.setTextContent(text);
        },
        { discrete: true, ...(skipCollab ? { tag: 'skip-collab' } : {}) },
      );
    },
    { match, text, skipCollab },
  );
}

/** Puts the caret at the end of the notes paragraph under the agenda item `topic`. */
async function caretUnder(page: Page, topic: string): Promise<void> {
  await placeCaretAtEnd(page, page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first());
}

describe('meeting page', () => {
  test('two notetakers typing into the same agenda item at once both keep their text', async () => {
    const alice = await openAs('Alice Notetaker', 'notetaker', 0);
    const bob = await openAs('Bob Notetaker', 'notetaker', 0);
    // Each sees the other in the presence list.
    await alice.locator('[data-testid="presence"]', { hasText: 'Bob Notetaker' }).waitFor();
    await bob.locator('[data-testid="presence"]', { hasText: 'Alice Notetaker' }).waitFor();

    // Both put their caret at the very same spot, the end of the item's notes, and type at once.
    await caretUnder(alice, 'Welcome');
    await caretUnder(bob, 'Welcome');
    const aliceText = 'RHL: how does validation map to phase 3?';
    const bobText = 'KT: the schedule slips by two weeks';
    await Promise.all([alice.keyboard.type(aliceText, { delay: 15 }), bob.keyboard.type(bobText, { delay: 15 })]);

    for (const page of [alice, bob]) {
      await waitFor(async () => {
        const text = await shownNotesText(page);
        return text.includes(aliceText) && text.includes(bobText);
      }, { message: 'both texts on both pages' });
    }
    // Both texts ended up under the same agenda item, once each, before the next item.
    const final = await shownNotesText(alice);
    const item = final.slice(final.indexOf('Welcome'), final.indexOf('Project news and updates'));
    expect(item).toContain(aliceText);
    expect(item).toContain(bobText);
    expect(final.split(aliceText).length - 1).toBe(1);
    expect(final.split(bobText).length - 1).toBe(1);
    expect(await shownNotesText(bob)).toBe(final);
    // Remote carets carry the other notetaker's name.
    await waitFor(async () => ((await alice.locator('.cursors').textContent()) ?? '').includes('Bob Notetaker'), { message: "Bob's caret label" });
    // Where each notetaker is typing shows in the presence list.
    await alice.locator('[data-testid="presence"]', { hasText: 'in 09:00' }).waitFor();
    await alice.locator('[data-testid="outline"] li', { hasText: 'Welcome' }).locator('.dot[title^="Bob Notetaker"]').waitFor();
    await e2e.screenshot(alice, 'notetaker-two-writers');
  });

  test("a caret's name label fades once its notetaker is still, and shows again as they type", async () => {
    const writer = await openAs('Wanda Writer', 'notetaker', 0);
    const follower = await openAs('Fay Follower', 'follower', 0);
    await caretUnder(writer, 'Project news and updates');
    await writer.keyboard.type('TJ: budget on track', { delay: 10 });
    await follower.locator('.cursors span', { hasText: /^Wanda Writer$/ }).first().waitFor({ state: 'attached' });
    // Still: the label goes (it covered the line above the caret); the caret stays.
    await follower.waitForFunction(() => {
      const name = [...document.querySelectorAll('.cursors span')].find((span) => span.childElementCount === 0 && span.textContent === 'Wanda Writer');
      return name !== undefined && getComputedStyle(name).opacity === '0' && getComputedStyle(name.parentElement!).opacity === '1';
    });
    // Typing again shows it: recorded as it happens, since it fades again after a while.
    await follower.evaluate(() => {
      const page = window as unknown as { labelShown?: boolean };
      page.labelShown = false;
      new MutationObserver(() => {
        const name = [...document.querySelectorAll('.cursors span')].find((span) => span.childElementCount === 0 && span.textContent === 'Wanda Writer');
        if (name && !name.classList.contains('cursor-label-quiet')) page.labelShown = true;
      }).observe(document.querySelector('.cursors')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    });
    await writer.keyboard.type(', next review in March', { delay: 10 });
    await follower.waitForFunction(() => (window as unknown as { labelShown?: boolean }).labelShown === true);
  });

  test('markdown shortcuts, nesting, pasted lists and links, and undo that undoes only your own edits', async () => {
    const dana = await openAs('Dana Notetaker', 'notetaker', 0);
    const eli = await openAs('Eli Notetaker', 'notetaker', 0);
    await caretUnder(dana, 'Plan to end of project: Part I');
    await dana.keyboard.type('## Burn rates', { delay: 5 });
    await dana.keyboard.press('Enter');
    await dana.keyboard.type('- first point', { delay: 5 });
    await dana.keyboard.press('Enter');
    await dana.keyboard.press('Tab');
    await dana.keyboard.type('nested point', { delay: 5 });
    await dana.keyboard.press('Enter');
    await dana.keyboard.press('Enter');
    await dana.keyboard.press('Enter');
    await dana.keyboard.type('[ ] a check item', { delay: 5 });
    for (const page of [dana, eli]) {
      try {
        await page.locator(`${NOTES} h2`, { hasText: 'Burn rates' }).waitFor();
        await page.locator(`${NOTES} ul ul li`, { hasText: 'nested point' }).waitFor();
        await page.locator(`${NOTES} li[role="checkbox"][aria-checked="false"]`, { hasText: 'a check item' }).waitFor();
      } catch (error) {
        // CI once waited in vain for the nested item: say what the page and the server had instead.
        const notes = await notesDiagnosis(e2e.server, page, meeting.sessions[0]!.doc, /Burn rates|point|check item/);
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${page === dana ? 'Dana' : 'Eli'}'s ${notes}`, { cause: error });
      }
    }

    // Paste from a wiki: the list and the link survive.
    await dana.keyboard.press('Enter');
    await dana.keyboard.press('Enter');
    await caretSettled(dana);
    await pasteInto(dana, { text: 'See the DM page\nSecond pasted item', html: '<ul><li>See <a href="https://wiki.example.org/DM">the DM page</a></li><li>Second pasted item</li></ul>' });
    await eli.locator(`${NOTES} li a[href="https://wiki.example.org/DM"]`, { hasText: 'the DM page' }).waitFor();
    await eli.locator(`${NOTES} li`, { hasText: 'Second pasted item' }).waitFor();

    // Eli writes elsewhere; Dana's undo removes Dana's last edit and never Eli's.
    await caretUnder(eli, 'Project news and updates');
    await eli.keyboard.type('Eli keeps this line.', { delay: 5 });
    await dana.locator(NOTES, { hasText: 'Eli keeps this line.' }).waitFor();
    await placeCaret(dana, dana.locator(`${NOTES} li`, { hasText: 'Second pasted item' }), 'end');
    await watchUndoHistory(dana);
    await dana.keyboard.press('Control+z');
    await eli.locator(`${NOTES} li`, { hasText: 'Second pasted item' }).waitFor({ state: 'detached' });
    expect(await shownNotesText(eli)).toContain('Eli keeps this line.');
    expect(await shownNotesText(dana)).toContain('Eli keeps this line.');
    await dana.keyboard.press('Control+Shift+z');
    try {
      await eli.locator(`${NOTES} li`, { hasText: 'Second pasted item' }).waitFor();
    } catch (error) {
      // CI once waited in vain for the redo: say what became of Dana's history and notes.
      const notes = await notesDiagnosis(e2e.server, dana, meeting.sessions[0]!.doc, /pasted item|DM page|Eli keeps/);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nDana's ${await undoDiagnosis(dana)}\nDana's ${notes}`, { cause: error });
    }

    // Alt+↑ / Alt+↓ jump to the end of the previous / next agenda item's notes.
    await caretSettled(dana);
    await dana.keyboard.press('Alt+ArrowUp');
    await caretSettled(dana);
    await dana.keyboard.type(' (via Alt+Up)', { delay: 5 });
    await dana.keyboard.press('Alt+ArrowDown');
    await dana.keyboard.press('Alt+ArrowDown');
    await caretSettled(dana);
    await dana.keyboard.type('Jumped two items down.', { delay: 5 });
    const text = await shownNotesText(dana);
    const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));
    expect(section('Project news and updates', 'Plan to end of project: Part I')).toContain('Eli keeps this line. (via Alt+Up)');
    expect(section('Plans for serving photometric redshifts', 'Gen3 next steps')).toContain('Jumped two items down.');

    // Words typed into an empty line: Ctrl+Z takes them, Ctrl+Shift+Z gives them back (it did
    // nothing: the undo left an empty text node, which the editor removed as an edit of its own;
    // and a page that moved the caret on an undo wrote that clean-up before it knew of the undo).
    const jumped = (page: Page) => page.locator(NOTES, { hasText: 'Jumped two items down.' });
    await jumped(eli).waitFor();
    await watchUndoHistory(dana);
    await dana.keyboard.press('Control+z');
    await jumped(eli).waitFor({ state: 'detached' });
    await dana.keyboard.press('Control+Shift+z');
    try {
      await jumped(eli).waitFor();
    } catch (error) {
      const notes = await notesDiagnosis(e2e.server, dana, meeting.sessions[0]!.doc, /Jumped|photometric/);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nDana's ${await undoDiagnosis(dana)}\nDana's ${notes}`, { cause: error });
    }
    // The redo put the caret after what it brought back: typing goes on there.
    await dana.keyboard.type(' And on.', { delay: 5 });
    await eli.locator(NOTES, { hasText: 'Jumped two items down. And on.' }).waitFor();
    expect(await shownNotesText(eli)).toContain('Eli keeps this line. (via Alt+Up)');
  });

  test('addresses typed or pasted become links: a follower opens one with a click, a notetaker with Ctrl+click', async () => {
    const dana = await openAs('Dana Notetaker', 'notetaker', 2);
    const fay = await openAs('Fay Follower', 'follower', 2);
    // The addresses are served here, so the tabs the links open have a page to show.
    await serveLinkedPages([dana, fay], /^https:\/\/(indico|www|docs|wiki)\.example\.org\//);
    await caretUnder(dana, meetingTopic(2));
    await dana.keyboard.type('Slides: https://indico.example.org/event/42 (agenda at www.example.org/dm). Next', { delay: 5 });
    await dana.keyboard.press('Enter');
    const slides = (page: Page) => page.locator(`${NOTES} a[href="https://indico.example.org/event/42"]`, { hasText: /^https:\/\/indico\.example\.org\/event\/42$/ });
    const agenda = (page: Page) => page.locator(`${NOTES} a[href="https://www.example.org/dm"]`, { hasText: /^www\.example\.org\/dm$/ });
    for (const page of [dana, fay]) {
      await slides(page).waitFor();
      await agenda(page).waitFor();
    }
    // The words around them are text: the bracket, the full stop and "Next" are outside the links.
    await fay.locator(`${NOTES} p`, { hasText: 'Slides: https://indico.example.org/event/42 (agenda at www.example.org/dm). Next' }).waitFor();

    // A pasted address (text only, as from a chat) is a link at once.
    await caretSettled(dana);
    await pasteInto(dana, { text: 'https://docs.example.org/minutes' });
    await fay.locator(`${NOTES} a[href="https://docs.example.org/minutes"]`).waitFor();

    // An address pasted over selected words makes them a link to it.
    await dana.keyboard.press('Enter');
    await dana.keyboard.type('Minutes in the wiki', { delay: 5 });
    for (let i = 0; i < 'the wiki'.length; i++) await dana.keyboard.press('Shift+ArrowLeft');
    await pasteInto(dana, { text: 'https://wiki.example.org/DMLT' });
    await fay.locator(`${NOTES} a[href="https://wiki.example.org/DMLT"]`, { hasText: /^the wiki$/ }).waitFor();
    await fay.locator(`${NOTES} p`, { hasText: /^Minutes in the wiki$/ }).waitFor();

    // Fay clicks: the slides open in a tab of their own, her page stays.
    const [fayTab] = await Promise.all([fay.context().waitForEvent('page'), slides(fay).click()]);
    await fayTab.waitForURL('https://indico.example.org/event/42');
    expect(fay.url()).toContain(`/m/${meeting.id}`);

    // Dana's plain click puts her caret in the link to edit it, and shows a box to open it from
    // (a phone has no Ctrl); her Ctrl+click opens it too. Had the plain click opened a tab, it
    // would be the first of four by the time the others open.
    await slides(dana).click();
    expect(await slides(dana).getAttribute('title')).toMatch(/^(Ctrl\+|⌘)click to open$/);
    const box = dana.locator('.link-box a[href="https://indico.example.org/event/42"]');
    await box.waitFor();
    const [boxTab] = await Promise.all([dana.context().waitForEvent('page'), box.click()]);
    await boxTab.waitForURL('https://indico.example.org/event/42');
    const [danaTab] = await Promise.all([dana.context().waitForEvent('page'), slides(dana).click({ modifiers: ['ControlOrMeta'] })]);
    await danaTab.waitForURL('https://indico.example.org/event/42');
    // And from the keyboard, Alt+Enter, the caret in the link (where the clicks left it).
    const [keyTab] = await Promise.all([dana.context().waitForEvent('page'), dana.keyboard.press('Alt+Enter')]);
    await keyTab.waitForURL('https://indico.example.org/event/42');
    expect(dana.context().pages()).toHaveLength(4);
    await expect(dana.locator(`${NOTES} p`, { hasText: 'Slides:' }).first().innerText()).resolves.toBe('Slides: https://indico.example.org/event/42 (agenda at www.example.org/dm). Next');
    // The box is for the link the caret is in: out of it, there is none.
    await placeCaretAtEnd(dana, dana.locator(`${NOTES} p`, { hasText: 'Slides:' }).first());
    await box.waitFor({ state: 'detached' });
    // Gone from the meeting's presence, which later tests count.
    for (const page of [dana, fay]) await page.context().close();
  });

  test('Markdown notes pasted as text come in as lists, tasks and bold; their tasks are actions for a follower too', async () => {
    const dana = await openAs('Dana Notetaker', 'notetaker', 1);
    const fay = await openAs('Fay Follower', 'follower', 1);
    await caretUnder(dana, 'Focus Friday');
    await caretSettled(dana);
    // What HedgeDoc or a .md file in an editor copies: text only.
    await pasteInto(dana, { text: 'From the pad:\n- Burn rates are **on track**\n- [ ] RHL to circulate the pad by 2020-12-04\n- [x] KT sent the plan' });
    await fay.locator(`${NOTES} ul li strong, ${NOTES} ul li b, ${NOTES} ul li .n-bold`, { hasText: 'on track' }).first().waitFor();
    await fay.locator(`${NOTES} li[role="checkbox"][aria-checked="false"]`, { hasText: 'RHL to circulate the pad by 2020-12-04' }).waitFor();
    await fay.locator(`${NOTES} li[role="checkbox"][aria-checked="true"]`, { hasText: 'KT sent the plan' }).waitFor();
    const action = fay.locator('[data-testid="actions-list"] li', { hasText: 'circulate the pad' });
    await action.locator('.chip-assignee', { hasText: 'RHL' }).waitFor();
    await fay.locator('[data-testid="actions-list"] li.done', { hasText: 'sent the plan' }).waitFor();
    expect(await shownNotesText(fay)).not.toMatch(/\*\*|- \[/);
    // Gone from the meeting's presence, which the next test counts.
    for (const page of [dana, fay]) await page.context().close();
  });

  test('a follower sees the notes live and cannot change them by keyboard or paste', async () => {
    const writer = await openAs('Carol Notetaker', 'notetaker', 1);
    await caretUnder(writer, meetingTopic(1));
    await writer.keyboard.type('Before the follower joined. ', { delay: 5 });

    const follower = await openAs('Fred Follower', 'follower', 1);
    await follower.locator(NOTES, { hasText: 'Before the follower joined.' }).waitFor();
    expect(await follower.locator(NOTES).getAttribute('contenteditable')).toBe('false');
    await expect(follower.locator('.toolbar').count()).resolves.toBe(0);

    await writer.keyboard.type('Typed while Fred watches.', { delay: 10 });
    await follower.locator(NOTES, { hasText: 'Typed while Fred watches.' }).waitFor();

    const before = await shownNotesText(follower);
    await follower.locator(`${NOTES} p`, { hasText: 'Typed while Fred watches.' }).click();
    await follower.keyboard.type('FOLLOWER WAS HERE');
    await follower.keyboard.press('Enter');
    await follower.keyboard.press('Backspace');
    await pasteInto(follower, { text: 'PASTED BY FOLLOWER', html: '<ul><li>PASTED BY FOLLOWER</li></ul>' });
    // A later notetaker edit arrives, so anything the follower might have sent had time to land.
    await writer.keyboard.type(' Still live.', { delay: 5 });
    await follower.locator(NOTES, { hasText: 'Still live.' }).waitFor();
    const followerText = await shownNotesText(follower);
    expect(followerText).not.toContain('FOLLOWER WAS HERE');
    expect(followerText).not.toContain('PASTED BY FOLLOWER');
    expect(followerText).toBe(before.replace('Typed while Fred watches.', 'Typed while Fred watches. Still live.'));
    expect(await shownNotesText(writer)).toBe(followerText);
    // Followers have no caret: their click published no cursor to the notetaker.
    expect((await writer.locator('.cursors').textContent()) ?? '').not.toContain('Fred Follower');
    // The writer sees the follower in the presence list.
    await writer.locator('[data-testid="followers"]', { hasText: '1 follower' }).waitFor();

    // Following the notetaker keeps the agenda item they type in on screen.
    await follower.locator(NOTES).evaluate((element) => element.closest('.notes')?.scrollTo(0, 0));
    await follower.getByRole('button', { name: 'Follow' }).click();
    await caretUnder(writer, 'Team status');
    await writer.keyboard.type('YA: status as usual.', { delay: 5 });
    await follower.locator(`${NOTES} h3`, { hasText: 'Team status' }).waitFor();
    await waitFor(
      () => follower.locator(`${NOTES} h3`, { hasText: 'Team status' }).evaluate((h) => {
        const box = h.getBoundingClientRect();
        // Scrolled there (the view started at the top), and the heading is on screen.
        return (h.closest('.notes')?.scrollTop ?? 0) > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
      }),
      { message: 'the followed agenda item scrolled into view' },
    );

    await e2e.screenshot(writer, 'notetaker-view');
    await e2e.screenshot(follower, 'follower-view');
  });

  test("a follower whose page slips from the server's document is rebuilt to show it, and stays live", async () => {
    const writer = await openAs('Cleo Notetaker', 'notetaker', 1);
    await caretUnder(writer, meetingTopic(1));
    await writer.keyboard.type('Slip check: the server holds this line.', { delay: 5 });
    const follower = await openAs('Flo Follower', 'follower', 1);
    await follower.locator(NOTES, { hasText: 'Slip check: the server holds this line.' }).waitFor();

    // What Lexical's binding does when it falls out of step under concurrent edits (the random
    // three-notetaker test met it once): the follower's editor changes a block by itself, and the
    // binding writes that change into the copy the editor is bound to, never to the server.
    await setTextInEditor(follower, { containing: 'Slip check' }, 'Slipped: the follower alone shows this.');
    // The page comes back to the server's text by itself.
    await follower.locator(NOTES, { hasText: 'Slip check: the server holds this line.' }).waitFor();
    expect(await shownNotesText(follower)).not.toContain('Slipped');
    expect(await shownNotesText(follower)).toBe(await shownNotesText(writer));
    // And still follows the notetaker's typing.
    await writer.keyboard.type(' Still followed.', { delay: 5 });
    await follower.locator(NOTES, { hasText: 'Slip check: the server holds this line. Still followed.' }).waitFor();
  });

  test('a notetaker whose page is rebuilt keeps the caret and typing goes on where it was', async () => {
    const writer = await openAs('Nina Notetaker', 'notetaker', 1);
    const reader = await openAs('Rhea Reader', 'follower', 1);
    await caretUnder(writer, meetingTopic(1));
    await writer.keyboard.type('Rebuilt under my caret::', { delay: 5 });
    // The editor stops showing its document: a block changed in the editor alone ('skip-collab'
    // keeps the binding from writing it), as when the binding slips under concurrent edits. A
    // deletion, which is when the page looks, then brings the drift guard to rebuild the editor.
    await setTextInEditor(writer, { notContaining: 'Rebuilt' }, 'Shown by this editor alone.', { skipCollab: true });
    await writer.keyboard.press('Backspace');
    await reader.locator(NOTES, { hasText: 'Rebuilt under my caret:' }).waitFor();
    // Rebuilt: the page shows the document again…
    await writer.locator(NOTES, { hasText: 'Shown by this editor alone.' }).waitFor({ state: 'detached' });
    await writer.locator(NOTES, { hasText: 'Rebuilt under my caret:' }).waitFor();
    // …with the notes focused and the caret where it was, so the notetaker types on without a click.
    await writer.waitForFunction((selector) => document.activeElement === document.querySelector(selector), NOTES, { polling: 'raf' });
    await caretSettled(writer);
    await writer.keyboard.type(' typed on.', { delay: 5 });
    await reader.locator(NOTES, { hasText: 'Rebuilt under my caret: typed on.' }).waitFor();
    expect(await shownNotesText(writer)).toContain('Rebuilt under my caret: typed on.');
  });

  test('a page whose editor can no longer write out its state is rebuilt, without an uncaught error', async () => {
    const writer = await openAs('Wren Notetaker', 'notetaker', 1);
    const other = await openAs('Owen Notetaker', 'notetaker', 1);
    await caretUnder(writer, meetingTopic(1));
    await writer.keyboard.type('Broken node here.', { delay: 5 });
    await other.locator(NOTES, { hasText: 'Broken node here.' }).waitFor();
    // What CI met once: a text node carrying another node's type, so Lexical throws on every
    // export of the editor's state (its error #130), the drift guard's look included.
    const exports = (page: Page) =>
      page.locator(NOTES).evaluate((root) => {
        try {
          (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): unknown } } }).__lexicalEditor.getEditorState().toJSON();
          return true;
        } catch {
          return false;
        }
      });
    // The agenda item's heading, which nobody edits here (an edit would write a fresh copy of the
    // node, with its class's own type).
    await writer.locator(NOTES).evaluate((root, topic) => {
      type Node = { __type: string; getTextContent(): string; getWritable(): Node };
      type Editor = { update(fn: () => void, options: { discrete: true; tag: string }): void; getEditorState(): { _nodeMap: Map<string, Node> } };
      const editor = (root as unknown as { __lexicalEditor: Editor }).__lexicalEditor;
      editor.update(
        () => {
          const node = [...editor.getEditorState()._nodeMap.values()].find((n) => n.__type === 'text' && n.getTextContent().includes(topic));
          node!.getWritable().__type = 'tab';
        },
        { discrete: true, tag: 'skip-collab' },
      );
    }, meetingTopic(1));
    expect(await exports(writer)).toBe(false);
    // Someone else's deletion is when the page looks.
    await caretUnder(other, meetingTopic(1));
    await other.keyboard.press('Backspace');
    await other.keyboard.type('!', { delay: 5 });
    // Rebuilt: the page's editor writes out its state again, shows the document, and types on.
    await waitFor(() => exports(writer), { message: 'a rebuilt editor on the writer’s page' });
    await writer.locator(NOTES, { hasText: 'Broken node here!' }).waitFor();
    await caretUnder(writer, meetingTopic(1));
    await writer.keyboard.type(' Mended.', { delay: 5 });
    await other.locator(NOTES, { hasText: 'Broken node here! Mended.' }).waitFor();
  });

  test('edits made offline survive a reload and reach the others when back online', async () => {
    const offline = await openAs('Olga Offline', 'notetaker', 2);
    const other = await openAs('Otto Online', 'notetaker', 2);
    // The app shell must be cached by the service worker before the network goes away.
    await offline.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { polling: 100 });

    await offline.context().setOffline(true);
    await offline.locator('[data-testid="connection"].conn-offline').waitFor();
    await caretUnder(offline, meetingTopic(2));
    await offline.keyboard.type('Written on a train without network.', { delay: 5 });
    await offline.locator('[data-testid="pending"]').waitFor();

    await offline.reload();
    await offline.locator(NOTES, { hasText: 'Written on a train without network.' }).waitFor();
    // Not connected. Which word the page uses depends on the browser: Debian's Chromium 150 keeps
    // the network cut after a reload but tells the new document it is online (navigator.onLine,
    // no 'offline' event), so the page can only say it is still trying to connect.
    await offline.locator('[data-testid="connection"]:is(.conn-offline, .conn-connecting, .conn-reconnecting)').waitFor();
    await offline.locator('[data-testid="pending"]').waitFor();
    expect(await shownNotesText(other)).not.toContain('Written on a train');

    await offline.context().setOffline(false);
    await other.locator(NOTES, { hasText: 'Written on a train without network.' }).waitFor();
    await offline.locator('[data-testid="connection"].conn-connected').waitFor();
    // The count drops to zero once the server confirmed every edit.
    await offline.locator('[data-testid="pending"]').waitFor({ state: 'detached' });
    // Both pages come to show the same notes. Read until they do, not once: a page whose editor
    // is rebuilt (its drift guard, which logs a warning the harness prints) is empty for a moment
    // while the new editor loads the local copy; CI once read the offline page empty just as its
    // count dropped.
    const written = await waitFor(
      async () => {
        const [mine, theirs] = await Promise.all([shownNotesText(offline), shownNotesText(other)]);
        return mine.includes('Written on a train without network.') && mine === theirs ? mine : null;
      },
      { message: 'the offline notetaker and the other showing the same notes' },
    );
    expect(written).toBe(await shownNotesText(other));
  });

  // Last: it stops the server.
  test('when the server goes away the page says so and counts the edits it has not confirmed', async () => {
    const page = await openAs('Rita Reconnect', 'notetaker', 2);
    await e2e.server.stop();
    await page.locator('[data-testid="connection"].conn-reconnecting').waitFor();
    await caretUnder(page, meetingTopic(2));
    await page.keyboard.type('typed while the server restarts', { delay: 5 });
    await page.locator('[data-testid="pending"]').waitFor();
    expect(await page.locator('[data-testid="connection"]').innerText()).toMatch(/Reconnecting/);
  });
});

/** The first agenda item's topic of each fixture day (test/fixtures/meeting-dmlt.json). */
function meetingTopic(session: number): string {
  return ['Welcome', 'Alert production integration', "Managers' day"][session]!;
}
