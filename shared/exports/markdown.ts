// CommonMark (with GFM tables, task lists and strikethrough) for the actions table and the notes.
// Notes are typed live by people, so their text is escaped: nothing a notetaker types can turn
// into a heading, a link, raw HTML or a broken table when the file is rendered.

import {
  noteBlockText,
  type ActionRecord,
  type ExportOptions,
  type NoteBlock,
  type NoteInline,
  type NotesDocument,
} from '../api/actions.js';
import {
  appearsOn,
  assigneesLabel,
  blockHeading,
  formatDateRange,
  formatLongDate,
  isSafeHref,
  ticketHref,
  visibleActions,
} from './text.js';
import { textAndUrls } from '../notes/urls.js';

/** Escapes inline Markdown syntax, including `|` so the text is also safe inside a table cell. */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    // Only `&` that would start an entity needs escaping; "Q&A" stays readable.
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** Escapes what would make a line start a block (heading, quote, list, rule, setext underline). */
function escapeLineStart(line: string): string {
  const numbered = /^(\s*)(\d{1,9})([.)])/.exec(line);
  if (numbered) return `${numbered[1]}${numbered[2]}\\${numbered[3]}${line.slice(numbered[0].length)}`;
  return line.replace(/^(\s*)([#>+\-=])/, '$1\\$2');
}

/** A heading's trailing `#` run would be read as its optional closing sequence. */
function headingText(text: string): string {
  return text.replace(/(^|\s)(#+)(\s*)$/, '$1\\$2$3');
}

/** A table cell: one line, pipes escaped. */
export function markdownCell(text: string): string {
  return escapeMarkdownInline(text.replace(/\r\n|\r|\n/g, ' ')).trim();
}

/**
 * Text of several lines where Markdown allows one (a table cell, a list item): `<br>` between them,
 * as GFM renders it, and a blank line between paragraphs as two (runs of blank lines as one).
 */
function markdownLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map(markdownCell)
    .join('<br>')
    .replace(/(<br>){3,}/g, '<br><br>')
    .replace(/^(<br>)+|(<br>)+$/g, '');
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

function markdownHref(href: string): string {
  // Angle-bracket destinations may hold anything but line breaks and angle brackets.
  return `<${href.replace(/[<>\s]/g, (ch) => encodeURIComponent(ch))}>`;
}

/** An item's attachments as links, for its agenda row. */
function attachmentsMarkdown(attachments: ReadonlyArray<{ name: string; url: string }>): string {
  if (attachments.length === 0) return '';
  const links = attachments.map((a) => (isSafeHref(a.url) ? `[${markdownCell(a.name)}](${markdownHref(a.url)})` : markdownCell(a.name)));
  return `Attachments: ${links.join(', ')}`;
}

function ticketsMarkdown(tickets: readonly string[], options: ExportOptions): string {
  return tickets
    .map((key) => {
      const href = ticketHref(key, options);
      return href ? `[${escapeMarkdownInline(key)}](${markdownHref(href)})` : escapeMarkdownInline(key);
    })
    .join(', ');
}

export const ACTION_MARKDOWN_HEADER = ['Description', 'Due date', 'Assignee', 'Status', 'Tickets', 'Appears on'] as const;

function actionRows(actions: readonly ActionRecord[], options: ExportOptions): string[][] {
  return actions.map((action) => [
    markdownCell(action.description),
    action.due ?? '',
    markdownCell(assigneesLabel(action)),
    action.done ? '✓ done' : 'open',
    ticketsMarkdown(action.tickets, options),
    markdownCell(appearsOn(action)),
  ]);
}

export function actionsToMarkdown(actions: readonly ActionRecord[], options: ExportOptions = {}): string {
  return markdownTable(ACTION_MARKDOWN_HEADER, actionRows(actions, options));
}

// --- notes ------------------------------------------------------------------------------------

/** Moves surrounding spaces outside emphasis markers, which CommonMark ignores next to spaces. */
function wrap(text: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  if (!match || match[2] === '') return text;
  return `${match[1]}${marker}${match[2]}${marker}${match[3]}`;
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * An address shown as itself as CommonMark's autolink, which needs (and allows) no escaping:
 * `<https://…>`, or `<ops@example.org>` for its `mailto:`. Null for any other link.
 */
function autolink(text: string, href: string): string | null {
  if ((text !== href && `mailto:${text}` !== href) || !isSafeHref(href) || /[<>\s\\]/.test(text)) return null;
  return `<${text}>`;
}

/** Plain text, its addresses as autolinks (addresses typed before the page made them links). */
function textToMarkdown(text: string): string {
  return textAndUrls(text)
    .map(({ text: run, href }) => {
      if (!href || !isSafeHref(href)) return escapeMarkdownInline(run);
      return autolink(run, href) ?? `[${escapeMarkdownInline(run)}](${markdownHref(href)})`;
    })
    .join('');
}

function inlineToMarkdown(inline: NoteInline): string {
  if (inline.code) return inlineCode(inline.text.replace(/\n/g, ' '));
  const href = inline.href && isSafeHref(inline.href) ? inline.href : null;
  const auto = href ? autolink(inline.text, href) : null;
  if (auto) return auto;
  let text = href ? escapeMarkdownInline(inline.text) : textToMarkdown(inline.text);
  if (inline.bold) text = wrap(text, '**');
  if (inline.italic) text = wrap(text, '*');
  if (inline.strikethrough) text = wrap(text, '~~');
  if (href) text = `[${text}](${markdownHref(href)})`;
  return text;
}

/** Inline content; line breaks inside a block become hard breaks indented to `indent`. */
function inlinesToMarkdown(inlines: readonly NoteInline[], indent: string): string {
  const text = inlines.map(inlineToMarkdown).join('');
  return text
    .split('\n')
    // Leading spaces are dropped: four of them would turn the line into a code block.
    .map((line) => escapeLineStart(line.replace(/^[ \t]+/, '')))
    .map((line, index) => (index === 0 ? line : indent + line))
    .join('\\\n');
}

/**
 * A table of the notes as a GFM table: its first row is the header GFM requires, every row as
 * wide as the widest, a cell's lines joined by `<br>`, pipes escaped (in code spans too).
 */
function notesTable(rows: readonly (readonly (readonly NoteInline[])[])[]): string {
  const width = Math.max(1, ...rows.map((row) => row.length));
  const cell = (inlines: readonly NoteInline[]) =>
    inlines
      .map((inline) => (inline.code ? inlineToMarkdown({ ...inline, text: inline.text.replace(/\n/g, ' ') }).replace(/\|/g, '\\|') : inlineToMarkdown(inline)))
      .join('')
      .split('\n')
      .map((line) => line.trim())
      .join('<br>');
  const lines = (rows.length > 0 ? rows : [[]]).map((row) => Array.from({ length: width }, (_, i) => (row[i] ? cell(row[i]) : '')));
  // An empty cell is written "| |", not "|  |".
  return markdownTable(lines[0]!, lines.slice(1)).trimEnd().replace(/ {2}\|/g, ' |');
}

function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

/** Running notes of one session; headings sit below `headingOffset` levels of document structure. */
export function blocksToMarkdown(blocks: readonly NoteBlock[], headingOffset = 0): string {
  const out: string[] = [];
  let previousWasList = false;
  let previousDepth = -1;
  for (const block of blocks) {
    const isList = block.type === 'listitem';
    if (out.length > 0) out.push(isList && previousWasList ? '\n' : '\n\n');
    const previousWasListBefore = previousWasList;
    previousWasList = isList;
    switch (block.type) {
      case 'heading': {
        const level = Math.min(6, Math.max(1, block.depth) + headingOffset);
        // A heading is one line: a hard break would end it.
        const inlines = block.inlines.map((inline) => ({ ...inline, text: inline.text.replace(/\n/g, ' ') }));
        out.push(`${'#'.repeat(level)} ${headingText(inlinesToMarkdown(inlines, ''))}`);
        break;
      }
      case 'listitem': {
        // Four spaces a level nest correctly under both "- " and "1. " parents. A jump of several
        // levels is flattened to one, since an item indented past its parent would read as code.
        const depth = Math.min(Math.max(0, block.depth), previousWasListBefore ? previousDepth + 1 : 0);
        previousDepth = depth;
        const indent = '    '.repeat(depth);
        const bullet =
          block.listType === 'number' ? '1. ' : block.listType === 'check' ? (block.checked ? '- [x] ' : '- [ ] ') : '- ';
        const content = inlinesToMarkdown(block.inlines, indent + ' '.repeat(bullet.length));
        out.push(`${indent}${bullet}${content}`);
        break;
      }
      case 'quote':
        out.push(
          inlinesToMarkdown(block.inlines, '')
            .split('\n')
            .map((line) => `> ${line}`)
            .join('\n'),
        );
        break;
      case 'code':
        out.push(codeBlock(noteBlockText(block)));
        break;
      case 'table':
        out.push(notesTable(block.rows ?? []));
        break;
      default:
        out.push(inlinesToMarkdown(block.inlines, ''));
    }
  }
  return out.join('');
}

/** Who sealed a session's minutes and the hash anyone can check a copy against. */
export function sealLine(seal: NonNullable<NotesDocument['sessions'][number]['seal']>): string {
  const by = seal.by ? ` by ${escapeMarkdownInline(seal.by)}` : '';
  return `*Sealed${by} at ${seal.at}; SHA-256 of these notes as Markdown: \`${seal.sha256}\`*`;
}

export function notesToMarkdown(doc: NotesDocument, options: ExportOptions = {}): string {
  const { meeting } = doc;
  const parts: string[] = [`# ${headingText(escapeLineStart(markdownCell(meeting.title)))}`];

  const logistics: string[] = [];
  if (meeting.series) logistics.push(`- **Series:** ${escapeMarkdownInline(meeting.series)}`);
  logistics.push(`- **Dates:** ${formatDateRange(meeting.startDate, meeting.endDate)}`);
  if (meeting.timezone) logistics.push(`- **Time zone:** ${escapeMarkdownInline(meeting.timezone)}`);
  if (meeting.location) logistics.push(`- **Location:** ${escapeMarkdownInline(meeting.location)}`);
  if (meeting.joinUrl) {
    logistics.push(
      `- **Join:** ${isSafeHref(meeting.joinUrl) ? markdownHref(meeting.joinUrl) : escapeMarkdownInline(meeting.joinUrl)}`,
    );
  }
  if (meeting.joinText) logistics.push(`- **Join details:** ${markdownLines(meeting.joinText)}`);
  if (meeting.closed) logistics.push('- **Status:** closed');
  if (meeting.attendees.length > 0) {
    const names = meeting.attendees.map((a) => escapeMarkdownInline(a.handle ? `${a.name} (${a.handle})` : a.name));
    logistics.push(`- **Attendees:** ${names.join(', ')}`);
  }
  parts.push(`## Logistics\n\n${logistics.join('\n')}`);

  if (doc.agenda.length > 0) {
    const days = doc.agenda.map((day) => {
      const rows: string[][] = [];
      for (const block of day.blocks) {
        const heading = blockHeading(block);
        if (heading) rows.push(['', `*${markdownCell(heading)}*`, '', '']);
        for (const item of block.items) {
          rows.push([
            markdownCell(item.time ? (item.minutes ? `${item.time} (${item.minutes} min)` : item.time) : ''),
            markdownCell(item.topic),
            markdownCell((item.coordinators ?? []).join(', ')),
            [markdownLines(item.preNotes ?? ''), attachmentsMarkdown(item.attachments ?? [])].filter(Boolean).join('<br>'),
          ]);
        }
      }
      return `### ${formatLongDate(day.date)}\n\n${markdownTable(['Time', 'Topic', 'Coordinator', 'Pre-meeting notes'], rows)}`;
    });
    parts.push(`## Agenda\n\n${days.join('\n')}`.trimEnd());
  }

  const sessions = doc.sessions.map((session) => {
    const body = blocksToMarkdown(session.blocks, 3);
    const seal = session.seal ? `\n\n${sealLine(session.seal)}` : '';
    return `### ${formatLongDate(session.date)}\n\n${body || '*No notes.*'}${seal}`;
  });
  parts.push(`## Running notes${sessions.length > 0 ? `\n\n${sessions.join('\n\n')}` : ''}`);

  const actions = visibleActions(doc.actions);
  parts.push(
    `## Action item summary\n\n${actions.length > 0 ? actionsToMarkdown(actions, options).trimEnd() : 'No action items.'}`,
  );
  return parts.join('\n\n') + '\n';
}
