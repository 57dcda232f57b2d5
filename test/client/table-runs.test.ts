// A version's table in the history view: the runs of its one block, by author, cut into rows and
// cells where its text has line breaks and tabs; an author's run that spans cells is cut too.
import { expect, test } from 'vitest';
import { tableCells } from '../../client/meeting/table-runs';

test('a table block’s runs are cut into rows and cells, each piece keeping its author', () => {
  const runs = [
    { text: 'Site\tOwner', author: 0 },
    { text: '\n', author: null },
    { text: 'Summit ', author: 0 },
    { text: 'Chile', author: 1 },
    { text: '\t\n', author: null },
    { text: 'last', author: 1 },
  ];
  expect(tableCells(runs)).toEqual([
    [[{ text: 'Site', author: 0 }], [{ text: 'Owner', author: 0 }]],
    [[{ text: 'Summit ', author: 0 }, { text: 'Chile', author: 1 }], []],
    [[{ text: 'last', author: 1 }]],
  ]);
});
