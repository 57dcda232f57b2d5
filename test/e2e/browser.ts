// End-to-end harness: the real server (startServer, serving the built client), Debian chromium
// through playwright-core, one browser CONTEXT per user (y-websocket syncs same-origin tabs over
// BroadcastChannel, which would let a broken server pass), and every uncaught page error fails
// the test.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { dmltMeeting } from '../fixtures/index.js';
import { notesOutline, readNotesState } from '../../shared/notes/outline.js';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const builtIndex = join(repo, 'dist/client/index.html');
export const SCREENSHOT_DIR = join(repo, 'test-artifacts/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function buildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  // The patch script rewrites the binding and yjs in node_modules, which the bundle includes.
  return ['client', 'shared', 'vite.config.ts', 'scripts/patch-lexical-yjs.mjs'].some((p) => newestMtime(join(repo, p)) > built);
}

/**
 * Builds the client with Vite's build() when dist/client is missing or stale. Test files run in
 * parallel processes, so a lock directory makes the others wait for the one that builds.
 */
export async function ensureClientBuilt(): Promise<void> {
  const lock = join(repo, 'dist/.build-lock');
  mkdirSync(join(repo, 'dist'), { recursive: true });
  await waitFor(
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        // A lock older than two minutes belongs to a crashed run.
        if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
        return false;
      }
    },
    { timeout: 120_000, interval: 200, message: 'client build lock' },
  );
  try {
    if (!buildIsStale()) return;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, and Vite would then build a development bundle (React's
    // development build, no service worker): build what `npm start` serves.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      // Servers of other test files may be serving the previous build: keep its files until the
      // new ones are in place (the server looks files up per request).
      await build({ configFile: join(repo, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { emptyOutDir: false } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface User {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors from this user's pages. */
  errors: string[];
}

export interface E2E {
  server: TestServer;
  browser: Browser;
  /** A new user: a fresh browser context (own storage, own IndexedDB) with one page; `options` for this one (a time zone). */
  user(name?: string, options?: BrowserContextOptions): Promise<User>;
  /** Throws when any page had an uncaught error. */
  assertNoPageErrors(): void;
  /**
   * For `afterEach`: when the test failed, says where every page stood (address, connection,
   * unsaved edits) and saves a screenshot of each, so a failure seen once on CI explains itself;
   * then fails on uncaught page errors.
   */
  afterTest(context: { task: { name: string; result?: { state?: string } } }): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startE2E(serverOverrides: Parameters<typeof startServer>[0] = {}, contextOptions: BrowserContextOptions = {}): Promise<E2E> {
  await ensureClientBuilt();
  const server = await startServer({ serveClient: true, ...serverOverrides });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const users: User[] = [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const e2e: E2E = {
    server,
    browser,
    async user(name, options = {}) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1360, height: 860 }, ...contextOptions, ...options });
      if (name) {
        // Guests are asked for a display name once per browser; answer it up front.
        await context.addInitScript((n) => {
          try {
            if (!localStorage.getItem('quorum:guest-name')) localStorage.setItem('quorum:guest-name', n);
          } catch {
            // A page without storage of its own: another site's, opened from a link in the notes.
          }
        }, name);
      }
      // A waiting condition, not a speed bound: generous, so a busy machine only makes it slower.
      context.setDefaultTimeout(90_000);
      const page = await context.newPage();
      const user: User = { context, page, errors: [] };
      const watch = (p: Page) => {
        p.on('pageerror', (error) => user.errors.push(`pageerror: ${error.message}`));
        // The Content-Security-Policy must not block anything the page needs.
        p.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) user.errors.push(`csp: ${message.text()}`);
          // The page's own warnings (a rebuilt editor, an unavailable service worker) go to the
          // test's output: not failures, but what explains one.
          if (message.type() === 'warning' && message.text().startsWith('quorum:')) console.log(`[${name ?? 'page'}] ${message.text()}`);
        });
      };
      watch(page);
      context.on('page', watch);
      users.push(user);
      return user;
    },
    assertNoPageErrors() {
      const errors = users.flatMap((u) => u.errors);
      if (errors.length > 0) throw new Error(`uncaught page errors:\n${errors.join('\n')}`);
    },
    async afterTest({ task }) {
      if (task.result?.state === 'fail') {
        const pages = users.flatMap((u) => u.context.pages());
        const lines = await Promise.all(
          pages.map(async (page, i) => {
            if (page.isClosed()) return `page ${i}: closed`;
            const name = `failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${i}`;
            const shot = await e2e.screenshot(page, name).catch((error: unknown) => `no screenshot (${String(error)})`);
            const status = await page
              .evaluate(() => ['connection', 'pending'].map((id) => `${id}: ${document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '-'}`).join(', '))
              .catch((error: unknown) => `unreadable (${String(error)})`);
            return `page ${i}: ${page.url().split('?')[0]} (${status}) ${shot}`;
          }),
        );
        console.log(`e2e: "${task.name}" failed; the pages then:\n${lines.join('\n')}`);
      }
      e2e.assertNoPageErrors();
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
  return e2e;
}

export interface MeetingFixture {
  id: string;
  sessions: { id: string; date: string; doc: string }[];
  links: { role: 'notetaker' | 'follower'; token: string; url: string }[];
  cookie: string;
}

/** Creates the admin, signs in and creates the DMLT fixture meeting, all through the real API. */
export async function createFixtureMeeting(server: TestServer): Promise<MeetingFixture> {
  const admin = { email: 'admin@example.org', password: 'correct horse battery', name: 'Ada Admin' };
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const setup = await post('/api/setup', admin);
  if (setup.status !== 201 && setup.status !== 200) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const login = await post('/api/login', { email: admin.email, password: admin.password });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  const fixture = dmltMeeting();
  const created = await post('/api/meetings', fixture, cookie);
  if (created.status !== 201) throw new Error(`create meeting: ${created.status} ${await created.text()}`);
  return { ...((await created.json()) as Omit<MeetingFixture, 'cookie'>), cookie };
}

/** Signs a user's browser in as the fixture's organiser (its session cookie). */
export async function signInAsOrganiser(context: BrowserContext, meeting: MeetingFixture, url: string): Promise<void> {
  const [name, value] = meeting.cookie.split(';', 1)[0]!.split('=') as [string, string];
  await context.addCookies([{ name, value, url }]);
}

export function linkFor(meeting: MeetingFixture, role: 'notetaker' | 'follower'): string {
  const link = meeting.links.find((l) => l.role === role);
  if (!link) throw new Error(`no ${role} link`);
  return `/m/${meeting.id}?token=${encodeURIComponent(link.token)}`;
}

/**
 * Pastes into a page's notes what a clipboard holding `copy` pastes (a real paste event with its
 * DataTransfer): text only, as from a chat or a text editor, or text and HTML, as from a web page.
 */
export async function pasteInto(page: Page, copy: { text: string; html?: string }): Promise<void> {
  // A user's paste comes after the browser told Lexical where the selection is; this event,
  // dispatched at once, could otherwise act on the selection before the last Shift+Arrow.
  await selectionSettled(page);
  await page.locator(NOTES).evaluate((element, { text, html }) => {
    const data = new DataTransfer();
    if (html !== undefined) data.setData('text/html', html);
    data.setData('text/plain', text);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, copy);
}

/** Serves the pages that links in the notes lead to (hosts matching `hosts`): this machine has no network. */
export async function serveLinkedPages(pages: Page[], hosts: RegExp): Promise<void> {
  for (const page of pages) await page.context().route(hosts, (route) => route.fulfill({ contentType: 'text/html', body: `<title>${route.request().url()}</title>` }));
}

/** The editable notes of a page. */
export const NOTES = '.notes-content';

/**
 * The text of part of the page as it is shown. Each block of the notes is drawn only near the
 * screen (content-visibility: auto), and a block just added is drawn at the second frame after
 * it: until then `innerText` leaves it out. A text read at once after a wait that went by the DOM
 * alone (`hasText`, an element's presence) would miss it on a busy machine, so the read waits for
 * two frames first.
 */
export async function shownText(locator: Locator): Promise<string> {
  await locator.page().evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  return locator.innerText();
}

/** The notes' text as the page shows it (see shownText). */
export function shownNotesText(page: Page): Promise<string> {
  return shownText(page.locator(NOTES));
}

/** Which of the rows `selector` finds holds the keyboard focus: -1 for none. */
export function focusedRow(page: Page, selector: string): Promise<number> {
  return page.evaluate((rows) => [...document.querySelectorAll(rows)].findIndex((row) => row.contains(document.activeElement)), selector);
}

/**
 * Waits until Lexical has taken in the browser's caret: after a click or a caret key, Lexical
 * reads the DOM selection on `selectionchange`, and a key pressed before that acts at the old
 * caret. The condition, not a pause: the DOM caret is collapsed inside the notes and Lexical's
 * selection names the same node and offset.
 */
export async function caretSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (selector) => {
      const root = document.querySelector(selector) as (HTMLElement & { __lexicalEditor?: LexicalLike }) | null;
      const dom = document.getSelection();
      const editor = root?.__lexicalEditor;
      if (!root || !editor || !dom || !dom.isCollapsed || !dom.anchorNode || !root.contains(dom.anchorNode)) return false;
      const selection = editor.getEditorState()._selection;
      if (!selection?.anchor || selection.anchor.key !== selection.focus?.key || selection.anchor.offset !== selection.focus.offset) return false;
      const element = editor.getElementByKey(selection.anchor.key);
      if (!element || !(element === dom.anchorNode || element.contains(dom.anchorNode))) return false;
      return selection.anchor.type !== 'text' || dom.anchorNode.nodeType !== Node.TEXT_NODE || dom.anchorOffset === selection.anchor.offset;
    },
    NOTES,
    { polling: 'raf' },
  );
}

interface LexicalLike {
  getEditorState(): { _selection: { anchor?: { key: string; offset: number; type: string }; focus?: { key: string; offset: number; type: string } } | null };
  getElementByKey(key: string): HTMLElement | null;
}

/**
 * Waits until Lexical has taken in the browser's selection, collapsed or not (caretSettled for a
 * range): both its ends name the DOM selection's nodes and, in text, its offsets.
 */
export async function selectionSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (selector) => {
      const root = document.querySelector(selector) as (HTMLElement & { __lexicalEditor?: LexicalLike }) | null;
      const dom = document.getSelection();
      const editor = root?.__lexicalEditor;
      if (!root || !editor || !dom || !dom.anchorNode || !dom.focusNode || !root.contains(dom.anchorNode) || !root.contains(dom.focusNode)) return false;
      const selection = editor.getEditorState()._selection;
      if (!selection?.anchor || !selection.focus) return false;
      const same = (point: { key: string; offset: number; type: string }, node: Node, offset: number): boolean => {
        const element = editor.getElementByKey(point.key);
        if (!element || !(element === node || element.contains(node))) return false;
        return point.type !== 'text' || node.nodeType !== Node.TEXT_NODE || offset === point.offset;
      };
      return same(selection.anchor, dom.anchorNode, dom.anchorOffset) && same(selection.focus, dom.focusNode, dom.focusOffset);
    },
    NOTES,
    { polling: 'raf' },
  );
}

