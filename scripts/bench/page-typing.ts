/**
 * `npm run -s bench:page` — what a keystroke costs the meeting page itself, in Chromium: a
 * notetaker types a line at the end of a 300-word meeting and of a 30,000-word one (a three-day
 * meeting's running notes, every twentieth line an action item), and the page's main thread is
 * read from Chrome's own counters (`Performance.getMetrics`: task, script, layout and style
 * time) before and after. The server, the client build and the browser are the end-to-end
 * tests' (test/e2e/browser.ts): the production bundle, served by the real server.
 *
 * Environment: KEYSTROKES (60), ROUNDS (3; the median is reported), WORDS (30000), LINE (the text
 * typed; an action line, such as "ACTION: KTL to ...", also moves the margin's chips at each keystroke).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { CDPSession, Page } from 'playwright-core';
import { createFixtureMeeting, linkFor, NOTES, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from '../../test/e2e/browser.js';
import { meetingNotes } from './lib/long-doc.js';
import { loadAverage } from './lib/proc.js';
import { waitFor } from '../../test/helpers/wait.js';
import { newDoc } from '../../shared/notes/client-id.js';

const KEYSTROKES = Number(process.env.KEYSTROKES ?? 60);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WORDS = Number(process.env.WORDS ?? 30_000);
const LINE = process.env.LINE ?? 'and then we agreed to revisit the storage plan next quarter with the whole team present';

interface Cost {
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** A collaboration connection to a session document, resolved once it has synced. */
async function connect(e2e: E2E, doc: string, token: string, ydoc: Y.Doc): Promise<WebsocketProvider> {
  const provider = new WebsocketProvider(`${e2e.server.url.replace(/^http/, 'ws')}/collab`, doc, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  try {
    await waitFor(() => provider.synced, { message: `${doc} synced` });
  } catch (error) {
    closeConnection(provider);
    throw error;
  }
  return provider;
}

function tokenOf(meeting: MeetingFixture, role: 'notetaker' | 'follower'): string {
  return meeting.links.find((link) => link.role === role)!.token;
}

/** Writes `words` words of running notes into a session document through a real collaboration connection. */
async function writeNotes(e2e: E2E, meeting: MeetingFixture, doc: string, words: number): Promise<void> {
  const ydoc = newDoc();
  const provider = await connect(e2e, doc, tokenOf(meeting, 'notetaker'), ydoc);
  try {
    Y.applyUpdate(ydoc, meetingNotes(words).update);
    // The server holds the notes once a fresh reader of the document sees as many blocks as the writer.
    const blocks = ydoc.get('root', Y.XmlText).length;
    for (;;) {
      const reader = await connect(e2e, doc, tokenOf(meeting, 'follower'), newDoc());
      const seen = reader.doc.get('root', Y.XmlText).length;
      closeConnection(reader);
      if (seen >= blocks) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    closeConnection(provider);
  }
}

/** The provider and its document: the presence it made ticks until its document is destroyed, and would keep the script alive. */
function closeConnection(provider: WebsocketProvider): void {
  provider.destroy();
  provider.doc.destroy();
}

/** Chrome's cumulative counters of the page's main thread (ms), since `Performance.enable` on this session. */
async function metrics(cdp: CDPSession): Promise<Cost> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string): number => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
}

/** Per keystroke (ms): the page's main thread while `KEYSTROKES` characters are typed at the end of the notes. */
async function typingCost(page: Page): Promise<Cost> {
  await placeCaretAtEnd(page, page.locator(`${NOTES} p`).last());
  await page.keyboard.press('Enter');
  await page.keyboard.type('warming up ', { delay: 40 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  await page.keyboard.type(LINE.repeat(Math.ceil(KEYSTROKES / LINE.length)).slice(0, KEYSTROKES), { delay: 40 });
  // The last keystroke's frame and its confirmation (the page forgets its count of unconfirmed
  // edits once the server confirmed them all; it shows the count only when they are late).
  await page.waitForFunction(() => !Object.keys(localStorage).some((key) => key.startsWith('quorum:pending:')), null, { timeout: 30_000 });
  const after = await metrics(cdp);
  await cdp.detach();
  return {
    task: (after.task - before.task) / KEYSTROKES,
    script: (after.script - before.script) / KEYSTROKES,
    layout: (after.layout - before.layout) / KEYSTROKES,
    style: (after.style - before.style) / KEYSTROKES,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const loadBefore = loadAverage();
const e2e = await startE2E();
try {
  const meeting = await createFixtureMeeting(e2e.server);
  const [small, large] = meeting.sessions;
  await writeNotes(e2e, meeting, small!.doc, 300);
  await writeNotes(e2e, meeting, large!.doc, WORDS);
  const results: Array<{ words: number; cost: Cost }> = [];
  for (const [words, session] of [
    [300, small!],
    [WORDS, large!],
  ] as const) {
    const rounds: Cost[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const user = await e2e.user(`Typist ${words} ${round}`);
      await user.page.goto(`${e2e.server.url}${linkFor(meeting, 'notetaker')}&session=${session.id}`);
      await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
      await user.page.waitForFunction((blocks) => document.querySelectorAll('.notes-content p').length >= blocks, words / 10, { timeout: 120_000 });
      rounds.push(await typingCost(user.page));
      await user.page.close();
    }
    const cost = { task: median(rounds.map((r) => r.task)), script: median(rounds.map((r) => r.script)), layout: median(rounds.map((r) => r.layout)), style: median(rounds.map((r) => r.style)) };
    results.push({ words, cost });
  }
  const loadAfter = loadAverage();
  const [few, many] = results;
  const row = (label: string, key: keyof Cost): string => `| ${label} | ${few!.cost[key].toFixed(2)} ms | ${many!.cost[key].toFixed(2)} ms | ${(few!.cost[key] > 0 ? `${(many!.cost[key] / few!.cost[key]).toFixed(2)}×` : '–')} |`;
  console.log(`## A keystroke on the meeting page (${KEYSTROKES} keystrokes, median of ${ROUNDS} rounds; load before: ${loadBefore}; after: ${loadAfter})\n`);
  console.log(`| page main thread per keystroke | 300 words | ${WORDS.toLocaleString('en')} words | ratio |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(row('all tasks', 'task'));
  console.log(row('script', 'script'));
  console.log(row('layout', 'layout'));
  console.log(row('style', 'style'));
} finally {
  await e2e.close();
}
