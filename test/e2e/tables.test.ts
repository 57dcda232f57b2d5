// Tables in the running notes: a notetaker inserts one from the toolbar and fills it with Tab, two
// notetakers type into the same cell at the same spot, rows are added for everyone, a follower
// watches it all, a table pasted from a spreadsheet stays a table, and the exports write it as a
// table. A line in a cell is never an action, whatever it says. Markdown's pipe rows make tables;
// Tab in a table's last cell adds a row; a row added while someone else added a column is completed;
// the arrow keys out of a table above a heading land on a line of their own.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { caretSettled, createFixtureMeeting, expectAccessible, linkFor, NOTES, pasteInto, placeCaretAtEnd, startE2E, type E2E, type MeetingFixture } from './browser.js';
import { $getRoot } from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import { waitFor } from '../helpers/wait.js';
import { connectNotetaker } from '../server/notes-support.js';
import { $tableOfRows } from '../../shared/notes/tables.js';

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
  await user.page.goto(`${linkFor(meeting, role)}&session=${meeting.sessions[0]!.id}`);
  await user.page.locator('[data-testid="connection"].conn-connected').waitFor();
  return user.page;
}

/** A page's first table in the notes (with this text), as rows of cell texts. */
function cells(page: Page, hasText?: string): Promise<string[][]> {
  return page
    .locator(`${NOTES} table`, hasText ? { hasText } : {})
    .first()
    .evaluate((table) => [...table.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('td, th')].map((cell) => (cell as HTMLElement).innerText.replace(/\u00a0/g, ' ').trim())));
}

async function sameEverywhere(pages: Page[], expected: (rows: string[][]) => boolean, what: string): Promise<string[][]> {
  let seen: string[][][] = [];
  return waitFor(
    async () => {
      seen = await Promise.all(pages.map((page) => cells(page)));
      const first = JSON.stringify(seen[0]);
      return seen.every((rows) => JSON.stringify(rows) === first) && expected(seen[0]!) ? seen[0]! : null;
    },
    { timeout: 60_000, message: what },
  ).catch(() => {
    throw new Error(`${what}; the pages read:\n${seen.map((rows) => JSON.stringify(rows)).join('\n')}`);
  });
}

async function notes(format: 'md' | 'html'): Promise<string> {
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/notes?format=${format}`, { headers: { cookie: meeting.cookie } });
  expect(response.status).toBe(200);
  return response.text();
}

async function actionCount(): Promise<number> {
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/actions`, { headers: { cookie: meeting.cookie } });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

test('a table from the toolbar: filled with Tab, typed into at one spot by two notetakers, grown for everyone, exported as a table', async () => {
  const ann = await openAs('Ann Notetaker', 'notetaker');
  const ben = await openAs('Ben Notetaker', 'notetaker');
  const fay = await openAs('Fay Follower', 'follower');
  const actionsBefore = await actionCount();

  // Ann starts a line under Welcome and inserts a table there: the caret goes to its first cell.
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Welcome") ~ p`).first());
  await ann.keyboard.press('Enter');
  await ann.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Insert table' }).click();
  await caretSettled(ann);
  for (const [i, text] of ['Site', 'Owner', 'Status', 'Summit', 'ACTION: @KTL in a cell by Friday'].entries()) {
    if (i > 0) await ann.keyboard.press('Tab');
    await ann.keyboard.type(text, { delay: 5 });
  }
  await sameEverywhere([ann, ben, fay], (rows) => rows[1]?.[1] === 'ACTION: @KTL in a cell by Friday', 'the typed cells everywhere');
  expect((await cells(fay))[0]).toEqual(['Site', 'Owner', 'Status']);
  // The header row is a header for readers too.
  expect(await fay.locator(`${NOTES} table tr`).first().locator('th').count()).toBe(3);

  // Ann and Ben both put their caret at the end of the Status cell of the second row and type at once.
  const statusCell = (page: Page) => page.locator(`${NOTES} table tr`).nth(1).locator('td').nth(2).locator('p');
  await placeCaretAtEnd(ann, statusCell(ann));
  await placeCaretAtEnd(ben, statusCell(ben));
  const words = ['alpha bravo charlie delta', 'one two three four'];
  await Promise.all([ann, ben].map((page, i) => page.keyboard.type(words[i]!, { delay: 25 })));
  const typed = await sameEverywhere([ann, ben, fay], (rows) => (rows[1]?.[2]?.length ?? 0) >= words.join('').length, 'the shared cell everywhere');
  for (const phrase of words) expect(typed[1]![2], `"${phrase}" is not whole`).toContain(phrase);

  // Ben adds a row with the table's own button, for everyone.
  await ben.getByRole('group', { name: 'Table rows and columns' }).getByRole('button', { name: 'Add a row below' }).click();
  await sameEverywhere([ann, ben, fay], (rows) => rows.length === 4, 'the added row everywhere');
  await expectAccessible(fay, "a follower's page with a table in the notes");

  // The exports write it as a table; the line in the cell made no action, on the server or the page.
  await waitFor(async () => (await notes('md')).includes('| Site | Owner | Status |'), { message: 'the Markdown export has the table', timeout: 60_000 });
  const md = await notes('md');
  expect(md).toContain('| --- | --- | --- |');
  expect(md).toContain(`| Summit | ACTION: @KTL in a cell by Friday | ${typed[1]![2]!.replace(/\|/g, '\\|')} |`);
  expect(await notes('html')).toMatch(/<table class="notes-table">\n<tr><th>Site<\/th><th>Owner<\/th><th>Status<\/th><\/tr>/);
  expect(await actionCount()).toBe(actionsBefore);
  expect(await ann.locator(`${NOTES} table [data-action]`).count()).toBe(0);
});

