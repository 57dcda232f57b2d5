// Who wrote which text of a version: each character's Yjs item carries the client id that
// inserted it, and document_authors says which user wrote as that client. Text the server wrote
// on someone's behalf (a restore) is looked up by clock range in document_author_ranges. Read at
// the Yjs level (shared/notes/yjs-read.ts gives the blocks, in the order the exports list them).

import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { readYjsBlocks, tableLines } from '../../shared/notes/yjs-read.js';
import { tableCellText, TABLE_SEPARATORS } from '../../shared/notes/model.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import type { AttributedBlock, VersionAuthor } from '../../shared/api/versions.js';

/**
 * The Yjs clients whose edits an update (v1, as clients send them) carries. Nearly every update
 * is one client's keystroke, and every keystroke passes here: its client is read from the
 * update's first bytes (clients, then the first client's struct count and id) instead of
 * decoding every struct; an update of several clients is decoded.
 */
export function writersOf(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const clients = decoding.readVarUint(decoder);
  if (clients === 0) return [];
  if (clients > 1) return [...Y.parseUpdateMeta(update).to.keys()];
  const structs = decoding.readVarUint(decoder);
  return structs === 0 ? [] : [decoding.readVarUint(decoder)];
}

export interface Author {
  userId: string;
  name: string;
}

/** A clock range of one client written on behalf of `author`. */
export interface AuthorRange {
  client: number;
  start: number;
  /** Exclusive. */
  end: number;
  author: Author;
}

/** Who wrote as which Yjs client of one document, and whose words the server re-wrote where. */
export class Authorship {
  private readonly ranges = new Map<number, AuthorRange[]>();

  constructor(
    readonly clients: ReadonlyMap<number, Author>,
    ranges: Iterable<AuthorRange> = [],
  ) {
    for (const range of ranges) {
      const list = this.ranges.get(range.client) ?? [];
      list.push(range);
      this.ranges.set(range.client, list);
    }
    for (const list of this.ranges.values()) list.sort((a, b) => a.start - b.start);
  }

  /** The authors of `length` characters inserted by `client` from `clock` on, as consecutive segments. */
  segments(client: number, clock: number, length: number): Array<{ length: number; author: Author | null }> {
    const whole = this.clients.get(client);
    const ranges = this.ranges.get(client);
    if (whole || !ranges) return [{ length, author: whole ?? null }];
    const out: Array<{ length: number; author: Author | null }> = [];
    let at = clock;
    const end = clock + length;
    for (const range of ranges) {
      if (range.end <= at) continue;
      if (range.start >= end) break;
      if (range.start > at) {
        out.push({ length: range.start - at, author: null });
        at = range.start;
      }
      const upTo = Math.min(range.end, end);
      out.push({ length: upTo - at, author: range.author });
      at = upTo;
    }
    if (at < end) out.push({ length: end - at, author: null });
    return out;
  }
}

interface Run {
  text: string;
  client: number;
  clock: number;
}

/** The visible text of a block's own shared type, item by item, with the client and clock that inserted it. */
function runsOf(xmlText: Y.XmlText, out: Run[]): void {
  for (let item = xmlText._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) {
      out.push({ text: content.str, client: item.id.client, clock: item.id.clock });
    } else if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlText) {
        // A link's text is part of the line; a nested list is blocks of its own.
        if (type.getAttribute('__type') !== 'list') runsOf(type, out);
      } else if (type instanceof Y.Map && type.get('__type') === 'linebreak') {
        out.push({ text: '\n', client: item.id.client, clock: item.id.clock });
      }
    }
  }
}

function listTypeOf(xmlText: Y.XmlText): string | null {
  const parent = xmlText._item?.parent;
  return parent instanceof Y.XmlText ? ((parent.getAttribute('__listType') as string | undefined) ?? null) : null;
}

/** A block's text as segments by author: raw material for the history view and for restores. */
interface AuthoredBlock {
  block: ReturnType<typeof readYjsBlocks>[number];
  segments: Array<{ text: string; author: Author | null; client: number; clock: number }>;
}

