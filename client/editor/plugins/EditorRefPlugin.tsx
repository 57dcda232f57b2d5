// Hands the editor instance to the page (for "add an agenda item" and following a notetaker).
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import type { LexicalEditor } from 'lexical';

export function EditorRefPlugin({ onEditor }: { onEditor: (editor: LexicalEditor | null) => void }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);
  return null;
}
