// Types shared by the browser (highlighting) and the server (extraction) for the action-item
// grammar of shared/actions/README.md.

export interface Attendee {
  id?: string | number;
  name: string;
  handle?: string | null;
  email?: string | null;
}

/** A typeahead @-mention node's span in the block text. */
export interface Mention {
  start: number;
  end: number;
  attendeeId?: string | number;
  handle?: string;
  name?: string;
}

export interface ActionBlockInput {
  /** The block's plain text; for a check-list item, its text WITHOUT the checkbox. */
  text: string;
  /** true/false for a check-list item, null/undefined for any other block. */
  checked?: boolean | null;
  mentions?: Mention[];
}

export type ActionSpanKind = 'marker' | 'assignee' | 'due' | 'ticket';

/** Offsets into the block text, for inline highlighting. */
export interface ActionSpan {
  kind: ActionSpanKind;
  start: number;
  end: number;
}

export type ActionKind = 'check' | 'action' | 'todo' | 'done';

export interface ParsedAction {
  /** How it was recognised. */
  kind: ActionKind;
  /** Resolved attendees, de-duplicated, in order of appearance. */
  assignees: Attendee[];
  /** Raw assignee tokens as typed, including unresolved @handles and 'All'. */
  assigneeText: string[];
  /** `@handles` that name no attendee (without the '@'), in order: still assignees, by handle. */
  unresolved: string[];
  /** 'All' (or @all, Everyone) was among the assignees. */
  everyone: boolean;
  /** YYYY-MM-DD */
  due: string | null;
  done: boolean;
  /** Ticket keys such as DM-29330, de-duplicated, in order. */
  tickets: string[];
  description: string;
  spans: ActionSpan[];
}

export interface ParseOptions {
  /**
   * Project keys of the external tracker (e.g. ['DM']). When given, only keys of these projects
   * count as tickets; otherwise any KEY-123 does, except well-known non-ticket acronyms.
   */
  ticketProjects?: readonly string[];
}