/** A table's runs, with its separators (of no author) between rows, cells and lines, as in its text. */
function tableRunsOf(table: Y.XmlText, out: Run[]): void {
  const separator = (text: string) => out.push({ text, client: -1, clock: 0 });
  tableLines(table).forEach((cells, r) => {
    if (r > 0) separator(TABLE_SEPARATORS.row);
    cells.forEach((lines, c) => {
      if (c > 0) separator(TABLE_SEPARATORS.cell);
      lines.forEach((line, l) => {
        if (l > 0) separator(TABLE_SEPARATORS.line);
        const runs: Run[] = [];
        runsOf(line, runs);
        for (const run of runs) out.push({ ...run, text: tableCellText(run.text) });
      });
    });
  });
}

function authoredBlocks(doc: Y.Doc, authorship: Authorship): AuthoredBlock[] {
  const out: AuthoredBlock[] = [];
  for (const block of readYjsBlocks(doc.get(ROOT_NAME, Y.XmlText))) {
    if (block.text.trim() === '') continue;
    const raw: Run[] = [];
    if (block.type === 'table') tableRunsOf(block.xmlText, raw);
    else runsOf(block.xmlText, raw);
    const segments: AuthoredBlock['segments'] = [];
    for (const run of raw) {
      let offset = 0;
      for (const segment of authorship.segments(run.client, run.clock, run.text.length)) {
        segments.push({ text: run.text.slice(offset, offset + segment.length), author: segment.author, client: run.client, clock: run.clock + offset });
        offset += segment.length;
      }
    }
    out.push({ block, segments });
  }
  return out;
}

/** The blocks of a document with their text split by author; empty blocks are left out, as in the exports. */
export function attributedBlocks(doc: Y.Doc, authorship: Authorship): { blocks: AttributedBlock[]; authors: VersionAuthor[] } {
  const names: VersionAuthor[] = [];
  const indexOf = new Map<string, number>();
  const authorIndex = (author: Author | null): number | null => {
    if (!author) return null;
    // Guests of one link share a user id: the name they typed tells them apart.
    const key = `${author.userId}\u0000${author.name}`;
    let index = indexOf.get(key);
    if (index === undefined) {
      index = names.length;
      indexOf.set(key, index);
      names.push({ name: author.name });
    }
    return index;
  };
  const blocks = authoredBlocks(doc, authorship).map(({ block, segments }): AttributedBlock => {
    const runs: AttributedBlock['runs'] = [];
    for (const segment of segments) {
      const author = authorIndex(segment.author);
      const last = runs[runs.length - 1];
      if (last && last.author === author) last.text += segment.text;
      else runs.push({ text: segment.text, author });
    }
    return {
      type: block.type,
      tag: block.tag,
      depth: block.depth,
      listType: block.type === 'listitem' ? listTypeOf(block.xmlText) : null,
      checked: block.checked,
      agendaItemId: block.agendaItemId,
      actionId: block.actionId,
      text: block.text,
      runs,
    };
  });
  return { blocks, authors: names };
}

/**
 * After a restore re-created a version's text as items of the server's client `writer`: the
 * clock ranges of those items, each with the author of the words it carries. Blocks are paired
 * in order by their text (a restore re-creates them exactly), characters by offset.
 */
export function carriedAuthorship(restored: Y.Doc, version: Y.Doc, writer: number, authorship: Authorship): AuthorRange[] {
  const before = authoredBlocks(version, authorship);
  const after = authoredBlocks(restored, authorship);
  const ranges: AuthorRange[] = [];
  let b = 0;
  for (const { block, segments } of after) {
    // Skip blocks that are not the version's (none, unless the restore was merged with another edit).
    while (b < before.length && before[b]!.block.text !== block.text) b++;
    const source = before[b++];
    if (!source) break;
    // The author of each character of the version's block.
    const authors: Array<Author | null> = [];
    for (const segment of source.segments) for (let i = 0; i < segment.text.length; i++) authors.push(segment.author);
    let offset = 0;
    for (const segment of segments) {
      if (segment.client === writer) {
        for (let i = 0; i < segment.text.length; i++) {
          const author = authors[offset + i] ?? null;
          if (!author) continue;
          const clock = segment.clock + i;
          const last = ranges[ranges.length - 1];
          if (last && last.client === writer && last.end === clock && last.author === author) last.end++;
          else ranges.push({ client: writer, start: clock, end: clock + 1, author });
        }
      }
      offset += segment.text.length;
    }
  }
  return ranges;
}
