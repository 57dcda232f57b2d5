// A small formatting bar; every button has a keyboard shortcut too (shown in its title).
import { useCallback, useEffect, useState, type JSX } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import {
  $createParagraphNode,
  $getSelection,
  $isElementNode,
  $isParagraphNode,
  $isRangeSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
  mergeRegister,
} from 'lexical';
import { $setBlocksType } from '@lexical/selection';
import { $createHeadingNode } from '@lexical/rich-text';
import { INSERT_CHECK_LIST_COMMAND, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND } from '@lexical/list';
import { TOGGLE_LINK_COMMAND } from '@lexical/link';
import {
  $deleteTableColumnAtSelection,
  $deleteTableRowAtSelection,
  $insertTableColumnAtSelection,
  $insertTableRowAtSelection,
  $findTableNode,
} from '@lexical/table';
import { $insertNodeToNearestRoot } from '@lexical/utils';
import { $cellAtSelection, $changeTableAtSelection, $lineAfter } from '../table-ops';
import { $tableOfRows } from '../../../shared/notes/tables';
import { mod } from '../platform';


export function ToolbarPlugin(): JSX.Element {
  const [editor] = useLexicalComposerContext();
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const [bold, setBold] = useState(false);
  const [italic, setItalic] = useState(false);
  /** The caret is in a table: its rows and columns can be added and removed. */
  const [inTable, setInTable] = useState(false);

  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(CAN_UNDO_COMMAND, (value) => (setCanUndo(value), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (value) => (setCanRedo(value), false), COMMAND_PRIORITY_LOW),
        editor.registerUpdateListener(({ editorState }) =>
          editorState.read(() => {
            const selection = $getSelection();
            setInTable($cellAtSelection() !== null);
            if (!$isRangeSelection(selection)) return;
            setBold(selection.hasFormat('bold'));
            setItalic(selection.hasFormat('italic'));
          }),
        ),
      ),
    [editor],
  );

  const block = useCallback(
    (kind: 'h2' | 'h3' | 'p') =>
      editor.update(() => {
        const selection = $getSelection();
        if ($isRangeSelection(selection)) $setBlocksType(selection, () => (kind === 'p' ? $createParagraphNode() : $createHeadingNode(kind)));
      }),
    [editor],
  );

  /** A 3 × 3 table with a header row, the caret in its first cell; an empty line becomes the table. */
  const insertTable = useCallback(
    () =>
      editor.update(() => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection) || $findTableNode(selection.anchor.getNode())) return;
        // Empty cells hold empty lines, as Enter makes them (the notes' one way to build a table).
        const grid = $tableOfRows({ rows: Array.from({ length: 3 }, () => ['', '', '']), header: true });
        const line = selection.anchor.getNode().getTopLevelElement();
        if ($isParagraphNode(line) && line.isEmpty()) line.replace(grid);
        else $insertNodeToNearestRoot(grid);
        $lineAfter(grid);
        const first = grid.getFirstDescendant();
        if ($isElementNode(first)) first.selectStart();
      }),
    [editor],
  );

  /** A change of the table the caret is in (Lexical removes a table left without rows or columns). */
  const table = useCallback((change: () => void) => editor.update(() => void $changeTableAtSelection(change)), [editor]);

  const link = useCallback(() => {
    const url = window.prompt('Link address');
    if (url) editor.dispatchCommand(TOGGLE_LINK_COMMAND, /^[a-z]+:/i.test(url) ? url : `https://${url}`);
  }, [editor]);

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <button type="button" onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)} disabled={!canUndo} title={`Undo your last edit (${mod}Z)`} aria-label="Undo">
        ↶
      </button>
      <button type="button" onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)} disabled={!canRedo} title={`Redo (${mod}Shift+Z)`} aria-label="Redo">
        ↷
      </button>
      <span className="toolbar-sep" />
      <button type="button" onClick={() => block('h2')} title="Heading (type ## )" aria-label="Heading">
        H
      </button>
      <button type="button" onClick={() => block('p')} title="Plain text" aria-label="Plain text">
        ¶
      </button>
      <button type="button" aria-pressed={bold} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold')} title={`Bold (${mod}B)`} aria-label="Bold">
        <b>B</b>
      </button>
      <button type="button" aria-pressed={italic} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic')} title={`Italic (${mod}I)`} aria-label="Italic">
        <i>I</i>
      </button>
      <button type="button" onClick={link} title="Link" aria-label="Link">
        <svg width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
          <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.8 2.8 0 014 4L11 8.5M9 11.5l-1.2 1.2a2.8 2.8 0 01-4-4L5 7.5" />
        </svg>
      </button>
      <span className="toolbar-sep" />
      <button type="button" onClick={() => editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined)} title="Bullet list (type - )" aria-label="Bullet list">
        •
      </button>
      <button type="button" onClick={() => editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined)} title="Numbered list (type 1. )" aria-label="Numbered list">
        1.
      </button>
      <button type="button" onClick={() => editor.dispatchCommand(INSERT_CHECK_LIST_COMMAND, undefined)} title="Action checkbox (type [ ] )" aria-label="Check list">
        ☐
      </button>
      <button
        type="button"
        onClick={insertTable}
        title="Insert a table (Tab moves to the next cell)"
        aria-label="Insert table"
      >
        <svg width="15" height="15" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4">
          <rect x="2" y="2.5" width="12" height="11" rx="1" />
          <path d="M2 6.5h12M2 10h12M6 6.5v7M10 6.5v7" />
        </svg>
      </button>
      {inTable && (
        <span className="toolbar-group" role="group" aria-label="Table rows and columns">
          <button type="button" onClick={() => table(() => $insertTableRowAtSelection(true))} title="Add a row below" aria-label="Add a row below">
            + Row
          </button>
          <button type="button" onClick={() => table(() => $insertTableColumnAtSelection(true))} title="Add a column to the right" aria-label="Add a column to the right">
            + Column
          </button>
          <button type="button" onClick={() => table(() => $deleteTableRowAtSelection())} title="Remove this row" aria-label="Remove this row">
            − Row
          </button>
          <button type="button" onClick={() => table(() => $deleteTableColumnAtSelection())} title="Remove this column" aria-label="Remove this column">
            − Column
          </button>
        </span>
      )}
      <span className="toolbar-spacer" />
      <details className="shortcuts">
        <summary aria-label="Keyboard shortcuts">Shortcuts</summary>
        <dl>
          <dt>
            <kbd>[ ]</kbd> <kbd>ACTION:</kbd> <kbd>TODO:</kbd>
          </dt>
          <dd>start an action item</dd>
          <dt>
            <kbd>@</kbd>
          </dt>
          <dd>assign it to an attendee</dd>
          <dt>
            <kbd>##</kbd> <kbd>-</kbd> <kbd>1.</kbd>
          </dt>
          <dd>heading, bullet, numbered list</dd>
          <dt>
            <kbd>| Topic | Owner |</kbd> <kbd>Enter</kbd>
          </dt>
          <dd>a table with those headings</dd>
          <dt>
            <kbd>https://…</kbd> <kbd>{mod}click</kbd> <kbd>Alt+Enter</kbd>
          </dt>
          <dd>an address typed or pasted is a link; open the link (at the caret)</dd>
          <dt>
            <kbd>Tab</kbd> <kbd>Shift+Tab</kbd>
          </dt>
          <dd>nest, un-nest a list item; next, previous cell in a table (in its last cell, a new row)</dd>
          <dt>
            <kbd>Alt+↓</kbd> <kbd>Alt+↑</kbd>
          </dt>
          <dd>next, previous agenda item</dd>
          <dt>
            <kbd>{mod}Z</kbd>
          </dt>
          <dd>undo your own last edit</dd>
        </dl>
      </details>
    </div>
  );
}
