// Publishes which agenda item this notetaker's caret is in (awareness field `section`), so the
// presence list can say where everyone is typing and followers can follow one of them.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getSelection, $isRangeSelection } from 'lexical';
import type { Awareness } from 'y-protocols/awareness';
import { $sectionOf, type SectionRef } from '../sections';

export function SectionPresencePlugin({ awareness }: { awareness: Awareness }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let last = '';
    return editor.registerUpdateListener(({ editorState }) => {
      const section = editorState.read((): SectionRef | null => {
        const selection = $getSelection();
        return $isRangeSelection(selection) ? $sectionOf(selection.anchor.getNode()) : null;
      });
      const key = JSON.stringify(section);
      if (key === last || section === null) return;
      last = key;
      // Lexical rewrites the local state with a spread of the current one, so extra fields survive.
      if (awareness.getLocalState() !== null) awareness.setLocalStateField('section', section);
    });
  }, [editor, awareness]);
  return null;
}
