import type { DOMExportOutputMap, LexicalNode } from 'lexical';
import { MentionNode } from '../../shared/notes/mention-node';

/** A mention as the clipboard's HTML carries it: the text, and which attendee it stands for. */
function exportMention(_editor: unknown, node: LexicalNode) {
  const mention = node as MentionNode;
  const element = document.createElement('span');
  element.className = 'mention';
  element.dataset.attendeeId = mention.getAttendeeId();
  if (mention.getHandle()) element.dataset.handle = mention.getHandle();
  element.textContent = mention.getTextContent();
  return { element };
}

/** The editor's `html.export` map. */
export const NOTE_HTML_EXPORT: DOMExportOutputMap = new Map([[MentionNode, exportMention]]);
