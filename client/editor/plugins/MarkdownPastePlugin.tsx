// Plain text that is Markdown, pasted, comes in as what typing it would have made (markdown.ts):
// a GFM table as a table, lists, tasks and headings as such. Before the rich-text paste, which
// would show the Markdown as typed characters.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_LOW, PASTE_COMMAND } from 'lexical';
import { $pasteMarkdown } from '../markdown';

export function MarkdownPastePlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        PASTE_COMMAND,
        (event) => {
          const data = event instanceof ClipboardEvent ? event.clipboardData : null;
          if (!data || !$pasteMarkdown(data)) return false;
          event.preventDefault();
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
    [editor],
  );
  return null;
}
