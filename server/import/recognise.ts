// Reads the lines of an old meeting page (lines.ts) as a meeting: title, days, logistics,
// attendees, the agenda by day (time · topic · coordinator · pre-meeting notes · running notes,
// blocks with moderator and notetaker), running notes under their items, topic proposals, and
// action lines in the notes' grammar and in the shapes wiki exports leave behind. What it could
// not place or had to guess is said in `warnings` and `guesses`.

import type { AgendaDayInput, AttendeeInput, NoteInline, ProposalInput } from '../../shared/api/index.js';
import { inlinesText } from './inline.js';
import { isActionText, parseActionBlock, type Attendee } from '../../shared/actions/index.js';
import type { Line } from './lines.js';
import { dayList, findDateRange, findDates, parseTime } from './dates.js';
import { NameBook } from './names.js';

/** A line of running notes, as it will be written into the session's document. */
export interface NoteLine {
  text: string;
  /** A check-list item (an action whose checkbox the page kept, or one it lost). */
  task?: boolean;
  checked?: boolean;
  level: number;
  /** A table of the notes (a table on the page that is not its agenda). */
  table?: { rows: string[][]; header: boolean };
  /** A quoted paragraph. */
  quote?: boolean;
  /** A numbered list item (with `level` > 0). */
  ordered?: boolean;
  /** A heading of the notes, its depth (1–3) under the day's. */
  heading?: number;
  /** Its runs of formatting and links, when they say more than `text` (which they then spell). */
  inlines?: NoteInline[];
}

/** How a line of notes is set apart (quoted, numbered, a heading) and formatted. */
type NoteMarks = Pick<NoteLine, 'quote' | 'ordered' | 'heading' | 'inlines'>;

/** The marks a line of the page carries. */
const marksOf = (line: Line): NoteMarks => ({ ...(line.quote ? { quote: true } : {}), ...(line.ordered ? { ordered: true } : {}), ...(line.inlines ? { inlines: line.inlines } : {}) });

export interface PreviewItem {
  time: string | null;
  minutes: number | null;
  topic: string;
  coordinators: string[];
  preNotes: string | null;
  notes: NoteLine[];
}

export interface PreviewBlock {
  title: string | null;
  moderator: string | null;
  notetaker: string | null;
  items: PreviewItem[];
}

export interface PreviewDay {
  date: string;
  blocks: PreviewBlock[];
  /** Notes of the day before its first agenda item (or all of them, without an agenda). */
  notes: NoteLine[];
  /** Notes after the agenda: an "Action items" section at the end of the page. */
  closing: NoteLine[];
}

export interface PreviewAction {
  date: string;
  topic: string | null;
  line: string;
  assignees: string[];
  everyone: boolean;
  due: string | null;
  done: boolean;
  tickets: string[];
  description: string;
}

export interface PreviewProposal extends ProposalInput {
  /** "merged with previous" and the like: kept as a note on the proposal. */
  merged: boolean;
}

export interface ImportPreview {
  title: string;
  startDate: string;
  endDate: string;
  /** The series the page names (an export of a meeting of one); the import's own choice wins. */
  series: string | null;
  /** An IANA time zone the page names. */
  timezone: string | null;
  location: string | null;
  joinUrl: string | null;
  joinText: string | null;
  attendees: AttendeeInput[];
  days: PreviewDay[];
  proposals: PreviewProposal[];
  actions: PreviewAction[];
  /** What could not be placed or was left out (an action summary of other meetings, …). */
  warnings: string[];
  /** Names and values that were guessed (a name broken by a stray space, two names run together). */
  guesses: string[];
}

type Column = 'time' | 'topic' | 'coordinator' | 'pre' | 'notes' | 'day';

const COLUMN_NAMES: Array<[Column, RegExp]> = [
  ['time', /^(time|when|start|slot)\b/i],
  ['topic', /^(topic|item|agenda item|subject|title|session|agenda)\b/i],
  ['coordinator', /^(coordinator|lead|owner|presenter|speaker|who|moderator\/presenter)s?\b/i],
  ['pre', /^(pre[- ]?meeting|pre[- ]?notes|background|materials?|description|prep)/i],
  ['notes', /^(running notes|notes|minutes|discussion|notes and actions|outcome)/i],
  ['day', /^(day|date)\b/i],
];

