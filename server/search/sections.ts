// The running notes of a session document grouped by agenda item, as the search index holds them
// (one row per agenda item's notes, and one for the notes before the first agenda heading).
//
// `noteSections` reads a whole document (a document being unloaded, one read from storage): a
// reader's first read, which reads every section.
// `SectionReader` keeps a live one's sections as cheaply: it watches the document for the
// top-level blocks typed in, and at each indexing walks the list of top-level blocks, looking at
// nothing but agenda headings' attributes, to see which blocks each section holds; only a section
// that holds a block typed in, or not the same blocks as at the last indexing written, is read
// (a 30,000-word meeting's typing no longer has the whole meeting read every few seconds).

import * as Y from 'yjs';
import { agendaHeadingOf, readTopLevel } from '../../shared/notes/yjs-read.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';

export interface Section {
  agendaItemId: string | null;
  /** The notes under it, a line a block; null when the section is as at the last indexing written (SectionReader). */
  text: string | null;
}

/** The notes of a document, grouped by the agenda item they sit under: a reader's first read, every section read. */
export function noteSections(doc: Y.Doc): Array<Section & { text: string }> {
  const reader = new SectionReader(doc);
  try {
    return reader.read().sections as Array<Section & { text: string }>;
  } finally {
    reader.dispose();
  }
}

/** What one read found: the sections, and what to call once they are written. */
export interface SectionsRead {
  sections: Section[];
  /** The sections read are in the index: the next read compares with them. */
  written(): void;
}

/** A section as a walk finds it: the top-level blocks it holds, in order. */
interface Found {
  agendaItemId: string | null;
  tops: Y.AbstractType<unknown>[];
  typedIn: boolean;
}

export class SectionReader {
  private readonly root: Y.XmlText;
  /** Top-level blocks typed in since the last read. */
  private readonly touched = new Set<Y.AbstractType<unknown>>();
  /** Each section's blocks as of the last read written, by agenda item ('' before the first heading). */
  private indexed = new Map<string, Y.AbstractType<unknown>[]>();
  /** Sections read whose write is not known to have happened: read again until it is. */
  private readonly unwritten = new Set<string>();
  /** Reads so far: only the latest one's write settles what was read (writes can overlap on PostgreSQL). */
  private reads = 0;

  constructor(doc: Y.Doc) {
    this.root = doc.get(ROOT_NAME, Y.XmlText);
    this.root.observeDeep(this.onEvents);
  }

  private readonly onEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      let type: Y.AbstractType<unknown> = event.target;
      while (type._item !== null && type._item.parent !== this.root) type = type._item.parent as Y.AbstractType<unknown>;
      // Blocks added, deleted or moved change what a section holds: the walk sees that.
      if (type !== this.root) this.touched.add(type);
    }
  };

  read(): SectionsRead {
    const found = new Map<string, Found>();
    let agendaItemId: string | null = null;
    for (let item = this.root._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable || !(item.content instanceof Y.ContentType)) continue;
      const top = item.content.type;
      const heading = agendaHeadingOf(top);
      // Agenda headings are the agenda's own rows (and seeded): the notes are what is under them.
      if (heading) {
        agendaItemId = heading.id;
        continue;
      }
      const key = agendaItemId ?? '';
      let section = found.get(key);
      if (!section) found.set(key, (section = { agendaItemId, tops: [], typedIn: false }));
      section.tops.push(top);
      if (this.touched.has(top)) section.typedIn = true;
    }
    this.touched.clear();
    const sections: Section[] = [];
    for (const [key, { agendaItemId: id, tops, typedIn }] of found) {
      const changed = typedIn || this.unwritten.has(key) || !sameBlocks(this.indexed.get(key), tops);
      if (changed) this.unwritten.add(key);
      const text = changed ? textOf(tops) : null;
      // An empty section is no section (as noteSections reads it).
      if (text !== '') sections.push({ agendaItemId: id, text });
    }
    const indexed = new Map([...found].map(([key, section]) => [key, section.tops]));
    const read = ++this.reads;
    return {
      sections,
      written: () => {
        if (read !== this.reads) return;
        this.indexed = indexed;
        this.unwritten.clear();
      },
    };
  }

  dispose(): void {
    this.root.unobserveDeep(this.onEvents);
    this.touched.clear();
    this.indexed.clear();
  }
}

function sameBlocks(before: readonly Y.AbstractType<unknown>[] | undefined, now: readonly Y.AbstractType<unknown>[]): boolean {
  if (before === undefined || before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (before[i] !== now[i]) return false;
  return true;
}

function textOf(tops: readonly Y.AbstractType<unknown>[]): string {
  const lines: string[] = [];
  for (const top of tops) {
    for (const block of readTopLevel(top)) {
      const text = block.text.trim();
      if (text !== '') lines.push(text);
    }
  }
  return lines.join('\n');
}