test('a table pasted from a spreadsheet stays a table, for the follower too', async () => {
  const ann = await openAs('Ann Paster', 'notetaker');
  const fay = await openAs('Fay Reader', 'follower');
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Welcome") ~ p`).first());
  await ann.keyboard.press('Enter');
  await caretSettled(ann);
  // What a spreadsheet puts on the clipboard: an HTML table (and tab-separated text).
  await pasteInto(ann, { text: 'Milestone\tDue\nData Preview 1\t2021-06-30', html: '<meta charset="utf-8"><table><tbody><tr><td>Milestone</td><td>Due</td></tr><tr><td>Data Preview 1</td><td>2021-06-30</td></tr></tbody></table>' });
  const pasted = (rows: string[][]) => rows.some((row) => row.join('|') === 'Data Preview 1|2021-06-30');
  await waitFor(async () => pasted(await cells(fay, 'Milestone').catch(() => [])), { message: 'the pasted table on the follower’s page', timeout: 60_000 });
  await waitFor(async () => (await notes('md')).includes('| Data Preview 1 | 2021-06-30 |'), { message: 'the pasted table in the export', timeout: 60_000 });
});

test('Markdown tables: a pipe row and Enter makes a table to fill, and Markdown pasted with a table brings it as one, for the follower too', async () => {
  const ann = await openAs('Ann Markdown', 'notetaker');
  const fay = await openAs('Fay Watcher', 'follower');
  const line = (page: Page, text: string) => page.locator(`${NOTES} > p`, { hasText: text });

  // A single cell between pipes is more likely a stray pipe than a table: Enter is Enter.
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Project news") ~ p`).first());
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('| not a table |', { delay: 5 });
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('RHL: next line', { delay: 5 });
  await waitFor(async () => (await line(fay, 'RHL: next line').count()) === 1 && (await line(fay, '| not a table |').count()) === 1, {
    message: 'the one-cell line stays a line',
    timeout: 60_000,
  });
  // The empty line left under the heading no longer says "Notes…": the item has notes now. An
  // item without notes still says where they go.
  const placeholder = (page: Page, heading: string) =>
    page.locator(`${NOTES} h3:has-text("${heading}") ~ p`).first().evaluate((p) => getComputedStyle(p, '::before').content);
  expect(await placeholder(ann, 'Project news')).toBe('none');
  expect(await placeholder(ann, 'HiPS images')).toBe('"Notes…"');
  expect(await placeholder(ann, 'Plan to end of project')).toBe('"Notes…"'); // under its pre-meeting notes

  // A pipe row, then Enter: a table with those headings and a row to fill, the caret in its first cell.
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('| Decision | Owner | Due |', { delay: 5 });
  await ann.keyboard.press('Enter');
  await waitFor(async () => (await cells(fay, 'Decision').catch(() => [])).length === 2, { message: 'the row made a table', timeout: 60_000 });
  // Undo right after gives back the line as typed, and Enter at its end makes the table again.
  await ann.keyboard.press('Control+z');
  await waitFor(async () => (await line(fay, '| Decision | Owner | Due |').count()) === 1 && (await fay.locator(`${NOTES} table`, { hasText: 'Decision' }).count()) === 0, {
    message: 'the undone table a line again',
    timeout: 60_000,
  });
  await placeCaretAtEnd(ann, line(ann, '| Decision | Owner | Due |'));
  await ann.keyboard.press('Enter');
  await caretSettled(ann);
  await ann.keyboard.type('Adopt the test plan', { delay: 5 });
  await ann.keyboard.press('Tab');
  await ann.keyboard.type('TJ', { delay: 5 });
  // Tab in the last cell adds a row, as a word processor's table does, and goes to its first cell.
  await ann.keyboard.press('Tab');
  await ann.keyboard.press('Tab');
  await ann.keyboard.type('Freeze the schema', { delay: 5 });
  const typed = [
    ['Decision', 'Owner', 'Due'],
    ['Adopt the test plan', 'TJ', ''],
    ['Freeze the schema', '', ''],
  ];
  for (const page of [ann, fay]) {
    await waitFor(async () => JSON.stringify(await cells(page, 'Decision').catch(() => [])) === JSON.stringify(typed), { message: 'the typed table', timeout: 60_000 });
    expect(await page.locator(`${NOTES} table`, { hasText: 'Decision' }).locator('tr').first().locator('th').count()).toBe(3);
  }
  expect(await line(fay, '| Decision').count()).toBe(0);
  // A line after the table to go on with the item's notes, before the next item's heading.
  const after = await fay.locator(`${NOTES} table`, { hasText: 'Decision' }).evaluate((table) => {
    let block: Element = table;
    while (block.parentElement && !block.parentElement.classList.contains('notes-content')) block = block.parentElement;
    return `${block.nextElementSibling?.tagName} ${block.nextElementSibling?.nextElementSibling?.textContent ?? ''}`;
  });
  expect(after).toMatch(/^P 09:45 · Plan to end of project/);

  // What a Markdown editor (HedgeDoc, a code editor) copies: text, with a GFM table in it.
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Plan to end of project") ~ p`).first());
  await ann.keyboard.press('Enter');
  await caretSettled(ann);
  await pasteInto(ann, { text: 'Milestones we hold to:\n\n| Checkpoint | Due |\n| :-- | --: |\n| **Data Preview 1** | 2021-06-30 |\n| DR1 \\| first release | 2022-06-30 |\nKT checks the dates.\n' });
  const pasted = [
    ['Checkpoint', 'Due'],
    ['Data Preview 1', '2021-06-30'],
    ['DR1 | first release', '2022-06-30'],
  ];
  await waitFor(async () => JSON.stringify(await cells(fay, 'Checkpoint').catch(() => [])) === JSON.stringify(pasted), { message: 'the pasted table on the follower’s page', timeout: 60_000 });
  expect(await line(fay, 'Milestones we hold to:').count()).toBe(1);
  // Inline Markdown in a cell is formatting, as typed on the page.
  await fay.locator(`${NOTES} table td .n-bold`, { hasText: 'Data Preview 1' }).waitFor();
  expect(await line(fay, 'KT checks the dates.').count()).toBe(1);

  await waitFor(async () => (await notes('md')).includes('| DR1 \\| first release | 2022-06-30 |'), { message: 'the pasted table in the export', timeout: 60_000 });
  const md = await notes('md');
  expect(md).toContain('| Decision | Owner | Due |\n| --- | --- | --- |\n| Adopt the test plan | TJ | |\n| Freeze the schema | | |');
  expect(md).toContain('Milestones we hold to:\n\n| Checkpoint | Due |\n| --- | --- |\n| **Data Preview 1** | 2021-06-30 |');
  await expectAccessible(ann, 'a notetaker’s page with Markdown tables');
});

