// Changes of the table at the caret (the toolbar's rows and columns). Two notetakers adding a row
// and a column at the same moment each make a whole change, but together they leave the new row a
// cell short; Lexical's row and column commands assume a grid and throw on such a table. So the
// table is made a grid first, short rows filled with empty cells at their ends, by whoever
// changes it next. Not on receipt: every page open would fill the same row at once, and the
// copies of those cells would make it too long.
import { $createParagraphNode, $getSelection, $isRangeSelection } from 'lexical';
import {
  $computeTableMapSkipCellCheck,
  $createTableCellNode,
  $findCellNode,
  $findTableNode,
  $isTableCellNode,
  $isTableRowNode,
  $isTableSelection,
  TableCellHeaderStates,
  type TableCellNode,
  type TableNode,
} from '@lexical/table';

/** Fills the table's short rows with empty cells, as Lexical's own table transform would. */
export function $evenTable(table: TableNode): void {
  const [map] = $computeTableMapSkipCellCheck(table, null, null);
  const width = Math.max(0, ...map.map((row) => row.length));
  table.getChildren().forEach((row, index) => {
    if (!$isTableRowNode(row)) return;
    const filled = (map[index] ?? []).filter(Boolean).length;
    const last = row.getLastChild();
    // A header row's new cells are headers too.
    const header = $isTableCellNode(last) ? last.getHeaderStyles() & TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS;
    for (let column = filled; column < width; column++) row.append($createTableCellNode(header).append($createParagraphNode()));
  });
}

/** The table cell the caret (or a selection of cells) starts in, if any. */
export function $cellAtSelection(): TableCellNode | null {
  const selection = $getSelection();
  return $isRangeSelection(selection) || $isTableSelection(selection) ? $findCellNode(selection.anchor.getNode()) : null;
}

/** Runs a change of the table the caret is in, once it is a grid; false when the caret is in none. */
export function $changeTableAtSelection(change: () => void): boolean {
  const cell = $cellAtSelection();
  const table = cell ? $findTableNode(cell) : null;
  if (!table) return false;
  $evenTable(table);
  change();
  return true;
}
