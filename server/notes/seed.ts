// Seeds a session document on the server, once: a heading per agenda block and per agenda item
// (time, topic, coordinator), the item's pre-meeting notes, and an empty paragraph for running
// notes under each item. Clients never bootstrap content (two would duplicate it).

import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, $isElementNode, $isTextNode, type LexicalNode } from 'lexical';
import { $createLinkNode, type LinkNode } from '@lexical/link';
import type { NoteInline } from '../../shared/api/index.js';
import { isSafeHref } from '../../shared/exports/text.js';
import { wholeUrl } from '../../shared/notes/urls.js';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode, type ListNode, type ListType } from '@lexical/list';
import { $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { SERVER_ORIGIN } from '../collab/room.js';
import { createWriter, ROOT_NAME } from '../../shared/notes/headless.js';
import { $tableOfRows, type TableRows } from '../../shared/notes/tables.js';
import { $createUrlLink, $textWithLinks } from '../../shared/notes/links.js';
import type { OutlineBlock, OutlineItem, SessionLookup, SessionOutline } from './lookup.js';
import type { CollabExtension } from '../collab/extension.js';
import type { Logger } from '../collab/types.js';

/** Top-level map for facts about the document itself; Lexical ignores it. */
export const META_NAME = 'quorum';
const SEEDED_KEY = 'seeded';

/** True when the document was seeded, or already has content (e.g. created before seeding existed). */
export function isSeeded(doc: Y.Doc): boolean {
  return doc.getMap(META_NAME).get(SEEDED_KEY) !== undefined || doc.get(ROOT_NAME, Y.XmlText).length > 0;
}

export function blockHeadingText(block: OutlineBlock, index: number): string {
  const roles = [block.moderator ? `moderator ${block.moderator}` : null, block.notetaker ? `notetaker ${block.notetaker}` : null]
    .filter((part): part is string => part !== null)
    .join(', ');
  const title = block.title && block.title.trim() !== '' ? block.title.trim() : `Block ${index + 1}`;
  return roles === '' ? title : `${title} (${roles})`;
}

export function itemHeadingText(item: OutlineItem): string {
  const parts = [item.time, item.topic, item.coordinators.length > 0 ? item.coordinators.join(', ') : null];
  return parts.filter((part): part is string => part !== null && part.trim() !== '').join(' · ');
}

/** A single untitled block is just a list of items: no block heading for it. */
export function showsBlockHeadings(outline: SessionOutline): boolean {
  return outline.blocks.length > 1 || outline.blocks.some((b) => b.title || b.moderator || b.notetaker);
}

/** A line of running notes to seed with (imported minutes, server/import). */
export interface SeedLine {
  text: string;
  /** A check-list item. */
  task?: boolean;
  checked?: boolean;
  /** 0: a paragraph; more: a list item, a higher level nested under a lower one. */
  level: number;
  /** A list item of a numbered list. */
  ordered?: boolean;
  /** A quoted paragraph. */
  quote?: boolean;
  /** A heading, its depth (1–3). */
  heading?: number;
  /** Its runs of formatting and links, when they say more than `text`. */
  inlines?: readonly NoteInline[];
  /** A table instead: its rows of cells (a cell's lines joined by line breaks), the first a header row or not. */
  table?: TableRows;
}

/** Notes to seed with the agenda: before the first item, under each item by its id, after the last. */
export interface SeedNotes {
  opening: readonly SeedLine[];
  byItem: ReadonlyMap<string, readonly SeedLine[]>;
  closing: readonly SeedLine[];
}

const FORMATS = ['bold', 'italic', 'strikethrough', 'code'] as const;

/** Gives the text nodes among `nodes` (and in their links) the run's formats. */
function $withFormats(nodes: LexicalNode[], run: NoteInline): LexicalNode[] {
  const texts = nodes.flatMap((node) => ($isTextNode(node) ? [node] : $isElementNode(node) ? node.getChildren().filter($isTextNode) : []));
  for (const text of texts) for (const format of FORMATS) if (run[format]) text.toggleFormat(format);
  return nodes;
}

/**
 * A line's content: its runs (formatted text; a link's runs in one link, by its label unless the
 * label is its address), or its text; addresses typed as text are links either way.
 */
function $lineContent(line: SeedLine): LexicalNode[] {
  if (!line.inlines) return $textWithLinks(line.text);
  const nodes: LexicalNode[] = [];
  let link: LinkNode | null = null;
  for (const run of line.inlines) {
    const href = run.href && isSafeHref(run.href) ? run.href : null;
    const texts = $withFormats(href ? [$createTextNode(run.text)] : $textWithLinks(run.text), run);
    if (!href) {
      link = null;
      nodes.push(...texts);
      continue;
    }
    if (!link || link.getURL() !== href) {
      // An address shown as itself is the kind of link typing makes, which follows its text.
      link = wholeUrl(run.text)?.href === href ? $createUrlLink(href) : $createLinkNode(href, { rel: 'noopener noreferrer' });
      nodes.push(link);
    }
    link.append(...texts);
  }
  return nodes;
}

/** A paragraph, quote or heading of one line of text, its addresses as links. */
function $textBlock(line: SeedLine): LexicalNode {
  const block = line.heading ? $createHeadingNode(`h${Math.max(1, Math.min(3, line.heading)) as 1 | 2 | 3}`) : line.quote ? $createQuoteNode() : $createParagraphNode();
  return block.append(...$lineContent(line));
}

/**
 * Paragraphs, quotes, headings, tables, and consecutive list items as lists: a higher level nests
 * under the item before it (in Lexical's shape, a list inside an item of its own after its parent),
 * and a change of kind (bullets, numbers, tasks) at one level starts a list of that kind.
 */
function $noteNodes(lines: readonly SeedLine[]): LexicalNode[] {
  const nodes: LexicalNode[] = [];
  /** The lists open at each level, outermost first. */
  let open: Array<{ level: number; list: ListNode }> = [];
  const $openList = (level: number, kind: ListType): ListNode => {
    const list = $createListNode(kind);
    const parent = open[open.length - 1];
    if (parent) parent.list.append($createListItemNode().append(list));
    else nodes.push(list);
    open.push({ level, list });
    return list;
  };
  for (const line of lines) {
    const kind: ListType | null = line.task ? 'check' : line.level > 0 ? (line.ordered ? 'number' : 'bullet') : null;
    if (!kind || line.table) {
      open = [];
      nodes.push(line.table ? $tableOfRows(line.table) : $textBlock(line));
      continue;
    }
    while (open.length > 0 && open[open.length - 1]!.level > line.level) open.pop();
    let top = open[open.length - 1];
    if (top && top.level === line.level && top.list.getListType() !== kind) {
      open.pop();
      top = undefined;
    }
    const list = top && top.level === line.level ? top.list : $openList(line.level, kind);
    list.append($createListItemNode(kind === 'check' ? line.checked === true : undefined).append(...$lineContent(line)));
  }
  return nodes;
}

function $outlineNodes(outline: SessionOutline, notes?: SeedNotes): LexicalNode[] {
  const nodes: LexicalNode[] = notes ? $noteNodes(notes.opening) : [];
  const showBlocks = showsBlockHeadings(outline);
  outline.blocks.forEach((block, index) => {
    if (showBlocks) {
      nodes.push($setAgendaKind($createHeadingNode('h2').append($createTextNode(blockHeadingText(block, index))), 'block'));
    }
    for (const item of block.items) {
      const heading = $createHeadingNode('h3').append($createTextNode(itemHeadingText(item)));
      nodes.push($setAgendaKind($setAgendaItemId(heading, item.id), 'item'));
      if (item.preNotes && item.preNotes.trim() !== '') {
        nodes.push($createQuoteNode().append(...$textWithLinks(item.preNotes.trim())));
      }
      const lines = notes?.byItem.get(item.id) ?? [];
      if (lines.length > 0) nodes.push(...$noteNodes(lines));
      // Where the running notes are typed.
      else nodes.push($createParagraphNode());
    }
  });
  if (notes) nodes.push(...$noteNodes(notes.closing));
  if (nodes.length === 0) nodes.push($createParagraphNode());
  return nodes;
}

/**
 * Writes the outline into an empty document as one update with `origin` (persisted and relayed
 * like any edit). Returns false, changing nothing, when the document is already seeded.
 */
export function seedSessionDocument(doc: Y.Doc, outline: SessionOutline, origin: unknown = SERVER_ORIGIN, notes?: SeedNotes): boolean {
  if (isSeeded(doc)) return false;
  const writer = createWriter(null);
  try {
    writer.editor.update(() => $getRoot().append(...$outlineNodes(outline, notes)), { discrete: true });
    // The flag travels in the same update (written on the scratch copy: an applied update is a
    // remote transaction, and local writes inside one make Yjs change the doc's client id).
    writer.doc.getMap(META_NAME).set(SEEDED_KEY, new Date().toISOString());
    Y.applyUpdate(doc, writer.diff(), origin);
    return true;
  } finally {
    writer.dispose();
    writer.doc.destroy();
  }
}

/** Seeds a session document the first time it loads, before anyone joins or reads it. */
export function sessionSeeding(lookup: SessionLookup, log: Logger): CollabExtension {
  return {
    name: 'seeding',
    async onLoad(room) {
      const context = await lookup.describe(room.name);
      if (context && seedSessionDocument(room.doc, context.outline)) log.info({ doc: room.name }, 'session document seeded');
    },
  };
}