test('a row added by one notetaker while another, offline, added a column: the row is completed, and every page shows a grid', async () => {
  const ann = await openAs('Ann Rows', 'notetaker');
  const ben = await openAs('Ben Columns', 'notetaker');
  const fay = await openAs('Fay Grid', 'follower');
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Gen3 next steps") ~ p`).first());
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('| Repo | Plan | Owner |', { delay: 5 });
  await ann.keyboard.press('Enter');
  const grid = (page: Page) => cells(page, 'Repo').catch(() => [] as string[][]);
  const widths = async (page: Page) => (await grid(page)).map((row) => row.length).join(',');
  for (const page of [ann, ben, fay]) await waitFor(async () => (await widths(page)) === '3,3', { message: 'the new table everywhere', timeout: 60_000 });

  // Ben adds a column with no network; Ann adds a row meanwhile, which his column misses.
  await ben.context().setOffline(true);
  await ben.locator('[data-testid="connection"].conn-offline').waitFor();
  await placeCaretAtEnd(ben, ben.locator(`${NOTES} table`, { hasText: 'Repo' }).locator('th').first().locator('p'));
  await ben.getByRole('group', { name: 'Table rows and columns' }).getByRole('button', { name: 'Add a column to the right' }).click();
  await waitFor(async () => (await widths(ben)) === '4,4', { message: 'Ben’s column on his page' });
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} table`, { hasText: 'Repo' }).locator('td').first().locator('p'));
  await ann.getByRole('group', { name: 'Table rows and columns' }).getByRole('button', { name: 'Add a row below' }).click();
  await waitFor(async () => (await widths(fay)) === '3,3,3', { message: 'Ann’s row on the follower’s page' });

  // Back online: Ann's page completes her row, and everyone has the same four-column grid.
  await ben.context().setOffline(false);
  for (const [name, page] of Object.entries({ ann, ben, fay })) {
    await waitFor(async () => (await widths(page)) === '4,4,4', { message: `a grid of four columns on ${name}’s page`, timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; the rows' widths on Ann's, Ben's and Fay's pages: ${JSON.stringify(await Promise.all([ann, ben, fay].map(widths)))}`);
    });
  }
});

