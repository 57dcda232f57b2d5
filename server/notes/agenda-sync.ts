// Keeps a session's agenda headings in step with its agenda when the organiser edits the meeting
// while the notes are being written: a renamed item's heading is renamed, an item added to the
// day gets its heading (and a line to write under) where it belongs, a block's heading follows its
// title, moderator and notetaker. One edit of the live document, relayed to everyone like any other.
//
// What it never does: delete or move what is already written. An item removed from the agenda
// keeps its heading and its notes (its actions are then filed under no item); reordering the
// agenda leaves the notes in the order they were written: moving blocks in the shared document
// re-creates them, and a notetaker typing into one at that moment would lose the words.

import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, $isTextNode, type LexicalNode } from 'lexical';
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, type HeadingNode } from '@lexical/rich-text';
import { $getAgendaItemId, $getAgendaKind, $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { createWriter } from '../../shared/notes/headless.js';
import { blockHeadingText, itemHeadingText, showsBlockHeadings } from './seed.js';
import type { OutlineItem, SessionOutline } from './lookup.js';

function $setHeadingText(heading: HeadingNode, text: string): void {
  if (heading.getTextContent() === text) return;
  const children = heading.getChildren();
  const only = children.length === 1 ? children[0] : undefined;
  // Keep the text node (and its formatting) when there is just one: a smaller edit.
  if (only && $isTextNode(only)) only.setTextContent(text);
  else heading.clear().append($createTextNode(text));
}

function $itemNodes(item: OutlineItem): LexicalNode[] {
  const heading = $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode(itemHeadingText(item))), item.id), 'item');
  const nodes: LexicalNode[] = [heading];
  if (item.preNotes && item.preNotes.trim() !== '') nodes.push($createQuoteNode().append($createTextNode(item.preNotes.trim())));
  nodes.push($createParagraphNode());
  return nodes;
}

/**
 * Brings `doc`'s agenda headings in line with `outline`, as one update with `origin`. Returns
 * whether anything had to change.
 */
export function syncAgendaHeadings(doc: Y.Doc, outline: SessionOutline, origin: unknown): boolean {
  const writer = createWriter(Y.encodeStateAsUpdate(doc));
  try {
    writer.editor.update(
      () => {
        const root = $getRoot();
        const byItem = new Map<string, HeadingNode>();
        for (const node of root.getChildren()) {
          if (!$isHeadingNode(node)) continue;
          const id = $getAgendaItemId(node);
          if (id !== null) byItem.set(id, node);
        }
        const showBlocks = showsBlockHeadings(outline);
        // Block headings carry no id: a block's heading is the block heading its first item
        // (that the notes have) stands under, with no other item's heading in between.
        const headingOfBlock = (index: number): HeadingNode | null => {
          const first = outline.blocks[index]!.items.find((item) => byItem.has(item.id));
          for (let node = first ? byItem.get(first.id)!.getPreviousSibling() : null; node; node = node.getPreviousSibling()) {
            if (!$isHeadingNode(node)) continue;
            if ($getAgendaItemId(node) !== null) return null;
            if ($getAgendaKind(node) === 'block') return node;
          }
          return null;
        };
        if (showBlocks) {
          outline.blocks.forEach((block, index) => {
            const heading = headingOfBlock(index);
            if (heading) $setHeadingText(heading, blockHeadingText(block, index));
          });
        }
        const items = outline.blocks.flatMap((block, blockIndex) => block.items.map((item, itemIndex) => ({ item, blockIndex, first: itemIndex === 0 })));
        for (const { item } of items) {
          const heading = byItem.get(item.id);
          if (heading) $setHeadingText(heading, itemHeadingText(item));
        }
        // New items go before the heading of the next item of the agenda that the notes already
        // have (before its block's heading when it opens its block), else at the end.
        items.forEach(({ item, blockIndex }, index) => {
          if (byItem.has(item.id)) return;
          const nodes = $itemNodes(item);
          const blockIsNew = outline.blocks[blockIndex]!.items.every((other) => !byItem.has(other.id));
          if (showBlocks && blockIsNew && items.findIndex((entry) => entry.blockIndex === blockIndex) === index) {
            nodes.unshift($setAgendaKind($createHeadingNode('h2').append($createTextNode(blockHeadingText(outline.blocks[blockIndex]!, blockIndex))), 'block'));
          }
          const next = items.slice(index + 1).find((entry) => byItem.has(entry.item.id));
          let anchor: LexicalNode | null = next ? byItem.get(next.item.id)! : null;
          if (anchor && next!.first) {
            const before = anchor.getPreviousSibling();
            if (before && $isHeadingNode(before) && $getAgendaKind(before) === 'block') anchor = before;
          }
          if (anchor) for (const node of nodes) anchor.insertBefore(node);
          else root.append(...nodes);
          byItem.set(item.id, nodes.find((n): n is HeadingNode => $isHeadingNode(n) && $getAgendaItemId(n) === item.id)!);
        });
      },
      // No node transforms: ListNode's would merge adjacent lists in the live document.
      { discrete: true, skipTransforms: true },
    );
    if (!writer.changed()) return false;
    Y.applyUpdate(doc, writer.diff(), origin);
    return true;
  } finally {
    writer.dispose();
    writer.doc.destroy();
  }
}
