// A check list's items are checkboxes to assistive technology (Lexical gives each `li` the role
// checkbox and aria-checked), and a list may hold only list items: the check list itself is a
// group of checkboxes. Without this a screen reader met a list with no items in it (axe: "list").
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $isListNode, ListNode } from '@lexical/list';
import { $getNodeByKey } from 'lexical';

export function CheckListRolePlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerMutationListener(ListNode, (mutations) => {
        editor.getEditorState().read(() => {
          for (const [key, mutation] of mutations) {
            const element = mutation === 'destroyed' ? null : editor.getElementByKey(key);
            const list = $getNodeByKey(key);
            if (!element || !$isListNode(list)) continue;
            if (list.getListType() === 'check') element.setAttribute('role', 'group');
            else element.removeAttribute('role');
          }
        });
      }),
    [editor],
  );
  return null;
}