// A table right above the next agenda item's heading, as tables were made before they got a line
// after them (or once someone deletes that line): ↓ from its last row, or → at the end of its last
// cell, took the caret into the heading, and what was typed next renamed the agenda item.
test('the arrow keys out of a table right above the next heading land on a new line, not in the heading', async () => {
  const session = meeting.sessions[0]!;
  const writer = connectNotetaker(e2e.server.collabUrl, session.doc, meeting.links.find((link) => link.role === 'notetaker')!.token);
  try {
    await writer.synced();
    writer.edit(() => {
      for (const [heading, rows] of [
        ['Plans for serving', [['Base', 'Owner'], ['La Serena', 'KT']]],
        ['HiPS images', [['Survey', 'State'], ['DP0', 'Pending']]],
      ] as const) {
        const block = $getRoot()
          .getChildren()
          .find((node) => $isHeadingNode(node) && node.getTextContent().includes(heading))!;
        block.insertBefore($tableOfRows({ rows: rows.map((row) => [...row]), header: true }));
      }
    });
  } finally {
    writer.destroy();
  }
  const ann = await openAs('Ann Arrows', 'notetaker');
  const fay = await openAs('Fay Arrows', 'follower');
  const headings = (page: Page) => page.locator(`${NOTES} h3`).allInnerTexts();
  await fay.locator(`${NOTES} table`, { hasText: 'Pending' }).waitFor();
  const agenda = await headings(fay);

  await placeCaretAtEnd(ann, ann.locator(`${NOTES} table`, { hasText: 'La Serena' }).locator('td').first().locator('p'));
  await ann.keyboard.press('ArrowDown');
  await ann.keyboard.type('went on below', { delay: 5 });
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} table`, { hasText: 'Pending' }).locator('td').last().locator('p'));
  await ann.keyboard.press('ArrowRight');
  await ann.keyboard.type('and here', { delay: 5 });

  const next = (page: Page, hasText: string) =>
    page.locator(`${NOTES} table`, { hasText }).evaluate((table) => {
      let block: Element = table;
      while (block.parentElement && !block.parentElement.classList.contains('notes-content')) block = block.parentElement;
      return `${block.nextElementSibling?.tagName}: ${(block.nextElementSibling as HTMLElement | null)?.innerText ?? ''}`;
    });
  await waitFor(async () => (await next(fay, 'La Serena')) === 'P: went on below' && (await next(fay, 'Pending')) === 'P: and here', {
    message: 'the typed lines under the tables on the follower’s page',
    timeout: 60_000,
  }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; after the tables: ${await next(fay, 'La Serena')} / ${await next(fay, 'Pending')}`);
  });
  expect(await headings(fay)).toEqual(agenda);
  expect(await headings(ann)).toEqual(agenda);
});

