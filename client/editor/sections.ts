// Which agenda section a caret is in, for presence ("Kian is in 10:00 · Plans").
import { $isElementNode, type LexicalNode } from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import { $getAgendaItemId } from '../../shared/notes/agenda-state';

export interface SectionRef {
  id: string | null;
  title: string;
}

/** The agenda heading a node sits under: the nearest heading before its top-level block. */
export function $sectionOf(node: LexicalNode): SectionRef | null {
  let top: LexicalNode | null = node.getTopLevelElement();
  while (top !== null) {
    if ($isHeadingNode(top) && $isElementNode(top)) return { id: $getAgendaItemId(top), title: top.getTextContent() };
    top = top.getPreviousSibling();
  }
  return null;
}
