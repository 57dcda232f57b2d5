// Addresses typed into the notes become links (client/editor/url-links.ts), and one pasted over
// selected words makes them a link to it. A notetaker's plain click in a link places the caret
// there, to edit it, as in a word processor; the link opens with Ctrl+click (⌘+click on a Mac),
// with Alt+Enter, or from the small "Open" box shown under a link while the caret is in it, which
// is also how a phone opens one. Followers, who write nothing, open links with a plain click
// (ClickableLinkPlugin).
import { useEffect, useState, type JSX } from 'react';
import { createPortal } from 'react-dom';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $isLinkNode, AutoLinkNode, LinkNode } from '@lexical/link';
import { $findMatchingParent } from '@lexical/utils';
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_HIGH, COMMAND_PRIORITY_NORMAL, KEY_ENTER_COMMAND, mergeRegister, PASTE_COMMAND, type NodeKey, type NodeMutation } from 'lexical';
import { $linkSelectionTo, registerUrlLinks } from '../url-links';
import { isMac, mod } from '../platform';
import { isSafeHref } from '../../../shared/exports/text';

const HINT = `${mod}click to open`;

/** The link the caret is in, and where its box goes in the editor's shell. */
interface CaretLink {
  href: string;
  top: number;
  left: number;
}

/** The link a caret stands in. */
function $caretLink(): LinkNode | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return null;
  const link = $findMatchingParent(selection.anchor.getNode(), $isLinkNode);
  return $isLinkNode(link) ? link : null;
}

export function UrlLinkPlugin({ container }: { container: HTMLElement | null }): JSX.Element | null {
  const [editor] = useLexicalComposerContext();
  const [caretLink, setCaretLink] = useState<CaretLink | null>(null);

  useEffect(() => {
    const hint = (mutations: Map<NodeKey, NodeMutation>): void => {
      for (const [key, mutation] of mutations) {
        if (mutation !== 'destroyed') editor.getElementByKey(key)?.setAttribute('title', HINT);
      }
    };
    const open = (event: MouseEvent): void => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || !(event.target instanceof Element)) return;
      const anchor = event.target.closest('a[href]');
      if (!(anchor instanceof HTMLAnchorElement) || !isSafeHref(anchor.href)) return;
      event.preventDefault();
      window.open(anchor.href, '_blank', 'noopener,noreferrer');
    };
    let focused = false;
    const place = (): void => {
      const found = focused
        ? editor.getEditorState().read(() => {
            const link = $caretLink();
            return link ? { key: link.getKey(), href: link.getURL() } : null;
          })
        : null;
      const element = found ? editor.getElementByKey(found.key) : null;
      if (!found || !element || !container || !isSafeHref(found.href)) return setCaretLink(null);
      const box = element.getBoundingClientRect();
      const shell = container.getBoundingClientRect();
      const next = { href: found.href, top: box.bottom - shell.top + 4, left: Math.max(0, box.left - shell.left) };
      // Every keystroke, anyone's, comes here: render only when the box moves.
      setCaretLink((shown) => (shown && shown.href === next.href && shown.top === next.top && shown.left === next.left ? shown : next));
    };
    const onFocus = (): void => {
      focused = true;
      place();
    };
    const onBlur = (): void => {
      focused = false;
      place();
    };
    return mergeRegister(
      registerUrlLinks(editor),
      // Alt+Enter opens the link the caret is in, as in Google Docs: the keyboard's way.
      editor.registerCommand(
        KEY_ENTER_COMMAND,
        (event) => {
          if (!event?.altKey) return false;
          const href = $caretLink()?.getURL() ?? null;
          if (href === null || !isSafeHref(href)) return false;
          event.preventDefault();
          window.open(href, '_blank', 'noopener,noreferrer');
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
      editor.registerCommand(
        PASTE_COMMAND,
        (event) => {
          const data = event instanceof ClipboardEvent ? event.clipboardData : null;
          if (!data || !$linkSelectionTo(data)) return false;
          event.preventDefault();
          return true;
        },
        COMMAND_PRIORITY_NORMAL,
      ),
      editor.registerMutationListener(LinkNode, hint),
      editor.registerMutationListener(AutoLinkNode, hint),
      editor.registerUpdateListener(place),
      editor.registerRootListener((root) => {
        if (!root) return;
        focused = root.contains(document.activeElement);
        root.addEventListener('click', open);
        root.addEventListener('focus', onFocus);
        root.addEventListener('blur', onBlur);
        return () => {
          root.removeEventListener('click', open);
          root.removeEventListener('focus', onFocus);
          root.removeEventListener('blur', onBlur);
        };
      }),
    );
  }, [editor, container]);

  if (!caretLink || !container) return null;
  return createPortal(
    <div className="link-box" style={{ top: caretLink.top, left: caretLink.left }}>
      {/* Pressing it must not take the focus from the notes: the box would go before the click. */}
      <a href={caretLink.href} target="_blank" rel="noopener noreferrer" onMouseDown={(event) => event.preventDefault()}>
        Open <span className="link-box-address">{caretLink.href.replace(/^https?:\/\//i, '')}</span> ↗ <kbd>Alt+Enter</kbd>
      </a>
    </div>,
    container,
  );
}