// The line after an action is a check-list item until Enter is pressed on it empty: a pipe row
// typed there made an action saying "| Site | Owner |".
test('a pipe row typed on the line after an action makes a table, not an action', async () => {
  const ann = await openAs('Ann Checklist', 'notetaker');
  const fay = await openAs('Fay Checklist', 'follower');
  const before = await actionCount();
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("HiPS images") ~ p`).first());
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('[ ] EB to pick the precursor database', { delay: 5 });
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('| Option | Verdict |', { delay: 5 });
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('Cassandra', { delay: 5 });
  await waitFor(async () => JSON.stringify(await cells(fay, 'Option').catch(() => [])) === JSON.stringify([['Option', 'Verdict'], ['Cassandra', '']]), {
    message: 'the table on the follower’s page',
    timeout: 60_000,
  });
  expect(await fay.locator(`${NOTES} li`, { hasText: 'EB to pick the precursor database' }).count()).toBe(1);
  await waitFor(async () => (await actionCount()) === before + 1, { message: 'the one action in the API', timeout: 60_000 });
  const response = await fetch(`${e2e.server.url}/api/meetings/${meeting.id}/actions`, { headers: { cookie: meeting.cookie } });
  const descriptions = ((await response.json()) as { items: { description: string }[] }).items.map((item) => item.description);
  expect(descriptions.filter((text) => text.includes('|'))).toEqual([]);
});

// Two notetakers at the same spot: one types a pipe row, and both press Enter at its end at the
// same moment (here one of them offline, so that neither sees the other's table first). Each
// page makes a table of the row; together they made two tables with the same headings, one under
// the other. The page whose table comes second moves its row into the first and removes its own.
test('a pipe row two notetakers both press Enter on at once makes one table, with a row for each', async () => {
  const ann = await openAs('Ann Twin', 'notetaker');
  const ben = await openAs('Ben Twin', 'notetaker');
  const fay = await openAs('Fay Twin', 'follower');
  await placeCaretAtEnd(ann, ann.locator(`${NOTES} h3:has-text("Plans for serving photometric redshifts") ~ p`).first());
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('| Mirror | Coating |', { delay: 5 });
  const row = (page: Page) => page.locator(`${NOTES} > p`, { hasText: '| Mirror | Coating |' });
  await row(ben).waitFor();

  await ben.context().setOffline(true);
  await ben.locator('[data-testid="connection"].conn-offline').waitFor();
  await placeCaretAtEnd(ben, row(ben));
  await ben.keyboard.press('Enter');
  await ben.keyboard.type('M2', { delay: 5 });
  await ann.keyboard.press('Enter');
  await ann.keyboard.type('M1', { delay: 5 });
  await waitFor(async () => (await fay.locator(`${NOTES} table`, { hasText: 'Coating' }).count()) === 1 && (await fay.locator(`${NOTES} td`, { hasText: 'M1' }).count()) === 1, {
    message: 'Ann’s table on the follower’s page',
    timeout: 60_000,
  });
  await ben.context().setOffline(false);

  // Which of the two comes first is the document's choice (its order of the two pages' changes):
  // the rows are compared in any order.
  const tables = async (page: Page) =>
    page.locator(`${NOTES} table`, { hasText: 'Coating' }).evaluateAll((found) =>
      found.map((table) => {
        const rows = [...table.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td, th')].map((cell) => (cell as HTMLElement).innerText.trim()).join('|'));
        return [rows[0], ...rows.slice(1).sort()];
      }),
    );
  const expected = JSON.stringify([['Mirror|Coating', 'M1|', 'M2|']]);
  for (const [name, page] of Object.entries({ ann, ben, fay })) {
    await waitFor(async () => JSON.stringify(await tables(page)) === expected, { message: `one table with both rows on ${name}’s page`, timeout: 60_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; the tables on Ann's, Ben's and Fay's pages: ${JSON.stringify(await Promise.all([ann, ben, fay].map(tables)))}`);
    });
  }
  // Each goes on typing in their own row, and the table has one line after it.
  await ann.keyboard.type(' silver', { delay: 5 });
  await ben.keyboard.type(' gold', { delay: 5 });
  const done = JSON.stringify([['Mirror|Coating', 'M1 silver|', 'M2 gold|']]);
  for (const page of [ann, ben, fay]) await waitFor(async () => JSON.stringify(await tables(page)) === done, { message: 'both typed on in their rows', timeout: 60_000 });
  const after = await fay.locator(`${NOTES} table`, { hasText: 'Coating' }).evaluate((table) => {
    const lines: string[] = [];
    let next = table.closest('.notes-content > *')?.nextElementSibling;
    for (; next && next.tagName === 'P' && lines.length < 3; next = next.nextElementSibling) lines.push((next as HTMLElement).innerText.trim());
    return { lines, html: table.closest('.notes-content > *')?.nextElementSibling?.outerHTML ?? 'none' };
  });
  expect(after.lines, after.html).toEqual(['']);
  expect(await notes('md')).toMatch(/\| Mirror \| Coating \|\n\| --- \| --- \|\n\| (M1 silver \| \|\n\| M2 gold|M2 gold \| \|\n\| M1 silver) \| \|/);
});
