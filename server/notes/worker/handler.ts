// What the notes worker does with each request; also usable in-process (the fallback host).

import * as Y from 'yjs';
import { $getNodeByKey, $isElementNode, $isTextNode, type ElementNode, type TextNode } from 'lexical';
import { createWriter, SERVER_EDIT } from '../../../shared/notes/headless.js';
import { DocExtractor } from './extract.js';
import { $readBlocks } from '../../../shared/notes/read.js';
import { doneMarkerEdit } from './done-marker.js';
import type { WorkerRequest, WorkerResult } from './protocol.js';

export class NotesHandler {
  private readonly docs = new Map<string, DocExtractor>();

  private extractor(doc: string): DocExtractor {
    let extractor = this.docs.get(doc);
    if (!extractor) {
      extractor = new DocExtractor();
      this.docs.set(doc, extractor);
    }
    return extractor;
  }

  handle(request: WorkerRequest): WorkerResult {
    switch (request.kind) {
      case 'pass': {
        const extractor = this.extractor(request.doc);
        extractor.apply(request.updates);
        return { kind: 'pass', result: extractor.pass(request.context, new Set(request.reassign), request.assign) };
      }
      case 'setDone': {
        const extractor = this.extractor(request.doc);
        extractor.apply(request.updates);
        return { kind: 'setDone', ...setDoneByText(extractor.doc, request.actionId, request.done) };
      }
      case 'drop': {
        this.docs.get(request.doc)?.dispose();
        this.docs.delete(request.doc);
        return { kind: 'drop' };
      }
    }
  }

  dispose(): void {
    for (const extractor of this.docs.values()) extractor.dispose();
    this.docs.clear();
  }
}

/** The text node and offset holding block text position `at`, walking inline descendants in order. */
function $textAt(block: ElementNode, at: number): { node: TextNode; offset: number } | null {
  let seen = 0;
  const visit = (parent: ElementNode): { node: TextNode; offset: number } | null => {
    for (const child of parent.getChildren()) {
      if ($isTextNode(child)) {
        const length = child.getTextContentSize();
        if (at >= seen && at < seen + length) return { node: child, offset: at - seen };
        seen += length;
      } else if ($isElementNode(child)) {
        if (child.getType() === 'list') continue;
        const found = visit(child);
        if (found) return found;
      } else {
        seen += child.getTextContentSize();
      }
    }
    return null;
  };
  return visit(block);
}

/** Rewrites the done marker of the (non check-list) block with this action id, on a scratch copy. */
function setDoneByText(copy: Y.Doc, actionId: string, done: boolean): { update: Uint8Array | null; found: boolean } {
  const writer = createWriter(Y.encodeStateAsUpdate(copy));
  let found = false;
  try {
    writer.editor.update(
      () => {
        const block = $readBlocks().find((b) => b.actionId === actionId);
        if (!block) return;
        found = true;
        const edit = doneMarkerEdit(block.text, done);
        if (!edit) return;
        const node = $getNodeByKey(block.key);
        if (!node || !$isElementNode(node)) return;
        const start = $textAt(node, edit.start);
        // The marker must sit inside one text node (it is typed at the start of a line).
        if (!start || start.offset + (edit.end - edit.start) > start.node.getTextContentSize()) return;
        if (start.node.isToken() || start.node.getType() !== 'text') return;
        start.node.spliceText(start.offset, edit.end - edit.start, edit.replacement);
      },
      SERVER_EDIT,
    );
    return { update: writer.changed() ? writer.diff() : null, found };
  } finally {
    writer.dispose();
    writer.doc.destroy();
  }
}
