// Old minutes come in many shapes: Markdown (GFM, HedgeDoc/HackMD exports), HTML (a Confluence
// page export, an Etherpad export), Confluence storage format, and text copied out of a wiki
// page. Each is read into one simple shape, a list of lines (headings, text, tasks, table rows),
// that recognise.ts then reads as a meeting.

import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { isDelimiterRow, pipeRowCells } from '../../shared/notes/tables.js';
import type { NoteInline } from '../../shared/api/index.js';
import { markdownInlines, plainText, readRuns } from './inline.js';

export type ImportFormat = 'markdown' | 'html' | 'confluence' | 'text';

export interface Line {
  kind: 'heading' | 'text' | 'task' | 'row';
  /** Heading level (1–6); list nesting for text and tasks (0 = not in a list). */
  level: number;
  text: string;
  /** Tasks: ticked. */
  checked?: boolean;
  /** Table rows: the cells' text (lines of a cell joined with "\n"). */
  cells?: string[];
  /** Table rows: a header row. */
  header?: boolean;
  /** Text and tasks: the runs of formatting and links, when they say more than `text`. */
  inlines?: NoteInline[];
  /** Text: a quoted paragraph (`> …`, `<blockquote>`). */
  quote?: boolean;
  /** Text in a list: a numbered one. */
  ordered?: boolean;
  /**
   * Text, or a table row of one cell, set apart from the content in italics as a whole (`*…*`,
   * `<em>`): how exports write what is about the page rather than in it (a block's roles in an
   * agenda table, "No notes.", a seal).
   */
  aside?: boolean;
}

/** The format of an import, from its file name first, then from its content. */
export function detectFormat(content: string, filename?: string | null): ImportFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (/<ac:|<ri:/.test(content)) return 'confluence';
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'html' || extension === 'htm') return 'html';
  if (extension === 'xml') return 'confluence';
  if (/^\s*(<!doctype html|<html|<body|<div|<p>|<p\s|<h[1-6]|<table|<ul)/i.test(content)) return 'html';
  if (/^(#{1,6} |\s*[-*] \[[ xX]\] )/m.test(content) || content.split(/\r?\n/).some((line) => pipeRowCells(line) !== null || isDelimiterRow(line))) return 'markdown';
  return 'text';
}

export function readLines(content: string, format: ImportFormat): Line[] {
  switch (format) {
    case 'markdown':
      return markdownLines(content);
    case 'html':
    case 'confluence':
      return htmlLines(content);
    default:
      return textLines(content);
  }
}

// ---- Markdown and plain text --------------------------------------------------------------

/**
 * Inline Markdown: the text to read the page by (a link's address kept after its label, escapes
 * as their characters), and the runs of formatting and links to write into the notes when they
 * say more than the text.
 */
function markdownText(raw: string): Pick<Line, 'text' | 'inlines'> {
  // A hard line break's backslash at the end of a line.
  return readRuns(markdownInlines(raw.replace(/(^|[^\\])\\$/, '$1')));
}

/** Inline Markdown that carries no meaning for minutes (headings, table cells): its text. */
const plainInline = (raw: string): string => markdownText(raw).text;

/** The whole text in italics (`*…*` or `_…_`, not bold). */
const isAside = (text: string): boolean => /^([*_])(?![*_\s])[\s\S]*[^*_\s\\]\1$/.test(text.trim());

/**
 * HTML fragments left inside Markdown or text cells (`<br>`, `<ul> <li>`): lines of their own,
 * a blank line between two kept (`<br><br>`, as the exports write a cell's paragraph break).
 */
function fragmentLines(cell: string): string[] {
  if (!/<\/?(br|ul|ol|li|p|div)\b/i.test(cell)) return [cell];
  return htmlLines(cell, { blankLines: true }).map((line) => line.text);
}

const TASK = /^(\s*)(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s+(.*)$/;
const LIST = /^(\s*)([-*+•◦▪]|\d+[.)])\s+(.*)$/;

function markdownLines(content: string): Line[] {
  const lines: Line[] = [];
  let fenced = false;
  // HedgeDoc/HackMD front matter (title, tags) is the tool's, not the minutes'.
  const body = content.replace(/\r\n?/g, '\n').replace(/^---\n[\s\S]*?\n---\n/, '');
  for (const raw of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      if (raw.trim() !== '') lines.push({ kind: 'text', level: 0, text: raw.trim() });
      continue;
    }
    // HedgeDoc's and GitLab's table of contents, and the fences of HedgeDoc's boxes (`:::info`
    // … `:::`, whose content is kept): the tool's, not the minutes'.
    if (/^\s*(\[toc\]|\[\[_toc_\]\]|:::\s*[\w-]*\s*)$/i.test(raw)) continue;
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      lines.push({ kind: 'heading', level: heading[1]!.length, text: plainInline(heading[2]!) });
      continue;
    }
    if (isDelimiterRow(raw)) {
      const previous = lines[lines.length - 1];
      if (previous?.kind === 'row') previous.header = true;
      continue;
    }
    const cells = pipeRowCells(raw);
    if (cells) {
      const filled = cells.filter((cell) => cell.trim() !== '');
      const aside = filled.length === 1 && isAside(filled[0]!) ? { aside: true } : {};
      lines.push({ kind: 'row', level: 0, text: '', cells: cells.map((cell) => fragmentLines(plainInline(cell)).join('\n')), ...aside });
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(raw);
    if (quote) {
      lines.push(...listOrText(quote[1]!, markdownText).map((line) => ({ ...line, quote: true })));
      continue;
    }
    lines.push(...listOrText(raw, markdownText).map((line) => (isAside(raw) ? { ...line, aside: true } : line)));
  }
  return lines.map((line) => (line.kind === 'row' ? { ...line, text: line.cells!.join(' ') } : line));
}

