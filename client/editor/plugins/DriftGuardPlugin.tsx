// Rebuilds the editor when it no longer shows what its document holds.
//
// Lexical's Yjs binding can fall out of step with its document under concurrent structural edits
// and undo (the seeded concurrency test finds such sequences); when it does, the page would keep
// showing text the document no longer has, or miss text it has, until a reload. So after changes
// that delete or restore content (someone else's edits, an undo, a rescue of moved text), once the
// document has been quiet for a moment, the editor's blocks are compared with a fresh read of the
// document, and a mismatch (seen twice, so a change still being rendered is not mistaken for one)
// reloads the session: a fresh editor over the same document, nothing lost. A read costs about
// a tenth of a millisecond per block, so a three-day meeting's page is read in a few dozen ms.
//
// The editor is compared with the synced document (what the server holds), not with the one it
// is bound to: a follower's editor is bound to a mirror (client/collab/mirror.ts) that also keeps
// the binding's own writes, so when the binding slips there, the mirror slips with it and the two
// would agree while both differ from the server's. Reloading opens a fresh mirror. The caret and
// the focus go with the reload (client/editor/caret-carry.ts).
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { notesOutline, readNotesState } from '../../../shared/notes/outline';
import { captureCaret, type CaretCarry } from '../caret-carry';

const QUIET_MS = 1_000;

export function DriftGuardPlugin({ bound, synced, awareness, onDrift }: { bound: Y.Doc; synced: Y.Doc; awareness: Awareness; onDrift: (caret: CaretCarry) => void }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let suspect = false;
    let strikes = 0;
    const differs = (): boolean => {
      let shown: string[];
      try {
        shown = notesOutline(editor.getEditorState().toJSON());
      } catch (error) {
        // An editor that cannot even write its state out holds a node the binding left broken
        // (CI met a text node carrying another node's type): it shows nothing trustworthy, and
        // every later look would throw the same way. That is drift too.
        console.warn(`quorum: the notes editor could not write out its state (${error instanceof Error ? error.message : String(error)})`);
        return true;
      }
      const held = notesOutline(readNotesState(synced));
      return shown.length !== held.length || shown.some((line, i) => line !== held[i]);
    };
    const check = (): void => {
      timer = null;
      if (!differs()) {
        suspect = false;
        strikes = 0;
        return;
      }
      if (++strikes < 2) {
        timer = setTimeout(check, QUIET_MS);
        return;
      }
      console.warn('quorum: the notes editor no longer showed its document; rebuilding it');
      onDrift(captureCaret(editor, awareness));
    };
    const onAfterTransaction = (transaction: Y.Transaction): void => {
      // Changes that remove content (and undo, which restores it by deleting and re-inserting)
      // are where the binding has been seen to slip; plain typing is not worth a read.
      if (transaction.deleteSet.clients.size > 0) suspect = true;
      if (!suspect) return;
      // Checked once the document has been quiet for a moment.
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, QUIET_MS);
    };
    // A follower's mirror changes when the binding writes to it, the synced document when the
    // server's updates arrive; a notetaker has one document.
    const docs = bound === synced ? [bound] : [bound, synced];
    for (const doc of docs) doc.on('afterTransaction', onAfterTransaction);
    return () => {
      for (const doc of docs) doc.off('afterTransaction', onAfterTransaction);
      if (timer) clearTimeout(timer);
    };
  }, [editor, bound, synced, awareness, onDrift]);
  return null;
}
