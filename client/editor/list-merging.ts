// Adjacent lists of the same kind stay two lists in a shared document.
//
// Lexical's ListNode transform merges a list into the list before it whenever either changes. In
// Lexical's Yjs binding a merge is a move (the items are deleted and written again), and when two
// notetakers' editors both see the same two lists side by side (each pasted one at the same spot,
// say) both merge them at once: the items are written twice, then every copy's list merges again
// (seen in the seeded concurrency test: hundreds of empty items, and editors that stopped agreeing
// with their document). Two adjacent lists look like one; they are left as they are. What the
// transform also does, numbering items and dropping checkboxes outside check lists, is kept.
import { $isListItemNode, $isListNode, ListNode } from '@lexical/list';
import type { LexicalEditor, LexicalNode } from 'lexical';

function $numberItems(node: LexicalNode): void {
  if (!$isListNode(node)) return;
  const checkList = node.getListType() === 'check';
  let value = node.getStart();
  for (const child of node.getChildren()) {
    if (!$isListItemNode(child)) continue;
    if (child.getValue() !== value) child.setValue(value);
    if (!checkList && child.getLatest().__checked != null) child.setChecked(undefined);
    if (!$isListNode(child.getFirstChild())) value++;
  }
}

/** Replaces the list transform of `editor` (which must register ListNode); returns the undo. */
export function keepAdjacentListsApart(editor: LexicalEditor): () => void {
  const registered = (editor as unknown as { _nodes: Map<string, { transforms: Set<(node: LexicalNode) => void> }> })._nodes.get(ListNode.getType());
  if (!registered) throw new Error('keepAdjacentListsApart: ListNode is not registered');
  const original = [...registered.transforms];
  registered.transforms.clear();
  registered.transforms.add($numberItems);
  return () => {
    registered.transforms.clear();
    for (const transform of original) registered.transforms.add(transform);
  };
}
