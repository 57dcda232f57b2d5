// The importer's first step, reading a page into lines: how it tells Markdown from plain text, and
// its tables, with the pipe rows and delimiter rows of shared/notes/tables.ts.
import { describe, expect, test } from 'vitest';
import { detectFormat, readLines } from '../../server/import/lines.js';

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
