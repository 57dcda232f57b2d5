// iCalendar (RFC 5545) through ical.js, which does the escaping, CRLF line ends and line folding.
// ical-generator, the other candidate, writes events only; an action is a task (VTODO) with a
// due date. Calendar apps that subscribe to a feed (Google, Apple, Outlook) show only events,
// so the feed style writes each dated action as an all-day VEVENT on its due date instead.
// Output depends only on the input: DTSTAMP is the record's last change, never the clock, and the
// UID is the action's stable id, so a re-import or a feed refresh updates instead of duplicating.

import ICAL from 'ical.js';
import type { ActionRecord, ExportOptions } from '../api/actions.js';
import { assigneesLabel, nextDay, ticketHref } from './text.js';

export interface ICalendarOptions extends ExportOptions {
  /** 'todo' (default): a VTODO per action. 'event': an all-day VEVENT per action with a due date. */
  style?: 'todo' | 'event';
  /** X-WR-CALNAME, the name calendar apps show for the calendar. */
  calendarName?: string;
  /** For subscription feeds: how often clients should refresh. */
  refreshMinutes?: number;
}

const PRODUCT_ID = '-//Quorum//Action items//EN';
const UID_DOMAIN = 'quorum.actions';

function instant(iso: string): ICAL.Time {
  const date = new Date(iso);
  return ICAL.Time.fromJSDate(Number.isNaN(date.getTime()) ? new Date(0) : date, true);
}

function dateValue(isoDate: string): ICAL.Time {
  return ICAL.Time.fromDateString(isoDate);
}

function describe(action: ActionRecord, options: ExportOptions): string {
  const lines: string[] = [];
  const assignees = assigneesLabel(action);
  lines.push(`Assignee: ${assignees || 'unassigned'}`);
  const where = [action.meetingTitle, action.sessionDate, action.agendaItemTitle].filter((s) => s).join(', ');
  if (where) lines.push(`Appears on: ${where}`);
  if (action.tickets.length > 0) {
    lines.push(
      `Tickets: ${action.tickets
        .map((key) => {
          const href = ticketHref(key, options);
          return href ? `${key} <${href}>` : key;
        })
        .join(', ')}`,
    );
  }
  if (action.sourceText && action.sourceText !== action.description) lines.push(`Notes: ${action.sourceText}`);
  return lines.join('\n');
}

/**
 * A property ical.js does not know (X-WR-CALNAME) defaults to the "unknown" value type, written
 * as it is: a meeting title with a line break and BEGIN:VEVENT in it would become an event of its
 * own. Typed as TEXT, it is escaped like SUMMARY (line breaks, commas, semicolons, backslashes).
 */
function textProperty(name: string, value: string): ICAL.Property {
  const property = new ICAL.Property(name);
  property.resetType('text');
  property.setValue(value);
  return property;
}

function durationMinutes(minutes: number): ICAL.Duration {
  return ICAL.Duration.fromSeconds(Math.max(1, Math.round(minutes)) * 60);
}

export function actionsToICalendar(actions: readonly ActionRecord[], options: ICalendarOptions = {}): string {
  const style = options.style ?? 'todo';
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', PRODUCT_ID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  if (options.calendarName) calendar.addProperty(textProperty('x-wr-calname', options.calendarName));
  if (options.refreshMinutes) {
    // ical.js adds VALUE=DURATION itself: REFRESH-INTERVAL (RFC 7986) is not in its design set.
    calendar.addPropertyWithValue('refresh-interval', durationMinutes(options.refreshMinutes));
    calendar.addPropertyWithValue('x-published-ttl', durationMinutes(options.refreshMinutes));
  }

  for (const action of actions) {
    if (style === 'event' && !action.due) continue; // nothing to place on a calendar
    const component = new ICAL.Component(style === 'event' ? 'vevent' : 'vtodo');
    component.addPropertyWithValue('uid', `${action.id}@${UID_DOMAIN}`);
    component.addPropertyWithValue('dtstamp', instant(action.updatedAt));
    component.addPropertyWithValue('created', instant(action.createdAt));
    component.addPropertyWithValue('last-modified', instant(action.updatedAt));
    component.addPropertyWithValue('summary', action.description || '(no description)');
    component.addPropertyWithValue('description', describe(action, options));
    if (action.series) component.addPropertyWithValue('categories', action.series);
    if (style === 'event') {
      component.addPropertyWithValue('dtstart', dateValue(action.due!));
      component.addPropertyWithValue('dtend', dateValue(nextDay(action.due!)));
      component.addPropertyWithValue('transp', 'TRANSPARENT');
    } else {
      if (action.due) component.addPropertyWithValue('due', dateValue(action.due));
      component.addPropertyWithValue('status', action.done ? 'COMPLETED' : 'NEEDS-ACTION');
      if (action.done) {
        component.addPropertyWithValue('completed', instant(action.updatedAt));
        component.addPropertyWithValue('percent-complete', 100);
      }
    }
    calendar.addSubcomponent(component);
  }
  return foldContentLines(calendar.toString()) + '\r\n';
}

const MAX_LINE_OCTETS = 75;

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Re-folds content lines to RFC 5545 section 3.1: at most 75 octets a line, the continuation's
 * leading space included, never splitting a UTF-8 sequence. ical.js folds by UTF-16 units
 * and does not count the space, which strict readers may reject for non-ASCII text.
 */
export function foldContentLines(text: string): string {
  const logical = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  return logical
    .map((line) => {
      const physical: string[] = [];
      let current = '';
      let octets = 0;
      for (const char of line) {
        const size = utf8Length(char.codePointAt(0)!);
        if (octets + size > MAX_LINE_OCTETS) {
          physical.push(current);
          current = ' ';
          octets = 1;
        }
        current += char;
        octets += size;
      }
      physical.push(current);
      return physical.join('\r\n');
    })
    .join('\r\n');
}