/**
 * Puts the caret into a block of the notes, as a click there would, at a text offset (or its
 * start or end), and waits until Lexical has taken it in. Programmatic rather than a mouse
 * click: a click lands wherever layout puts the block's middle, sometimes in the next line.
 */
export async function placeCaret(page: Page, block: Locator, where: number | 'start' | 'end'): Promise<void> {
  await block.evaluate((element, where) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
    const selection = document.getSelection()!;
    (element.closest('[contenteditable]') as HTMLElement | null)?.focus();
    if (texts.length === 0) return selection.collapse(element, 0);
    if (where === 'start') return selection.collapse(texts[0]!, 0);
    if (where === 'end') return selection.collapse(texts[texts.length - 1]!, texts[texts.length - 1]!.length);
    let left = where;
    for (const text of texts) {
      if (left <= text.length) return selection.collapse(text, left);
      left -= text.length;
    }
    selection.collapse(texts[texts.length - 1]!, texts[texts.length - 1]!.length);
  }, where);
  await caretSettled(page);
}

/** The notes as a page's editor shows them, block by block (shared/notes/outline.ts: depth|indent|kind|text). */
export async function shownOutline(page: Page): Promise<string[]> {
  const state = await page.locator(NOTES).evaluate((root) => (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): unknown } } }).__lexicalEditor.getEditorState().toJSON());
  return notesOutline(state as Parameters<typeof notesOutline>[0]);
}

