/**
 * Edits shaped as the page's Lexical editor makes them (shared/notes/README.md, "Structure in
 * Yjs"): a new line is a paragraph XmlText embedded in the root, holding a text node (a Y.Map of
 * its properties followed by its string); typing at the end of a line extends that string. The
 * generator writes these directly, without an editor per client, so its own CPU stays small;
 * `checkShape` holds them equal to what a headless Lexical editor writes for the same edit.
 */
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { createWriter, ROOT_NAME } from '../../../shared/notes/headless.js';

export { ROOT_NAME };

const PARAGRAPH: Record<string, unknown> = { __type: 'paragraph', __format: 0, __style: '', __indent: 0, __dir: null, __textFormat: 0, __textStyle: '' };
const TEXT: Record<string, unknown> = { __type: 'text', __format: 0, __style: '', __mode: 0, __detail: 0 };

export function rootOf(doc: Y.Doc): Y.XmlText {
  return doc.get(ROOT_NAME, Y.XmlText);
}

/** Appends a paragraph holding `text` (Enter at the end of the notes, then typing), as one transaction. */
export function appendParagraph(root: Y.XmlText, text: string): Y.XmlText {
  const paragraph = new Y.XmlText();
  const write = (): void => {
    root.insertEmbed(root.length, paragraph);
    for (const [key, value] of Object.entries(PARAGRAPH)) paragraph.setAttribute(key, value as string);
    const node = new Y.Map<unknown>();
    paragraph.insertEmbed(0, node);
    for (const [key, value] of Object.entries(TEXT)) node.set(key, value);
    paragraph.insert(1, text);
  };
  if (root.doc) root.doc.transact(write);
  else write();
  return paragraph;
}

/** Types at the end of a line. */
export function typeAtEnd(paragraph: Y.XmlText, text: string): void {
  paragraph.insert(paragraph.length, text);
}

/** All the text of a document, blocks in order (for convergence hashes and lengths). */
export function documentText(root: Y.XmlText): string {
  let out = '';
  const visit = (type: Y.XmlText): void => {
    for (const op of type.toDelta() as Array<{ insert: unknown }>) {
      if (typeof op.insert === 'string') out += op.insert;
      else if (op.insert instanceof Y.XmlText) {
        visit(op.insert);
        out += '\n';
      }
    }
  };
  visit(root);
  return out;
}

/** The strings a remote change inserted, including the text of whole blocks it inserted. */
export function insertedStrings(event: Y.YEvent<Y.AbstractType<unknown>>, found: (text: string) => void): void {
  if (!(event.target instanceof Y.XmlText)) return;
  for (const op of event.delta) {
    if (typeof op.insert === 'string') found(op.insert);
    else if (op.insert instanceof Y.XmlText) found(documentText(op.insert));
  }
}

/** Throws unless `appendParagraph` writes what Lexical's binding writes for the same paragraph. */
export function checkShape(): void {
  const writer = createWriter(null);
  writer.editor.update(() => $getRoot().append($createParagraphNode().append($createTextNode('shape'))), { discrete: true });
  const made = rootOf(writer.doc).toDelta()[0].insert as Y.XmlText;
  const mine = appendParagraph(rootOf(new Y.Doc()), 'shape');
  const sorted = (o: Record<string, unknown>): unknown[] => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
  const describe = (p: Y.XmlText): string =>
    JSON.stringify([sorted(p.getAttributes()), (p.toDelta() as Array<{ insert: unknown }>).map((op) => (op.insert instanceof Y.Map ? sorted(op.insert.toJSON()) : op.insert))]);
  writer.dispose();
  if (describe(made) !== describe(mine)) {
    throw new Error(`the bench's paragraphs no longer match Lexical's:\n  lexical ${describe(made)}\n  bench   ${describe(mine)}`);
  }
}
