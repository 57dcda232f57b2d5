// Search across meetings against a real server: titles, agendas and proposals indexed by the
// database's triggers, running notes and their actions by the notes layer as they are typed over
// real WebSocket connections; ranking, snippets, filters, and who may find what.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { addMember, api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { $blockStartingWith, connectNotetaker, type Notetaker } from './notes-support.js';
import { ftsQuery, parseQuery, snippetOf } from '../../server/search/search.js';
import { indexDelay } from '../../server/search/indexer.js';
import { SNIPPET_MARKS, type CreatedMeeting, type SearchResult, type SearchResults } from '../../shared/api/index.js';

describe('search across meetings', () => {
  let server: TestServer;
  let admin: Account;
  let member: Account;
  let november: CreatedMeeting;
  let december: CreatedMeeting;
  let other: CreatedMeeting;
  let notetaker: Notetaker;
  const find = async (q: string, who: { cookie?: string; token?: string } = { cookie: member.cookie }, extra = ''): Promise<SearchResult[]> => {
    const response = await api<SearchResults>(server, 'GET', `/api/search?q=${encodeURIComponent(q)}${extra}`, who);
    expect(response.status).toBe(200);
    return response.body.results;
  };
  const indexFailures = async (): Promise<number> => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/^quorum_search_index_failures_total (\d+)/m.exec(text)?.[1] ?? 0);
  };
  const topicId = (meeting: CreatedMeeting, topic: string) => meeting.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items)).find((i) => i.topic === topic)!.id;

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    member = await addMember(server, admin, 'fritz@example.org', 'Fritz Mueller');
    const agenda = (date: string, topics: string[]) => [{ date, blocks: [{ items: topics.map((topic) => ({ topic, coordinators: ['KTL'] })) }] }];
    november = await createMeeting(server, admin, {
      title: 'DMLT November',
      series: 'DMLT',
      startDate: '2020-11-17',
      attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }],
      agenda: agenda('2020-11-17', ['Budget burn-down', 'Graph generation']),
      proposals: [{ topic: 'Quantum telescopes roadmap', requestedBy: 'Leanne' }],
    });
    december = await createMeeting(server, admin, { title: 'DMLT December', series: 'DMLT', startDate: '2020-12-15', agenda: agenda('2020-12-15', ['Budget review']) });
    other = await createMeeting(server, admin, { title: 'Camera team sync', series: 'CAM', startDate: '2020-12-01', agenda: agenda('2020-12-01', ['Cryostat budget']) });
    notetaker = connectNotetaker(server.collabUrl, november.sessions[0]!.doc, linkToken(november, 'notetaker'));
    await notetaker.synced();
    await waitFor(() => notetaker.blocks().some((b) => b.text.includes('Graph generation')), { message: 'not seeded' });
  });

  afterAll(async () => {
    notetaker?.destroy();
    await server?.close();
  });

  it('finds a word typed a moment ago, under its agenda item, with the match marked', async () => {
    notetaker.edit(() => {
      const heading = $blockStartingWith('Graph generation');
      heading.getNextSibling()!.insertAfter($createParagraphNode().append($createTextNode('We agreed the butler refactoring waits for Gen3')));
    });
    let results: SearchResult[] = [];
    await waitFor(async () => (results = await find('butler')).length > 0, { message: 'typed word never found' });
    expect(results[0]).toMatchObject({
      kind: 'note',
      meetingId: november.id,
      meetingTitle: 'DMLT November',
      sessionId: november.sessions[0]!.id,
      agendaItemId: topicId(november, 'Graph generation'),
      title: 'Graph generation',
      date: '2020-11-17',
    });
    expect(results[0]!.snippet).toContain(`${SNIPPET_MARKS.open}butler${SNIPPET_MARKS.close}`);
    // The last word is a prefix while typing; quoted words are a phrase.
    expect((await find('refact')).map((r) => r.kind)).toEqual(['note']);
    expect(await find('"butler waits"')).toEqual([]);
    expect((await find('"butler refactoring"')).length).toBe(1);

    // Edited away, it is not found any more.
    notetaker.edit(() => {
      const block = $blockStartingWith('We agreed the butler');
      block.clear().append($createTextNode('We agreed the middleware refactoring waits'));
    });
    await waitFor(async () => (await find('butler')).length === 0, { message: 'removed word still found' });
    expect((await find('middleware')).length).toBe(1);
  });

  it('writes every section again after a write that failed, not only the one that changes next', async () => {
    // The disk refuses one section's row: the whole write rolls back, the other's row included.
    server.app.db.exec(
      "CREATE TRIGGER refuse_notes BEFORE INSERT ON search_docs WHEN NEW.body LIKE '%quarantined%' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    );
    try {
      notetaker.edit(() => {
        // Under the second agenda item, written after the first item's section.
        $blockStartingWith('Graph generation').insertAfter($createParagraphNode().append($createTextNode('The quarantined ledger needs an auditor')));
        $blockStartingWith('Budget burn-down').insertAfter($createParagraphNode().append($createTextNode('Pipelines render the zeppelin dashboards')));
      });
      await waitFor(() => server.app.db.prepare("SELECT 1 FROM search_docs WHERE body LIKE '%zeppelin%'").get() === undefined && notetaker.blocks().some((b) => b.text.includes('zeppelin')), {
        message: 'not typed',
      });
      await waitFor(async () => (await indexFailures()) > 0, { message: 'the refused write never happened' });
    } finally {
      server.app.db.exec('DROP TRIGGER refuse_notes');
    }
    // Only the refused section changes again; the other must be written too.
    notetaker.edit(() => {
      const block = $blockStartingWith('The quarantined ledger');
      block.clear().append($createTextNode('The quarantined ledger needs an auditor by Friday'));
    });
    await waitFor(async () => (await find('zeppelin')).length > 0, { message: 'the section written in the refused write is never indexed' });
    expect((await find('auditor')).length).toBe(1);

    notetaker.edit(() => {
      $blockStartingWith('The quarantined ledger').remove();
      $blockStartingWith('Pipelines render the zeppelin').remove();
    });
    await waitFor(async () => (await find('zeppelin')).length + (await find('auditor')).length === 0, { message: 'removed notes still found' });
  });

  it('indexes notes after a refused write once the database takes writes again, with nobody typing more', async () => {
    const before = await indexFailures();
    server.app.db.exec("CREATE TRIGGER refuse_kestrel BEFORE INSERT ON search_docs WHEN NEW.body LIKE '%kestrel%' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    try {
      notetaker.edit(() => {
        $blockStartingWith('Graph generation').insertAfter($createParagraphNode().append($createTextNode('A kestrel nests on the dome')));
      });
      await waitFor(async () => (await indexFailures()) > before, { message: 'the refused write never happened' });
    } finally {
      server.app.db.exec('DROP TRIGGER refuse_kestrel');
    }
    await waitFor(async () => (await find('kestrel')).length > 0, { message: 'the notes were never indexed again' });
  });

  it('finds actions as they are typed, and loses them when they leave the notes', async () => {
    notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL draft the xylophone procurement plan by 2020-12-01'))));
    let results: SearchResult[] = [];
    await waitFor(async () => (results = await find('xylophone')).some((r) => r.kind === 'action'), { message: 'action never found' });
    expect(results.find((r) => r.kind === 'action')).toMatchObject({ meetingId: november.id, sessionId: november.sessions[0]!.id, date: '2020-11-17' });
    notetaker.edit(() => $blockStartingWith('ACTION: KTL draft the xylophone').remove());
    await waitFor(async () => (await find('xylophone')).length === 0, { message: 'removed action still found' });
  });

  it("follows an action's words once its pass is written, even when that comes after the notes were indexed and nobody types again", async () => {
    notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL order the marimba mallets'))));
    await waitFor(async () => (await find('marimba')).some((r) => r.kind === 'action'), { message: 'action never found' });
    // The action's record cannot take the new words for now: the pass is refused and retried.
    server.app.db.exec(`CREATE TRIGGER refuse_oboe BEFORE UPDATE ON action_items WHEN NEW.description LIKE '%oboe%' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    try {
      notetaker.edit(() => $blockStartingWith('ACTION: KTL order the marimba').append($createTextNode(' and oboe reeds')));
      await waitFor(async () => (await find('oboe')).some((r) => r.kind === 'note'), { message: 'the notes were never indexed' });
      expect((await find('oboe')).map((r) => r.kind)).toEqual(['note']);
    } finally {
      server.app.db.exec('DROP TRIGGER refuse_oboe');
    }
    await waitFor(async () => (await find('oboe')).some((r) => r.kind === 'action'), { message: 'the action never followed its record' });
    notetaker.edit(() => $blockStartingWith('ACTION: KTL order the marimba').remove());
    await waitFor(async () => (await find('marimba')).length === 0, { message: 'removed action still found' });
  });

  it("brings a document's actions in the index in line when it loads (rows a crash lost)", async () => {
    const percussion = await createMeeting(server, admin, { title: 'Percussion section', startDate: '2020-10-06', agenda: [{ date: '2020-10-06', blocks: [{ items: [{ topic: 'Instruments' }] }] }] });
    const doc = percussion.sessions[0]!.doc;
    const writer = connectNotetaker(server.collabUrl, doc, linkToken(percussion, 'notetaker'));
    try {
      await writer.synced();
      writer.edit(() => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL tune the glockenspiel'))));
      await waitFor(async () => (await find('glockenspiel')).some((r) => r.kind === 'action'), { message: 'action never found' });
    } finally {
      writer.destroy();
    }
    await waitFor(() => server.app.collab.get(doc) === undefined, { message: 'the document never unloaded' });
    expect(server.app.db.prepare(`DELETE FROM search_docs WHERE kind = 'action' AND body LIKE '%glockenspiel%'`).run().changes).toBe(1);
    expect((await find('glockenspiel')).map((r) => r.kind)).toEqual(['note']);
    const reader = connectNotetaker(server.collabUrl, doc, linkToken(percussion, 'notetaker'));
    try {
      await reader.synced();
      await waitFor(async () => (await find('glockenspiel')).some((r) => r.kind === 'action'), { message: 'the lost row was never written again' });
    } finally {
      reader.destroy();
    }
  });

  it('finds titles, agenda items and proposals; filters by series and dates', async () => {
    const budget = await find('budget');
    const kinds = budget.map((r) => `${r.kind}:${r.title}`);
    expect(kinds).toEqual(expect.arrayContaining(['agenda:Budget burn-down', 'agenda:Budget review', 'agenda:Cryostat budget']));
    expect((await find('quantum')).map((r) => [r.kind, r.meetingId])).toEqual([['proposal', november.id]]);
    const meetings = await find('december');
    expect(meetings[0]).toMatchObject({ kind: 'meeting', meetingId: december.id, title: 'DMLT December' });

    expect((await find('budget', { cookie: member.cookie }, '&series=CAM')).map((r) => r.meetingId)).toEqual([other.id]);
    const december15 = await find('budget', { cookie: member.cookie }, '&from=2020-12-10&to=2020-12-31');
    expect(december15.map((r) => r.title)).toEqual(['Budget review']);

    // Renaming a meeting or an agenda item is found at once (the database keeps the index).
    await api(server, 'PATCH', `/api/meetings/${other.id}`, { cookie: admin.cookie, body: { title: 'Camera zeppelin sync' } });
    expect((await find('zeppelin')).map((r) => r.kind)).toEqual(['meeting']);
    // A deleted meeting is gone from the results.
    await api(server, 'DELETE', `/api/meetings/${other.id}`, { cookie: admin.cookie });
    expect(await find('zeppelin')).toEqual([]);
    expect(await find('cryostat')).toEqual([]);
  });

  it('pages on past the first results in the same order, each result once', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({ topic: `Mirror alignment step ${i + 1}` }));
    const week = await createMeeting(server, admin, { title: 'Commissioning week', series: 'COM', startDate: '2021-03-01', agenda: [{ date: '2021-03-01', blocks: [{ items }] }] });
    const steps = (results: SearchResult[]) => results.map((r) => r.title);
    // Equal words score the same: the order among them must still hold from one page to the next.
    const all = steps(await find('mirror alignment', { cookie: member.cookie }, '&limit=100'));
    expect(all).toHaveLength(45);
    const first = steps(await find('mirror alignment'));
    const second = steps(await find('mirror alignment', { cookie: member.cookie }, '&offset=30'));
    expect(first).toHaveLength(30);
    expect([...first, ...second]).toEqual(all);
    expect(await find('mirror alignment', { cookie: member.cookie }, '&offset=45')).toEqual([]);
    expect((await api(server, 'GET', '/api/search?q=mirror&offset=1001', { cookie: member.cookie })).status).toBe(400);
    await api(server, 'DELETE', `/api/meetings/${week.id}`, { cookie: admin.cookie });
  });

  it('answers a guest from its link’s meeting only, and nobody without credentials', async () => {
    expect((await find('budget', { token: linkToken(december, 'follower') })).map((r) => r.meetingId)).toEqual([december.id]);
    expect(await find('middleware', { token: linkToken(december, 'notetaker') })).toEqual([]);
    expect((await find('middleware', { token: linkToken(november, 'follower') })).length).toBe(1);
    expect((await api(server, 'GET', '/api/search?q=budget')).status).toBe(401);
    expect((await api(server, 'GET', '/api/search?q=budget', { token: 'not-a-token' })).status).toBe(403);
    expect((await api(server, 'GET', '/api/search?q=', { cookie: member.cookie })).status).toBe(400);
  });

  it('takes any text as words, never as FTS5 syntax', async () => {
    for (const q of ['"', 'budget **', 'AND', 'budget OR', 'NEAR(budget', '*', '-budget', 'col:budget', "o'neil", '(((', '""budget""']) {
      const response = await api(server, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { cookie: member.cookie });
      expect(response.status, q).toBe(200);
    }
    expect(ftsQuery('budget OR review')).toBe('"budget" "or" "review"*');
    expect(ftsQuery('"graph gen" butler')).toBe('"graph gen" "butler"*');
    expect(ftsQuery('Müller-Lüdenscheidt')).toBe('"muller ludenscheidt"*');
    // A last word too short to be a useful prefix, or inside a phrase, is a word.
    expect(ftsQuery('butler to')).toBe('"butler" "to"');
    expect(ftsQuery('"graph gen"')).toBe('"graph gen"');
    expect(ftsQuery('  ** ')).toBeNull();
    // Punctuation after the words is no word (it once made the query throw).
    expect(ftsQuery('budget **')).toBe('"budget"');
  });

  it('cuts snippets around the first match and marks every matched word', () => {
    const [open, close] = [SNIPPET_MARKS.open, SNIPPET_MARKS.close];
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ') + ' Butler, refactoring! ' + Array.from({ length: 30 }, (_, i) => `x${i}`).join(' ');
    const snippet = snippetOf(text, parseQuery('butler refact'));
    expect(snippet.startsWith('…w52 ')).toBe(true);
    expect(snippet).toContain(`${open}Butler,${close} ${open}refactoring!${close}`);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.split(' ')).toHaveLength(24);
    // A match in the title only: the text's start.
    expect(snippetOf('short body text', parseQuery('title'))).toBe('short body text');
    expect(snippetOf('Crème brûlée is served', parseQuery('creme'))).toBe(`${open}Crème${close} brûlée is served`);
  });
});

describe('how often the notes are read for search', () => {
  it('indexes a meeting at most once a second, a long one less often, and many typed at once less often each', () => {
    // A short meeting alone: once a second.
    expect(indexDelay(0.3, 1)).toBe(1_000);
    // 30,000 words (~13 ms an indexing): at most half a percent of a core for it.
    expect(indexDelay(13, 1)).toBe(2_600);
    // Twenty meetings typed in at once share about 1 % of a core between them.
    expect(indexDelay(1.6, 20)).toBe(3_200);
    expect(indexDelay(0.3, 20)).toBe(1_000);
    // Never more than 5 s behind, however slow the indexing or many the meetings.
    expect(indexDelay(13, 20)).toBe(5_000);
    expect(indexDelay(400, 1)).toBe(5_000);
  });
});