/** The same lines for the server's copy of a document, or null when it is not loaded. */
export function heldOutline(server: TestServer, docName: string): string[] | null {
  const doc = server.app.collab.get(docName)?.doc;
  return doc ? notesOutline(readNotesState(doc)) : null;
}

/**
 * For a failure's message: the blocks around `near` as the page's editor shows them and as the
 * server's document holds them, and whether the page says it is connected. Tells a keystroke that
 * went astray in the page from one the server never got.
 */
export async function notesDiagnosis(server: TestServer, page: Page, docName: string, near: RegExp): Promise<string> {
  const around = (lines: string[]): string[] => {
    const hits = lines.flatMap((line, i) => (near.test(line) ? [i] : []));
    return lines.filter((_, i) => hits.some((hit) => Math.abs(hit - i) <= 2));
  };
  const shown = await shownOutline(page)
    .then(around)
    .catch((error: unknown) => [`(unreadable: ${String(error)})`]);
  const held = heldOutline(server, docName);
  const connection = await page.locator('[data-testid="connection"]').getAttribute('class').catch(() => '?');
  return [`page shows (connection: ${connection}):`, ...shown.map((l) => `  ${l}`), 'server holds:', ...(held ? around(held) : ['(the document is not loaded)']).map((l) => `  ${l}`)].join('\n');
}

