// A key pressed right after the caret moved acts where the caret now is.
//
// The browser moves the caret itself for Home, End, the arrows and a click, and Lexical learns of
// it from `selectionchange`, an event the browser queues as a task of its own. A key that arrives
// while the page is busy is handled before that task (input goes first), and Lexical handles Enter,
// Backspace, Tab and its shortcuts on `keydown` with the selection it last read: Home then Enter
// split the line at its end instead of its start. (Typed letters come through `beforeinput`,
// where Lexical reads the browser's caret anew.) So before any key is handled, a caret that moved
// since Lexical last read or set it is read now.
//
// The same holds for another notetaker's change arriving in that moment: Lexical renders it with
// the selection it last read and, the notes being focused, puts the browser's caret back there,
// so the move was lost and the next letter went where the caret had been. So before a change
// from elsewhere is applied, an unread move is read too.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createRangeSelectionFromDom, $setSelection, COMMAND_PRIORITY_CRITICAL, getDOMSelection, KEY_DOWN_COMMAND, mergeRegister } from 'lexical';
import type { Doc, Transaction } from 'yjs';

interface Caret {
  anchorNode: Node | null;
  anchorOffset: number;
  focusNode: Node | null;
  focusOffset: number;
}

function caretOf(selection: Selection | null): Caret | null {
  return selection && { anchorNode: selection.anchorNode, anchorOffset: selection.anchorOffset, focusNode: selection.focusNode, focusOffset: selection.focusOffset };
}

function sameCaret(a: Caret | null, b: Caret | null): boolean {
  return a === b || (a !== null && b !== null && a.anchorNode === b.anchorNode && a.anchorOffset === b.anchorOffset && a.focusNode === b.focusNode && a.focusOffset === b.focusOffset);
}

export function CaretSyncPlugin({ doc }: { doc: Doc }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const domSelection = (): Selection | null => getDOMSelection(window);
    /** The browser's caret as it was when Lexical last took it in or put it there. */
    let known = caretOf(domSelection());
    const learn = (): void => {
      known = caretOf(domSelection());
    };
    /** The browser's caret, when it moved in the notes since Lexical last read or set it. */
    const unreadMove = (): Selection | null => {
      const selection = domSelection();
      const root = editor.getRootElement();
      if (editor.isComposing() || !selection || !root || !root.contains(selection.anchorNode) || sameCaret(caretOf(selection), known)) return null;
      return selection;
    };
    const $readMove = (selection: Selection): void => {
      const moved = $createRangeSelectionFromDom(selection, editor);
      if (moved) $setSelection(moved);
      known = caretOf(selection);
    };
    // Changes from the server (or the browser's stored copy) are applied as the document's
    // non-local transactions; the page's own typing never is.
    const beforeChange = (transaction: Transaction): void => {
      const selection = transaction.local ? null : unreadMove();
      if (selection) editor.update(() => $readMove(selection), { discrete: true });
    };
    // Registered after Lexical's own listener, so this runs once Lexical has read the caret.
    document.addEventListener('selectionchange', learn);
    doc.on('beforeTransaction', beforeChange);
    return mergeRegister(
      () => document.removeEventListener('selectionchange', learn),
      () => doc.off('beforeTransaction', beforeChange),
      // Every commit leaves the browser's caret where Lexical's selection is.
      editor.registerUpdateListener(learn),
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        () => {
          const selection = unreadMove();
          if (selection) $readMove(selection);
          return false;
        },
        COMMAND_PRIORITY_CRITICAL,
      ),
    );
  }, [editor, doc]);
  return null;
}
