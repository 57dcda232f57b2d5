// Tables as people type them: Enter at the end of a Markdown pipe row (markdown.ts), and Tab in a
// table's last cell, which adds a row
// (table-ops.ts). Lexical's own Tab moves from cell to cell, and out of the table at its end. And
// a line to go on with below a table whose arrow keys would lead into the next agenda heading.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_CRITICAL, COMMAND_PRIORITY_LOW, KEY_ARROW_DOWN_COMMAND, KEY_ARROW_RIGHT_COMMAND, KEY_ENTER_COMMAND, KEY_TAB_COMMAND, mergeRegister } from 'lexical';
import { $tableFromTypedRow } from '../markdown';
import { $addRowOnTabInLastCell, $lineBeforeLeavingTable } from '../table-ops';

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
        // Before the table plugin's arrows (high priority), which then move the caret onto the line.
        ...(['down', 'right'] as const).map((key) =>
          editor.registerCommand(
            key === 'down' ? KEY_ARROW_DOWN_COMMAND : KEY_ARROW_RIGHT_COMMAND,
            (event) => {
              if (!event.shiftKey && !event.altKey && editor.isEditable()) $lineBeforeLeavingTable(key);
              return false;
            },
            COMMAND_PRIORITY_CRITICAL,
          ),
        ),
      ),
    [editor],
  );
  return null;
}
