// What a reader sees of a session's notes, block by block: the structure and text that must be the
// same in every editor and in the document. Formatting runs, node keys and list numbering are left
// out (an editor may split or merge equal text runs differently without anyone seeing it).
import * as Y from 'yjs';
import type { SerializedEditorState, SerializedLexicalNode } from 'lexical';
import { createReader } from './headless';

interface AnyNode extends SerializedLexicalNode {
  children?: AnyNode[];
  text?: string;
  tag?: string;
  listType?: string;
  checked?: boolean;
  indent?: number;
}

/** One line per block: its nesting, kind and text. */
export function notesOutline(state: SerializedEditorState): string[] {
  const lines: string[] = [];
  const walk = (node: AnyNode, depth: number): void => {
    const children = node.children ?? [];
    const isBlock = node.type !== 'root' && node.type !== 'list' && !children.some((c) => c.type === 'list');
    if (isBlock) {
      const kind = [node.type, node.tag, node.checked === undefined ? null : node.checked ? '[x]' : '[ ]'].filter(Boolean).join(' ');
      lines.push(`${depth}|${node.indent ?? 0}|${kind}|${textOf(node)}`);
      return;
    }
    for (const child of children) walk(child, node.type === 'list' ? depth + 1 : depth);
  };
  walk(state.root as unknown as AnyNode, 0);
  return lines;
}

function textOf(node: AnyNode): string {
  if (node.type === 'linebreak') return '\n';
  if (typeof node.text === 'string') return node.text;
  return (node.children ?? []).map(textOf).join('');
}

/** The notes of a Yjs document as a fresh editor reads them (no node transforms, nothing written back). */
export function readNotesState(doc: Y.Doc): SerializedEditorState {
  const reader = createReader();
  try {
    Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(doc));
    reader.flush();
    return reader.editor.getEditorState().toJSON();
  } finally {
    reader.dispose();
    reader.doc.destroy();
  }
}

/** Whether an editor shows what its document holds. */
export function sameNotes(a: SerializedEditorState, b: SerializedEditorState): boolean {
  const x = notesOutline(a);
  const y = notesOutline(b);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}
