// One entry point for every export, used by the API routes, the client and the CLI alike:
// pure functions from plain records to a file body, its media type and a file extension.

import type {
  ActionExportFormat,
  ActionRecord,
  ExportOptions,
  NotesDocument,
  NotesExportFormat,
} from '../api/actions.js';
import { actionsToCsv } from './csv.js';
import { notesToHtml } from './html.js';
import { actionsToICalendar, type ICalendarOptions } from './icalendar.js';
import { actionsToJson } from './json.js';
import { actionsToMarkdown, notesToMarkdown } from './markdown.js';

export { actionsToCsv, csvField, neutraliseFormula, toCsv } from './csv.js';
export { actionsToHtmlTable, blocksToHtml, escapeHtml, notesToHtml } from './html.js';
export { actionsToICalendar, type ICalendarOptions } from './icalendar.js';
export { actionsToJson } from './json.js';
export { actionsToMarkdown, blocksToMarkdown, escapeMarkdownInline, markdownCell, notesToMarkdown } from './markdown.js';
export { assigneesLabel, formatLongDate, isSafeHref, ticketHref } from './text.js';

export interface ExportFile {
  body: string;
  contentType: string;
  extension: string;
}

export const ACTION_EXPORT_FORMATS: readonly ActionExportFormat[] = ['json', 'csv', 'md', 'ics'];
export const NOTES_EXPORT_FORMATS: readonly NotesExportFormat[] = ['md', 'html'];

export function exportActions(
  format: ActionExportFormat,
  actions: readonly ActionRecord[],
  options: ICalendarOptions = {},
): ExportFile {
  switch (format) {
    case 'json':
      return { body: actionsToJson(actions), contentType: 'application/json; charset=utf-8', extension: 'json' };
    case 'csv':
      return { body: actionsToCsv(actions, options), contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv' };
    case 'md':
      return { body: actionsToMarkdown(actions, options), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    case 'ics':
      return { body: actionsToICalendar(actions, options), contentType: 'text/calendar; charset=utf-8', extension: 'ics' };
  }
}

export function exportNotes(format: NotesExportFormat, doc: NotesDocument, options: ExportOptions = {}): ExportFile {
  switch (format) {
    case 'md':
      return { body: notesToMarkdown(doc, options), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    case 'html':
      return { body: notesToHtml(doc, options), contentType: 'text/html; charset=utf-8', extension: 'html' };
  }
}

/** A file name safe on every OS, e.g. "dmlt-2020-11-17-actions.csv". */
export function exportFileName(stem: string, suffix: string, extension: string): string {
  const safe = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${safe || 'meeting'}-${suffix}.${extension}`;
}
