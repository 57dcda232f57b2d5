// Gives every action block a stable id (NodeState `actionId`) as soon as it becomes an action, and
// a fresh id to a pasted copy of one. The server checks both again: a client can be old or hostile.
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey, $hasUpdateTag, COLLABORATION_TAG, HISTORIC_TAG, ParagraphNode, mergeRegister, type ElementNode } from 'lexical';
import { ListItemNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { isActionText } from '../../../shared/actions/index';
import { $getActionId, $setActionId, newActionId } from '../../../shared/notes/action-id';
import { $blockInput, $isBlock, $readBlocks } from '../../../shared/notes/read';

function $looksLikeAction(node: ElementNode): boolean {
  const input = $blockInput(node);
  if (input.checked !== null && input.checked !== undefined) return input.text.trim() !== '';
  return isActionText(input.text);
}

export function ActionIdPlugin({ enabled }: { enabled: boolean }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    if (!enabled) return;
    const transform = (node: ElementNode) => {
      // Remote edits carry the author's ids; assigning here too would race the author.
      if ($hasUpdateTag(COLLABORATION_TAG) || $hasUpdateTag(HISTORIC_TAG)) return;
      if (!$isBlock(node) || $getActionId(node) !== null) return;
      if ($looksLikeAction(node)) $setActionId(node, newActionId());
    };
    const onCreated = (mutations: Map<string, string>, { updateTags }: { updateTags: Set<string> }) => {
      if (updateTags.has(COLLABORATION_TAG) || updateTags.has(HISTORIC_TAG)) return;
      const created = [...mutations].filter(([, mutation]) => mutation === 'created').map(([key]) => key);
      if (created.length === 0) return;
      editor.update(() => {
        const seen = new Map<string, string>();
        for (const block of $readBlocks()) {
          if (block.actionId !== null && !created.includes(block.key)) seen.set(block.actionId, block.key);
        }
        for (const key of created) {
          const node = $getNodeByKey(key);
          if (node === null || !$isBlock(node)) continue;
          const id = $getActionId(node);
          // A pasted copy of an existing action: the copy is the new block, so it gets the new id.
          if (id !== null && seen.has(id)) $setActionId(node, newActionId());
          else if (id !== null) seen.set(id, key);
        }
      });
    };
    // Every kind of node the block reader reads as a block (shared/notes/read.ts).
    const kinds = [ParagraphNode, HeadingNode, QuoteNode, ListItemNode];
    return mergeRegister(
      ...kinds.map((kind) => editor.registerNodeTransform(kind, transform)),
      ...kinds.map((kind) => editor.registerMutationListener(kind, onCreated, { skipInitialization: true })),
    );
  }, [editor, enabled]);
  return null;
}
