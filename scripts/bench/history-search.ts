/**
 * `npm run -s bench:history` — the two figures issue 17 asks for, in process on a real SQLite file
 * with the server's own code (server/history, server/search):
 *
 * 1. Opening a version. A three-day meeting whose three session documents hold 100,000
 *    Lexical-shaped keystrokes from two authors (scripts/bench/lib/long-doc.ts), with a version
 *    kept every 1,000 keystrokes, as the automatic versions would while people type. Every
 *    version is then opened as the routes do: `md` (state merged from its keyframe and deltas,
 *    read by the headless Lexical reader, rendered) and `json` (merged, each block's runs and their authors read at the Yjs level).
 *    Also the worst case: one session holding all 100,000 keystrokes.
 * 2. Search. 1,000 three-day meetings with about 30,000 words of running notes each (written
 *    into the index as the notes layer writes it: one row per agenda item's notes), agendas,
 *    proposals and actions, then queries of every kind (rare, common and very common words, two
 *    words, prefixes while typing, phrases, a series filter, a guest's one-meeting scope) through
 *    the function the route calls. p50/p95/max per kind and overall.
 *
 * Environment: EDITS (100000), MEETINGS (1000), WORDS (30000 per meeting), QUERIES (600),
 * PARTS (versions,search).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../../server/db/database.js';
import { setupFirstAdmin } from '../../server/accounts/accounts.js';
import { sqliteSql, type Sql } from '../../server/db/sql/index.js';
import { createMeeting } from '../../server/meetings/meetings.js';
import { createProposal } from '../../server/meetings/proposals.js';
import { VersionStore, KEYFRAME_EVERY } from '../../server/history/version-store.js';
import { attributedBlocks } from '../../server/history/attribution.js';
import { canonicalMarkdown } from '../../server/history/service.js';
import { search } from '../../server/search/search.js';
import { longDocument } from './lib/long-doc.js';
import { loadAverage } from './lib/proc.js';
import { newDoc } from '../../shared/notes/client-id.js';

const EDITS = Number(process.env.EDITS ?? 100_000);
const MEETINGS = Number(process.env.MEETINGS ?? 1_000);
const WORDS = Number(process.env.WORDS ?? 30_000);
const QUERIES = Number(process.env.QUERIES ?? 600);
const VERSION_EVERY = 1_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function freshDb(dir: string, name: string): Promise<{ db: Db; sql: Sql; owner: string }> {
  const db = openDatabase(join(dir, name));
  const sql = sqliteSql(db);
  const owner = await setupFirstAdmin(sql, { email: 'bench@example.org', name: 'Bench', password: 'correct horse battery' });
  return { db, sql, owner: owner.id };
}

// ---- 1. versions --------------------------------------------------------------------------------

interface OpenTimes {
  md: number[];
  json: number[];
  versions: number;
  bytes: number;
  stateBytes: number;
}

/** Types `edits` keystrokes into each of `docs`, keeping a version every VERSION_EVERY, then opens every version. */
async function versionsOf(sql: Sql, meeting: Awaited<ReturnType<typeof createMeeting>>, sessions: number, edits: number): Promise<OpenTimes> {
  const store = new VersionStore(sql.db);
  const times: OpenTimes = { md: [], json: [], versions: 0, bytes: 0, stateBytes: 0 };
  const ids: Array<{ id: string; doc: string }> = [];
  for (const session of meeting.sessions.slice(0, sessions)) {
    const authors = new Map<number, { userId: string; name: string }>();
    // The states to keep, taken while typing; stored after (the store is asynchronous).
    const states: Uint8Array[] = [];
    longDocument(edits, (edit, doc) => {
      if (edit % VERSION_EVERY !== 0) return;
      const state = Y.encodeStateAsUpdate(doc);
      for (const client of Y.parseUpdateMeta(state).to.keys()) {
        if (!authors.has(client)) authors.set(client, { userId: `u${authors.size}`, name: authors.size === 0 ? 'Ann Lee' : 'Ben Ode' });
      }
      states.push(state);
      times.stateBytes = state.byteLength;
    });
    for (const state of states) {
      const version = await store.add({ doc: session.doc, meetingId: meeting.id, sessionId: session.id, kind: 'auto' }, state, authors);
      ids.push({ id: version.id, doc: session.doc });
    }
    for (const [client, author] of authors) await store.recordAuthors(session.doc, [client], { id: author.userId, name: author.name });
    times.bytes += await store.bytes(session.doc);
  }
  times.versions = ids.length;
  for (const { id, doc } of ids) {
    // As a request does: read the version, then render it.
    let started = performance.now();
    canonicalMarkdown((await store.state(id))!);
    times.md.push(performance.now() - started);
    started = performance.now();
    const state = (await store.state(id))!;
    const ydoc = newDoc();
    Y.applyUpdate(ydoc, state);
    attributedBlocks(ydoc, await store.authorship(doc));
    ydoc.destroy();
    times.json.push(performance.now() - started);
  }
  return times;
}