/**
 * Marks the page's notes editor and starts recording what happens to its undo history (items
 * added, popped, stacks cleared, with the call that cleared them), for undoDiagnosis.
 */
export async function watchUndoHistory(page: Page): Promise<void> {
  await page.locator(NOTES).evaluate((root) => {
    type Manager = { undoStack: unknown[]; redoStack: unknown[]; on(event: string, f: (e: { type?: string; origin?: unknown }) => void): void };
    const editor = (root as unknown as { __lexicalEditor: Record<symbol | string, unknown> }).__lexicalEditor;
    const manager = editor[Symbol.for('@lexical/yjs/UndoManager')] as Manager;
    const log: string[] = [];
    editor.quorumUndoLog = log;
    const sizes = (): string => `undo ${manager.undoStack.length}, redo ${manager.redoStack.length}`;
    manager.on('stack-item-added', (e) => log.push(`added to ${e.type} by ${String((e.origin as object | null)?.constructor?.name ?? e.origin)} (${sizes()})`));
    manager.on('stack-item-popped', (e) => log.push(`popped from ${e.type} (${sizes()})`));
    manager.on('stack-cleared', () => log.push(`cleared (${sizes()}) ${new Error().stack?.split('\n').slice(2, 6).join(' < ') ?? ''}`));
  });
}

/** What became of the undo history watched since watchUndoHistory (a rebuilt editor has none). */
export async function undoDiagnosis(page: Page): Promise<string> {
  return page
    .locator(NOTES)
    .evaluate((root) => {
      const editor = (root as unknown as { __lexicalEditor: Record<symbol | string, unknown> }).__lexicalEditor;
      const manager = editor[Symbol.for('@lexical/yjs/UndoManager')] as { undoStack: unknown[]; redoStack: unknown[] } | undefined;
      const log = editor.quorumUndoLog as string[] | undefined;
      const now = manager ? `undo ${manager.undoStack.length}, redo ${manager.redoStack.length}` : 'no undo manager';
      return log ? `undo history now: ${now}; since watched:\n  ${log.join('\n  ') || '(nothing)'}` : `the editor was rebuilt since watched (${now})`;
    })
    .catch((error: unknown) => `(unreadable: ${String(error)})`);
}

/** Puts the caret at the very end of a block, once Lexical has taken it in. */
export async function placeCaretAtEnd(page: Page, block: Locator): Promise<void> {
  await placeCaret(page, block, 'end');
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it stands (WCAG 2.1 A and AA rules): the serious and critical
 * violations, each as "rule: what (where)". Injected through the debugging protocol, so the
 * page's Content-Security-Policy stays as strict as users get it.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

/** Fails with the list of serious or critical accessibility violations on the page, if any. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length > 0) throw new Error(`accessibility violations on ${where}:\n${violations.join('\n')}`);
}
