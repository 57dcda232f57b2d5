// Two notetakers at the same spot both press Enter at the end of a pipe row (`| Site | Cores |`):
// each page turns the line into a table, and the document ends with two tables of the same
// headings, one under the other (each page's line after its table between them). The page whose
// table the document puts second joins it to the first when the other arrives: its rows that hold
// anything, or its caret, move into the first table, and its table and its empty line go. Only
// that page acts, so the join is made once; the page whose table comes first has nothing to do,
// and every page agrees on which is first.
import { $getNodeByKey, $getSelection, $isParagraphNode, $isRangeSelection, $isTextNode, COLLABORATION_TAG, type LexicalEditor, type LexicalNode, type NodeKey } from 'lexical';
import { $isTableNode, $isTableRowNode, type TableNode } from '@lexical/table';

interface TypedTable {
  /** The headings as typed: a twin has the same. */
  header: string;
  /** The block before the table when it was made (empty lines skipped): a twin is another. */
  before: NodeKey | null;
}

/** The tables each editor made of typed rows, the latest last: the ones it may join to a twin. */
const typedTables = new WeakMap<LexicalEditor, Map<NodeKey, TypedTable>>();

/** Tables kept in mind per editor: a twin arrives within a reconnect, not a whole meeting later. */
const REMEMBERED = 8;

const headerOf = (table: TableNode): string => {
  const first = table.getFirstChild();
  return $isTableRowNode(first) ? first.getChildren().map((cell) => cell.getTextContent().trim()).join('\t') : '';
};

/** A paragraph with nothing in it (a page may hold an empty text node in one until it normalises). */
const isEmptyLine = (node: LexicalNode | null): boolean => $isParagraphNode(node) && node.getChildren().every((child) => $isTextNode(child) && child.getTextContent() === '');

/** The block before `node`, empty lines skipped. */
function $blockBefore(node: LexicalNode): LexicalNode | null {
  let before = node.getPreviousSibling();
  while (before && isEmptyLine(before)) before = before.getPreviousSibling();
  return before;
}

/** Called when this editor makes a table of a typed row: the table that may have a twin. */
export function $rememberTypedTable(editor: LexicalEditor, table: TableNode): void {
  const mine = typedTables.get(editor) ?? new Map<NodeKey, TypedTable>();
  mine.set(table.getKey(), { header: headerOf(table), before: $blockBefore(table)?.getKey() ?? null });
  for (const key of [...mine.keys()].slice(0, Math.max(0, mine.size - REMEMBERED))) mine.delete(key);
  typedTables.set(editor, mine);
}

/** The table just before this one (empty lines skipped) that was made of the same row at the same moment, if any. */
function $twinOf(table: TableNode, typed: TypedTable): TableNode | null {
  const before = $blockBefore(table);
  return $isTableNode(before) && before.getKey() !== typed.before && headerOf(before) === typed.header ? before : null;
}

/** Joins `table` to its twin: its rows worth keeping move there, then it goes, with its empty line. */
function $joinTo(twin: TableNode, table: TableNode): void {
  const selection = $getSelection();
  const holdsCaret = (block: LexicalNode | null): boolean =>
    block !== null && $isRangeSelection(selection) && selection.getNodes().some((node) => node.is(block) || block.isParentOf(node));
  for (const row of table.getChildren().slice(1)) {
    if ($isTableRowNode(row) && (row.getTextContent().trim() !== '' || holdsCaret(row))) twin.append(row);
  }
  // The caret still in the table (in its headings) goes to the end of the twin.
  const caretLeft = holdsCaret(table);
  const after = table.getNextSibling();
  table.remove();
  // The two lines after the two tables (in whichever order the document put them) are one line
  // after one table now.
  if (after && isEmptyLine(after) && !holdsCaret(after) && (isEmptyLine(after.getPreviousSibling()) || isEmptyLine(after.getNextSibling()))) after.remove();
  if (caretLeft) twin.selectEnd();
}

/**
 * Joins this editor's tables made of typed rows to their twins as others' changes arrive.
 * Returns the unregistering function.
 */
export function joinTwinTables(editor: LexicalEditor): () => void {
  return editor.registerUpdateListener(({ tags, editorState }) => {
    const mine = typedTables.get(editor);
    if (!tags.has(COLLABORATION_TAG) || !mine || mine.size === 0) return;
    const twins = editorState.read(() =>
      [...mine].flatMap(([key, typed]) => {
        const table = $getNodeByKey(key);
        if (!$isTableNode(table) || !table.isAttached()) {
          mine.delete(key);
          return [];
        }
        const twin = $twinOf(table, typed);
        return twin ? [key] : [];
      }),
    );
    if (twins.length === 0) return;
    // Discrete: committed (and sent) now as a change of its own, before another remote change
    // can join it; a change joined to a remote one is not sent to anyone.
    editor.update(
      () => {
        for (const key of twins) {
          const table = $getNodeByKey(key);
          const typed = mine.get(key);
          mine.delete(key);
          const twin = $isTableNode(table) && typed ? $twinOf(table, typed) : null;
          if ($isTableNode(table) && twin) $joinTo(twin, table);
        }
      },
      { discrete: true },
    );
  });
}
