// Small pure helpers the export formats share: labels, dates and ticket links.

import type { ActionAssignee, ActionRecord, ExportOptions, NotesAgendaBlock } from '../api/actions.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function parseIsoDate(date: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(value.getTime()) ? null : value;
}

/** "Tuesday 17 November 2020", computed in UTC and in English so output never depends on the host's locale. */
export function formatLongDate(date: string): string {
  const value = parseIsoDate(date);
  if (!value) return date;
  return `${WEEKDAYS[value.getUTCDay()]} ${value.getUTCDate()} ${MONTHS[value.getUTCMonth()]} ${value.getUTCFullYear()}`;
}

export function formatDateRange(start: string, end?: string | null): string {
  if (!end || end === start) return formatLongDate(start);
  return `${formatLongDate(start)} – ${formatLongDate(end)}`;
}

/** The calendar day after `date` (YYYY-MM-DD), e.g. for an all-day event's exclusive end. */
export function nextDay(date: string): string {
  const value = parseIsoDate(date);
  if (!value) return date;
  value.setUTCDate(value.getUTCDate() + 1);
  return value.toISOString().slice(0, 10);
}

export function assigneeLabel(assignee: ActionAssignee): string {
  if (assignee.name.trim() !== '') return assignee.name;
  return assignee.handle ? `@${assignee.handle}` : '';
}

/** "All", the assignees' names joined, or "" for an unassigned action. */
export function assigneesLabel(action: Pick<ActionRecord, 'assignees' | 'everyone'>, separator = ', '): string {
  if (action.everyone) return 'All';
  return action.assignees.map(assigneeLabel).filter((label) => label !== '').join(separator);
}

export function statusLabel(action: Pick<ActionRecord, 'done'>): string {
  return action.done ? 'done' : 'open';
}

/** "Meeting title, 2020-11-17, Agenda item": where the action was typed. */
export function appearsOn(action: ActionRecord): string {
  return [action.meetingTitle, action.sessionDate, action.agendaItemTitle]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(', ');
}

/** The ticket's link from the TICKET_URL template, or null without one. */
export function ticketHref(key: string, options: ExportOptions): string | null {
  if (!options.ticketUrl || !options.ticketUrl.includes('{key}')) return null;
  return options.ticketUrl.split('{key}').join(encodeURIComponent(key));
}

/**
 * Hrefs an export may turn into a live link. Everything else (javascript:, data:, relative
 * paths) is shown as text, because exported files are opened far from the app's own checks.
 */
export function isSafeHref(href: string): boolean {
  // Control characters and whitespace inside a URL are how scheme checks get smuggled past.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u0020\u007f]/.test(href)) return false;
  return /^(https?:\/\/|mailto:)/i.test(href);
}

/** Removed records stay in the database but never appear in a summary. */
export function visibleActions(actions: readonly ActionRecord[]): ActionRecord[] {
  return actions.filter((action) => action.removed !== true);
}

/** "Morning (moderator YA, notetaker KTL)": the row that opens an agenda block, or "" for none. */
export function blockHeading(block: NotesAgendaBlock): string {
  const roles = [block.moderator ? `moderator ${block.moderator}` : '', block.notetaker ? `notetaker ${block.notetaker}` : '']
    .filter((s) => s !== '')
    .join(', ');
  const title = block.title?.trim() ?? '';
  if (title && roles) return `${title} (${roles})`;
  return title || (roles ? roles[0]!.toUpperCase() + roles.slice(1) : '');
}