function columnsOf(cells: string[]): Map<Column, number> | null {
  const columns = new Map<Column, number>();
  cells.forEach((cell, index) => {
    const name = cell.trim().replace(/[*:]/g, '');
    for (const [column, pattern] of COLUMN_NAMES) {
      if (pattern.test(name) && !columns.has(column)) {
        columns.set(column, index);
        break;
      }
    }
  });
  return columns.has('topic') && columns.size >= 2 ? columns : null;
}

/** A table row as a line of text: its filled cells, a bar between them. */
const rowText = (cells: readonly string[]): string =>
  cells
    .map((cell) => cell.replace(/\n/g, ' ').trim())
    .filter((cell) => cell !== '')
    .join(' | ');

/** The cells of the rows from `start` to the end of that run of table rows. */
function tableRun(lines: readonly Line[], start: number): string[][] {
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i]!.kind === 'row'; i++) rows.push(lines[i]!.cells!.map((cell) => cell.trim()));
  return rows;
}

const BLOCK_ROW = /\b(moderator|notetaker|note[- ]taker|chair)\s*:/i;

function blockFrom(text: string): { title: string | null; moderator: string | null; notetaker: string | null } {
  const moderator = /\b(?:moderator|chair)\s*:\s*([^:]+?)(?=\s*(?:\b(?:notetaker|note[- ]taker)\s*:|$|[;|,]\s*\b(?:notetaker|note[- ]taker)\b))/i.exec(text)?.[1]?.trim() ?? null;
  const notetaker = /\b(?:notetaker|note[- ]taker)\s*:\s*([^:;|]+?)\s*(?=$|[;|]|\bmoderator\b)/i.exec(text)?.[1]?.trim() ?? null;
  const title = text.split(/\b(?:moderator|notetaker|note[- ]taker|chair)\s*:/i)[0]!.replace(/[\s,;|(–-]+$/, '').trim() || null;
  return { title, moderator: moderator?.replace(/[,;]$/, '') || null, notetaker: notetaker?.replace(/[,;)]$/, '') || null };
}

/**
 * A block as exports and seeded notes name it: "Afternoon (moderator Leanne Guy, notetaker Kian-Tat
 * Lim)", "Moderator Leanne Guy", "Block 2 (notetaker …)". Null for any other text.
 */
function namedBlock(text: string): { title: string | null; moderator: string | null; notetaker: string | null } | null {
  const match = /^(?:(.+?)\s*\()?((?:moderator|notetaker)\s[^()]+)(\))?$/i.exec(text.trim());
  if (!match || (match[1] === undefined) !== (match[3] === undefined)) return null;
  const roles = match[2]!;
  const moderator = /^moderator\s+(.+?)(?:,\s*notetaker\s.*)?$/i.exec(roles)?.[1]?.trim() ?? null;
  const notetaker = /(?:^|,\s*)notetaker\s+(.+)$/i.exec(roles)?.[1]?.trim() ?? null;
  return { title: match[1]?.trim() || null, moderator, notetaker };
}

/** An agenda item's heading in a session's notes, as the server seeds it: "09:00 · Topic · KTL, RHL". */
const itemHeading = (item: PreviewItem): string => [item.time, item.topic, item.coordinators.join(', ')].filter((part) => part && part.trim() !== '').join(' · ');

/** Text as headings and summaries are compared: spaces collapsed, case folded. */
const fold = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
const sameText = (a: string, b: string): boolean => fold(a) === fold(b);

type PlacedItem = { day: PreviewDay; item: PreviewItem };

/**
 * The agenda read so far, indexed for the headings in the notes that name its blocks and items,
 * so that a page of thousands of rows and headings is read in linear time rather than with a
 * scan of the agenda for every heading (minutes of the server's thread for a large page).
 */
class AgendaIndex {
  private readonly items = new Map<string, PlacedItem[]>();
  private readonly topics: Array<PlacedItem & { key: string }> = [];
  private readonly blocks = new Map<string, PreviewBlock>();
  /** Comparisons left for topics named in part: bounded, as a page could make them quadratic. */
  private partial = 2_000_000;

  addItem(day: PreviewDay, item: PreviewItem): void {
    const placed = { day, item };
    for (const key of [`heading:${fold(itemHeading(item))}`, `topic:${normalTopic(item.topic)}`]) {
      const list = this.items.get(key);
      if (list) list.push(placed);
      else this.items.set(key, [placed]);
    }
    this.topics.push({ ...placed, key: normalTopic(item.topic) });
  }

  /** A block as the nth of its day: by its title, or "Block n" when it has none, with its roles. */
  addBlock(day: PreviewDay, block: PreviewBlock, index: number): void {
    const keys = [AgendaIndex.blockKey(day, block.title ?? `Block ${index + 1}`, block)];
    if (!block.title) keys.push(AgendaIndex.blockKey(day, null, block));
    for (const key of keys) if (!this.blocks.has(key)) this.blocks.set(key, block);
  }

