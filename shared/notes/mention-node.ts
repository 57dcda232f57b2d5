// An `@` mention of an attendee, inserted by the client's typeahead. A TextNode in token mode (it
// is deleted and selected as a whole) whose text is what the reader sees ("@RHL" or
// "Robert Lupton"), plus which attendee it stands for. This module runs in Node too (server
// extraction, headless seeding), so it never reaches for the DOM itself: createDOM only marks the
// element Lexical made, and the HTML a copy puts on the clipboard is the client's
// (client/editor/mention-html.ts).

import {
  $applyNodeReplacement,
  TextNode,
  type EditorConfig,
  type LexicalNode,
  type LexicalUpdateJSON,
  type NodeKey,
  type SerializedTextNode,
  type Spread,
} from 'lexical';

/** What createDOM touches of the browser element Lexical made. */
interface MarkableElement {
  classList: { add(name: string): void };
  setAttribute(name: string, value: string): void;
}

export type SerializedMentionNode = Spread<{ attendeeId: string; handle: string }, SerializedTextNode>;

export class MentionNode extends TextNode {
  // Properties with defaults set in the constructor are what @lexical/yjs syncs: both must exist
  // on a node built with no arguments.
  __attendeeId: string;
  __handle: string;

  static override getType(): string {
    return 'mention';
  }

  static override clone(node: MentionNode): MentionNode {
    return new MentionNode(node.__text, node.__attendeeId, node.__handle, node.__key);
  }

  constructor(text = '', attendeeId = '', handle = '', key?: NodeKey) {
    super(text, key);
    this.__attendeeId = attendeeId;
    this.__handle = handle;
  }

  static override importJSON(json: SerializedMentionNode): MentionNode {
    return $createMentionNode(json.text, json.attendeeId, json.handle).updateFromJSON(json);
  }

  override updateFromJSON(json: LexicalUpdateJSON<SerializedMentionNode>): this {
    const node = super.updateFromJSON(json).getWritable();
    node.__attendeeId = typeof json.attendeeId === 'string' ? json.attendeeId : '';
    node.__handle = typeof json.handle === 'string' ? json.handle : '';
    return node;
  }

  override exportJSON(): SerializedMentionNode {
    return { ...super.exportJSON(), attendeeId: this.getAttendeeId(), handle: this.getHandle() };
  }

  getAttendeeId(): string {
    return this.getLatest().__attendeeId;
  }

  getHandle(): string {
    return this.getLatest().__handle;
  }

  override createDOM(config: EditorConfig): ReturnType<TextNode['createDOM']> {
    const dom = super.createDOM(config);
    const element = dom as unknown as MarkableElement;
    element.classList.add('mention');
    element.setAttribute('data-attendee-id', this.__attendeeId);
    return dom;
  }

  override isTextEntity(): true {
    return true;
  }

  override canInsertTextBefore(): boolean {
    return false;
  }

  override canInsertTextAfter(): boolean {
    return false;
  }
}

export function $createMentionNode(text: string, attendeeId: string, handle = ''): MentionNode {
  const node = new MentionNode(text, attendeeId, handle);
  node.setMode('token').toggleDirectionless();
  return $applyNodeReplacement(node);
}

export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
