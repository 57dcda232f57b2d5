// An upgrade while pages are open: the server is stopped, its client rebuilt (index.html names
// another entry script), and started again on the same port. A page loaded before it reconnects,
// reads the meeting again, and offers to reload; the reloaded page runs the new build and offers
// no more, however often it hears from the server.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFixtureMeeting, ensureClientBuilt, linkFor, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { api } from '../server/support/api.js';
import type { TestServer } from '../helpers/server.js';

let e2e: E2E;
let meeting: MeetingFixture;
let clientDir: string;
/** The server after the upgrade (e2e.server is the one before). */
let upgraded: TestServer | null = null;

beforeAll(async () => {
  await ensureClientBuilt();
  // The server's own copy of the client, which the test upgrades in place.
  clientDir = mkdtempSync(join(tmpdir(), 'quorum-client-'));
  cpSync(join(import.meta.dirname, '../../dist/client'), clientDir, { recursive: true });
  e2e = await startE2E({ clientDir });
  meeting = await createFixtureMeeting(e2e.server);
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await upgraded?.stop();
  await e2e?.close();
  rmSync(clientDir, { recursive: true, force: true });
});

/** Installs "a new build": the same code under a new entry script name, as a rebuild names it. */
function upgradeClient(): string {
  const index = join(clientDir, 'index.html');
  const html = readFileSync(index, 'utf8');
  const entry = /src="\/assets\/(index-[^"]+)\.js"/.exec(html)![1]!;
  const next = `${entry}-next`;
  cpSync(join(clientDir, 'assets', `${entry}.js`), join(clientDir, 'assets', `${next}.js`));
  writeFileSync(index, html.replace(`/assets/${entry}.js`, `/assets/${next}.js`));
  return `${next}.js`;
}

test('a page opened before an upgrade offers to reload, and the reloaded page runs the new build', async () => {
  const { page } = await e2e.user('Fay Follower');
  await page.goto(`${linkFor(meeting, 'follower')}&session=${meeting.sessions[0]!.id}`);
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  const banner = page.getByRole('status').filter({ hasText: 'Quorum has been updated' });
  expect(await banner.count()).toBe(0);

  // The upgrade: the server stops, the new client is installed, the server starts again.
  await e2e.server.stop();
  await page.locator('[data-testid="connection"]:not(.conn-connected)').waitFor();
  const build = upgradeClient();
  upgraded = await e2e.server.restartInPlace();
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  await banner.waitFor();

  await banner.getByRole('button', { name: 'Reload' }).click();
  await page.locator('[data-testid="connection"].conn-connected').waitFor();
  expect(await page.locator('script[type="module"][src^="/assets/"]').getAttribute('src')).toBe(`/assets/${build}`);
  // The new page hears from the server (the organiser renames the meeting; every page reads it
  // again) and is not told to reload.
  expect((await api(upgraded, 'PATCH', `/api/meetings/${meeting.id}`, { cookie: meeting.cookie, body: { title: 'DMLT, renamed after the upgrade' } })).status).toBe(200);
  await page.getByRole('heading', { name: 'DMLT, renamed after the upgrade' }).waitFor();
  expect(await banner.count()).toBe(0);
});
