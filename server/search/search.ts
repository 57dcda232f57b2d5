// Search across meetings over search_docs (migration 010) with SQLite FTS5: bm25 ranking with a
// title weighing four times the body, snippets with the matches marked, filters by series and
// dates, and the caller's reach (a guest's link reaches one meeting).

import type { Db } from '../db/database.js';
import { SNIPPET_MARKS, type SearchResult } from '../../shared/api/versions.js';

export interface SearchOptions {
  /** Only this meeting (a guest's link). */
  meetingId?: string | null;
  series?: string | null;
  from?: string | null;
  to?: string | null;
  limit?: number;
}

/**
 * The user's words as an FTS5 query: every word must match, "quoted words" as a phrase, and the
 * last bare word as a prefix (results while typing). Nothing of FTS5's own syntax gets through.
 */
export function ftsQuery(q: string): string | null {
  const terms: string[] = [];
  let prefix = false;
  for (const match of q.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const phrase = (match[1] ?? match[2] ?? '').trim();
    if (phrase === '' || !/[\p{L}\p{N}]/u.test(phrase)) continue;
    terms.push(`"${phrase.replace(/"/g, '""')}"`);
    prefix = match[2] !== undefined;
  }
  if (terms.length === 0) return null;
  if (prefix) terms[terms.length - 1] += '*';
  return terms.join(' ');
}

interface Row {
  kind: SearchResult['kind'];
  meeting_id: string;
  meeting_title: string;
  session_id: string | null;
  agenda_item_id: string | null;
  title: string;
  date: string;
  snippet: string;
}

export function search(db: Db, q: string, options: SearchOptions = {}): SearchResult[] {
  const match = ftsQuery(q);
  if (!match) return [];
  const rows = db
    .prepare(
      `SELECT d.kind, d.meeting_id, m.title AS meeting_title, d.session_id, d.agenda_item_id, d.title, d.date,
              snippet(search_fts, 1, @open, @close, '…', 24) AS snippet
       FROM search_fts
       JOIN search_docs d ON d.rowid = search_fts.rowid
       JOIN meetings m ON m.id = d.meeting_id
       WHERE search_fts MATCH @match
         AND (@meeting IS NULL OR d.meeting_id = @meeting)
         AND (@series IS NULL OR m.series = @series)
         AND (@from IS NULL OR d.date >= @from)
         AND (@to IS NULL OR d.date <= @to)
       ORDER BY bm25(search_fts, 4.0, 1.0)
       LIMIT @limit`,
    )
    .all({
      match,
      open: SNIPPET_MARKS.open,
      close: SNIPPET_MARKS.close,
      meeting: options.meetingId ?? null,
      series: options.series ?? null,
      from: options.from ?? null,
      to: options.to ?? null,
      limit: options.limit ?? 30,
    }) as Row[];
  return rows.map((row) => ({
    kind: row.kind,
    meetingId: row.meeting_id,
    meetingTitle: row.meeting_title,
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    ...(row.agenda_item_id ? { agendaItemId: row.agenda_item_id } : {}),
    title: row.title,
    snippet: row.snippet,
    date: row.date,
  }));
}
