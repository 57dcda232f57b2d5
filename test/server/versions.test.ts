// Versions of a session's notes against a real server: two notetakers type over real WebSocket
// connections (headless Lexical editors, as the browser's), one version is named, both type
// more; the version reads as it was with each author's text attributed, a restore brings it back
// live for both, actions follow, and closing seals the minutes with a hash anyone can check.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, type ElementNode } from 'lexical';
import { $createTableCellNode, $createTableNode, $createTableRowNode, $isTableNode, type TableCellNode, type TableRowNode } from '@lexical/table';
import * as Y from 'yjs';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { addMember, api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { $blockStartingWith, connectNotetaker, type Notetaker } from './notes-support.js';
import type { ActionList, CreatedMeeting, Meeting, VersionContent, VersionList, Version } from '../../shared/api/index.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function type(notetaker: Notetaker, line: string): void {
  notetaker.edit(() => $getRoot().append($createParagraphNode().append($createTextNode(line))));
}

const texts = (notetaker: Notetaker) => notetaker.blocks().map((b) => b.text);

describe('versions of a session’s notes', () => {
  let server: TestServer;
  let admin: Account;
  let member: Account;
  let meeting: CreatedMeeting;
  let other: CreatedMeeting;
  let ann: Notetaker;
  let ben: Notetaker;
  let base: string;
  let named: Version;

  const serverText = async (): Promise<string> => (await api<string>(server, 'GET', `/api/meetings/${meeting.id}/notes?format=md`, { cookie: admin.cookie })).body;

  beforeAll(async () => {
    // Automatic versions only when the test asks (see the last test): none get in the way here.
    server = await startServer({ versionPauseMs: 3_600_000, versionEveryMs: 3_600_000 });
    admin = await setupAdmin(server);
    member = await addMember(server, admin, 'fritz@example.org', 'Fritz Mueller');
    meeting = await createMeeting(server, admin, {
      title: 'DMLT versions',
      startDate: '2020-11-17',
      attendees: [{ name: 'Ann Lee', handle: 'AL' }, { name: 'Ben Ode', handle: 'BO' }],
    });
    other = await createMeeting(server, admin, { title: 'Another team', startDate: '2020-11-20' });
    base = `/api/meetings/${meeting.id}/sessions/${meeting.sessions[0]!.id}/versions`;
    const doc = meeting.sessions[0]!.doc;
    // Two guests of the edit link, told apart by the names they typed (as the page sends them).
    ann = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'), { name: 'Ann Lee' });
    ben = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'), { name: 'Ben Ode' });
    await ann.synced();
    await ben.synced();
  });

  afterAll(async () => {
    ann?.destroy();
    ben?.destroy();
    await server?.close();
  });

  it('names a version (notetakers only) and lists it with its authors', async () => {
    type(ann, 'alpha written by Ann');
    type(ben, 'bravo written by Ben');
    type(ann, 'ACTION: AL send the slides by 2020-12-01');
    await waitFor(async () => (await serverText()).includes('bravo written by Ben') && (await serverText()).includes('alpha written by Ann'), { message: 'notes never reached the server' });

    const follower = await api(server, 'POST', base, { token: linkToken(meeting, 'follower'), body: { name: 'nope' } });
    expect(follower.status).toBe(403);
    const stranger = await api(server, 'POST', base, { token: linkToken(other, 'notetaker'), body: { name: 'nope' } });
    expect(stranger.status).toBe(403);
    const empty = await api(server, 'POST', base, { cookie: member.cookie, body: { name: '' } });
    expect(empty.status).toBe(400);

    const made = await api<Version>(server, 'POST', base, { cookie: member.cookie, body: { name: 'before the break' } });
    expect(made.status).toBe(201);
    named = made.body;
    expect(named).toMatchObject({ kind: 'named', name: 'before the break', by: 'Fritz Mueller' });
    expect(named.authors.map((a) => a.name).sort()).toEqual(['Ann Lee', 'Ben Ode']);

    const list = await api<VersionList>(server, 'GET', base, { token: linkToken(meeting, 'follower') });
    expect(list.status).toBe(200);
    expect(list.body.versions.map((v) => v.id)).toEqual([named.id]);
    // A guest of another meeting learns nothing about this one.
    expect((await api(server, 'GET', base, { token: linkToken(other, 'follower') })).status).toBe(403);
    expect((await api(server, 'GET', `${base}/${named.id}`, { token: linkToken(other, 'follower') })).status).toBe(403);
    expect((await api(server, 'GET', base)).status).toBe(401);
  });

  it('reads a version exactly as it was, with each author’s text', async () => {
    type(ann, 'charlie typed after the break');
    type(ben, 'delta typed after the break');
    await waitFor(async () => (await serverText()).includes('delta typed after the break'), { message: 'later notes never reached the server' });

    const md = await api<string>(server, 'GET', `${base}/${named.id}?format=md`, { token: linkToken(meeting, 'follower') });
    expect(md.status).toBe(200);
    expect(md.body).toContain('alpha written by Ann');
    expect(md.body).toContain('bravo written by Ben');
    expect(md.body).not.toContain('charlie');

    const html = await api<string>(server, 'GET', `${base}/${named.id}?format=html`, { cookie: admin.cookie });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.body).toContain('bravo written by Ben');
    expect(html.body).not.toContain('delta');

    const json = await api<VersionContent>(server, 'GET', `${base}/${named.id}?format=json`, { cookie: admin.cookie });
    expect(json.status).toBe(200);
    const authorOf = (text: string) => {
      const block = json.body.blocks.find((b) => b.text === text)!;
      expect(block.runs.map((r) => r.text).join('')).toBe(text);
      return block.runs.map((r) => (r.author === null ? null : json.body.authors[r.author]!.name));
    };
    expect(authorOf('alpha written by Ann')).toEqual(['Ann Lee']);
    expect(authorOf('bravo written by Ben')).toEqual(['Ben Ode']);
    expect(json.body.blocks.some((b) => b.text.includes('charlie'))).toBe(false);

    const missing = await api(server, 'GET', `${base}/NoSuchVersion000000000`, { cookie: admin.cookie });
    expect(missing.status).toBe(404);
    // A version id of another session is not found under this one.
    const elsewhere = await api(server, 'GET', `/api/meetings/${other.id}/sessions/${other.sessions[0]!.id}/versions/${named.id}`, { cookie: admin.cookie });
    expect(elsewhere.status).toBe(404);
  });

  it('restores a version live for everyone connected; nothing in the history is rewritten; actions follow', async () => {
    // An action typed after the version goes away with the restore; one deleted since comes back.
    type(ben, 'ACTION: BO book the room by 2020-12-02');
    ann.edit(() => {
      const slides = $getRoot().getChildren().find((node) => node.getTextContent().startsWith('ACTION: AL send the slides'));
      slides?.remove();
    });
    const actions = async () => (await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items.map((a) => a.description).sort();
    await waitFor(async () => (await actions()).join('|') === 'book the room', { message: 'actions never showed the edits' });

    expect((await api(server, 'POST', `${base}/${named.id}/restore`, { token: linkToken(meeting, 'follower') })).status).toBe(403);
    expect((await api(server, 'POST', `${base}/${named.id}/restore`, { token: linkToken(other, 'notetaker') })).status).toBe(403);

    const restored = await api<Version>(server, 'POST', `${base}/${named.id}/restore`, { token: linkToken(meeting, 'notetaker'), headers: { 'x-guest-name': 'Ann Lee' } });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ kind: 'restore', by: 'Ann Lee (guest)', name: 'restored before the break' });

    for (const notetaker of [ann, ben]) {
      await waitFor(() => !texts(notetaker).some((t) => t.includes('charlie') || t.includes('delta') || t.includes('book the room')), { message: 'restore did not reach a page' });
      expect(texts(notetaker)).toEqual(expect.arrayContaining(['alpha written by Ann', 'bravo written by Ben', 'ACTION: AL send the slides by 2020-12-01']));
    }
    await waitFor(async () => (await actions()).join('|') === 'send the slides', { message: 'actions did not follow the restore' });

    const versions = (await api<VersionList>(server, 'GET', base, { cookie: admin.cookie })).body.versions;
    expect(versions.map((v) => v.kind)).toEqual(['named', 'auto', 'restore']);
    // The server re-wrote every word, yet each is still its author's.
    const after = (await api<VersionContent>(server, 'GET', `${base}/${restored.body.id}?format=json`, { cookie: admin.cookie })).body;
    const authorsOf = (text: string) => after.blocks.find((b) => b.text === text)!.runs.map((r) => (r.author === null ? null : after.authors[r.author]!.name));
    expect(authorsOf('alpha written by Ann')).toEqual(['Ann Lee']);
    expect(authorsOf('bravo written by Ben')).toEqual(['Ben Ode']);
    // The state just before the restore is kept, and still reads as it was.
    const before = await api<string>(server, 'GET', `${base}/${versions[1]!.id}?format=md`, { cookie: admin.cookie });
    expect(before.body).toContain('delta typed after the break');
    expect(before.body).toContain('book the room');

    // Typing goes on after a restore, for both.
    type(ann, 'echo after the restore');
    await waitFor(() => texts(ben).includes('echo after the restore'), { message: 'edits after the restore did not reach Ben' });
  });

  it('seals every session at close with the SHA-256 of its canonical Markdown, and again after a reopen', async () => {
    // A database that cannot write the seal: the close says so, and closing again seals.
    server.app.db.exec("CREATE TEMP TRIGGER no_versions BEFORE INSERT ON note_versions BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const failed = await api(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie });
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatch(/closed, but its minutes could not be sealed \(the server cannot save right now\); close it again/);
    server.app.db.exec('DROP TRIGGER no_versions');
    const closed = await api<Meeting>(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie });
    expect(closed.status).toBe(200);
    expect(closed.body.seals).toHaveLength(1);
    const seal = closed.body.seals![0]!;
    expect(seal).toMatchObject({ sessionId: meeting.sessions[0]!.id, by: 'Ada Admin' });

    const sealedMd = await api<string>(server, 'GET', `${base}/${seal.versionId}?format=md`, { token: linkToken(meeting, 'follower') });
    expect(sha256(sealedMd.body)).toBe(seal.sha256);
    expect(sealedMd.body).toContain('echo after the restore');

    const viewed = await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { token: linkToken(meeting, 'follower') });
    expect(viewed.body.seals).toEqual(closed.body.seals);
    const exported = await serverText();
    expect(exported).toContain(seal.sha256);
    expect(exported).toContain('Sealed by Ada Admin');

    // No version can be named, nothing restored while closed.
    expect((await api(server, 'POST', base, { cookie: admin.cookie, body: { name: 'late' } })).status).toBe(409);
    expect((await api(server, 'POST', `${base}/${named.id}/restore`, { cookie: admin.cookie })).status).toBe(409);

    await api(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: admin.cookie });
    expect((await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: admin.cookie })).body.seals).toBeUndefined();
    type(ben, 'foxtrot after reopening');
    await waitFor(async () => (await serverText()).includes('foxtrot after reopening'), { message: 'edit after reopen never arrived' });
    const again = await api<Meeting>(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: admin.cookie });
    const second = again.body.seals![0]!;
    expect(second.versionId).not.toBe(seal.versionId);
    expect(second.sha256).not.toBe(seal.sha256);

    const sealed = (await api<VersionList>(server, 'GET', base, { cookie: admin.cookie })).body.versions.filter((v) => v.kind === 'sealed');
    expect(sealed.map((v) => v.sha256)).toEqual([seal.sha256, second.sha256]);
    // The first seal still reads as it was.
    const first = await api<string>(server, 'GET', `${base}/${seal.versionId}?format=md`, { cookie: admin.cookie });
    expect(sha256(first.body)).toBe(seal.sha256);
    expect(first.body).not.toContain('foxtrot');
  });
});

