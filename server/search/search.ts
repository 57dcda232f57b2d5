// Search across meetings over search_docs (migration 010) with SQLite FTS5: bm25 ranking with a
// title weighing four times the body, snippets with the matches marked, filters by series and
// dates, and the caller's reach (a guest's link reaches one meeting). Ranked first, then a
// snippet for each row shown: snippet() costs far more than bm25(). On PostgreSQL the same
// query runs over the rows' tsvector (postgres/003-search-folding.sql), ranked by ts_rank.

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Queries, Sql } from '../db/sql/index.js';
import { SNIPPET_MARKS, type SearchResult } from '../../shared/api/versions.js';

export interface SearchOptions {
  /** Only this meeting (a guest's link). */
  meetingId?: string | null;
  series?: string | null;
  from?: string | null;
  to?: string | null;
  limit?: number;
  /** Results to skip (the next page): ranked in the same order as the first. */
  offset?: number;
}

/** How FTS5's unicode61 tokenizer (remove_diacritics 2) sees a word: no accents, lower case. */
export function normalizeToken(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const TOKEN = /[\p{L}\p{N}]+/gu;
/** A last word shorter than this is not a prefix: "a*" would match half the index. */
const MIN_PREFIX = 3;

export interface QueryTerm {
  /** The words of the term (several for a "quoted phrase"), as tokens. */
  words: string[];
  /** The last word also matches longer words. */
  prefix: boolean;
}

/**
 * The user's words: every word must match, "quoted words" as a phrase, and the last bare word of
 * three letters or more also as a prefix (results while typing).
 */
export function parseQuery(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const match of q.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const words = [...(match[1] ?? match[2] ?? '').matchAll(TOKEN)].map((m) => normalizeToken(m[0]));
    if (words.length === 0) continue;
    // The last bare word, if the query ends with it, is still being typed.
    const prefix = match[2] !== undefined && match.index + match[0].length === q.trimEnd().length && words[words.length - 1]!.length >= MIN_PREFIX;
    terms.push({ words, prefix });
  }
  return terms;
}

/** The terms as an FTS5 query; nothing of FTS5's own syntax gets through. */
export function ftsQuery(q: string): string | null {
  return matchOf(parseQuery(q));
}

