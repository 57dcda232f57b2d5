/**
 * The relational tables as the query layer sees them: one description for both dialects
 * (server/db/migrations for SQLite, server/db/postgres for PostgreSQL). Times are ISO 8601 text,
 * dates YYYY-MM-DD text, flags 0/1 integers, in both.
 */
import type { ColumnType, Generated } from 'kysely';

export type Flag = 0 | 1;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  password_hash: string;
  created_at: string;
  removed_at: string | null;
}

export interface LoginSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface InvitesTable {
  id: string;
  token_hash: string;
  email: string | null;
  role: 'admin' | 'member';
  created_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface MeetingsTable {
  id: string;
  title: string;
  series: string | null;
  start_date: string;
  end_date: string;
  timezone: string | null;
  location: string | null;
  join_url: string | null;
  join_text: string | null;
  owner_id: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AttendeesTable {
  id: Generated<number>;
  meeting_id: string;
  position: number;
  name: string;
  handle: string | null;
  email: string | null;
}

export interface AgendaBlocksTable {
  id: string;
  meeting_id: string;
  date: string;
  position: number;
  title: string | null;
  moderator: string | null;
  notetaker: string | null;
}

export interface AgendaItemsTable {
  id: string;
  meeting_id: string;
  block_id: string;
  position: number;
  time: string | null;
  minutes: number | null;
  topic: string;
  /** JSON array of names or handles. */
  coordinators: Defaulted<string>;
  pre_notes: string | null;
}

export interface NoteSessionsTable {
  id: string;
  meeting_id: string;
  date: string;
  doc: string;
  created_at: string;
}

export interface ShareLinksTable {
  id: string;
  meeting_id: string;
  role: 'notetaker' | 'follower';
  token_hash: string;
  label: string | null;
  created_by: string | null;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  token_sealed: string | null;
}

export interface TopicProposalsTable {
  id: string;
  meeting_id: string;
  topic: string;
  requested_by: string | null;
  minutes: number | null;
  priority: 'low' | 'medium' | 'high' | null;
  notes: string | null;
  status: Defaulted<'unscheduled' | 'scheduled' | 'merged'>;
  item_id: string | null;
  merged_into_kind: 'proposal' | 'item' | null;
  merged_into_id: string | null;
  created_by_user: string | null;
  created_by_link: string | null;
  created_at: string;
  /** SQLite's implicit rowid; an identity column on PostgreSQL. Never written. */
  rowid: ColumnType<number, never, never>;
}

export interface ActionItemsTable {
  id: string;
  doc: string;
  meeting_id: string | null;
  session_id: string | null;
  agenda_item_id: string | null;
  description: string;
  source_text: string;
  assignees_json: Defaulted<string>;
  assignee_text: Defaulted<string>;
  everyone: Defaulted<Flag>;
  due: string | null;
  done: Defaulted<Flag>;
  tickets_json: Defaulted<string>;
  position: Defaulted<number>;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CalendarFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: string;
}

export interface ContextVersionTable {
  id: number;
  version: number;
}

export interface AttachmentsTable {
  id: string;
  meeting_id: string;
  agenda_item_id: string;
  kind: 'file' | 'link';
  name: string;
  url: string | null;
  sha256: string | null;
  size: number | null;
  content_type: string | null;
  created_by: string | null;
  created_at: string;
}

export interface NoteVersionsTable {
  id: string;
  doc: string;
  meeting_id: string;
  session_id: string;
  seq: number;
  at: string;
  kind: 'auto' | 'named' | 'sealed' | 'restore';
  name: string | null;
  created_by: string | null;
  keyframe: Flag;
  data: Uint8Array;
  state_vector: Uint8Array;
  authors: Defaulted<string>;
  sha256: string | null;
}

export interface DocumentAuthorsTable {
  doc: string;
  client_id: number;
  user_id: string;
  name: string;
}

export interface DocumentAuthorRangesTable {
  doc: string;
  client_id: number;
  clock_start: number;
  clock_end: number;
  user_id: string;
  name: string;
}

export interface SearchDocsTable {
  rowid: Generated<number>;
  kind: 'meeting' | 'agenda' | 'proposal' | 'action' | 'note';
  ref: string;
  meeting_id: string;
  session_id: string | null;
  agenda_item_id: string | null;
  date: string;
  title: string;
  body: string;
}

export interface SearchIndexedDocsTable {
  doc: string;
}

export interface MeetingImportsTable {
  hash: string;
  meeting_id: string;
  filename: string | null;
  created_at: string;
}

export interface Schema {
  users: UsersTable;
  login_sessions: LoginSessionsTable;
  invites: InvitesTable;
  password_resets: PasswordResetsTable;
  meetings: MeetingsTable;
  attendees: AttendeesTable;
  agenda_blocks: AgendaBlocksTable;
  agenda_items: AgendaItemsTable;
  note_sessions: NoteSessionsTable;
  share_links: ShareLinksTable;
  topic_proposals: TopicProposalsTable;
  action_items: ActionItemsTable;
  calendar_feeds: CalendarFeedsTable;
  context_version: ContextVersionTable;
  attachments: AttachmentsTable;
  note_versions: NoteVersionsTable;
  document_authors: DocumentAuthorsTable;
  document_author_ranges: DocumentAuthorRangesTable;
  search_docs: SearchDocsTable;
  search_indexed_docs: SearchIndexedDocsTable;
  meeting_imports: MeetingImportsTable;
}
