// Reading the note blocks the action grammar looks at, inside editor.read/update.
import { $getRoot, $isElementNode, $isParagraphNode, type ElementNode, type LexicalNode } from 'lexical';
import { $isListItemNode, $isListNode, type ListItemNode } from '@lexical/list';
import { $isHeadingNode } from '@lexical/rich-text';
import type { ActionBlockInput, Mention } from '../../shared/actions/index';
import { $isMentionNode } from '../../shared/notes/nodes';
import { $getAgendaItemId } from '../../shared/notes/agenda-state';

export interface NoteBlockRef {
  node: ElementNode;
  input: ActionBlockInput;
}

/** A list item that holds text, not only a nested list (nesting in Lexical is a separate item). */
function isLeafItem(item: ListItemNode): boolean {
  return !item.getChildren().every((child) => $isListNode(child));
}

/** The parser's view of one block: its text, check state and mention spans. */
export function $blockInput(block: ElementNode): ActionBlockInput {
  let text = '';
  const mentions: Mention[] = [];
  for (const child of block.getChildren()) {
    if ($isListNode(child)) continue;
    const part = child.getTextContent();
    if ($isMentionNode(child)) {
      mentions.push({ start: text.length, end: text.length + part.length, attendeeId: child.getAttendeeId(), handle: child.getHandle() || undefined });
    }
    text += part;
  }
  let checked: boolean | null = null;
  if ($isListItemNode(block)) {
    const list = block.getParent();
    if ($isListNode(list) && list.getListType() === 'check') checked = block.getChecked() === true;
  }
  return { text, checked, mentions };
}

/** Every paragraph and text-holding list item, in document order. */
export function $noteBlocks(): NoteBlockRef[] {
  const out: NoteBlockRef[] = [];
  const visit = (node: LexicalNode) => {
    if ($isParagraphNode(node)) out.push({ node, input: $blockInput(node) });
    else if ($isListNode(node)) for (const child of node.getChildren()) visit(child);
    else if ($isListItemNode(node)) {
      if (isLeafItem(node)) out.push({ node, input: $blockInput(node) });
      for (const child of node.getChildren()) if ($isListNode(child)) visit(child);
    }
  };
  for (const child of $getRoot().getChildren()) visit(child);
  return out;
}

export function $isActionCandidate(node: LexicalNode): node is ElementNode {
  return $isParagraphNode(node) || ($isListItemNode(node) && isLeafItem(node));
}

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