async function benchVersions(dir: string): Promise<void> {
  const { db, sql, owner } = await freshDb(dir, 'versions.db');
  const load = loadAverage();
  const meeting = await createMeeting(sql.db, owner, { title: 'Three days', startDate: '2026-11-17', endDate: '2026-11-19', attendees: [], agenda: [] });
  const perDay = Math.round(EDITS / 3);
  const threeDays = await versionsOf(sql, meeting, 3, perDay);
  const single = await createMeeting(sql.db, owner, { title: 'One long day', startDate: '2026-11-20', attendees: [], agenda: [] });
  const oneSession = await versionsOf(sql, single, 1, EDITS);
  console.log(`\n## Opening a version (server side; load before: ${load}; after: ${loadAverage()})\n`);
  console.log(`| meeting | versions | md p50 | md p95 | md max | json p50 | json p95 | json max | stored per version | last state |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const [label, t] of [
    [`3 days × ${perDay.toLocaleString('en')} keystrokes`, threeDays],
    [`1 session × ${EDITS.toLocaleString('en')} keystrokes`, oneSession],
  ] as const) {
    console.log(
      `| ${label} | ${t.versions} | ${ms(percentile(t.md, 50))} | ${ms(percentile(t.md, 95))} | ${ms(Math.max(...t.md))} | ${ms(percentile(t.json, 50))} | ${ms(percentile(t.json, 95))} | ${ms(Math.max(...t.json))} | ${kb(t.bytes / t.versions)} | ${kb(t.stateBytes)} |`,
    );
  }
  // An hour of typing keeps at most 12 automatic versions (VERSION_EVERY_MS, 5 min); at the pace
  // of this document (1,000 keystrokes between versions) that is 12,000 keystrokes an hour.
  console.log(
    `\nStorage: a keyframe every ${KEYFRAME_EVERY} versions, deltas between. At 12 versions an hour (one per 5 minutes of typing, ${VERSION_EVERY.toLocaleString('en')} keystrokes each) ` +
      `an hour of typing costs about ${kb((threeDays.bytes / threeDays.versions) * 12)} on the three-day meeting and ${kb((oneSession.bytes / oneSession.versions) * 12)} on the single long session (averages over the whole history).`,
  );
  db.close();
}

// ---- 2. search -----------------------------------------------------------------------------------

/** A Zipf-distributed vocabulary: a few very common words, a long tail of rare ones. */
function vocabulary(random: () => number): { words: string[]; pick: () => string } {
  const common = 'the of and to a in that is for on with as was we it be at this by from are will need plan data review team release pipeline budget decision storage schedule alert'.split(' ');
  const syllables = ['ka', 'lo', 'mi', 'ten', 'ro', 'sa', 'vel', 'dor', 'pi', 'nu', 'gra', 'phe', 'tri', 'ox', 'zen', 'qua', 'bel', 'mor'];
  const words = [...common];
  const seen = new Set(words);
  while (words.length < 30_000) {
    const n = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += syllables[Math.floor(random() * syllables.length)]!;
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  // Zipf with s = 1: P(rank r) ∝ 1/r, sampled by inverting the cumulative sum.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cumulative.push((total += 1 / r));
  const pick = (): string => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return { words, pick };
}

async function benchSearch(dir: string): Promise<void> {
  const { db, sql, owner } = await freshDb(dir, 'search.db');
  const random = rng(17);
  const { words, pick } = vocabulary(random);
  const sentence = (length: number) => Array.from({ length }, pick).join(' ');
  const series = Array.from({ length: 10 }, (_, i) => `Series ${i}`);
  const upsert = db.prepare(
    `INSERT INTO search_docs (kind, ref, meeting_id, session_id, agenda_item_id, date, title, body)
     VALUES ('note', @ref, @meetingId, @sessionId, @agendaItemId, @date, @title, @body)`,
  );
  const action = db.prepare(
    `INSERT INTO action_items (id, doc, meeting_id, session_id, agenda_item_id, description, source_text, created_at, updated_at)
     VALUES (@id, @doc, @meetingId, @sessionId, @agendaItemId, @description, @source, @at, @at)`,
  );
  const built = performance.now();
  const meetingIds: string[] = [];
  const itemsPerDay = 6;
  const wordsPerItem = Math.round(WORDS / 3 / itemsPerDay);
  for (let m = 0; m < MEETINGS; m++) {
    const start = new Date(Date.UTC(2018, 0, 1) + m * 3 * 86_400_000 * 1.7);
    const day = (d: number) => new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    // The prepared statements run on the same connection, inside this transaction.
    await sql.transaction(async (trx) => {
      const meeting = await createMeeting(trx, owner, {
        title: `${sentence(3)} face-to-face ${m}`,
        series: series[m % series.length]!,
        startDate: day(0),
        endDate: day(2),
        attendees: Array.from({ length: 10 }, (_, i) => ({ name: `Person ${i} ${pick()}`, handle: `P${i}` })),
        agenda: [0, 1, 2].map((d) => ({ date: day(d), blocks: [{ items: Array.from({ length: itemsPerDay }, () => ({ topic: sentence(4), coordinators: [`P${Math.floor(random() * 10)}`], preNotes: sentence(12) })) }] })),
      });
      meetingIds.push(meeting.id);
      await createProposal(trx, meeting.id, { topic: sentence(5), requestedBy: 'Person 1', notes: sentence(20) }, { userId: owner });
      meeting.sessions.forEach((session, d) => {
        const items = meeting.agenda[d]!.blocks.flatMap((b) => b.items);
        for (const item of items) {
          upsert.run({ ref: `${session.doc} ${item.id}`, meetingId: meeting.id, sessionId: session.id, agendaItemId: item.id, date: session.date, title: item.topic, body: sentence(wordsPerItem) });
          const at = new Date().toISOString();
          action.run({ id: `a${m}x${item.id}`, doc: session.doc, meetingId: meeting.id, sessionId: session.id, agendaItemId: item.id, description: sentence(8), source: `ACTION: P1 ${sentence(8)}`, at });
        }
      });
    });
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const buildSeconds = (performance.now() - built) / 1000;
  const rows = (db.prepare('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
  const bytes = statSync(join(dir, 'search.db')).size;

  // Queries by kind, words picked by their rank in the vocabulary (so by how many rows match).
  const band = (from: number, to: number) => words[from + Math.floor(random() * (to - from))]!;
  const kinds: Record<string, () => { q: string; scope?: { meetingId?: string; series?: string } }> = {
    'rare word': () => ({ q: band(5_000, 30_000) }),
    'medium word': () => ({ q: band(500, 5_000) }),
    'common word': () => ({ q: band(40, 500) }),
    'very common word': () => ({ q: band(0, 40) }),
    'two words': () => ({ q: `${band(40, 2_000)} ${band(500, 10_000)}` }),
    'prefix (typing)': () => ({ q: band(500, 5_000).slice(0, 4) }),
    phrase: () => ({ q: `"${band(0, 200)} ${band(0, 200)}"` }),
    'series filter': () => ({ q: band(200, 5_000), scope: { series: series[Math.floor(random() * series.length)]! } }),
    "guest's meeting": () => ({ q: band(40, 5_000), scope: { meetingId: meetingIds[Math.floor(random() * meetingIds.length)]! } }),
  };
  const load = loadAverage();
  const all: number[] = [];
  const table: string[] = [];
  for (const [kind, make] of Object.entries(kinds)) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < Math.ceil(QUERIES / Object.keys(kinds).length); i++) {
      const { q, scope } = make();
      const started = performance.now();
      const results = search(db, q, { limit: 30, ...(scope?.series ? { series: scope.series } : {}), ...(scope?.meetingId ? { meetingId: scope.meetingId } : {}) });
      times.push(performance.now() - started);
      hits += results.length;
    }
    all.push(...times);
    table.push(`| ${kind} | ${times.length} | ${(hits / times.length).toFixed(1)} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(Math.max(...times))} |`);
  }
  console.log(`\n## Search over ${MEETINGS.toLocaleString('en')} three-day meetings (load before: ${load}; after: ${loadAverage()})\n`);
  console.log(`${rows.toLocaleString('en')} indexed rows, about ${(MEETINGS * WORDS).toLocaleString('en')} words of notes; database ${mb(bytes)}; built in ${buildSeconds.toFixed(0)} s.\n`);
  console.log('| query | n | results | p50 | p95 | max |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const line of table) console.log(line);
  console.log(`| **all** | ${all.length} | | ${ms(percentile(all, 50))} | **${ms(percentile(all, 95))}** | ${ms(Math.max(...all))} |`);
  db.close();
}

// KEEP=1 leaves the databases behind (their directory is printed) for looking into a query.
const dir = mkdtempSync(join(tmpdir(), 'quorum-bench-history-'));
try {
  console.log(`# Versions and search (issue 17), ${new Date().toISOString()}, ${process.env.EDITS ? '' : 'default sizes'}`);
  const parts = (process.env.PARTS ?? 'versions,search').split(',');
  if (parts.includes('versions')) await benchVersions(dir);
  if (parts.includes('search')) await benchSearch(dir);
} finally {
  if (process.env.KEEP) console.log(`\n(databases kept in ${dir})`);
  else rmSync(dir, { recursive: true, force: true });
}
