// Alt+↓ / Alt+↑ put the caret at the end of the next / previous agenda item's notes: during a
// call the discussion jumps between items faster than a mouse.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import {
  $createParagraphNode,
  $getSelection,
  $isElementNode,
  $isRangeSelection,
  COMMAND_PRIORITY_LOW,
  KEY_ARROW_DOWN_COMMAND,
  KEY_ARROW_UP_COMMAND,
  mergeRegister,
  type LexicalNode,
} from 'lexical';
import { $isHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import { $getAgendaKind } from '../../../shared/notes/agenda-state';

function $isAgendaHeading(node: LexicalNode | null): boolean {
  return node !== null && $isHeadingNode(node) && $getAgendaKind(node) !== null;
}

/** Puts the caret where the item's running notes end, adding an empty line if it has none yet. */
function $selectNotesOf(item: LexicalNode): void {
  let last = item;
  for (let next = item.getNextSibling(); next !== null && !$isAgendaHeading(next); next = next.getNextSibling()) last = next;
  if (last === item || $isQuoteNode(last) || $isHeadingNode(last)) {
    const paragraph = $createParagraphNode();
    last.insertAfter(paragraph);
    paragraph.select();
  } else if ($isElementNode(last)) {
    last.selectEnd();
  }
}

function $jump(direction: 1 | -1): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return false;
  const top = selection.anchor.getNode().getTopLevelElement();
  if (top === null) return false;
  const step = (node: LexicalNode) => (direction === 1 ? node.getNextSibling() : node.getPreviousSibling());
  let from: LexicalNode | null = top;
  if (direction === -1) {
    // "Previous" is the item before the one the caret is in.
    while (from !== null && !$isAgendaHeading(from)) from = from.getPreviousSibling();
    if (from === null) return false;
  }
  let target = step(from);
  while (target !== null && !($isAgendaHeading(target) && $getAgendaKind(target) === 'item')) target = step(target);
  if (target === null) return false;
  $selectNotesOf(target);
  return true;
}

export function AgendaNavigationPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const handler = (direction: 1 | -1) => (event: KeyboardEvent | null) => {
      if (!event?.altKey || event.shiftKey || event.ctrlKey || event.metaKey) return false;
      const moved = $jump(direction);
      if (moved) event.preventDefault();
      return moved;
    };
    return mergeRegister(
      editor.registerCommand(KEY_ARROW_DOWN_COMMAND, handler(1), COMMAND_PRIORITY_LOW),
      editor.registerCommand(KEY_ARROW_UP_COMMAND, handler(-1), COMMAND_PRIORITY_LOW),
    );
  }, [editor]);
  return null;
}
