// Changes of the table at the caret (the toolbar's rows and columns). Two notetakers adding a row
// and a column at the same moment each make a whole change, but together they leave the new row a
// cell short; Lexical's row and column commands assume a grid and throw on such a table. So:
//   - whoever added a row completes it when someone else's change leaves it short, on receipt
//     (`completeOwnRows`): only that page, so that the cells are added once, not by every page
//     open at once;
//   - and whoever changes a table next makes it a grid first, short rows filled with empty cells
//     at their ends, for rows whose author is gone (reloaded, offline for good).
import {
  $createParagraphNode,
  $getEditor,
  $getNodeByKey,
  $getSelection,
  $isElementNode,
  $isParagraphNode,
  $isRangeSelection,
  $isRootNode,
  COLLABORATION_TAG,
  type LexicalEditor,
  type NodeKey,
  type PointType,
} from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import {
  $computeTableMapSkipCellCheck,
  $createTableCellNode,
  $findCellNode,
  $findTableNode,
  $insertTableRowAtSelection,
  $isTableCellNode,
  $isTableRowNode,
  $isTableSelection,
  TableCellHeaderStates,
  type TableCellNode,
  type TableNode,
  type TableRowNode,
} from '@lexical/table';

/** Fills the table's short rows (those `which` picks) with empty cells, as Lexical's own table transform would. */
export function $evenTable(table: TableNode, which: (row: TableRowNode) => boolean = () => true): void {
  const [map] = $computeTableMapSkipCellCheck(table, null, null);
  const width = Math.max(0, ...map.map((row) => row.length));
  table.getChildren().forEach((row, index) => {
    if (!$isTableRowNode(row) || !which(row)) return;
    const filled = (map[index] ?? []).filter(Boolean).length;
    const last = row.getLastChild();
    // A header row's new cells are headers too.
    const header = $isTableCellNode(last) ? last.getHeaderStyles() & TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS;
    for (let column = filled; column < width; column++) row.append($createTableCellNode(header).append($createParagraphNode()));
  });
}

/**
 * A line after a table to go on typing in, unless one is there: at the end of the notes, or
 * before the next agenda item's heading (where the arrow keys would otherwise take the caret).
 */
export function $lineAfter(table: TableNode): void {
  if (!$isParagraphNode(table.getNextSibling())) table.insertAfter($createParagraphNode());
}

/**
 * Before the arrow keys take the caret out of a table downwards (↓ in its last row, → at the end of
 * its last cell): a line to land on when the table is the last thing in the notes or sits right
 * above the next agenda item's heading, where the caret would otherwise go on into the heading
 * (and typing there renames the agenda item). Tables made on this page get that line at once
 * ($lineAfter); this is for older ones, and for a line someone deleted.
 */
export function $lineBeforeLeavingTable(key: 'down' | 'right'): void {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return;
  const cell = $findCellNode(selection.anchor.getNode());
  const row = cell?.getParent();
  const table = cell ? $findTableNode(cell) : null;
  if (!cell || !table || !$isRootNode(table.getParent()) || !row || row.getNextSibling() !== null) return;
  if (key === 'right' && (cell.getNextSibling() !== null || !$atEndOf(cell, selection.anchor))) return;
  const next = table.getNextSibling();
  if (next === null || $isHeadingNode(next)) table.insertAfter($createParagraphNode());
}

function $atEndOf(cell: TableCellNode, point: PointType): boolean {
  const last = cell.getLastDescendant() ?? cell;
  const node = point.getNode();
  if (!node.is(last)) return false;
  return point.offset === ($isElementNode(node) ? node.getChildrenSize() : node.getTextContentSize());
}

/** The table cell the caret (or a selection of cells) starts in, if any. */
export function $cellAtSelection(): TableCellNode | null {
  const selection = $getSelection();
  return $isRangeSelection(selection) || $isTableSelection(selection) ? $findCellNode(selection.anchor.getNode()) : null;
}

/** The rows each editor added, by key: the rows it completes. */
const ownRows = new WeakMap<LexicalEditor, Set<NodeKey>>();

/** Runs a change of the table the caret is in, once it is a grid; false when the caret is in none. */
export function $changeTableAtSelection(change: () => void): boolean {
  const cell = $cellAtSelection();
  const table = cell ? $findTableNode(cell) : null;
  if (!table) return false;
  $evenTable(table);
  const before = new Set(table.getChildren().map((row) => row.getKey()));
  change();
  if (!table.isAttached()) return true;
  const editor = $getEditor();
  const mine = ownRows.get(editor) ?? new Set<NodeKey>();
  for (const row of table.getChildren()) if (!before.has(row.getKey())) mine.add(row.getKey());
  ownRows.set(editor, mine);
  return true;
}

/**
 * Tab in a table's last cell adds a row and goes to its first cell, as in every word processor:
 * a table of minutes grows as it is typed. False when the caret is anywhere else.
 */
export function $addRowOnTabInLastCell(): boolean {
  const selection = $getSelection();
  const cell = $isRangeSelection(selection) && selection.isCollapsed() ? $cellAtSelection() : null;
  const row = cell?.getParent();
  if (!cell || !$isTableRowNode(row) || cell.getNextSibling() !== null || row.getNextSibling() !== null) return false;
  return $changeTableAtSelection(() => {
    $insertTableRowAtSelection(true);
    const added = row.getNextSibling();
    const first = $isTableRowNode(added) ? added.getFirstChild() : null;
    if ($isTableCellNode(first)) first.selectStart();
  });
}

/**
 * Completes the rows this editor added whenever someone else's change leaves one shorter than its
 * table (a column added at the same moment did not reach it). Returns the unregistering function.
 */
export function completeOwnRows(editor: LexicalEditor): () => void {
  return editor.registerUpdateListener(({ tags, editorState }) => {
    const mine = ownRows.get(editor);
    if (!tags.has(COLLABORATION_TAG) || !mine || mine.size === 0) return;
    const short = editorState.read(() =>
      [...mine].filter((key) => {
        const row = $getNodeByKey(key);
        if (!$isTableRowNode(row)) {
          mine.delete(key);
          return false;
        }
        const table = $findTableNode(row);
        return table !== null && row.getChildrenSize() < Math.max(...table.getChildren().map((other) => ($isTableRowNode(other) ? other.getChildrenSize() : 0)));
      }),
    );
    if (short.length === 0) return;
    // Discrete: committed (and sent) now as a change of its own, before another remote change
    // can join it; a change joined to a remote one is not sent to anyone.
    editor.update(
      () => {
        for (const key of short) {
          const row = $getNodeByKey(key);
          const table = $isTableRowNode(row) ? $findTableNode(row) : null;
          if (table) $evenTable(table, (other) => other.getKey() === key);
        }
      },
      { discrete: true },
    );
  });
}
