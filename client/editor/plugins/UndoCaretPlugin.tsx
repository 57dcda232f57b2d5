// Undo and redo put the caret where the change is (undo-caret.ts).
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import type { Awareness } from 'y-protocols/awareness';
import { bindingOf, caretFollowsUndo } from '../undo-caret';
import { collabUndoManager } from '../undo-filter';

export function UndoCaretPlugin({ awareness }: { awareness: Awareness }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let stop: (() => void) | null = null;
    // The collaboration plugin publishes its undo manager in an effect of its own: usually before
    // this one runs, else by the editor's first update.
    const attach = (): boolean => {
      const undoManager = collabUndoManager(editor);
      const binding = undoManager ? bindingOf(undoManager) : null;
      if (!undoManager || !binding) return false;
      stop = caretFollowsUndo(undoManager, binding, awareness);
      return true;
    };
    if (attach()) return () => stop?.();
    const unlisten = editor.registerUpdateListener(() => {
      if (attach()) unlisten();
    });
    return () => {
      unlisten();
      stop?.();
    };
  }, [editor, awareness]);
  return null;
}