describe('automatic versions', () => {
  const servers: TestServer[] = [];

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function typeIntoNewMeeting(overrides: { versionPauseMs: number; versionEveryMs: number }, line: string) {
    const server = await startServer(overrides);
    servers.push(server);
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin, { title: 'Auto', startDate: '2020-11-17' });
    const base = `/api/meetings/${meeting.id}/sessions/${meeting.sessions[0]!.id}/versions`;
    const list = async () => (await api<VersionList>(server, 'GET', base, { cookie: admin.cookie })).body.versions;
    const notetaker = connectNotetaker(server.collabUrl, meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
    await notetaker.synced();
    await waitFor(() => notetaker.client.doc.get('root', Y.XmlText).length > 0, { message: 'not seeded' });
    type(notetaker, line);
    const read = async (id: string) => (await api<string>(server, 'GET', `${base}/${id}`, { cookie: admin.cookie })).body;
    return { server, admin, meeting, list, read, notetaker };
  }

  it('keeps one after typing pauses', async () => {
    const { list, read, notetaker } = await typeIntoNewMeeting({ versionPauseMs: 100, versionEveryMs: 3_600_000 }, 'first words');
    await waitFor(async () => (await list()).length >= 1, { message: 'no automatic version after a pause' });
    const [auto] = await list();
    expect(auto).toMatchObject({ kind: 'auto', authors: [{ name: 'Guest' }] });
    expect(await read(auto!.id)).toContain('first words');
    // A change that only deletes is a change too (it leaves the state vector as it was).
    notetaker.edit(() => $blockStartingWith('first words').remove());
    await waitFor(async () => (await list()).length === 2, { message: 'no version after a deletion' });
    // (Nothing is left: the canonical Markdown of empty notes is empty.)
    expect((await read((await list())[1]!.id)) ?? '').not.toContain('first words');
    notetaker.destroy();
  });

  it('keeps the version once the database can write again, without anyone typing more', async () => {
    const server = await startServer({ versionPauseMs: 100, versionEveryMs: 3_600_000 });
    servers.push(server);
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin, { title: 'Auto', startDate: '2020-11-17' });
    const base = `/api/meetings/${meeting.id}/sessions/${meeting.sessions[0]!.id}/versions`;
    const list = async () => (await api<VersionList>(server, 'GET', base, { cookie: admin.cookie })).body.versions;
    // The database refuses versions as a full disk would, counting the attempts.
    let attempts = 0;
    server.app.db.function('version_attempted', () => ++attempts);
    server.app.db.exec("CREATE TRIGGER refuse_versions BEFORE INSERT ON note_versions BEGIN SELECT version_attempted(); SELECT RAISE(ABORT, 'database or disk is full'); END");
    const notetaker = connectNotetaker(server.collabUrl, meeting.sessions[0]!.doc, linkToken(meeting, 'notetaker'));
    await notetaker.synced();
    await waitFor(() => notetaker.client.doc.get('root', Y.XmlText).length > 0, { message: 'not seeded' });
    type(notetaker, 'words typed while the disk was full');
    // Tried again after a pause while the database still refuses, though nobody types.
    await waitFor(() => attempts >= 2, { message: 'no version was attempted again' });
    expect(await list()).toEqual([]);

    server.app.db.exec('DROP TRIGGER refuse_versions');
    await waitFor(async () => (await list()).length === 1, { message: 'the version was never kept once the database could write' });
    const [kept] = await list();
    expect((await api<string>(server, 'GET', `${base}/${kept!.id}`, { cookie: admin.cookie })).body).toContain('words typed while the disk was full');
    notetaker.destroy();
  });

  it('keeps one when the last notetaker leaves and the document unloads with changes', async () => {
    const { server, admin, meeting, list, read, notetaker } = await typeIntoNewMeeting({ versionPauseMs: 3_600_000, versionEveryMs: 3_600_000 }, 'words before leaving');
    await waitFor(async () => (await api<string>(server, 'GET', `/api/meetings/${meeting.id}/notes`, { cookie: admin.cookie })).body.includes('words before leaving'), {
      message: 'words never reached the server',
    });
    expect(await list()).toEqual([]);
    notetaker.destroy();
    await waitFor(async () => (await list()).length === 1, { message: 'no version when the document unloaded' });
    expect(await read((await list())[0]!.id)).toContain('words before leaving');
  });
});

