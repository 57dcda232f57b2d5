// The editor's rules for a document many people change at once; each is explained where it is
// defined: adjacent lists stay apart (list-merging.ts), a table row added while someone added a
// column is completed by its author (table-ops.ts), a table two notetakers made of one pipe row at
// once is one table (twin-tables.ts), undo takes back characters and never the text node they
// started, and the editor's clean-ups are no undo step (undo-filter.ts), and dragging text inside
// the notes is off, because a drag moves text, and text someone types into a moved part at that
// moment cannot always follow it (the page offers cut and paste instead, which the move rescue
// covers).
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_CRITICAL, DRAGSTART_COMMAND, mergeRegister, REDO_COMMAND, UNDO_COMMAND } from 'lexical';
import { keepAdjacentListsApart } from '../list-merging';
import { completeOwnRows } from '../table-ops';
import { joinTwinTables } from '../twin-tables';
import { collabUndoManager, filterUndo } from '../undo-filter';

export function SharedEditingPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    // The collaboration plugin publishes its undo manager on the editor (in an effect that runs
    // before this one): configured now, so that no clean-up of the editor's is recorded before the
    // first undo, and again just before it is used, so a re-created one is configured too.
    const configureUndo = (): false => {
      const undoManager = collabUndoManager(editor);
      if (undoManager) filterUndo(undoManager);
      return false;
    };
    configureUndo();
    return mergeRegister(
      keepAdjacentListsApart(editor),
      completeOwnRows(editor),
      joinTwinTables(editor),
      editor.registerCommand(UNDO_COMMAND, configureUndo, COMMAND_PRIORITY_CRITICAL),
      editor.registerCommand(REDO_COMMAND, configureUndo, COMMAND_PRIORITY_CRITICAL),
      editor.registerCommand(
        DRAGSTART_COMMAND,
        (event) => {
          event.preventDefault();
          return true;
        },
        COMMAND_PRIORITY_CRITICAL,
      ),
    );
  }, [editor]);
  return null;
}
