// Web addresses as the notes hold them: an AutoLinkNode around the address's text (the kind of
// link that was recognised, not chosen from the toolbar, so that editing its text moves the
// address along). See urls.ts for what counts as an address.
import { $createAutoLinkNode, type AutoLinkNode } from '@lexical/link';
import { $createTextNode, type LexicalNode, type TextNode } from 'lexical';
import { textAndUrls, type UrlMatch } from './urls';

/** The link an address typed, pasted or written as itself is: it follows its text when edited. */
export function $createUrlLink(href: string): AutoLinkNode {
  return $createAutoLinkNode(href, { rel: 'noopener noreferrer' });
}

/** A line of text as nodes: its addresses as links, the rest as text. */
export function $textWithLinks(text: string): LexicalNode[] {
  return textAndUrls(text).map((run) => (run.href ? $createUrlLink(run.href).append($createTextNode(run.text)) : $createTextNode(run.text)));
}

/**
 * Puts the address at `url` (offsets in `node`'s text) into a link, in place. The node is split
 * around it; a caret in the node stays by the character it stood by. Returns the link.
 */
export function $linkRange(node: TextNode, url: UrlMatch): AutoLinkNode {
  const parts = node.splitText(url.start, url.end);
  const address = parts[url.start === 0 ? 0 : 1]!;
  const link = $createUrlLink(url.href);
  address.replace(link);
  link.append(address);
  return link;
}
