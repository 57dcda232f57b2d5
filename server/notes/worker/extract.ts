// Extraction of one session document: blocks → action records with stable ids. Runs in the notes
// worker, but has no worker dependency.

import * as Y from 'yjs';
import { $getNodeByKey, $isElementNode } from 'lexical';
import { parseActionBlock, type Attendee } from '../../../shared/actions/index.js';
import { $setActionId, newActionId } from '../../../shared/notes/action-id.js';
import type { ActionAssignee } from '../../../shared/api/actions.js';
import { createWriter, SERVER_EDIT, type BoundEditor } from '../../../shared/notes/headless.js';
import { $readBlocks, type ReadBlock } from '../../../shared/notes/read.js';

export interface ExtractContext {
  attendees: Attendee[];
  /** YYYY-MM-DD: relative dates resolve from it. */
  sessionDate: string;
  ticketProjects?: string[];
}

export interface ExtractedAction {
  id: string;
  agendaItemId: string | null;
  description: string;
  sourceText: string;
  assignees: ActionAssignee[];
  assigneeText: string[];
  everyone: boolean;
  due: string | null;
  done: boolean;
  tickets: string[];
  /** Index of the block in the document. */
  position: number;
  /** 'check' items are ticked through `__checked`; others carry a text marker. */
  kind: string;
}

export interface PassResult {
  actions: ExtractedAction[];
  /** A Yjs update giving blocks their (fresh) ids, to apply to the live document; null if none. */
  update: Uint8Array | null;
  /** How many blocks received a fresh id in this pass. */
  assigned: number;
}

export interface ExtractorOptions {
  /** Makes ids; tests may inject a deterministic one. */
  newId?: () => string;
}

function toAssignee(attendee: Attendee): ActionAssignee {
  return {
    id: attendee.id === undefined || attendee.id === null ? null : String(attendee.id),
    name: attendee.name,
    handle: attendee.handle ?? null,
  };
}

/** A stable name for a block's Yjs structure while it stays in place (it changes when moved). */
function itemKeyOf(writer: BoundEditor, block: ReadBlock): string | null {
  const collab = writer.binding.collabNodeMap.get(block.key);
  const item = collab && '_xmlText' in collab ? collab._xmlText._item : null;
  return item ? `${item.id.client}:${item.id.clock}` : null;
}

/**
 * One session document's extraction state: a private Yjs copy kept current with every update,
 * and which block held each id in the previous pass.
 *
 * Every pass reads the copy with a FRESH headless editor. An editor kept bound to the copy across
 * passes is cheaper, but under concurrent edits by several notetakers its tree was seen to drift
 * from the document (blocks missing, text doubled): a fresh read is what a newly opened browser
 * would show, always.
 */
export class DocExtractor {
  readonly doc = new Y.Doc();
  /** Which block (Yjs item) held each id in the previous pass: it keeps the id when pasted. */
  private owners = new Map<string, string>();
  private readonly newId: () => string;

  constructor(options: ExtractorOptions = {}) {
    this.newId = options.newId ?? newActionId;
  }

  apply(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return;
    Y.applyUpdate(this.doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]));
  }

  /**
   * Reads every block, parses action blocks, and decides ids: an action block without an id, with
   * an id another block kept, or with one of `reassign` (ids that belong to another document) is
   * given a fresh one, written through the same editor bound both ways to a scratch copy and
   * returned as `update`. With `assign` false (the live document is gone) such blocks are left
   * out until a later pass can give them ids.
   */
  pass(context: ExtractContext, reassign: ReadonlySet<string> = new Set(), assign = true): PassResult {
    const writer = createWriter(Y.encodeStateAsUpdate(this.doc));
    try {
      const blocks = writer.editor.getEditorState().read(() => $readBlocks());
      const itemKeys = blocks.map((block) => itemKeyOf(writer, block));
      const parsed = blocks.map((block) =>
        parseActionBlock({ text: block.text, checked: block.checked, mentions: block.mentions }, context.attendees, context.sessionDate, {
          ...(context.ticketProjects ? { ticketProjects: context.ticketProjects } : {}),
        }),
      );

      // Which block keeps each id: the one that had it last pass, else the first in the document.
      const keeper = new Map<string, number>();
      blocks.forEach((block, index) => {
        if (!parsed[index] || block.actionId === null || reassign.has(block.actionId)) return;
        const current = keeper.get(block.actionId);
        if (current === undefined || (itemKeys[index] !== null && this.owners.get(block.actionId) === itemKeys[index])) {
          keeper.set(block.actionId, index);
        }
      });

      const fresh = new Map<number, string>();
      blocks.forEach((block, index) => {
        if (!parsed[index] || !assign) return;
        if (block.actionId === null || keeper.get(block.actionId) !== index) fresh.set(index, this.newId());
      });

      let update: Uint8Array | null = null;
      if (fresh.size > 0) {
        writer.editor.update(() => {
          for (const [index, id] of fresh) {
            const node = $getNodeByKey(blocks[index]!.key);
            if (node && $isElementNode(node)) $setActionId(node, id);
          }
        }, SERVER_EDIT);
        update = writer.changed() ? writer.diff() : null;
        // Nothing written: those blocks have no usable id yet; a later pass retries.
        if (update === null) fresh.clear();
      }

      const actions: ExtractedAction[] = [];
      const owners = new Map<string, string>();
      blocks.forEach((block, index) => {
        const action = parsed[index];
        if (!action) return;
        const id = fresh.get(index) ?? (keeper.get(block.actionId ?? '') === index ? block.actionId : null);
        if (id === null) return;
        const itemKey = itemKeys[index];
        if (itemKey) owners.set(id, itemKey);
        actions.push({
          id,
          agendaItemId: block.agendaItemId,
          description: action.description,
          sourceText: block.text,
          assignees: [...action.assignees.map(toAssignee), ...action.unresolved.map((handle) => ({ id: null, name: handle, handle }))],
          assigneeText: action.assigneeText,
          everyone: action.everyone,
          due: action.due,
          done: action.done,
          tickets: action.tickets,
          position: index,
          kind: action.kind,
        });
      });
      this.owners = owners;
      return { actions, update, assigned: fresh.size };
    } finally {
      writer.dispose();
      writer.doc.destroy();
    }
  }

  dispose(): void {
    this.doc.destroy();
  }
}
