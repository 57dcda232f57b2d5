// Markdown on the page, for notetakers who think in it (HedgeDoc, GitHub). Tables: Enter at the
// end of a pipe row (`| Topic | Owner | Due |`) turns the line into a table with that header row
// and an empty row to fill, the caret in its first cell. A pipe row inside a table, a nested list
// or a heading stays text, as does a single cell (`| a |`), which is more likely a stray pipe than
// a table. Pastes: plain text that is Markdown (a GFM table, lists, tasks, headings) comes in as
// what typing it would have made.
import { $isListItemNode } from '@lexical/list';
import { $generateNodesFromMarkdownString, TEXT_FORMAT_TRANSFORMERS, TEXT_MATCH_TRANSFORMERS } from '@lexical/markdown';
import { $findTableNode, $isTableNode, type TableNode } from '@lexical/table';
import {
  $addUpdateTag,
  $createParagraphNode,
  $createTextNode,
  $getEditor,
  $getSelection,
  $insertNodes,
  $isElementNode,
  $isParagraphNode,
  $isRangeSelection,
  $isRootNode,
  $isTextNode,
  $onUpdate,
  PASTE_TAG,
  type LexicalNode,
} from 'lexical';
import { $tableOfRows, isDelimiterRow, markdownTablesIn, pipeRowCells } from '../../shared/notes/tables';
import { $lineAfter } from './table-ops';
import { $rememberTypedTable } from './twin-tables';
import { collabUndoManager } from './undo-filter';
import { NOTE_MARKDOWN } from './markdown-transformers';

/**
 * Enter at the end of a line that is a pipe row of two cells or more: a top-level line, or an item
 * of a top-level list (the line after an action is a check-list item until Enter is pressed on it
 * empty, and a notetaker starting a table there means a table, not an action saying `| a | b |`).
 */
export function $tableFromTypedRow(): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return false;
  const anchor = selection.anchor.getNode();
  const line = $isElementNode(anchor) ? anchor : anchor.getParent();
  const inList = $isListItemNode(line) && $isRootNode(line.getParent()?.getParent() ?? null) && line.getChildren().every((child) => !$isElementNode(child) || child.isInline());
  if (!line || !(inList || ($isParagraphNode(line) && $isRootNode(line.getParent())))) return false;
  const atEnd = $isTextNode(anchor) ? anchor.is(line.getLastDescendant()) && selection.anchor.offset === anchor.getTextContentSize() : anchor.is(line) && selection.anchor.offset === line.getChildrenSize();
  if (!atEnd) return false;
  const text = line.getTextContent();
  const cells = pipeRowCells(text);
  if (!cells || cells.length < 2 || isDelimiterRow(text)) return false;
  // An undo step of its own, so that Ctrl+Z right after it gives back the line as typed (the
  // collaboration undo would otherwise take it with the keystrokes just before and after).
  const undo = collabUndoManager($getEditor());
  undo?.stopCapturing();
  $onUpdate(() => undo?.stopCapturing());
  const table = $tableOfRows({ rows: [cells, cells.map(() => '')], header: true });
  if (inList) {
    // The item's line gives way to the table at the top level, the list split around it (an
    // empty list is removed): what a paste of a table into a list item does.
    line.select(0, line.getChildrenSize()).removeText();
    $insertNodes([table]);
  } else line.replace(table);
  $lineAfter(table);
  // Someone else may be making the same table of the same row at this moment.
  $rememberTypedTable($getEditor(), table);
  const firstBodyCell = table.getChildAtIndex(1);
  const first = $isElementNode(firstBodyCell) ? firstBodyCell.getFirstDescendant() : null;
  if ($isElementNode(first)) first.selectStart();
  return true;
}

/**
 * Plain text pasted outside any table that is Markdown: a GFM table in it (a pipe row, a delimiter
 * row, pipe rows), or lines of Markdown blocks (a list, tasks, headings, a quote). What a Markdown
 * editor (HedgeDoc, a code editor, a .md file) copies is plain text, and pasted as such it showed
 * `- [ ] Fritz to…` and `**Summit**` as typed characters where typing them makes a check-list item
 * and bold. A copy from a page (a rendered table or list, a Lexical selection) is read by the
 * default paste, and so is text in which nothing reads as Markdown, or a single line (pasted
 * into a sentence, it is part of the sentence).
 */