describe('a table in a version', () => {
  let server: TestServer;
  let admin: Account;
  let meeting: CreatedMeeting;
  let ann: Notetaker;
  let ben: Notetaker;

  beforeAll(async () => {
    server = await startServer({ versionPauseMs: 3_600_000, versionEveryMs: 3_600_000 });
    admin = await setupAdmin(server);
    meeting = await createMeeting(server, admin, { title: 'DMLT tables', startDate: '2020-11-17' });
    const doc = meeting.sessions[0]!.doc;
    ann = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'), { name: 'Ann Lee' });
    ben = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'), { name: 'Ben Ode' });
    await ann.synced();
    await ben.synced();
  });

  afterAll(async () => {
    ann?.destroy();
    ben?.destroy();
    await server?.close();
  });

  it('reads its cells apart, each author’s words their own, and a restore brings it back with them', async () => {
    const base = `/api/meetings/${meeting.id}/sessions/${meeting.sessions[0]!.id}/versions`;
    const cell = (text: string) => $createTableCellNode().append($createParagraphNode().append(...(text ? [$createTextNode(text)] : [])));
    ann.edit(() => $getRoot().append($createTableNode().append($createTableRowNode().append(cell('Site'), cell('Owner')), $createTableRowNode().append(cell('Summit'), cell('')))));
    await waitFor(() => ben.blocks().some((b) => b.type === 'table'), { message: 'the table never reached Ben' });
    // Ben fills the empty cell, and writes a second line in Ann's.
    ben.edit(() => {
      const table = $getRoot().getChildren().find($isTableNode)!;
      const [, second] = table.getChildren() as TableRowNode[];
      const [summit, empty] = second!.getChildren() as TableCellNode[];
      (empty!.getFirstChild() as ElementNode).append($createTextNode('Ben Ode'));
      summit!.append($createParagraphNode().append($createTextNode('Chile')));
    });
    const text = 'Site\tOwner\nSummit Chile\tBen Ode';
    await waitFor(() => ann.blocks().some((b) => b.text === text), { message: 'Ben’s cells never reached Ann' });

    const named = (await api<Version>(server, 'POST', base, { cookie: admin.cookie, body: { name: 'with the table' } })).body;
    const authorsOf = async (versionId: string) => {
      const content = (await api<VersionContent>(server, 'GET', `${base}/${versionId}?format=json`, { cookie: admin.cookie })).body;
      const table = content.blocks.find((b) => b.type === 'table')!;
      expect(table.text).toBe(text);
      expect(table.runs.map((r) => r.text).join('')).toBe(text);
      return table.runs.filter((r) => r.author !== null).map((r) => `${r.text.trim()}: ${content.authors[r.author!]!.name}`);
    };
    const expected = ['Site: Ann Lee', 'Owner: Ann Lee', 'Summit: Ann Lee', 'Chile: Ben Ode', 'Ben Ode: Ben Ode'];
    expect(await authorsOf(named.id)).toEqual(expected);
    expect((await api<string>(server, 'GET', `${base}/${named.id}?format=md`, { cookie: admin.cookie })).body).toContain('| Site | Owner |\n| --- | --- |\n| Summit<br>Chile | Ben Ode |');

    // The table deleted, then restored: it comes back, its words still their authors'.
    ann.edit(() => $getRoot().getChildren().find($isTableNode)!.remove());
    await waitFor(() => !ben.blocks().some((b) => b.type === 'table'), { message: 'the deletion never reached Ben' });
    const restored = (await api<Version>(server, 'POST', `${base}/${named.id}/restore`, { cookie: admin.cookie })).body;
    await waitFor(() => ben.blocks().some((b) => b.text === text), { message: 'the restored table never reached Ben' });
    expect(await authorsOf(restored.id)).toEqual(expected);
  });
});