  block(day: PreviewDay, shown: Pick<PreviewBlock, 'title' | 'moderator' | 'notetaker'>): PreviewBlock | undefined {
    return this.blocks.get(AgendaIndex.blockKey(day, shown.title, shown));
  }

  /**
   * The item a heading names, of the day being read if it can be: by its heading as the server
   * seeds it, by its topic, or by a topic that holds the heading's words.
   */
  item(day: PreviewDay, text: string): PlacedItem | undefined {
    const near = (list: PlacedItem[] | undefined): PlacedItem | undefined => list?.find((entry) => entry.day === day) ?? list?.[0];
    const key = normalTopic(text);
    return near(this.items.get(`heading:${fold(text)}`)) ?? (key === '' ? undefined : (near(this.items.get(`topic:${key}`)) ?? this.holding(day, key)));
  }

  private holding(day: PreviewDay, key: string): PlacedItem | undefined {
    if (key.length <= 6) return undefined;
    for (const sameDay of [true, false]) {
      for (const entry of this.topics) {
        if (this.partial-- <= 0) return undefined;
        if ((entry.day === day) === sameDay && entry.key.includes(key)) return entry;
      }
    }
    return undefined;
  }

  private static blockKey(day: PreviewDay, title: string | null, roles: Pick<PreviewBlock, 'moderator' | 'notetaker'>): string {
    return JSON.stringify([day.date, title === null ? null : fold(title), roles.moderator, roles.notetaker]);
  }
}

/** What an export writes about the page, not in it: a session's seal, an empty session. */
const SEAL = /^Sealed( by .+)? at \S+; SHA-256 of these notes as Markdown: [0-9a-f]{64}$/;

type Section = 'preamble' | 'attendees' | 'agenda' | 'notes' | 'actions' | 'proposals' | 'summary';

function sectionOf(heading: string): Section | null {
  const text = heading.trim().replace(/[:#*]+$/, '').trim();
  if (/action item summary|summary of action items|open action items from/i.test(text)) return 'summary';
  if (/^(attendees|participants|present|attendance|who)\b/i.test(text)) return 'attendees';
  if (/^(new )?(action items?|actions|to-?dos?|tasks)\b/i.test(text)) return 'actions';
  if (/(topic )?(proposals|proposed topics|topic requests|requested topics|parking lot)/i.test(text)) return 'proposals';
  if (/^agenda\b/i.test(text)) return 'agenda';
  // The meeting's facts (dates, place, join link), as Quorum's own exports head them.
  if (/^(logistics|meeting details|details)$/i.test(text)) return 'preamble';
  if (/^(running )?(notes|minutes|discussion)\b/i.test(text)) return 'notes';
  return null;
}

function normalTopic(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d{1,2}[:.]\d{2}/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const PRIORITY = /\((low|medium|high)(?: priority)?\)/i;

function proposalFrom(text: string): PreviewProposal | null {
  let rest = text.trim();
  if (rest === '' || /^(none|n\/a|tbd)$/i.test(rest)) return null;
  const priority = PRIORITY.exec(rest)?.[1]?.toLowerCase() as ProposalInput['priority'] | undefined;
  rest = rest.replace(PRIORITY, ' ');
  const requested = /\[(?:requested by\s*)?([^\]]+)\]\s*$/i.exec(rest) ?? /\((?:requested by|from)\s+([^)]+)\)\s*$/i.exec(rest) ?? /\s[-–—]\s*requested by\s+(.+)$/i.exec(rest);
  if (requested) rest = rest.slice(0, requested.index);
  const when = /^\s*\(([^)]*\d[^)]*)\)\s*/.exec(rest);
  if (when) rest = rest.slice(when[0].length);
  const merged = /\bmerged (?:with|into)\b[^.;]*/i.exec(rest);
  const unscheduled = /\bnot scheduled\b/i.test(rest);
  rest = rest.replace(/\bmerged (?:with|into)\b[^.;]*/i, '').replace(/\bnot scheduled\b/i, '').replace(/[\s,;:.–—-]+$/, '').replace(/^[\s,;:.–—-]+/, '').replace(/\s{2,}/g, ' ');
  if (rest === '') return null;
  const notes = [when ? `Asked for ${when[1]!.trim()}` : null, merged ? merged[0].trim() : null, unscheduled ? 'Not scheduled' : null].filter(Boolean).join('; ');
  return {
    topic: rest.slice(0, 300),
    requestedBy: requested ? requested[1]!.trim().slice(0, 120) : null,
    priority: priority ?? null,
    notes: notes === '' ? null : notes,
    merged: merged !== null,
  };
}

