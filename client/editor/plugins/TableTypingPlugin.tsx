// Tables as people type them: Enter at the end of a Markdown pipe row and a paste of text with a
// GFM table in it (markdown-tables.ts), and Tab in a table's last cell, which adds a row
// (table-ops.ts). Lexical's own Tab moves from cell to cell, and out of the table at its end.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_CRITICAL, COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND, KEY_TAB_COMMAND, mergeRegister, PASTE_COMMAND } from 'lexical';
import { $pasteMarkdownTables, $tableFromTypedRow } from '../markdown-tables';
import { $addRowOnTabInLastCell } from '../table-ops';

export function TableTypingPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(
          KEY_ENTER_COMMAND,
          (event) => {
            if (event?.shiftKey || !$tableFromTypedRow()) return false;
            event?.preventDefault();
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          PASTE_COMMAND,
          (event) => {
            const data = event instanceof ClipboardEvent ? event.clipboardData : null;
            if (!data || !$pasteMarkdownTables(data)) return false;
            event.preventDefault();
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
        // Before the table plugin's own Tab (high priority), which would leave the table.
        editor.registerCommand(
          KEY_TAB_COMMAND,
          (event) => {
            if (event.shiftKey || !$addRowOnTabInLastCell()) return false;
            event.preventDefault();
            return true;
          },
          COMMAND_PRIORITY_CRITICAL,
        ),
      ),
    [editor],
  );
  return null;
}
