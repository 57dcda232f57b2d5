// Who wrote which text of a version: each character's Yjs item carries the client id that
// inserted it, and document_authors says which user wrote as that client. Read at the Yjs level
// (shared/notes/yjs-read.ts gives the blocks, in the order the exports list them).

import * as Y from 'yjs';
import { readYjsBlocks } from '../../shared/notes/yjs-read.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import type { AttributedBlock, VersionAuthor } from '../../shared/api/versions.js';
import type { AuthorMap } from './version-store.js';

interface Run {
  text: string;
  client: number;
}

/** The visible text of a block's own shared type, run by run, with the client that inserted it. */
function runsOf(xmlText: Y.XmlText, out: Run[]): void {
  for (let item = xmlText._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) {
      out.push({ text: content.str, client: item.id.client });
    } else if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlText) {
        // A link's text is part of the line; a nested list is blocks of its own.
        if (type.getAttribute('__type') !== 'list') runsOf(type, out);
      } else if (type instanceof Y.Map && type.get('__type') === 'linebreak') {
        out.push({ text: '\n', client: item.id.client });
      }
    }
  }
}

function listTypeOf(xmlText: Y.XmlText): string | null {
  const parent = xmlText._item?.parent;
  return parent instanceof Y.XmlText ? ((parent.getAttribute('__listType') as string | undefined) ?? null) : null;
}

/** The blocks of a document with their text split by author; empty blocks are left out, as in the exports. */
export function attributedBlocks(doc: Y.Doc, authors: AuthorMap): { blocks: AttributedBlock[]; authors: VersionAuthor[] } {
  const names: VersionAuthor[] = [];
  const indexOf = new Map<string, number>();
  const authorIndex = (client: number): number | null => {
    const author = authors.get(client);
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
  const blocks: AttributedBlock[] = [];
  for (const block of readYjsBlocks(doc.get(ROOT_NAME, Y.XmlText))) {
    if (block.text.trim() === '') continue;
    const raw: Run[] = [];
    runsOf(block.xmlText, raw);
    const runs: AttributedBlock['runs'] = [];
    for (const run of raw) {
      const author = authorIndex(run.client);
      const last = runs[runs.length - 1];
      if (last && last.author === author) last.text += run.text;
      else runs.push({ text: run.text, author });
    }
    blocks.push({
      type: block.type,
      tag: block.tag,
      depth: block.depth,
      listType: block.type === 'listitem' ? listTypeOf(block.xmlText) : null,
      checked: block.checked,
      agendaItemId: block.agendaItemId,
      actionId: block.actionId,
      text: block.text,
      runs,
    });
  }
  return { blocks, authors: names };
}
