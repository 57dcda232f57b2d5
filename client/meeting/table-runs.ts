// A table of a version's notes, cell by cell: the server sends a table as one block whose text
// keeps rows apart by line breaks and cells by tabs (shared/notes/model.ts, TABLE_SEPARATORS),
// split into runs by author.
import type { AttributedBlock } from '../../shared/api/index';

export type Run = AttributedBlock['runs'][number];

/** A table block's runs by row and cell, each run cut where a row or cell ends. */
export function tableCells(runs: readonly Run[]): Run[][][] {
  const rows: Run[][][] = [[[]]];
  for (const run of runs) {
    for (const part of run.text.split(/(\n|\t)/)) {
      const row = rows[rows.length - 1]!;
      if (part === '\n') rows.push([[]]);
      else if (part === '\t') row.push([]);
      else if (part !== '') row[row.length - 1]!.push({ ...run, text: part });
    }
  }
  return rows;
}
