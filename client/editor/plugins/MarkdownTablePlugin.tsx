// Markdown's tables on the page (markdown-tables.ts): Enter at the end of a pipe row, and a paste
// of text with a GFM table in it.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND, mergeRegister, PASTE_COMMAND } from 'lexical';
import { $pasteMarkdownTables, $tableFromTypedRow } from '../markdown-tables';

export function MarkdownTablePlugin(): null {
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
      ),
    [editor],
  );
  return null;
}
