// The importer's first step, reading a page into lines: how it tells Markdown from plain text, and
// its tables, with the pipe rows and delimiter rows of shared/notes/tables.ts, and the marks that
// exports (Quorum's own among them) leave: escapes, autolinks, quotes, numbered items, asides.
import { describe, expect, test } from 'vitest';
import { detectFormat, readLines } from '../../server/import/lines.js';
import { findDateRange, parseTime } from '../../server/import/dates.js';

describe('Markdown tables in an import', () => {
  test('a page whose only Markdown is a table is Markdown, whatever its delimiter row', () => {
    expect(detectFormat('Budget review\n| Site | Owner |\n|-|-|\n| Summit | RHL |')).toBe('markdown');
    expect(detectFormat('Budget review\nSite | Owner\n:---|---:\nSummit | RHL')).toBe('markdown');
    expect(detectFormat('Budget review\nSummit: RHL, due Friday')).toBe('text');
  });

  test('the row above a delimiter row is a header; escaped pipes stay in their cells; inline Markdown is dropped', () => {
    const lines = readLines('| Site | Owner |\n| :- | -: |\n| **Summit** \\| base | RHL |', 'markdown');
    expect(lines).toEqual([
      { kind: 'row', level: 0, text: 'Site Owner', cells: ['Site', 'Owner'], header: true },
      { kind: 'row', level: 0, text: 'Summit | base RHL', cells: ['Summit | base', 'RHL'] },
    ]);
  });
});

describe("what exports write, read back (Quorum's own among them)", () => {
  test("a cell's paragraph break (<br><br>) stays one blank line, in Markdown and in HTML; breaks at a cell's ends go", () => {
    const cell = 'Agenda review<br><br><br>Slides first<br>then questions<br><br>';
    expect(readLines(`| 09:00 | Welcome | <br>${cell} |`, 'markdown')[0]!.cells).toEqual(['09:00', 'Welcome', 'Agenda review\n\nSlides first\nthen questions']);
    expect(readLines(`<table><tr><td>09:00</td><td>Welcome</td><td><br>${cell}</td></tr></table>`, 'html')[0]!.cells).toEqual(['09:00', 'Welcome', 'Agenda review\n\nSlides first\nthen questions']);
    // Outside a table a blank line is no line.
    expect(readLines(`<p>${cell}</p>`, 'html').map((l) => l.text)).toEqual(['Agenda review', 'Slides first', 'then questions']);
  });

  test('escapes are the characters, autolinks and angle-bracket links their addresses, a hard break no backslash', () => {
    const lines = readLines('Q\\&A on phase\\_3 \\*draft\\* \\[v2\\]\\\nslides <https://example.org/s> and [plan](<https://example.org/p>)', 'markdown');
    expect(lines.map((l) => l.text)).toEqual(['Q&A on phase_3 *draft* [v2]', 'slides https://example.org/s and plan https://example.org/p']);
    expect(readLines('1\\. not a list\n\\- nor this\n\\> nor a quote', 'markdown').map((l) => [l.text, l.level, l.quote ?? false])).toEqual([
      ['1. not a list', 0, false],
      ['- nor this', 0, false],
      ['> nor a quote', 0, false],
    ]);
  });

  test('quotes, numbered items and what is set apart in italics are said so, in Markdown and in HTML', () => {
    const markdown = readLines('> Agenda review\n1. first\n    1. nested\n*No notes.*\n|  | *Afternoon* |  |\n| 09:00 | *Welcome* | KTL |', 'markdown');
    expect(markdown.map(({ kind, level, text, quote, ordered, aside }) => ({ kind, level, text, quote, ordered, aside }))).toEqual([
      { kind: 'text', level: 0, text: 'Agenda review', quote: true, ordered: undefined, aside: undefined },
      { kind: 'text', level: 1, text: 'first', quote: undefined, ordered: true, aside: undefined },
      { kind: 'text', level: 3, text: 'nested', quote: undefined, ordered: true, aside: undefined },
      { kind: 'text', level: 0, text: 'No notes.', quote: undefined, ordered: undefined, aside: true },
      { kind: 'row', level: 0, text: ' Afternoon ', quote: undefined, ordered: undefined, aside: true },
      { kind: 'row', level: 0, text: '09:00 Welcome KTL', quote: undefined, ordered: undefined, aside: undefined },
    ]);
    const html = readLines(
      '<header><h1>T</h1><dl><dt>Dates</dt><dd>Tuesday 17 November 2020</dd></dl></header><blockquote>Agenda review</blockquote><ol><li>first</li></ol>' +
        '<p class="empty">No notes.</p><table><tr class="roles"><td colspan="4">Afternoon</td></tr></table>',
      'html',
    );
    expect(html.map(({ kind, text, quote, ordered, aside }) => ({ kind, text, quote, ordered, aside }))).toEqual([
      { kind: 'heading', text: 'T', quote: undefined, ordered: undefined, aside: undefined },
      { kind: 'text', text: 'Dates: Tuesday 17 November 2020', quote: undefined, ordered: undefined, aside: undefined },
      { kind: 'text', text: 'Agenda review', quote: true, ordered: undefined, aside: undefined },
      { kind: 'text', text: 'first', quote: undefined, ordered: true, aside: undefined },
      { kind: 'text', text: 'No notes.', quote: undefined, ordered: undefined, aside: true },
      { kind: 'row', text: 'Afternoon', quote: undefined, ordered: undefined, aside: true },
    ]);
  });

  test("HedgeDoc's table of contents and the fences of its boxes are the tool's, not the minutes'", () => {
    expect(readLines('[TOC]\n:::info\nRecorded, see the drive\n:::\n[[_TOC_]]\nAgreed', 'markdown').map((l) => l.text)).toEqual(['Recorded, see the drive', 'Agreed']);
  });

  test('a range of named days, and a time with its length', () => {
    expect(findDateRange('Dates: Tuesday 17 November 2020 – Thursday 19 November 2020')).toEqual({ start: '2020-11-17', end: '2020-11-19' });
    expect(parseTime('09:00 (30 min)')).toEqual({ time: '09:00', minutes: 30 });
    expect(parseTime('09:00-09:45')).toEqual({ time: '09:00', minutes: 45 });
  });
});
