// Importing old minutes through the page, in a real browser against the real server: paste a
// wiki export, read the preview (actions with assignee, due date and state; what was guessed),
// import it, and land on the meeting with its notes.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createFixtureMeeting, expectAccessible, NOTES, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { importSample } from '../fixtures/index.js';

let e2e: E2E;
let fixture: MeetingFixture;

beforeAll(async () => {
  e2e = await startE2E();
  // Signs the admin up; its cookie is the member's session below.
  fixture = await createFixtureMeeting(e2e.server);
});
afterEach((context) => e2e.afterTest(context));
afterAll(async () => {
  await e2e?.close();
});

test('a member pastes a wiki page, checks the preview and imports it as a meeting', async () => {
  const member = await e2e.user();
  await member.context.addCookies(
    fixture.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: e2e.server.url };
    }),
  );
  const { page } = member;
  await page.goto('/');
  await page.getByRole('link', { name: 'Import minutes' }).click();
  await page.getByLabel(/The page/).fill(importSample('dm-f2f-wiki.txt'));
  await page.getByLabel('Series').fill('DMLT');
  await page.getByRole('button', { name: 'Preview' }).click();

  const preview = page.getByRole('region', { name: 'Preview' });
  await preview.getByRole('heading', { name: 'DM Leadership Team Face-to-Face Meeting 2020-11' }).waitFor();
  const rows = preview.locator('.import-actions tbody tr');
  expect(await rows.count()).toBe(11);
  await rows.filter({ hasText: 'Convene a meeting on graph generation' }).filter({ hasText: 'Robert Lupton' }).filter({ hasText: '2020-12-07' }).waitFor();
  await preview.getByText('Guessed: "Ki an-Tat Lim" read as Kian-Tat Lim').waitFor();
  await preview.getByText(/Action Item Summary.*left out/).waitFor();
  await expectAccessible(page, 'the import page');
  await e2e.screenshot(page, 'import-preview');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/m\/[A-Za-z0-9]+$/);
  await page.getByRole('heading', { name: 'DM Leadership Team Face-to-Face Meeting 2020-11' }).waitFor();
  await page.locator(NOTES, { hasText: 'Wil welcomed everyone.' }).waitFor();
  await page.getByText('closed · minutes locked').waitFor();
});

test('a table in the running notes is previewed as a table and becomes one in the meeting’s notes', async () => {
  const member = await e2e.user();
  await member.context.addCookies(
    fixture.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: e2e.server.url };
    }),
  );
  const { page } = member;
  await page.goto('/meetings/import');
  await page.getByLabel(/The page/).fill(importSample('dm-sync-tables.md'));
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await preview.locator('.import-table th', { hasText: 'Cores' }).waitFor();
  await preview.locator('.import-table tr', { hasText: 'IN2P3' }).locator('td', { hasText: 'installed' }).waitFor();
  await expectAccessible(page, 'the import preview with a table');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/m\/[A-Za-z0-9]+$/);
  const table = page.locator(`${NOTES} table`, { hasText: 'SLAC' });
  await table.waitFor();
  expect(await table.locator('tr').count()).toBe(3);
  expect(await table.locator('tr').first().locator('th').allInnerTexts()).toEqual(['Site', 'Cores', 'Status']);
});
