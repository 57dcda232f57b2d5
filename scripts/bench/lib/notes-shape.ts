/**
 * Edits shaped as the page's Lexical editor makes them (shared/notes/README.md, "Structure in
 * Yjs"): a new line is a paragraph XmlText embedded in the root, holding a text node (a Y.Map of
 * its properties followed by its string); typing at the end of a line extends that string. And
 * the presence it publishes: every keystroke moves the caret, which Lexical's collaboration
 * plugin publishes as a presence update of its own. The generator writes these directly, without
 * an editor per client, so its own CPU stays small; `checkShape` holds them equal to what a
 * headless Lexical editor writes for the same edit.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isRangeSelection, type TextNode } from 'lexical';
import { createBinding, initLocalState, syncLexicalUpdateToYjs, type Provider } from '@lexical/yjs';
import { createNotesEditor, createWriter, ROOT_NAME } from '../../../shared/notes/headless.js';
import { newDoc } from '../../../shared/notes/client-id.js';

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

/** Presence on joining, as the page's CollaborationPlugin publishes it (`initLocalState`, the page's awarenessData). */
export function joinPresence(awareness: Awareness, name: string, color: string): void {
  awareness.setLocalState({ anchorPos: null, awarenessData: { role: 'notetaker' }, color, focusPos: null, focusing: true, name });
}

/**
 * The caret after typing at the end of `line`, as @lexical/yjs publishes a collapsed caret after
 * one's own character: a relative position on the character before it (assoc -1), so a new one
 * at every keystroke.
 */
export function caretAtEnd(awareness: Awareness, line: Y.XmlText): void {
  const at = (): Y.RelativePosition => Y.createRelativePositionFromTypeIndex(line, line.length, -1);
  awareness.setLocalState({ ...awareness.getLocalState(), anchorPos: at(), focusPos: at() });
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
  const mine = appendParagraph(rootOf(newDoc()), 'shape');
  const sorted = (o: Record<string, unknown>): unknown[] => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
  const describe = (p: Y.XmlText): string =>
    JSON.stringify([sorted(p.getAttributes()), (p.toDelta() as Array<{ insert: unknown }>).map((op) => (op.insert instanceof Y.Map ? sorted(op.insert.toJSON()) : op.insert))]);
  writer.dispose();
  if (describe(made) !== describe(mine)) {
    throw new Error(`the bench's paragraphs no longer match Lexical's:\n  lexical ${describe(made)}\n  bench   ${describe(mine)}`);
  }
  checkPresence();
}

/** Throws unless `joinPresence` and `caretAtEnd` publish what Lexical's binding publishes for a typist. */
function checkPresence(): void {
  const doc = newDoc();
  const awareness = new Awareness(doc);
  // Lexical's provider type asks for more than the awareness a real provider hands it.
  const provider = { awareness, connect() {}, disconnect() {}, on() {}, off() {} } as unknown as Provider;
  const editor = createNotesEditor();
  const binding = createBinding(editor, provider, ROOT_NAME, doc, new Map([[ROOT_NAME, doc]]));
  const stop = editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) =>
    syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags),
  );
  initLocalState(provider, 'Typist', '#123456', true, { role: 'notetaker' });
  const mine = new Awareness(newDoc());
  joinPresence(mine, 'Typist', '#123456');
  const compare = (what: string): void => {
    const made = JSON.stringify(awareness.getLocalState());
    const bench = JSON.stringify(mine.getLocalState());
    if (made !== bench) throw new Error(`the bench's presence ${what} no longer matches Lexical's:\n  lexical ${made}\n  bench   ${bench}`);
  };
  compare('on joining');
  editor.update(
    () => {
      const text = $createTextNode('shape');
      $getRoot().append($createParagraphNode().append(text));
      text.select();
    },
    { discrete: true },
  );
  editor.update(
    () => {
      const selection = $getSelection();
      if ($isRangeSelection(selection)) selection.insertText(' typed');
    },
    { discrete: true },
  );
  const line = rootOf(doc).toDelta()[0].insert as Y.XmlText;
  caretAtEnd(mine, line);
  compare('after a keystroke');
  const text = editor.getEditorState().read(() => ($getRoot().getFirstDescendant() as TextNode).getTextContent());
  stop();
  awareness.destroy();
  mine.destroy();
  if (text !== 'shape typed') throw new Error(`presence check typed ${JSON.stringify(text)}`);
}
