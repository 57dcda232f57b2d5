// The node classes of a session document. Client and server must register exactly this list:
// @lexical/yjs refuses (or silently drops) blocks whose type the other side does not know.

import type { Klass, LexicalNode } from 'lexical';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { TableCellNode, TableNode, TableRowNode } from '@lexical/table';
import { MentionNode } from './mention-node';

export const NOTE_NODES: ReadonlyArray<Klass<LexicalNode>> = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  LinkNode,
  AutoLinkNode,
  MentionNode,
  TableNode,
  TableRowNode,
  TableCellNode,
];

export { MentionNode, $createMentionNode, $isMentionNode } from './mention-node';
export type { SerializedMentionNode } from './mention-node';