export function $pasteMarkdown(data: DataTransfer): boolean {
  if (data.types.includes('application/x-lexical-editor')) return false;
  const html = data.getData('text/html');
  const text = data.getData('text/plain');
  // A code editor's HTML (coloured source) holds no table, and its text is the Markdown.
  const tables = /<table[\s>]/i.test(html) ? null : markdownTablesIn(text);
  const blocks = !RENDERED.test(html) && isMarkdownLines(text);
  const selection = $getSelection();
  if ((!tables && !blocks) || !$isRangeSelection(selection) || $findTableNode(selection.anchor.getNode())) return false;
  // A paste like the default one, for what reacts to pastes (the addresses in it become links).
  $addUpdateTag(PASTE_TAG);
  const nodes: LexicalNode[] = [];
  for (const part of tables ?? [{ lines: text.replace(/\r\n?/g, '\n').split('\n') }]) {
    if ('table' in part) nodes.push($inlineMarkdownInCells($tableOfRows(part.table)));
    else if (blocks) nodes.push(...$generateNodesFromMarkdownString(trimEmptyEnds(part.lines).join('\n'), NOTE_MARKDOWN));
    else for (const line of trimEmptyEnds(part.lines)) nodes.push($createParagraphNode().append(...(line === '' ? [] : [$createTextNode(line)])));
  }
  if (nodes.length === 0) return false;
  $insertNodes(nodes);
  const last = nodes[nodes.length - 1]!;
  if ($isTableNode(last) && last.isAttached()) $lineAfter(last);
  return true;
}

/** HTML of a rendered page (paragraphs, lists, headings, tables), which the default paste reads. */
const RENDERED = /<(p|ul|ol|li|h[1-6]|blockquote|table)[\s>]/i;

/** A line that starts a Markdown block: a list item or task, a heading, a quote. */
const MARKDOWN_BLOCK = /^\s{0,12}(?:[-*+]\s+\S|\d{1,9}[.)]\s+\S|\[[ xX]?\]\s+\S)|^\s{0,3}(?:#{1,6}\s+\S|>\s?\S)/;

/** Two lines or more, one of them a Markdown block. */
function isMarkdownLines(text: string): boolean {
  const lines = text.split(/\r\n?|\n/).filter((line) => line.trim() !== '');
  return lines.length >= 2 && lines.some((line) => MARKDOWN_BLOCK.test(line));
}

/** What a Markdown cell writes inline: bold, italics, strikethrough, code, links. */
const INLINE_MARKDOWN = [...TEXT_FORMAT_TRANSFORMERS, ...TEXT_MATCH_TRANSFORMERS];

/**
 * A pasted table's cells with their inline Markdown read as formatting (`**Summit**` bold, a
 * `[link](…)` a link), as the same words typed on the page would be; the cells of a table copied
 * from HedgeDoc or GitHub are full of it.
 */
function $inlineMarkdownInCells(table: TableNode): TableNode {
  for (const row of table.getChildren()) {
    if (!$isElementNode(row)) continue;
    for (const cell of row.getChildren()) {
      if (!$isElementNode(cell)) continue;
      const lines = cell.getChildren().map((line) => line.getTextContent());
      if (!lines.some((line) => /[*_`~[]/.test(line))) continue;
      // Nodes made apart from the document: converting in place selects the cell, which is not
      // in the notes yet (the editor hung on it).
      const converted = $generateNodesFromMarkdownString(lines.join('\n'), INLINE_MARKDOWN, true);
      cell.clear();
      cell.append(...(converted.length > 0 ? converted : [$createParagraphNode()]));
    }
  }
  return table;
}

/** A pasted text's blank lines before the first line and after the last are the copy's, not the notes'. */
function trimEmptyEnds(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]!.trim() === '') from++;
  while (to > from && lines[to - 1]!.trim() === '') to--;
  return lines.slice(from, to);
}
