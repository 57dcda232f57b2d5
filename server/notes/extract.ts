// One session document's extraction state: a private copy of the document with a headless reader
// bound one way to it, and the id bookkeeping of the previous pass. Runs in the notes worker, but
// has no worker dependency (tests drive it directly too).

import * as Y from 'yjs';
import { $getNodeByKey, $isElementNode } from 'lexical';
import { parseActionBlock, type Attendee } from '../../shared/actions/index.js';
import { $setActionId, newActionId } from '../../shared/notes/action-id.js';
import type { ActionAssignee } from '../../shared/notes/model.js';
import { createReader, createWriter, type BoundEditor } from './headless.js';
import { $readBlocks, type ReadBlock } from './read.js';

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

export class DocExtractor {
  private readonly reader: BoundEditor = createReader();
  /** Which block (reader node key) held each id in the previous pass: it keeps the id on a paste. */
  private owners = new Map<string, string>();
  private readonly newId: () => string;

  constructor(options: ExtractorOptions = {}) {
    this.newId = options.newId ?? newActionId;
  }

  get doc(): Y.Doc {
    return this.reader.doc;
  }

  apply(updates: readonly Uint8Array[]): void {
    if (updates.length === 0) return;
    this.reader.doc.transact(() => {
      for (const update of updates) Y.applyUpdate(this.reader.doc, update);
    });
  }

  /**
   * Reads every block, parses action blocks, and decides ids: an action block without an id, with
   * an id another block kept, or with one of `reassign` (ids that belong to another document) is
   * given a fresh one through a scratch writer, returned as `update`. With `assign` false (the
   * live document is gone) such blocks are left out until a later pass can give them ids.
   */
  pass(context: ExtractContext, reassign: ReadonlySet<string> = new Set(), assign = true): PassResult {
    this.reader.flush();
    const blocks = this.reader.editor.getEditorState().read(() => $readBlocks());
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
      if (current === undefined || this.owners.get(block.actionId) === block.key) keeper.set(block.actionId, index);
    });

    const fresh = new Map<number, string>();
    blocks.forEach((block, index) => {
      if (!parsed[index] || !assign) return;
      if (block.actionId === null || keeper.get(block.actionId) !== index) fresh.set(index, this.newId());
    });

    const update = fresh.size > 0 ? this.writeIds(blocks, fresh) : null;
    // If the write-back produced nothing, those blocks have no usable id yet: retry next pass.
    if (update === null) fresh.clear();

    const actions: ExtractedAction[] = [];
    const owners = new Map<string, string>();
    blocks.forEach((block, index) => {
      const action = parsed[index];
      if (!action) return;
      const id = fresh.get(index) ?? (keeper.get(block.actionId ?? '') === index ? block.actionId : null);
      if (id === null) return;
      owners.set(id, block.key);
      actions.push({
        id,
        agendaItemId: block.agendaItemId,
        description: action.description,
        sourceText: block.text,
        assignees: action.assignees.map(toAssignee),
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
  }

  /** Sets ids on a scratch copy bound both ways, and returns the difference as one update. */
  private writeIds(blocks: readonly ReadBlock[], fresh: ReadonlyMap<number, string>): Uint8Array | null {
    const writer = createWriter(Y.encodeStateAsUpdate(this.reader.doc));
    try {
      writer.editor.update(
        () => {
          // Same document state, same walk: block i of the writer is block i of the reader.
          const scratchBlocks = $readBlocks();
          for (const [index, id] of fresh) {
            const target = scratchBlocks[index];
            if (!target || target.text !== blocks[index]?.text) continue;
            const node = $getNodeByKey(target.key);
            if (node && $isElementNode(node)) $setActionId(node, id);
          }
        },
        { discrete: true },
      );
      return writer.changed() ? writer.diff() : null;
    } finally {
      writer.dispose();
    }
  }

  dispose(): void {
    this.reader.dispose();
    this.reader.doc.destroy();
  }
}
