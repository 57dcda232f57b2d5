// An `@` mention of an attendee, inserted by the client's typeahead. A TextNode in token mode (it
// is deleted and selected as a whole) whose text is what the reader sees ("@RHL" or
// "Robert Lupton"), plus which attendee it stands for. DOM is touched only in createDOM /
// exportDOM so this module imports fine in Node (server extraction, headless seeding).

import {
  $applyNodeReplacement,
  TextNode,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalNode,
  type LexicalUpdateJSON,
  type NodeKey,
  type SerializedTextNode,
  type Spread,
} from 'lexical';

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

  override createDOM(config: EditorConfig): HTMLElement {
    const dom = super.createDOM(config);
    dom.classList.add('mention');
    dom.dataset.attendeeId = this.__attendeeId;
    return dom;
  }

  override exportDOM(): DOMExportOutput {
    const element = document.createElement('span');
    element.className = 'mention';
    element.dataset.attendeeId = this.__attendeeId;
    if (this.__handle) element.dataset.handle = this.__handle;
    element.textContent = this.__text;
    return { element };
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
