// Markdown's pipe rows and GFM tables as the importer and the page read them.
import { describe, expect, test } from 'vitest';
import { isDelimiterRow, markdownTablesIn, pipeRowCells } from '../../shared/notes/tables';

describe('pipe rows', () => {
  test('cells are trimmed, and an escaped pipe stays in its cell', () => {
    expect(pipeRowCells('| Topic | Owner | Due |')).toEqual(['Topic', 'Owner', 'Due']);
    expect(pipeRowCells('  |a|b \\| c|  ')).toEqual(['a', 'b | c']);
    expect(pipeRowCells('| only |')).toEqual(['only']);
    expect(pipeRowCells('| a | |')).toEqual(['a', '']);
  });

  test('a line that does not start and end with a pipe is none', () => {
    expect(pipeRowCells('RHL: a | b')).toBeNull();
    expect(pipeRowCells('| a | b')).toBeNull();
    expect(pipeRowCells('')).toBeNull();
  });

  test('delimiter rows: dashes and colons between pipes', () => {
    expect(isDelimiterRow('|---|---|')).toBe(true);
    expect(isDelimiterRow('| :--- | :---: | ---: |')).toBe(true);
    expect(isDelimiterRow('---|---')).toBe(true);
    expect(isDelimiterRow('|-|:-:|')).toBe(true);
    expect(isDelimiterRow('---')).toBe(false);
    expect(isDelimiterRow('| - | a |')).toBe(false);
    expect(isDelimiterRow('| a | b |')).toBe(false);
  });
});

describe('GFM tables in pasted text', () => {
  test('lines around a table stay lines; the table is its rows with a header', () => {
    const text = ['Decisions:', '', '| Topic | Owner |', '| --- | --- |', '| Budget | WOM |', '| Gen3 \\| test plan | TJ |', 'After the table.'].join('\n');
    expect(markdownTablesIn(text)).toEqual([
      { lines: ['Decisions:', ''] },
      { table: { rows: [['Topic', 'Owner'], ['Budget', 'WOM'], ['Gen3 | test plan', 'TJ']], header: true } },
      { lines: ['After the table.'] },
    ]);
  });

  test('two tables, Windows line ends, and a table that is the whole text', () => {
    expect(markdownTablesIn('|a|b|\r\n|-|-|\r\n')).toEqual([{ table: { rows: [['a', 'b']], header: true } }, { lines: [''] }]);
    expect(markdownTablesIn('|a|b|\r\n|---|---|\r\n|1|2|')).toEqual([{ table: { rows: [['a', 'b'], ['1', '2']], header: true } }]);
    const two = markdownTablesIn('| x | y |\n|---|---|\n\n| p | q |\n|---|---|\n| 1 | 2 |');
    expect(two?.map((part) => ('table' in part ? part.table.rows.length : part.lines))).toEqual([1, [''], 2]);
  });

  test('pipe rows without a delimiter row as wide as the header are no table', () => {
    expect(markdownTablesIn('| a | b |\n| c | d |')).toBeNull();
    expect(markdownTablesIn('| a | b |\n|---|---|---|\n| c | d |')).toBeNull();
    expect(markdownTablesIn('Plain notes\nwith | a pipe |')).toBeNull();
  });
});
