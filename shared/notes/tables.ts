// Tables of the running notes as text writes them: Markdown's pipe rows (`| Topic | Owner |`)
// and GFM's delimiter row (`|---|:--:|`), read the same way by the importer of old minutes and by
// the page, where a pipe row typed or Markdown pasted becomes a table; and the table node such
// rows make.
import { $createParagraphNode } from 'lexical';
import { $textWithLinks } from './links';
import { $createTableCellNode, $createTableNode, $createTableRowNode, TableCellHeaderStates, type TableNode } from '@lexical/table';

/** Rows of cells (a cell's lines joined by "\n"), the first a header row or not. */
export interface TableRows {
  rows: readonly (readonly string[])[];
  header: boolean;
}

const PIPE_ROW = /^\s*\|.*\|\s*$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** The cells of a pipe row (`| a | b \| c |`: "a", "b | c"), trimmed; null when the line is none. */
export function pipeRowCells(line: string): string[] | null {
  if (!PIPE_ROW.test(line)) return null;
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      current += '|';
      i++;
    } else if (body[i] === '|') {
      cells.push(current.trim());
      current = '';
    } else current += body[i];
  }
  cells.push(current.trim());
  return cells;
}

/** GFM's row between a table's header and its body: dashes, colons and pipes only. */
export function isDelimiterRow(line: string): boolean {
  return DELIMITER_ROW.test(line) && line.includes('-') && line.includes('|');
}

/**
 * Plain text with GFM tables in it, in order: runs of other lines, and each table (a pipe row,
 * a delimiter row as wide, then pipe rows). Null when the text holds no table.
 */
export function markdownTablesIn(text: string): Array<{ lines: string[] } | { table: TableRows }> | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const parts: Array<{ lines: string[] } | { table: TableRows }> = [];
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    const header = pipeRowCells(lines[i]!);
    const delimiter = lines[i + 1];
    if (header && delimiter !== undefined && isDelimiterRow(delimiter) && delimiterWidth(delimiter) === header.length) {
      const rows: string[][] = [header];
      let next = i + 2;
      for (let cells = pipeRowCells(lines[next] ?? ''); cells; cells = pipeRowCells(lines[next] ?? '')) {
        rows.push(cells);
        next++;
      }
      parts.push({ table: { rows, header: true } });
      found = true;
      i = next - 1;
      continue;
    }
    const last = parts[parts.length - 1];
    if (last && 'lines' in last) last.lines.push(lines[i]!);
    else parts.push({ lines: [lines[i]!] });
  }
  return found ? parts : null;
}

function delimiterWidth(line: string): number {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').length;
}

/** A table of the notes, every row as wide as the widest, each line of a cell a paragraph. */
export function $tableOfRows({ rows, header }: TableRows): TableNode {
  const width = Math.max(1, ...rows.map((row) => row.length));
  return $createTableNode().append(
    ...rows.map((row, r) =>
      $createTableRowNode().append(
        ...Array.from({ length: width }, (_, c) =>
          $createTableCellNode(header && r === 0 ? TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS).append(
            ...(row[c] ?? '').split('\n').map((text) => $createParagraphNode().append(...(text.trim() === '' ? [] : $textWithLinks(text.trim())))),
          ),
        ),
      ),
    ),
  );
}