function matchOf(terms: readonly QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`).join(' ');
}

interface Ranked {
  /** A rowid, as a BigInt: bound as a JS number it would be a REAL, and FTS5 does not take `rowid = 3.0` as a rowid constraint. */
  id: bigint;
  score: number;
}

interface Row {
  kind: SearchResult['kind'];
  meeting_id: string;
  meeting_title: string;
  session_id: string | null;
  agenda_item_id: string | null;
  title: string;
  date: string;
  body: string;
}

/**
 * A word found in most rows (a very common word, a short prefix) matches tens of thousands of
 * rows, and ranking them all costs far more than a search should. Such a search ranks the newest
 * WINDOW matching rows (rowids grow as notes are written), then the next older window if the
 * filters left too few: best matches among recent notes first. A rarer word is ranked over all
 * its rows at once.
 */
export const WINDOW = 2_000;
const NO_ROWID_ABOVE = 2n ** 63n - 1n;

interface Statements {
  boundary: Statement;
  window: Statement;
  span: Statement;
  row: Statement;
}

type Statement = ReturnType<Db['prepare']>;
const prepared = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let found = prepared.get(db);
  if (!found) {
    found = {
      // The oldest of the newest WINDOW matches below `upper`: nothing when fewer match.
      boundary: db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH @match AND rowid < @upper AND rowid >= @floor ORDER BY rowid DESC LIMIT 1 OFFSET @window'),
      // CROSS JOIN keeps the full-text match the outer loop: the filters only look rows up.
      window: db.prepare(
        `SELECT f.rowid AS id, bm25(search_fts, 4.0, 1.0) AS score
         FROM search_fts f
         CROSS JOIN search_docs d ON d.rowid = f.rowid
         CROSS JOIN meetings m ON m.id = d.meeting_id
         WHERE search_fts MATCH @match AND f.rowid >= @lower AND f.rowid < @upper
           AND (@meeting IS NULL OR d.meeting_id = @meeting)
           AND (@series IS NULL OR m.series = @series)
           AND (@from IS NULL OR d.date >= @from)
           AND (@to IS NULL OR d.date <= @to)
         ORDER BY score, f.rowid DESC
         LIMIT @limit`,
      ),
      // One meeting's rows were mostly written together: search between its first and last rowid.
      span: db.prepare('SELECT min(rowid) AS lo, max(rowid) AS hi FROM search_docs WHERE meeting_id = ?'),
      row: db.prepare(
        `SELECT d.kind, d.meeting_id, m.title AS meeting_title, d.session_id, d.agenda_item_id, d.title, d.date, d.body
         FROM search_docs d JOIN meetings m ON m.id = d.meeting_id WHERE d.rowid = ?`,
      ),
    };
    // Rowids travel as BigInts (see Ranked).
    for (const statement of [found.boundary, found.window, found.span]) statement.safeIntegers(true);
    prepared.set(db, found);
  }
  return found;
}

export function search(db: Db, q: string, options: SearchOptions = {}): SearchResult[] {
  const terms = parseQuery(q);
  const match = matchOf(terms);
  if (!match) return [];
  const statement = statements(db);
  const offset = options.offset ?? 0;
  // A page further on ranks the pages before it too: each window's order is its own (score, then
  // the newest row), so the first results of a longer ranking are the results of a shorter one.
  const limit = offset + (options.limit ?? 30);
  const filters = { series: options.series ?? null, from: options.from ?? null, to: options.to ?? null };
  // Scores come back as JS numbers whatever safeIntegers says: bm25 is a REAL.
  const ranked: Ranked[] = [];
  let floor = 0n;
  let upper = NO_ROWID_ABOVE;
  if (options.meetingId) {
    const span = statement.span.get(options.meetingId) as { lo: bigint | null; hi: bigint | null };
    if (span.lo === null || span.hi === null) return [];
    floor = span.lo;
    upper = span.hi + 1n;
  }
  for (;;) {
    const boundary = statement.boundary.get({ match, upper, floor, window: WINDOW }) as { rowid: bigint } | undefined;
    const lower = boundary?.rowid ?? floor;
    ranked.push(...(statement.window.all({ match, lower, upper, meeting: options.meetingId ?? null, ...filters, limit: limit - ranked.length }) as Ranked[]));
    if (ranked.length >= limit || !boundary) break;
    upper = lower;
  }
  return ranked.slice(offset).map(({ id }) => resultOf(statement.row.get(id) as Row, terms));
}

/** Searches with FTS5 on SQLite, with a tsquery on PostgreSQL. */
export function searchWith(layer: Sql, text: string, options: SearchOptions = {}): Promise<SearchResult[]> {
  return layer.sqlite ? Promise.resolve(search(layer.sqlite, text, options)) : searchPostgres(layer.db, text, options);
}

/**
 * The same search on PostgreSQL: every term must match (`&`), a phrase's words in order (`<->`),
 * the last word being typed as a prefix (`:*`). Words are letters and digits only, quoted as
 * lexemes: nothing of tsquery's own syntax gets through. GIN finds the rows; ts_rank orders them,
 * the title weighing four times the body as with bm25 above, the newest first among equals.
 */
export async function searchPostgres(q: Queries, text: string, options: SearchOptions = {}): Promise<SearchResult[]> {
  const terms = parseQuery(text);
  if (terms.length === 0) return [];
  const tsquery = terms
    .map((term) => term.words.map((word, i) => `'${word}'${term.prefix && i === term.words.length - 1 ? ':*' : ''}`).join(' <-> '))
    .map((term) => `(${term})`)
    .join(' & ');
  let query = q
    .selectFrom('search_docs as d')
    .innerJoin('meetings as m', 'm.id', 'd.meeting_id')
    .select(['d.kind', 'd.meeting_id', 'm.title as meeting_title', 'd.session_id', 'd.agenda_item_id', 'd.title', 'd.date', 'd.body'])
    .where(sql<boolean>`d.words @@ to_tsquery('simple', ${tsquery})`);
  if (options.meetingId) query = query.where('d.meeting_id', '=', options.meetingId);
  if (options.series) query = query.where('m.series', '=', options.series);
  if (options.from) query = query.where('d.date', '>=', options.from);
  if (options.to) query = query.where('d.date', '<=', options.to);
  const rows = await query
    .orderBy(sql`ts_rank('{0.25, 0.25, 0.25, 1.0}', d.words, to_tsquery('simple', ${tsquery}))`, 'desc')
    .orderBy('d.rowid', 'desc')
    .limit(options.limit ?? 30)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((row) => resultOf(row as Row, terms));
}

function resultOf(row: Row, terms: readonly QueryTerm[]): SearchResult {
  return {
    kind: row.kind,
    meetingId: row.meeting_id,
    meetingTitle: row.meeting_title,
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    ...(row.agenda_item_id ? { agendaItemId: row.agenda_item_id } : {}),
    title: row.title,
    snippet: snippetOf(row.body, terms),
    date: row.date,
  };
}

/**
 * About `size` words of `text` around the first word the query matched (its start when the match
 * was in the title), matched words wrapped in SNIPPET_MARKS, "…" where it was cut. Done here, not
 * with FTS5's snippet() or highlight(): looking one row up again with a MATCH costs milliseconds
 * when the query's words are common, and the words to mark are known.
 */
export function snippetOf(text: string, terms: readonly QueryTerm[], size = 24): string {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const term of terms) {
    term.words.forEach((word, i) => (term.prefix && i === term.words.length - 1 ? prefixes.push(word) : exact.add(word)));
  }
  const matches = (token: string): boolean => {
    const normal = normalizeToken(token);
    return exact.has(normal) || prefixes.some((prefix) => normal.startsWith(prefix));
  };
  // Words with where they start and end in `text`.
  const words: Array<{ start: number; end: number; hit: boolean }> = [];
  let first = -1;
  for (const m of text.matchAll(/\S+/g)) {
    const hit = [...m[0].matchAll(TOKEN)].some((token) => matches(token[0]));
    if (hit && first < 0) first = words.length;
    words.push({ start: m.index, end: m.index + m[0].length, hit });
    // Nothing past the window is needed once the first match is found.
    if (first >= 0 && words.length >= first + size) break;
  }
  const from = Math.max(0, (first < 0 ? 0 : first) - 8);
  const shown = words.slice(from, from + size);
  const out = shown.map((word) => {
    const piece = text.slice(word.start, word.end);
    return word.hit ? `${SNIPPET_MARKS.open}${piece}${SNIPPET_MARKS.close}` : piece;
  });
  const last = shown[shown.length - 1];
  const cutEnd = last !== undefined && /\S/.test(text.slice(last.end));
  return `${from > 0 ? '…' : ''}${out.join(' ')}${cutEnd ? '…' : ''}`;
}
