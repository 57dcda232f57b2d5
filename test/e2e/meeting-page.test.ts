// The meeting page in a real browser against the real server: concurrent notetakers, a live
// read-only follower, and offline edits that survive a reload.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createFixtureMeeting, linkFor, NOTES, settle, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { waitFor } from '../helpers/wait.js';

let e2e: E2E;
let meeting: MeetingFixture;

beforeAll(async () => {
  e2e = await startE2E();
  meeting = await createFixtureMeeting(e2e.server);
});
afterEach(() => e2e.assertNoPageErrors());
afterAll(async () => {
  await e2e?.close();
});

async function notesText(page: Page): Promise<string> {
  return page.locator(NOTES).innerText();
}

async function openAs(name: string, role: 'notetaker' | 'follower', session = 0): Promise<Page> {
  const user = await e2e.user(name);
  const url = `${linkFor(meeting, role)}&session=${meeting.sessions[session]!.id}`;
  await user.page.goto(url);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/** Puts the caret at the end of the (empty) notes paragraph under the agenda item `topic`. */
async function caretUnder(page: Page, topic: string): Promise<void> {
  const paragraph = page.locator(`${NOTES} h3:has-text(${JSON.stringify(topic)}) ~ p`).first();
  await paragraph.click();
  await page.keyboard.press('End');
  await settle(page);
}

describe('meeting page', () => {
  test('two notetakers typing into the same agenda item at once both keep their text', async () => {
    const alice = await openAs('Alice Notetaker', 'notetaker', 0);
    const bob = await openAs('Bob Notetaker', 'notetaker', 0);
    // Each sees the other in the presence list.
    await alice.locator('[data-testid="presence"]', { hasText: 'Bob Notetaker' }).waitFor();
    await bob.locator('[data-testid="presence"]', { hasText: 'Alice Notetaker' }).waitFor();

    // Alice writes in the item's notes paragraph; Bob opens his own line in the same item, right
    // after its pre-meeting notes. (Two carets at the very same spot interleave keystrokes, as
    // in any editor that keeps carets by position; notetakers write in their own lines.)
    await caretUnder(alice, 'Welcome');
    await bob.locator(`${NOTES} blockquote`, { hasText: 'Introductory remarks' }).click();
    await bob.keyboard.press('End');
    await settle(bob);
    await bob.keyboard.press('Enter');
    await settle(bob);
    const aliceText = 'RHL: how does validation map to phase 3?';
    const bobText = 'KT: the schedule slips by two weeks';
    await Promise.all([alice.keyboard.type(aliceText, { delay: 15 }), bob.keyboard.type(bobText, { delay: 15 })]);

    for (const page of [alice, bob]) {
      await waitFor(async () => {
        const text = await notesText(page);
        return text.includes(aliceText) && text.includes(bobText);
      }, { message: 'both texts on both pages' });
    }
    // Both texts ended up under the same agenda item, once each, before the next item.
    const final = await notesText(alice);
    const item = final.slice(final.indexOf('Welcome'), final.indexOf('Project news and updates'));
    expect(item).toContain(aliceText);
    expect(item).toContain(bobText);
    expect(final.split(aliceText).length - 1).toBe(1);
    expect(final.split(bobText).length - 1).toBe(1);
    expect(await notesText(bob)).toBe(final);
    // Remote carets carry the other notetaker's name.
    await waitFor(async () => ((await alice.locator('.cursors').textContent()) ?? '').includes('Bob Notetaker'), { message: "Bob's caret label" });
    // Where each notetaker is typing shows in the presence list.
    await alice.locator('[data-testid="presence"]', { hasText: 'in 09:00' }).waitFor();
    await e2e.screenshot(alice, 'notetaker-two-writers');
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

    const before = await notesText(follower);
    await follower.locator(`${NOTES} p`, { hasText: 'Typed while Fred watches.' }).click();
    await follower.keyboard.type('FOLLOWER WAS HERE');
    await follower.keyboard.press('Enter');
    await follower.keyboard.press('Backspace');
    await follower.locator(NOTES).evaluate((element) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'PASTED BY FOLLOWER');
      data.setData('text/html', '<ul><li>PASTED BY FOLLOWER</li></ul>');
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    // A later notetaker edit arrives, so anything the follower might have sent had time to land.
    await writer.keyboard.type(' Still live.', { delay: 5 });
    await follower.locator(NOTES, { hasText: 'Still live.' }).waitFor();
    const followerText = await notesText(follower);
    expect(followerText).not.toContain('FOLLOWER WAS HERE');
    expect(followerText).not.toContain('PASTED BY FOLLOWER');
    expect(followerText).toBe(before.replace('Typed while Fred watches.', 'Typed while Fred watches. Still live.'));
    expect(await notesText(writer)).toBe(followerText);
    // The writer sees the follower in the presence list.
    await writer.locator('[data-testid="followers"]', { hasText: '1 follower' }).waitFor();

    await e2e.screenshot(writer, 'notetaker-view');
    await e2e.screenshot(follower, 'follower-view');
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
    await offline.locator('[data-testid="connection"].conn-offline').waitFor();
    await offline.locator('[data-testid="pending"]').waitFor();
    expect(await notesText(other)).not.toContain('Written on a train');

    await offline.context().setOffline(false);
    await other.locator(NOTES, { hasText: 'Written on a train without network.' }).waitFor();
    await offline.locator('[data-testid="connection"].conn-connected').waitFor();
    // The count drops to zero once the server confirmed every edit.
    await offline.locator('[data-testid="pending"]').waitFor({ state: 'detached' });
    expect(await notesText(other)).toBe(await notesText(offline));
  });
});

/** The first agenda item's topic of each fixture day (shared/fixtures/meeting-dmlt.json). */
function meetingTopic(session: number): string {
  return ['Welcome', 'Alert production integration', "Managers' day"][session]!;
}