function listOrText(raw: string, read: (text: string) => Pick<Line, 'text' | 'inlines'>): Line[] {
  if (raw.trim() === '' || /^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(raw)) return [];
  const task = TASK.exec(raw);
  if (task) return [{ kind: 'task', level: 1 + Math.floor(task[1]!.replace(/\t/g, '    ').length / 2), ...read(task[3]!.trim()), checked: task[2] !== ' ' }];
  const box = /^(\s*)(?:[-*+•]\s+)?([☐☑☒])\s*(.*)$/.exec(raw);
  if (box) return [{ kind: 'task', level: 1, ...read(box[3]!.trim()), checked: box[2] !== '☐' }];
  const list = LIST.exec(raw);
  if (list) {
    const ordered = /^\d/.test(list[2]!) ? { ordered: true } : {};
    return [{ kind: 'text', level: 1 + Math.floor(list[1]!.replace(/\t/g, '    ').length / 2), ...read(list[3]!.trim()), ...ordered }];
  }
  return [{ kind: 'text', level: 0, ...read(raw.trim()) }];
}

/**
 * Text copied out of a wiki page: tables arrive as tab-separated cells, headings as short lines
 * of their own. A line with two or more tabs is a table row; the first row of a run of rows whose
 * cells name the columns (Time, Topic, …) is the header.
 */
function textLines(content: string): Line[] {
  const lines: Line[] = [];
  for (const raw of content.replace(/\r\n?/g, '\n').split('\n')) {
    if ((raw.match(/\t/g) ?? []).length >= 1 && raw.trim().includes('\t')) {
      const cells = raw.split('\t').map((cell) => fragmentLines(cell.trim()).join('\n'));
      lines.push({ kind: 'row', level: 0, text: cells.join(' '), cells });
      continue;
    }
    lines.push(...listOrText(raw, (text) => ({ text })));
  }
  return lines;
}

// ---- HTML and Confluence storage format ----------------------------------------------------

const BLOCKS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'table', 'thead', 'tbody', 'tfoot', 'ul', 'ol', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'main', 'body', 'html', 'ac:task', 'ac:task-list', 'ac:task-body', 'ac:layout', 'ac:layout-section', 'ac:layout-cell', 'ac:rich-text-body', 'ac:structured-macro', 'dl', 'dt', 'dd']);
const SKIP = new Set(['script', 'style', 'head', 'title', 'ac:task-id', 'ac:task-uuid', 'ac:parameter', 'noscript']);

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function attr(element: Element, name: string): string | undefined {
  return element.attribs[name];
}

const INLINE_FORMATS: Record<string, Omit<NoteInline, 'text'>> = {
  strong: { bold: true },
  b: { bold: true },
  em: { italic: true },
  i: { italic: true },
  s: { strikethrough: true },
  del: { strikethrough: true },
  strike: { strikethrough: true },
  code: { code: true },
};

