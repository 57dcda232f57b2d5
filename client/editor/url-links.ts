// Web addresses become links as they are typed: when the space, Enter or Shift+Enter after one is
// typed, or when they are pasted (what chat tools and Google Docs do). A link whose text is
// edited follows it (fixing a typo fixes the address) and turns back into text once it is no
// longer an address.
//
// Making a link moves the address's characters into a new node, so two editors making a link of
// the same characters at once would write the address twice. Only the editor that typed the
// address makes it a link: node transforms never run on what the binding brings from the document
// (@lexical/yjs skips them), and the space or Enter must follow this editor's own last keystroke.
// A second notetaker whose caret stands right behind someone's address (carried there by the
// letters, or clicked there) and who starts with a space or Enter leaves the address to its
// typist. Others typing into the characters at the moment they move keep what they typed
// (client/collab/rescue.ts), as with any move.
import { $isAutoLinkNode, $isLinkNode, $toggleLink, AutoLinkNode } from '@lexical/link';
import {
  $getSelection,
  $hasUpdateTag,
  $isRangeSelection,
  $isTextNode,
  COLLABORATION_TAG,
  COMMAND_PRIORITY_CRITICAL,
  HISTORIC_TAG,
  INSERT_LINE_BREAK_COMMAND,
  INSERT_PARAGRAPH_COMMAND,
  mergeRegister,
  PASTE_TAG,
  TextNode,
  type EditorState,
  type LexicalEditor,
} from 'lexical';
import { $linkRange } from '../../shared/notes/links';
import { urlAtEnd, urlsIn, wholeUrl } from '../../shared/notes/urls';

/** How much of the text before the caret identifies the spot of this editor's last keystroke. */
const SPOT = 32;

export function registerUrlLinks(editor: LexicalEditor): () => void {
  /** The text just before this editor's caret after its last own edit of the text. */
  let lastTyped: string | null = null;
  const typedHere = (before: string): boolean => lastTyped !== null && lastTyped !== '' && before.endsWith(lastTyped);

  const $typed = (node: TextNode): void => {
    if (fromElsewhere() || !node.isAttached()) return;
    // Lexical runs an element's transform only when the element itself changed, not its text.
    const parent = node.getParent();
    if ($isAutoLinkNode(parent)) return $keepLinkTrue(parent);
    if (!linkable(node)) return;
    if ($hasUpdateTag(PASTE_TAG)) {
      // One address per run: the rest of the node is a node of its own, transformed in turn.
      const [first] = urlsIn(node.getTextContent());
      if (first) $linkRange(node, first);
      return;
    }
    const caret = $caretIn();
    if (!caret || !caret.node.is(node) || caret.offset < 1) return;
    const text = node.getTextContent();
    const before = text.slice(0, caret.offset - 1);
    if (!/\s/.test(text[caret.offset - 1]!) || !typedHere(before)) return;
    const address = urlAtEnd(before);
    if (address) $linkRange(node, address);
  };

  /** Enter or Shift+Enter right after an address: the address is a link, and the break comes after it. */
  const $beforeBreak = (): false => {
    const caret = $caretIn();
    const before = caret?.node.getTextContent().slice(0, caret.offset) ?? '';
    const address = caret && typedHere(before) ? urlAtEnd(before) : null;
    if (!caret || !address) return false;
    const link = $linkRange(caret.node, address);
    // The caret stood at the address's last character, now inside the link: the break would
    // start a second link on the next line.
    if (address.end === caret.offset) link.selectNext(0, 0);
    return false;
  };

  return mergeRegister(
    editor.registerNodeTransform(TextNode, $typed),
    editor.registerNodeTransform(AutoLinkNode, $keepLinkTrue),
    editor.registerCommand(INSERT_PARAGRAPH_COMMAND, $beforeBreak, COMMAND_PRIORITY_CRITICAL),
    editor.registerCommand(INSERT_LINE_BREAK_COMMAND, $beforeBreak, COMMAND_PRIORITY_CRITICAL),
    editor.registerUpdateListener(({ editorState, dirtyLeaves, tags }) => {
      if (tags.has(COLLABORATION_TAG) || tags.has(HISTORIC_TAG) || dirtyLeaves.size === 0) return;
      lastTyped = textBeforeCaret(editorState, dirtyLeaves);
    }),
  );
}

/**
 * An address pasted over selected words makes them a link to it (select "the slides", paste their
 * address), as word processors do; over a selection across lines, or holding a link already, it
 * is pasted as text.
 */
export function $linkSelectionTo(data: DataTransfer): boolean {
  const address = wholeUrl(data.getData('text/plain').trim());
  const selection = $getSelection();
  if (!address || !$isRangeSelection(selection) || selection.isCollapsed()) return false;
  const nodes = selection.getNodes();
  const block = selection.anchor.getNode().getTopLevelElement();
  if (!block || !selection.focus.getNode().getTopLevelElement()?.is(block) || nodes.some((node) => $isLinkNode(node) || $isLinkNode(node.getParent()))) return false;
  $toggleLink(address.href, { rel: 'noopener noreferrer' });
  return true;
}

/** The end of the text before the caret, when the caret is in a text node the update changed. */
function textBeforeCaret(state: EditorState, changed: Set<string>): string | null {
  return state.read(() => {
    const caret = $caretIn();
    if (!caret || !changed.has(caret.node.getKey())) return null;
    return caret.node.getTextContent().slice(Math.max(0, caret.offset - SPOT), caret.offset);
  });
}

function fromElsewhere(): boolean {
  return $hasUpdateTag(COLLABORATION_TAG) || $hasUpdateTag(HISTORIC_TAG);
}

/** Plain text outside any link, where an address may be made a link. */
function linkable(node: TextNode): boolean {
  return node.isSimpleText() && !node.hasFormat('code') && !$isLinkNode(node.getParent());
}

/** The caret's text node and offset, when the selection is a caret in linkable text. */
function $caretIn(): { node: TextNode; offset: number } | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed() || selection.anchor.type !== 'text') return null;
  const node = selection.anchor.getNode();
  return $isTextNode(node) && linkable(node) ? { node, offset: selection.anchor.offset } : null;
}

/** A recognised link's address is its text: edited, it follows; no longer an address, it is text again. */
function $keepLinkTrue(link: AutoLinkNode): void {
  if (fromElsewhere() || !$isAutoLinkNode(link) || !link.isAttached()) return;
  const address = wholeUrl(link.getTextContent());
  if (address) {
    if (link.getURL() !== address.href) link.setURL(address.href);
    return;
  }
  for (const child of link.getChildren()) link.insertBefore(child);
  link.remove();
}
