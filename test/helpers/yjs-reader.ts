// Compares the server's Yjs-level block reader with `$readBlocks` on a fresh Lexical reader of
// the same document: the list of differences, empty when they agree.
import * as Y from 'yjs';
import { createReader, ROOT_NAME } from '../../shared/notes/headless.js';
import { $readBlocks } from '../../shared/notes/read.js';
import { readYjsBlocks } from '../../shared/notes/yjs-read.js';

export function differencesFromLexical(doc: Y.Doc): string[] {
  const reader = createReader();
  try {
    Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(doc));
    reader.flush();
    const viaLexical = reader.editor.getEditorState().read(() => $readBlocks());
    const viaYjs = readYjsBlocks(doc.get(ROOT_NAME, Y.XmlText));
    const shape = (b: { type: string; text: string; checked: boolean | null; mentions: unknown; actionId: string | null; agendaItemId: string | null; tag: string | null; depth: number }) =>
      JSON.stringify({ type: b.type, text: b.text, checked: b.checked, mentions: b.mentions, actionId: b.actionId, agendaItemId: b.agendaItemId, tag: b.tag, depth: b.depth });
    const a = viaLexical.map(shape);
    const b = viaYjs.map(shape);
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) out.push(`block ${i}: lexical ${a[i] ?? '(none)'} ≠ yjs ${b[i] ?? '(none)'}`);
    }
    return out;
  } finally {
    reader.dispose();
    reader.doc.destroy();
  }
}