/** A line that is nothing but a section's name. */
const SECTION_NAME = /^(attendees|participants|present|attendance|(new |open )?action items?|actions|to-?dos?|tasks|(topic )?proposals|proposed topics|parking lot|agenda|(running )?notes|minutes|discussion|action item summary|summary of action items|logistics)\s*:?$/i;

/**
 * Text copied out of a wiki page has no heading marks: a short line of its own that names a
 * section ("Attendees", "Action items") or a day ("Day 2: 2020-11-18") is one.
 */
function withHeadings(lines: readonly Line[]): Line[] {
  // A page that marks its headings (Markdown, HTML) has a line of notes that begins like a
  // section's name ("Notes from the breakout", "Actions carried over"): there only a line that is
  // nothing but such a name is one.
  const marked = lines.some((line) => line.kind === 'heading');
  return lines.map((line) => {
    if (line.kind !== 'text' || line.level !== 0 || line.text.length > 60) return line;
    const text = line.text.trim();
    const isSection = sectionOf(text) !== null && !/[.!?]$/.test(text) && !/[:：]\s*\S/.test(text) && (!marked || SECTION_NAME.test(text));
    const isDay = /^day\s*\d+\b/i.test(text) && findDates(text).length === 1;
    return isSection || isDay ? { ...line, kind: 'heading', level: 2 } : line;
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function recognise(input: readonly Line[], options: { today: string; ticketProjects?: string[] }): ImportPreview {
  const warnings: string[] = [];
  const names = new NameBook();
  const lines = withHeadings(input);

  // ---- title and dates ------------------------------------------------------------------------
  const firstHeading = lines.find((line) => line.kind === 'heading' && line.text.trim() !== '');
  const firstText = lines.find((line) => line.text.trim() !== '');
  // The title is the page's first heading, unless a line of text comes before it (a wiki page's title).
  const titleLine = firstText && firstText.kind !== 'row' && (!firstHeading || lines.indexOf(firstText) < lines.indexOf(firstHeading)) ? firstText : firstHeading;
  // Confluence puts the space before the title ("DM : …"); a date range after a dash is the dates.
  const title =
    titleLine?.text
      .trim()
      .replace(/^[A-Z][A-Z0-9]{0,9} : /, '')
      .replace(/(\s+[-–—:]|,)\s*(\d{4}-\d{2}-\d{2}|\d{1,2} \w+ \d{4})(\s*(-|–|—|to)\s*(\d{4}-\d{2}-\d{2}|\d{1,2} \w+ \d{4}))?$/, '')
      .slice(0, 200) || 'Imported meeting';
  // The page's own metadata ("last modified on …") says nothing about the meeting.
  const headLines = lines.slice(0, 25).filter((line) => !/^(created by|last (modified|updated|edited))\b|\blast modified on\b/i.test(line.text));
  const head = headLines.map((line) => line.text).join('\n');
  let range = findDateRange(head) ?? findDateRange(title);
  if (!range) {
    // "Date: 2019-06-10", or a Date heading followed by the date: a one-day meeting.
    const dateLine = headLines.findIndex((line) => /^(date|dates|when)\b/i.test(line.text.trim()));
    const near = dateLine >= 0 ? findDates(headLines.slice(dateLine, dateLine + 2).map((line) => line.text).join('\n'))[0] : findDates(titleLine?.text ?? '')[0];
    if (near) range = { start: near.iso, end: near.iso };
  }
  const dayHeadings = lines.filter((line) => (line.kind === 'heading' || line.kind === 'text') && /^\s*(day\s*\d+\b.*)?\d/i.test(line.text) && findDates(line.text).length === 1 && line.text.length < 80);
  if (!range) {
    const dated = dayHeadings.map((line) => findDates(line.text)[0]!.iso).sort();
    if (dated.length > 0) range = { start: dated[0]!, end: dated[dated.length - 1]! };
  }
  if (!range) {
    const any = findDates(lines.map((line) => line.text).join('\n'))[0];
    if (any) {
      range = { start: any.iso, end: any.iso };
      warnings.push(`No meeting dates found; the first date in the page (${any.iso}) was taken as the meeting's day.`);
    } else {
      range = { start: options.today, end: options.today };
      warnings.push(`No date found in the page: the meeting is dated today (${options.today}); change it before importing.`);
    }
  }
  const days = dayList(range.start, range.end);
  if (days.length > 31) {
    warnings.push(`The dates ${range.start} to ${range.end} span more than 31 days: only the first day is kept.`);
    days.length = 1;
  }
  const preview: ImportPreview = {
    title,
    startDate: days[0]!,
    endDate: days[days.length - 1]!,
    series: null,
    timezone: null,
    location: null,
    joinUrl: null,
    joinText: null,
    attendees: [],
    days: days.map((date) => ({ date, blocks: [], notes: [], closing: [] })),
    proposals: [],
    actions: [],
    warnings,
    guesses: [],
  };
  const dayOf = (date: string): PreviewDay | undefined => preview.days.find((day) => day.date === date);

  // ---- attendees first: they resolve names everywhere else ----------------------------------------
  let section: Section = 'preamble';
  for (const line of lines) {
    if (line.kind === 'heading') {
      section = sectionOf(line.text) ?? (section === 'attendees' ? 'preamble' : section);
      continue;
    }
    const inline = /^(attendees|participants|present|attendance)\s*[:：]\s*(.+)$/i.exec(line.text);
    if (inline) names.addList(inline[2]!);
    else if (section === 'attendees') {
      if (line.kind === 'row') names.addList(line.cells![0] ?? '');
      else names.addList(line.text);
    }
  }
  preview.attendees = names.attendees();
  const attendees: Attendee[] = preview.attendees.map((a) => ({ id: a.handle ?? a.name, name: a.name, handle: a.handle ?? null }));

  // ---- everything else, in page order ----------------------------------------------------------
  section = 'preamble';
  let day: PreviewDay = preview.days[0]!;
  let block: PreviewBlock | null = null;
  let item: PreviewItem | null = null;
  let columns: Map<Column, number> | null = null;
  /** The descriptions an action item summary lists. */
  const summaryLines: string[] = [];
  let summaryHeading = '';
  /** In an "Action items" section after the agenda: its lines close the day's notes. */
  let closing = false;
  const agenda = new AgendaIndex();
  const newBlock = (fields: Partial<PreviewBlock> = {}): PreviewBlock => {
    block = { title: null, moderator: null, notetaker: null, items: [], ...fields };
    day.blocks.push(block);
    agenda.addBlock(day, block, day.blocks.length - 1);
    return block;
  };
  /** A line the notes' grammar reads as an action, or a done one ("✓ …"). */
  const markedAction = (part: string): boolean => isActionText(part) || /^✓/.test(part);
  /** "Robert Lupton Convene a meeting … 07 Dec 2020": a task whose checkbox the copy lost. */
  const lostTask = (part: string): boolean => names.startsWithName(part, { fullName: true, verb: true }) && findDates(part).length > 0;
  const note = (text: string, level = 0, task?: { checked: boolean } | null, { inlines, ...marks }: NoteMarks = {}): void => {
    const cleaned = names.repairText(text.trim());
    if (cleaned === '') return;
    const target = item?.notes ?? (closing ? day.closing : day.notes);
    // The line's formatting, while its text is what the page said (not a repaired or split one).
    const formatted = inlines && cleaned === text.trim() ? { inlines } : {};
    if (task) {
      target.push({ text: cleaned, level, task: true, checked: task.checked, ...formatted });
      return;
    }
    // A heading or a quote is one line of its own, whatever it says.
    if (marks.heading || marks.quote) {
      target.push({ text: cleaned, level, ...marks, ...formatted });
      return;
    }
    // A wiki page's cell runs several things together: an action starts a line of its own.
    for (const part of names.splitSentences(cleaned)) {
      if (!markedAction(part) && lostTask(part)) {
        target.push({ text: part, level: 1, task: true, checked: false });
        preview.guesses.push(`"${part.slice(0, 80)}" read as an action (a task whose checkbox was lost)`);
      } else target.push({ text: part, level, ...(marks.ordered && level > 0 ? { ordered: true } : {}), ...(part === cleaned ? formatted : {}) });
    }
  };
  /** Whether a cell's text reads as an action, as `note` reads it. */
  const holdsAction = (cell: string): boolean => names.splitSentences(names.repairText(cell.trim())).some((part) => markedAction(part) || lostTask(part));
  const setDay = (date: string): boolean => {
    const found = dayOf(date);
    if (!found) return false;
    if (found !== day) {
      day = found;
      block = null;
      item = null;
    }
    closing = false;
    return true;
  };

  /** The table of the notes that the rows being read go into; null between tables. */
  let notesTable: NoteLine | null = null;
  /** The level of the heading that named the day being read: the notes' own headings sit below it. */
  let dayLevel = 0;
  /**
   * An item's pre-meeting notes, quoted under its heading in the notes as the server seeds them:
   * what of them the quoted lines right after the heading have not yet repeated.
   */
  let preQuoted: string | null = null;
  for (const [index, line] of lines.entries()) {
    const text = line.text.trim();
    if (line.kind !== 'row') notesTable = null;
    if (line === titleLine) continue;
    const pending = preQuoted;
    preQuoted = null;
    if (line.kind === 'heading') {
      columns = null;
      const named = sectionOf(text);
      if (named) {
        section = named;
        if (named === 'summary') summaryHeading = text;
        if (named === 'actions') {
          item = null;
          closing = true;
        }
        continue;
      }
      const dates = findDates(text);
      if (dates.length === 1 && text.length < 80 && setDay(dates[0]!.iso)) {
        section = section === 'summary' || section === 'proposals' ? 'notes' : section === 'preamble' ? 'notes' : section;
        dayLevel = line.level;
        continue;
      }
      // A block of the agenda, named in the notes as the server names it.
      const known = agenda.block(day, namedBlock(text) ?? { title: text, moderator: null, notetaker: null });
      if (known) {
        block = known;
        item = null;
        section = 'notes';
        closing = false;
        continue;
      }
      // An item, by its heading as the server seeds it, or by its topic.
      const match = agenda.item(day, text);
      if (match) {
        day = match.day;
        item = match.item;
        section = 'notes';
        closing = false;
        preQuoted = item.preNotes;
        continue;
      }
      // A "Date" heading: its date was read above.
      if (/^(date|dates|when|date and time)$/i.test(text)) continue;
      if (section === 'summary' || section === 'attendees' || section === 'proposals') section = 'notes';
      // Any other heading is one of the notes', at its depth under the day's heading; an action
      // written as a heading is an action (a heading never is one), so a line of its own.
      note(text, 0, null, markedAction(text) ? {} : { heading: Math.max(1, Math.min(3, line.level - dayLevel)) });
      continue;
    }

    if (section === 'attendees') continue;
    if (section === 'summary') {
      // Its description, to tell this page's own actions (listed again) from other meetings'.
      const description = line.kind === 'row' ? (line.cells![0] ?? '').trim() : text;
      if (!line.header && !/^description$/i.test(description) && description !== '') summaryLines.push(description);
      continue;
    }

    if (line.kind === 'row') {
      const cells = line.cells!.map((cell) => cell.trim());
      const header = columnsOf(cells);
      if (header && (line.header || !columns || cells.every((cell) => cell.length < 40))) {
        columns = header;
        section = 'agenda';
        continue;
      }
      if (!columns) {
        // A table that is not an agenda is a table of the notes, unless a cell of it holds an
        // action: then its rows read as lines of notes, so that the action is one (a table is
        // never an action).
        const target = item?.notes ?? (closing ? day.closing : day.notes);
        const repaired = cells.map((cell) => names.repairText(cell));
        if (notesTable && target[target.length - 1] === notesTable) {
          notesTable.table!.rows.push(repaired);
          notesTable.text += `\n${rowText(repaired)}`;
          continue;
        }
        if (tableRun(lines, index).some((row) => row.some(holdsAction))) {
          // A row holding an action: each cell a line, so that the action starts its own.
          if (cells.some(holdsAction)) for (const cell of cells) note(cell, 0);
          else note(cells.filter((cell) => cell !== '').join(' | '), 0);
          continue;
        }
        notesTable = { text: rowText(repaired), level: 0, table: { rows: [repaired], header: line.header === true } };
        target.push(notesTable);
        continue;
      }
      const filled = cells.filter((cell) => cell !== '');
      const joined = filled.join(' ');
      if (filled.length === 0) continue;
      const rowDates = findDates(joined);
      if (filled.length === 1 && rowDates.length === 1 && joined.length < 80 && setDay(rowDates[0]!.iso)) continue;
      // A row of one cell set apart in italics, or naming a moderator or notetaker as exports do: a block.
      const shownBlock = filled.length === 1 ? namedBlock(joined) : null;
      if (shownBlock || (filled.length === 1 && line.aside)) {
        newBlock(shownBlock ?? { title: names.repairText(joined).slice(0, 200) });
        item = null;
        continue;
      }
      if (BLOCK_ROW.test(joined)) {
        newBlock(blockFrom(names.repairText(joined.replace(/\n/g, ' '))));
        item = null;
        continue;
      }
      const cell = (column: Column): string => {
        const index = columns!.get(column);
        return index === undefined ? '' : (cells[index] ?? '');
      };
      if (columns.has('day')) {
        const date = findDates(cell('day'))[0];
        if (date) setDay(date.iso);
      }
      const topic = cell('topic').split('\n')[0]!.trim();
      if (topic === '') {
        if (filled.length === 1 && !parseTime(joined)) {
          // A row with one cell: a block's title ("Block 2: data management").
          newBlock({ title: joined.slice(0, 200) });
          item = null;
        } else if (item) for (const text of cell('notes').split('\n')) note(text);
        continue;
      }
      const time = parseTime(cell('time'));
      const coordinators = names.splitNames(cell('coordinator'));
      const pre = [cell('topic').split('\n').slice(1).filter((line) => line.trim() !== '').join(' '), cell('pre')].map((t) => t.trim()).filter(Boolean).join('\n');
      item = { time: time?.time ?? null, minutes: time?.minutes ?? null, topic: names.repairText(topic).slice(0, 300), coordinators, preNotes: pre === '' ? null : pre.slice(0, 5000), notes: [] };
      (block ?? newBlock()).items.push(item);
      agenda.addItem(day, item);
      for (const text of cell('notes').split('\n')) {
        const task = /^(?:[-*+]\s+)?\[( |x|X)\]\s+(.*)$/.exec(text.trim());
        if (task) note(task[2]!, 1, { checked: task[1] !== ' ' });
        else note(text.replace(/^[-*+•]\s+/, ''));
      }
      continue;
    }

    // Text and tasks.
    if (section === 'preamble' || section === 'agenda') {
      const location = /^(location|where|venue|place|room)\s*[:：]\s*(.+)$/i.exec(text);
      if (location) {
        preview.location = location[2]!.trim().slice(0, 200);
        continue;
      }
      // The facts an export lists: the series, the time zone, how to join, whether it was closed.
      const fact = /^(series|time ?zone|join details|join|status)\s*[:：]\s*([\s\S]+)$/i.exec(text);
      if (fact) {
        const [name, value] = [fact[1]!.toLowerCase().replace(' ', ''), fact[2]!.trim()];
        if (name === 'series') preview.series = value.slice(0, 100);
        else if (name === 'timezone' && isTimeZone(value)) preview.timezone = value;
        // Its lines as the export wrote them: `<br>` in Markdown, lines of their own in HTML.
        else if (name === 'joindetails') preview.joinText = value.replace(/\s*<br\s*\/?>\s*/gi, '\n').slice(0, 2000);
        else if (name === 'join' && /^https?:\/\/\S+$/.test(value)) preview.joinUrl = value;
        if (name !== 'join' || preview.joinUrl === value) continue;
      }
      const url = /(https?:\/\/\S*(zoom|bluejeans|meet\.google|webex|teams\.microsoft|whereby|jitsi)\S*)/i.exec(text);
      if (url && !preview.joinUrl) {
        preview.joinUrl = url[1]!.replace(/[).,;]+$/, '');
        continue;
      }
      if (/^(meeting id|passcode|password|dial[- ]?in|phone|one tap|join by phone|sip)\b/i.test(text) || /\bmeeting id\b|\bpasscode\b/i.test(text)) {
        preview.joinText = [preview.joinText, text].filter(Boolean).join('\n').slice(0, 2000);
        continue;
      }
      if (/^(attendees|participants|present|attendance)\s*[:：]/i.test(text)) continue;
      if (/^(date|dates|when|date and time)$/i.test(text) || /^(date|dates|when)\s*[:：]/i.test(text) || (findDateRange(text) && text.length < 80)) continue;
      // The meeting's date on a line of its own (under a "Date" heading).
      if (findDates(text).length === 1 && text.replace(/[\s,.]/g, '').length <= findDates(text)[0]!.length + 3) continue;
      // Wiki page metadata.
      if (/^(created by|last (modified|updated|edited)|owned by|page (owner|history))\b/i.test(text)) continue;
    }
    if (BLOCK_ROW.test(text) && line.kind === 'text' && text.length < 200) {
      newBlock(blockFrom(names.repairText(text)));
      item = null;
      continue;
    }
    if (section === 'proposals') {
      const proposal = proposalFrom(names.repairText(text));
      if (proposal) preview.proposals.push(proposal);
      continue;
    }
    const lineDates = findDates(text);
    if (line.kind === 'text' && /^day\s*\d+\b/i.test(text) && lineDates.length === 1 && setDay(lineDates[0]!.iso)) continue;
    if (line.kind === 'task') {
      note(text, line.level, { checked: line.checked === true }, marksOf(line));
      continue;
    }
    // An export's "No notes." and a session's seal are not notes.
    if ((line.aside && /^no notes\.?$/i.test(text)) || SEAL.test(text)) continue;
    if (line.quote && pending) {
      // The item's pre-meeting notes, quoted under its heading: seeded from the agenda again.
      const said = fold(pending);
      const quoted = fold(text);
      if (said.startsWith(quoted)) {
        const rest = said.slice(quoted.length).trim();
        preQuoted = rest === '' ? null : rest;
        continue;
      }
    }
    if (section === 'actions' && !markedAction(text)) {
      // A task whose checkbox was lost in the copy: it starts with someone's name.
      const repaired = names.repairText(text);
      if (names.startsWithName(repaired, { everyone: true })) {
        note(repaired, 1, { checked: false });
        preview.guesses.push(`"${repaired.slice(0, 80)}" read as an action (a task whose checkbox was lost)`);
        continue;
      }
    }
    note(text, line.level, null, marksOf(line));
  }
  // A block row with nothing under it and nothing to say (a day's table that ended at once).
  for (const d of preview.days) d.blocks = d.blocks.filter((b) => b.items.length > 0 || b.title || b.moderator || b.notetaker);

  // ---- actions, as extraction will read them -------------------------------------------------------
  for (const d of preview.days) {
    const sections: Array<{ topic: string | null; notes: NoteLine[] }> = [
      { topic: null, notes: d.notes },
      ...d.blocks.flatMap((b) => b.items.map((i) => ({ topic: i.topic, notes: i.notes }))),
      { topic: null, notes: d.closing },
    ];
    for (const { topic, notes } of sections) {
      for (const line of notes) {
        // As the notes will hold it: a link by its label.
        const written = line.inlines ? inlinesText(line.inlines) : line.text;
        const text = line.task && /^✓\s*/.test(written) ? written.replace(/^✓\s*/, '') : written;
        const checked = line.task ? line.checked === true || /^✓/.test(line.text) : null;
        const parsed = parseActionBlock({ text, checked }, attendees, d.date, options.ticketProjects && options.ticketProjects.length > 0 ? { ticketProjects: options.ticketProjects } : {});
        if (!parsed) continue;
        const names = (parsed.assignees ?? []).map((a) => a.name ?? a.handle ?? '').filter(Boolean);
        preview.actions.push({
          date: d.date,
          topic,
          line: line.text,
          assignees: names,
          everyone: parsed.everyone === true,
          due: parsed.due ?? null,
          done: parsed.done,
          tickets: parsed.tickets ?? [],
          description: parsed.description,
        });
      }
    }
  }
  // A summary of this meeting's own actions (an export's) lists what the notes hold; one that
  // lists other meetings' actions is theirs to track.
  const others = summaryLines.filter((description) => !preview.actions.some((action) => sameText(action.description, description)));
  if (others.length > 0) warnings.push(`"${summaryHeading}": ${others.length} ${others.length === 1 ? 'action' : 'actions'} of other meetings left out (they are tracked in the meetings they belong to).`);
  const unplaced = preview.days.reduce((n, d) => n + (d.blocks.length > 0 ? d.notes.length : 0), 0);
  if (unplaced > 0) warnings.push(`${unplaced} ${unplaced === 1 ? 'line' : 'lines'} of notes ${unplaced === 1 ? 'sits' : 'sit'} under no agenda item: ${unplaced === 1 ? 'it opens' : 'they open'} its day's notes.`);
  if (preview.attendees.length === 0) warnings.push('No attendee list found: assignees are read from @handles only.');
  preview.guesses.push(...names.guesses());
  return preview;
}

/** The agenda as POST /api/meetings takes it. */
export function agendaOf(preview: ImportPreview): AgendaDayInput[] {
  return preview.days
    .filter((day) => day.blocks.length > 0)
    .map((day) => ({
      date: day.date,
      blocks: day.blocks.map((block) => ({
          title: block.title,
          moderator: block.moderator,
          notetaker: block.notetaker,
          items: block.items.map((item) => ({ time: item.time, minutes: item.minutes, topic: item.topic, coordinators: item.coordinators, preNotes: item.preNotes })),
        })),
    }));
}