/**
 * Inline content of a node as runs: formatting and links as the notes hold them, user mentions
 * and dates as people wrote them, line breaks kept (as "\n" runs).
 */
function inlineRuns(node: ChildNode, format: Omit<NoteInline, 'text'> = {}): NoteInline[] {
  if (node.type === 'text') return [{ text: (node as unknown as { data: string }).data.replace(/\s+/g, ' '), ...format }];
  if (!isElement(node) || SKIP.has(node.name)) return [];
  const text = (value: string): NoteInline[] => [{ text: value, ...format }];
  switch (node.name) {
    case 'br':
      return [{ text: '\n' }];
    case 'time':
      return text(attr(node, 'datetime') ?? childrenText(node));
    case 'ri:user': {
      const username = attr(node, 'ri:username') ?? attr(node, 'ri:userkey') ?? attr(node, 'ri:account-id');
      return username ? text(`@${username}`) : [];
    }
    case 'input':
      return [];
    case 'img':
      return text(attr(node, 'alt') ?? '');
    case 'a': {
      const username = attr(node, 'data-username');
      if (username && childrenText(node).trim() === '') return text(`@${username}`);
      // A link's address is part of what the minutes say (slides, a video link): kept.
      const href = attr(node, 'href');
      return childrenRuns(node, href && /^https?:/.test(href) && !username ? { ...format, href } : format);
    }
    default:
      return childrenRuns(node, { ...format, ...INLINE_FORMATS[node.name] });
  }
}

function childrenRuns(element: Element, format: Omit<NoteInline, 'text'> = {}): NoteInline[] {
  return element.children.flatMap((child) => inlineRuns(child, format));
}

/** Inline text of a node, a link's address after its label. */
function childrenText(element: Element): string {
  return plainText(childrenRuns(element));
}

/**
 * Runs as lines, as `clean` makes lines of text: split at line breaks, spaces collapsed and
 * trimmed at each line's ends, empty lines dropped; with `blankLines`, one empty line is kept
 * where any stood between two lines with text (a table cell's paragraph break).
 */
function runLines(runs: readonly NoteInline[], { blankLines = false }: LineOptions = {}): NoteInline[][] {
  const lines: NoteInline[][] = [[]];
  for (const run of runs) {
    run.text.replace(/\u00a0/g, ' ').split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      lines[lines.length - 1]!.push({ ...run, text: part.replace(/[ \t]+/g, ' ') });
    });
  }
  const read = lines
    .map((line) => {
      const out: NoteInline[] = [];
      for (const run of line) {
        const previous = out[out.length - 1];
        const text = (previous ? previous.text.endsWith(' ') : true) ? run.text.replace(/^ /, '') : run.text;
        if (text !== '') out.push({ ...run, text });
      }
      while (out.length > 0 && out[out.length - 1]!.text.endsWith(' ')) {
        const last = out[out.length - 1]!;
        last.text = last.text.replace(/ +$/, '');
        if (last.text === '') out.pop();
      }
      return out;
    });
  const last = read.findLastIndex((line) => line.length > 0);
  return read.filter((line, i) => line.length > 0 || (blankLines && i > 0 && i < last && read[i - 1]!.length > 0));
}

interface LineOptions {
  /** Keep a blank line between two lines with text, as one empty line. */
  blankLines?: boolean;
}

