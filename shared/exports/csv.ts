// CSV as RFC 4180 describes it (CRLF records, fields quoted when they hold a comma, quote or line
// break, quotes doubled), plus formula-injection neutralisation: spreadsheet programs execute a
// cell that starts with =, +, -, @ (and, in some, tab or carriage return), so such a cell gets a
// leading apostrophe, which spreadsheets show as text and do not evaluate.

import type { ActionRecord, ExportOptions } from '../api/actions.js';
import { assigneesLabel, statusLabel } from './text.js';

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutraliseFormula(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0]!) ? `'${value}` : value;
}

export function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

export const ACTION_CSV_HEADER = [
  'Id', 'Description', 'Assignees', 'Handles', 'Due', 'Status', 'Tickets', 'Meeting', 'Session', 'Agenda item',
] as const;

/**
 * Marks the file as UTF-8 for spreadsheets: Excel reads a CSV without it in the system's legacy
 * code page, and attendees' names ("Željko Ivezić") come out garbled. Spreadsheets and CSV
 * libraries read past it (Python's as `utf-8-sig`).
 */
export const UTF8_BOM = '\ufeff';

export function actionsToCsv(actions: readonly ActionRecord[], _options: ExportOptions = {}): string {
  const rows = actions.map((action) => [
    action.id,
    action.description,
    assigneesLabel(action, '; '),
    action.everyone ? 'all' : action.assignees.map((a) => a.handle ?? '').filter((h) => h !== '').join('; '),
    action.due ?? '',
    statusLabel(action),
    action.tickets.join('; '),
    action.meetingTitle ?? action.meetingId,
    action.sessionDate ?? action.sessionId,
    action.agendaItemTitle ?? '',
  ]);
  return UTF8_BOM + toCsv([[...ACTION_CSV_HEADER], ...rows]);
}
