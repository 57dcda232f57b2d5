// Addresses typed into the notes become links (client/editor/url-links.ts), and a notetaker opens
// one with Ctrl+click (⌘+click on a Mac), as in code editors and word processors: a plain click
// in text being written places the caret. Followers, who write nothing, open links with a plain
// click (ClickableLinkPlugin).
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { mergeRegister, type NodeMutation, type NodeKey } from 'lexical';
import { registerUrlLinks } from '../url-links';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const HINT = `${isMac ? '⌘' : 'Ctrl'}+click to open`;

export function UrlLinkPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const hint = (mutations: Map<NodeKey, NodeMutation>): void => {
      for (const [key, mutation] of mutations) {
        if (mutation !== 'destroyed') editor.getElementByKey(key)?.setAttribute('title', HINT);
      }
    };
    const open = (event: MouseEvent): void => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || !(event.target instanceof Element)) return;
      const anchor = event.target.closest('a[href]');
      if (!(anchor instanceof HTMLAnchorElement) || !/^(https?:|mailto:)/i.test(anchor.href)) return;
      event.preventDefault();
      window.open(anchor.href, '_blank', 'noopener,noreferrer');
    };
    return mergeRegister(
      registerUrlLinks(editor),
      editor.registerMutationListener(LinkNode, hint),
      editor.registerMutationListener(AutoLinkNode, hint),
      editor.registerRootListener((root) => {
        if (!root) return;
        root.addEventListener('click', open);
        return () => root.removeEventListener('click', open);
      }),
    );
  }, [editor]);
  return null;
}