function clean(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

const LISTS = new Set(['ul', 'ol', 'ac:task-list']);

const hasClass = (element: Element, name: string): boolean => (attr(element, 'class') ?? '').split(/\s+/).includes(name);

/** A cell whose text is all in italics. */
function isItalic(cell: Element): boolean {
  const content = cell.children.filter((c) => isElement(c) || (c as unknown as { data: string }).data.trim() !== '');
  return content.length === 1 && isElement(content[0]!) && (content[0].name === 'em' || content[0].name === 'i');
}

function isTaskItem(element: Element): boolean | null {
  if (element.name === 'ac:task') {
    const status = element.children.find((c): c is Element => isElement(c) && c.name === 'ac:task-status');
    return status ? childrenText(status).trim() === 'complete' : false;
  }
  if (element.name !== 'li') return null;
  if (attr(element, 'data-inline-task-id') !== undefined) return /\bchecked\b/.test(attr(element, 'class') ?? '');
  const box = element.children.find((c): c is Element => isElement(c) && c.name === 'input' && attr(c, 'type') === 'checkbox');
  if (box) return attr(box, 'checked') !== undefined;
  return null;
}

function htmlLines(content: string, options: LineOptions = {}): Line[] {
  const document = parseDocument(content, { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true });
  return linesOf(document.children, options);
}

/** The lines of a run of HTML nodes: blocks, headings, tasks, table rows (a cell's lines joined). */
function linesOf(nodes: readonly ChildNode[], options: LineOptions = {}): Line[] {
  const lines: Line[] = [];
  let inline: NoteInline[] = [];
  /** The lists the text is in, innermost last. */
  const lists: string[] = [];
  let quotes = 0;
  let aside = false;
  const flush = (): void => {
    const marks = { ...(quotes > 0 ? { quote: true } : {}), ...(lists.at(-1) === 'ol' ? { ordered: true } : {}), ...(aside ? { aside: true } : {}) };
    for (const runs of runLines(inline, options)) lines.push({ kind: 'text', level: lists.length, ...readRuns(runs), ...marks });
    inline = [];
  };
  const visit = (node: ChildNode): void => {
    if (!isElement(node)) {
      inline.push(...inlineRuns(node));
      return;
    }
    if (SKIP.has(node.name)) return;
    if (!BLOCKS.has(node.name)) {
      inline.push(...inlineRuns(node));
      return;
    }
    flush();
    const heading = /^h([1-6])$/.exec(node.name);
    if (heading) {
      const text = clean(childrenText(node)).replace(/\n/g, ' ');
      if (text !== '') lines.push({ kind: 'heading', level: Number(heading[1]), text });
      return;
    }
    if (node.name === 'tr') {
      const cells = node.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));
      const texts = cells.map((cell) => cellText(cell));
      const filled = cells.filter((_, i) => texts[i] !== '');
      const set = hasClass(node, 'roles') || (filled.length === 1 && isItalic(filled[0]!)) ? { aside: true } : {};
      if (texts.some((t) => t !== '')) lines.push({ kind: 'row', level: 0, text: texts.join(' '), cells: texts, header: cells.length > 0 && cells.every((c) => c.name === 'th'), ...set });
      return;
    }
    if (node.name === 'dl') {
      // A definition list of facts ("Dates", "Location"): each term with its description, one line.
      let term = '';
      for (const child of node.children) {
        if (!isElement(child)) continue;
        // A description's lines stay lines ("Join details": a meeting id, then a passcode).
        const text = clean(childrenText(child));
        if (child.name === 'dt') term = text.replace(/\n/g, ' ');
        else if (child.name === 'dd' && text !== '') lines.push({ kind: 'text', level: 0, text: term ? `${term}: ${text}` : text });
      }
      return;
    }
    const task = isTaskItem(node);
    if (task !== null) {
      const body = node.name === 'ac:task' ? node.children.find((c): c is Element => isElement(c) && c.name === 'ac:task-body') : node;
      // The task's own words; a list in it holds its sub-items, read after it a level deeper.
      const nested = (c: ChildNode): c is Element => isElement(c) && LISTS.has(c.name);
      const own = (body?.children ?? []).filter((c) => !nested(c)).flatMap((c) => inlineRuns(c));
      const runs = runLines(own.map((run) => ({ ...run, text: run.text.replace(/\n/g, ' ') })))[0];
      if (runs) lines.push({ kind: 'task', level: Math.max(1, lists.length), ...readRuns(runs), checked: task });
      for (const child of body?.children ?? []) if (nested(child)) visit(child);
      return;
    }
    const list = LISTS.has(node.name);
    const quote = node.name === 'blockquote';
    const wasAside = aside;
    if (list) lists.push(node.name);
    if (quote) quotes++;
    // What an export says about the page, not in it ("No notes.", a seal).
    if (node.name === 'p' && (hasClass(node, 'empty') || hasClass(node, 'seal'))) aside = true;
    for (const child of node.children) visit(child);
    flush();
    if (list) lists.pop();
    if (quote) quotes--;
    aside = wasAside;
  };
  for (const node of nodes) visit(node);
  flush();
  return lines;
}

/** A table cell's text: its paragraphs, list items and tasks on lines of their own. */
function cellText(cell: Element): string {
  return linesOf(cell.children, { blankLines: true })
    .map((line) => (line.kind === 'task' ? `[${line.checked ? 'x' : ' '}] ${line.text}` : line.text))
    .join('\n');
}
