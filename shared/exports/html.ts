// A self-contained HTML page of a meeting's notes: inline styles, no scripts, no external
// resources, every piece of user text escaped, and a Content-Security-Policy that forbids scripts
// even if something slipped through. It is meant to be mailed around and opened from disk.

import type { ActionRecord, ExportOptions, NoteBlock, NoteInline, NotesDocument } from '../api/actions.js';
import {
  assigneesLabel,
  blockHeading,
  formatDateRange,
  formatLongDate,
  isSafeHref,
  ticketHref,
  visibleActions,
} from './text.js';
import { textAndUrls } from '../notes/urls.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

function link(href: string, label: string): string {
  return isSafeHref(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
}

function attachmentsHtml(attachments: ReadonlyArray<{ name: string; url: string }>): string {
  if (attachments.length === 0) return '';
  return `<ul class="attachments">${attachments.map((a) => `<li>${link(a.url, escapeHtml(a.name))}</li>`).join('')}</ul>`;
}

function inlineToHtml(inline: NoteInline): string {
  // Addresses typed before the page made them links are links here too.
  const runs: Array<{ text: string; href?: string }> = inline.href || inline.code ? [{ text: inline.text }] : textAndUrls(inline.text);
  let html = runs
    .map((run) => (run.href ? link(run.href, escapeHtml(run.text)) : escapeHtml(run.text)))
    .join('')
    .replace(/\n/g, '<br>');
  if (inline.code) html = `<code>${html}</code>`;
  if (inline.bold) html = `<strong>${html}</strong>`;
  if (inline.italic) html = `<em>${html}</em>`;
  if (inline.strikethrough) html = `<s>${html}</s>`;
  if (inline.href) html = link(inline.href, html);
  return html;
}

function inlinesToHtml(inlines: readonly NoteInline[]): string {
  return inlines.map(inlineToHtml).join('');
}

/** A table of the notes; its first row's cells are headers when the notes say so. */
function notesTable(block: NoteBlock): string {
  const rows = (block.rows ?? []).map((row, r) => {
    const tag = r === 0 && block.headerRow ? 'th' : 'td';
    return `<tr>${row.map((cell) => `<${tag}>${inlinesToHtml(cell)}</${tag}>`).join('')}</tr>`;
  });
  return `<table class="notes-table">\n${rows.join('\n')}\n</table>`;
}

type ListKind = NonNullable<NoteBlock['listType']>;

const LIST_OPEN: Record<ListKind, string> = { bullet: '<ul>', number: '<ol>', check: '<ul class="checklist">' };
const LIST_CLOSE: Record<ListKind, string> = { bullet: '</ul>', number: '</ol>', check: '</ul>' };

/**
 * Blocks arrive flat with a depth; HTML wants nested lists inside list items. Each open level
 * remembers its kind and whether it has an unclosed <li> that a deeper list must go into.
 */
export function blocksToHtml(blocks: readonly NoteBlock[], headingOffset = 0): string {
  const out: string[] = [];
  const open: { kind: ListKind; liOpen: boolean }[] = [];
  const closeLevel = () => {
    const level = open.pop()!;
    out.push(`${level.liOpen ? '</li>' : ''}${LIST_CLOSE[level.kind]}`);
  };
  const closeAll = () => {
    while (open.length > 0) closeLevel();
  };

  for (const block of blocks) {
    const actionClass = block.actionId ? ' class="action"' : '';
    if (block.type !== 'listitem') {
      closeAll();
      switch (block.type) {
        case 'heading': {
          const level = Math.min(6, Math.max(1, block.depth) + headingOffset);
          out.push(`<h${level}>${inlinesToHtml(block.inlines)}</h${level}>`);
          break;
        }
        case 'quote':
          out.push(`<blockquote>${inlinesToHtml(block.inlines)}</blockquote>`);
          break;
        case 'code':
          out.push(`<pre><code>${escapeHtml(block.inlines.map((i) => i.text).join(''))}</code></pre>`);
          break;
        case 'table':
          out.push(notesTable(block));
          break;
        default:
          out.push(`<p${actionClass}>${inlinesToHtml(block.inlines)}</p>`);
      }
      continue;
    }

    const kind: ListKind = block.listType ?? 'bullet';
    const depth = Math.max(0, block.depth);
    while (open.length > depth + 1) closeLevel();
    if (open.length === depth + 1 && open[depth]!.kind !== kind) closeLevel();
    if (open.length === depth + 1 && open[depth]!.liOpen) {
      out.push('</li>');
      open[depth]!.liOpen = false;
    }
    while (open.length < depth + 1) {
      // A jump of more than one level gets an empty item to hold the deeper list.
      const parent = open[open.length - 1];
      if (parent && !parent.liOpen) {
        out.push('<li>');
        parent.liOpen = true;
      }
      const levelKind: ListKind = open.length === depth ? kind : 'bullet';
      out.push(LIST_OPEN[levelKind]);
      open.push({ kind: levelKind, liOpen: false });
    }
    const content = inlinesToHtml(block.inlines);
    if (kind === 'check') {
      const checked = block.checked ? ' checked' : '';
      const classes = ['check', block.checked ? 'done' : '', block.actionId ? 'action' : ''].filter((c) => c).join(' ');
      out.push(`<li class="${classes}"><input type="checkbox" disabled${checked}> ${content}`);
    } else {
      out.push(`<li${actionClass}>${content}`);
    }
    open[depth]!.liOpen = true;
  }
  closeAll();
  return out.join('\n');
}

function ticketsHtml(tickets: readonly string[], options: ExportOptions): string {
  return tickets
    .map((key) => {
      const href = ticketHref(key, options);
      return href ? link(href, escapeHtml(key)) : escapeHtml(key);
    })
    .join(', ');
}

export function actionsToHtmlTable(actions: readonly ActionRecord[], options: ExportOptions = {}): string {
  const rows = actions.map((action) => {
    const where = [action.sessionDate ? formatLongDate(action.sessionDate) : '', action.agendaItemTitle ?? '']
      .filter((s) => s !== '')
      .join(' · ');
    return [
      `<tr class="${action.done ? 'done' : 'open'}">`,
      `<td>${escapeHtml(action.description)}</td>`,
      `<td>${escapeHtml(action.due ?? '')}</td>`,
      `<td>${escapeHtml(assigneesLabel(action))}</td>`,
      `<td>${action.done ? '✓ done' : 'open'}</td>`,
      `<td>${ticketsHtml(action.tickets, options)}</td>`,
      `<td>${escapeHtml(where)}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<table class="actions">',
    '<thead><tr><th>Description</th><th>Due date</th><th>Assignee</th><th>Status</th><th>Tickets</th><th>Appears on</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .5rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
h6 { color: #444; }
dl.logistics { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.logistics dt { font-weight: 600; }
dl.logistics dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f7; }
tr.roles td { background: #fafafa; font-style: italic; }
table.agenda td:first-child, table.actions td:nth-child(2) { white-space: nowrap; }
ul.checklist { list-style: none; padding-left: 1.2rem; }
li.done, tr.done td:first-child { color: #6e6e73; }
.action { background: #fff8e1; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f5f5f7; }
pre { padding: .5rem; overflow-x: auto; }
p.empty { color: #6e6e73; font-style: italic; }
blockquote { border-left: 3px solid #ddd; margin-left: 0; padding-left: 1rem; color: #555; }
`.trim();

export function notesToHtml(doc: NotesDocument, options: ExportOptions = {}): string {
  const { meeting } = doc;
  const logistics: [string, string][] = [];
  if (meeting.series) logistics.push(['Series', escapeHtml(meeting.series)]);
  logistics.push(['Dates', escapeHtml(formatDateRange(meeting.startDate, meeting.endDate))]);
  if (meeting.timezone) logistics.push(['Time zone', escapeHtml(meeting.timezone)]);
  if (meeting.location) logistics.push(['Location', escapeHtml(meeting.location)]);
  if (meeting.joinUrl) logistics.push(['Join', link(meeting.joinUrl, escapeHtml(meeting.joinUrl))]);
  if (meeting.joinText) logistics.push(['Join details', escapeHtml(meeting.joinText).replace(/\n/g, '<br>')]);
  if (meeting.closed) logistics.push(['Status', 'closed']);
  if (meeting.attendees.length > 0) {
    const names = meeting.attendees.map((a) => escapeHtml(a.handle ? `${a.name} (${a.handle})` : a.name));
    logistics.push(['Attendees', names.join(', ')]);
  }

  const body: string[] = [
    `<header>\n<h1>${escapeHtml(meeting.title)}</h1>`,
    `<dl class="logistics">\n${logistics.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('\n')}\n</dl>\n</header>`,
  ];

  if (doc.agenda.length > 0) {
    body.push('<section id="agenda">\n<h2>Agenda</h2>');
    for (const day of doc.agenda) {
      const rows: string[] = [];
      for (const block of day.blocks) {
        const heading = blockHeading(block);
        if (heading) rows.push(`<tr class="roles"><td colspan="4">${escapeHtml(heading)}</td></tr>`);
        for (const item of block.items) {
          const time = item.time ? (item.minutes ? `${item.time} (${item.minutes} min)` : item.time) : '';
          rows.push(
            `<tr><td>${escapeHtml(time)}</td><td>${escapeHtml(item.topic)}</td>` +
              `<td>${escapeHtml((item.coordinators ?? []).join(', '))}</td><td>${escapeHtml(item.preNotes ?? '').replace(/\r?\n/g, '<br>')}${attachmentsHtml(item.attachments ?? [])}</td></tr>`,
          );
        }
      }
      body.push(
        `<h3>${escapeHtml(formatLongDate(day.date))}</h3>`,
        '<table class="agenda">\n<thead><tr><th>Time</th><th>Topic</th><th>Coordinator</th><th>Pre-meeting notes</th></tr></thead>',
        `<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`,
      );
    }
    body.push('</section>');
  }

  body.push('<section id="notes">\n<h2>Running notes</h2>');
  for (const session of doc.sessions) {
    body.push(`<h3>${escapeHtml(formatLongDate(session.date))}</h3>`);
    const blocks = blocksToHtml(session.blocks, 3);
    body.push(blocks || '<p class="empty">No notes.</p>');
    if (session.seal) {
      const by = session.seal.by ? ` by ${escapeHtml(session.seal.by)}` : '';
      body.push(`<p class="seal">Sealed${by} at <time datetime="${escapeHtml(session.seal.at)}">${escapeHtml(session.seal.at)}</time>; SHA-256 of these notes as Markdown: <code>${escapeHtml(session.seal.sha256)}</code></p>`);
    }
  }
  body.push('</section>');

  const actions = visibleActions(doc.actions);
  body.push(
    '<section id="actions">\n<h2>Action item summary</h2>',
    actions.length > 0 ? actionsToHtmlTable(actions, options) : '<p>No action items.</p>',
    '</section>',
  );

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(meeting.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
