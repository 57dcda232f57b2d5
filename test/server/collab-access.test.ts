import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { connectProvider, syncPayloads, type ProviderClient, type RawClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { CloseCode, encodeAwareness, encodeSyncStep2, encodeUpdate } from '../../shared/protocol/index.js';
import { sanitizeGuestName } from '../../server/plugins/collab-access.js';
import { addMember, api, createMeeting, linkToken, setupAdmin, type Account } from './support/api.js';
import { admitted, connectAs, controls, denials, isOpen, replicaOf, roundTrip, sendEdit } from './support/collab.js';

describe('collaboration access', () => {
  let server: TestServer;
  let owner: Account;
  let member: Account;
  const clients: Array<RawClient | ProviderClient> = [];
  const track = <T extends RawClient | ProviderClient>(client: T): T => {
    clients.push(client);
    return client;
  };
  const serverText = (doc: string) => server.app.collab.get(doc)?.doc.getText('t').toString();
  const storedRows = (doc: string) => (server.app.db.prepare('SELECT count(*) AS n FROM document_updates WHERE doc = ?').get(doc) as { n: number }).n;

  beforeAll(async () => {
    server = await startServer();
    owner = await setupAdmin(server);
    member = await addMember(server, owner, 'member@example.org', 'Mia Member');
  });
  afterEach(() => {
    for (const client of clients.splice(0)) {
      if ('destroy' in client) client.destroy();
      else client.close();
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('a follower receives everything and may publish presence, but its crafted updates change nothing', async () => {
    const meeting = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    const writer = track(connectProvider(server.collabUrl, doc, { params: { token: linkToken(meeting, 'notetaker') } }));
    await writer.synced();
    writer.doc.getText('t').insert(0, 'hello');
    await waitFor(() => serverText(doc) === 'hello' && storedRows(doc) > 0);
    const observer = track(connectProvider(server.collabUrl, doc, { params: { token: linkToken(meeting, 'follower') } }));
    await observer.synced();
    await waitFor(() => observer.doc.getText('t').toString() === 'hello');
    const observed: Uint8Array[] = [];
    observer.doc.on('update', (update: Uint8Array) => observed.push(update));
    const rowsBefore = storedRows(doc);

    const follower = track(connectAs(server.collabUrl, doc, { token: linkToken(meeting, 'follower') }));
    await admitted(follower);
    await roundTrip(follower);
    expect(replicaOf(follower).getText('t').toString()).toBe('hello');

    // Edits on top of the real state (they would apply cleanly), and edits from nowhere.
    const replica = replicaOf(follower);
    const base = Y.encodeStateVector(replica);
    replica.getText('t').insert(5, ' EVIL');
    const onTop = Y.encodeStateAsUpdate(replica, base);
    const stranger = new Y.Doc();
    stranger.getText('t').insert(0, 'FORGED');
    stranger.getMap('m').set('k', 'v');
    const fromNowhere = Y.encodeStateAsUpdate(stranger);
    for (const frame of [encodeSyncStep2(onTop), encodeUpdate(onTop), encodeSyncStep2(fromNowhere), encodeUpdate(fromNowhere)]) follower.send(frame);
    // Its own presence is allowed and relayed.
    const presence = new awarenessProtocol.Awareness(replica);
    presence.setLocalState({ user: { name: 'Fay Follower' } });
    follower.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(presence, [replica.clientID])));
    await roundTrip(follower);

    expect(denials(follower)).toContain('followers are read-only');
    expect(isOpen(follower)).toBe(true);
    expect(serverText(doc)).toBe('hello');
    expect(server.app.collab.get(doc)!.doc.getMap('m').size).toBe(0);
    expect(storedRows(doc)).toBe(rowsBefore);
    await waitFor(() => (observer.provider.awareness.getStates().get(replica.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Fay Follower');

    // A later real edit reaches everyone, and nobody ever received the follower's.
    writer.doc.getText('t').insert(5, '!');
    await waitFor(() => observer.doc.getText('t').toString() === 'hello!');
    await waitFor(() => replicaOf(follower).getText('t').toString() === 'hello!');
    expect(observed).toHaveLength(1);
    expect(writer.doc.getText('t').toString()).toBe('hello!');
    expect(observer.doc.getMap('m').size).toBe(0);
    expect(storedRows(doc)).toBe(rowsBefore + 1);
    const everything = Y.mergeUpdates(syncPayloads(follower));
    expect(Buffer.from(everything).includes(Buffer.from('EVIL'))).toBe(false);
    presence.destroy();
  });

  it('rotating a link cuts off the connections that used the old token, and only those', async () => {
    const meeting = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    const notetakerLink = meeting.links.find((l) => l.role === 'notetaker')!;
    const oldToken = notetakerLink.token;
    const viaQuery = track(connectAs(server.collabUrl, doc, { token: oldToken }));
    const viaBearer = track(connectAs(server.collabUrl, doc, { bearer: oldToken }));
    const follower = track(connectAs(server.collabUrl, doc, { token: linkToken(meeting, 'follower') }));
    const viaCookie = track(connectAs(server.collabUrl, doc, { cookie: member.cookie }));
    await Promise.all([viaQuery, viaBearer, follower, viaCookie].map(admitted));
    const provider = track(connectProvider(server.collabUrl, doc, { params: { token: oldToken } }));
    await provider.synced();

    const rotated = await api(server, 'POST', `/api/meetings/${meeting.id}/links/${notetakerLink.id}/rotate`, { cookie: owner.cookie });
    expect(rotated.status).toBe(200);
    expect(await viaQuery.closed).toEqual({ code: CloseCode.Forbidden, reason: 'share link rotated' });
    expect(await viaBearer.closed).toEqual({ code: CloseCode.Forbidden, reason: 'share link rotated' });
    await waitFor(() => !provider.provider.wsconnected, { message: 'the stock client stayed connected' });
    await roundTrip(follower);
    await roundTrip(viaCookie);
    expect(isOpen(follower) && isOpen(viaCookie)).toBe(true);

    const again = track(connectAs(server.collabUrl, doc, { token: oldToken }));
    expect(await again.closed).toEqual({ code: CloseCode.Forbidden, reason: 'unknown share token' });
    const fresh = track(connectAs(server.collabUrl, doc, { token: rotated.body.token }));
    await admitted(fresh);
    sendEdit(fresh, 'new token writes');
    await waitFor(() => serverText(doc) === 'new token writes');
  });

  it('revoking a link closes its connections at once; a revoked token is refused', async () => {
    const meeting = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    const link = meeting.links.find((l) => l.role === 'follower')!;
    const client = track(connectAs(server.collabUrl, doc, { token: link.token }));
    await admitted(client);
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/links/${link.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect(await client.closed).toEqual({ code: CloseCode.Forbidden, reason: 'share link revoked' });
    const later = track(connectAs(server.collabUrl, doc, { token: link.token }));
    expect(await later.closed).toEqual({ code: CloseCode.Forbidden, reason: 'this share link was revoked' });
  });

  it('closing a meeting makes live connections read-only (they stay and are told); reopening restores writers only', async () => {
    const meeting = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    const notetaker = track(connectAs(server.collabUrl, doc, { token: linkToken(meeting, 'notetaker') }));
    const ownerConn = track(connectAs(server.collabUrl, doc, { cookie: owner.cookie }));
    const follower = track(connectAs(server.collabUrl, doc, { token: linkToken(meeting, 'follower') }));
    await Promise.all([notetaker, ownerConn, follower].map(admitted));
    sendEdit(notetaker, 'minutes.');
    await waitFor(() => serverText(doc) === 'minutes.');

    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/close`, { cookie: owner.cookie })).status).toBe(200);
    for (const client of [notetaker, ownerConn]) {
      await waitFor(() => controls(client).some((c) => c.type === 'access' && c.readOnly === true && c.reason === 'meeting closed'));
      expect(denials(client)).toContain('meeting closed');
    }
    // The follower was read-only already: its access does not change, so no access message;
    // it is told the meeting changed, as every page of it is, and reads that it is closed.
    await waitFor(() => controls(follower).some((c) => c.type === 'meeting'));
    expect(controls(follower)).toEqual([{ type: 'meeting', changed: 'details' }]);

    sendEdit(notetaker, ' late edit');
    sendEdit(ownerConn, ' owner edit');
    await roundTrip(notetaker);
    await roundTrip(ownerConn);
    expect(serverText(doc)).toBe('minutes.');
    expect(isOpen(notetaker) && isOpen(ownerConn) && isOpen(follower)).toBe(true);

    // Connecting to a closed meeting: admitted, read-only.
    const lateComer = track(connectAs(server.collabUrl, doc, { cookie: member.cookie }));
    await admitted(lateComer);
    sendEdit(lateComer, ' member edit');
    await roundTrip(lateComer);
    expect(denials(lateComer)).toEqual(['meeting closed']);
    expect(serverText(doc)).toBe('minutes.');

    expect((await api(server, 'POST', `/api/meetings/${meeting.id}/reopen`, { cookie: owner.cookie })).status).toBe(200);
    for (const client of [notetaker, ownerConn, lateComer]) {
      await waitFor(() => controls(client).some((c) => c.type === 'access' && c.readOnly === false));
    }
    expect(controls(follower).filter((c) => c.type === 'access')).toEqual([]);
    sendEdit(lateComer, ' reopened');
    await waitFor(() => serverText(doc) === 'minutes. reopened');
    sendEdit(follower, ' follower edit');
    await roundTrip(follower);
    expect(denials(follower)).toEqual(['followers are read-only']);
    expect(serverText(doc)).toBe('minutes. reopened');
  });

  it('refuses before sending any document data: no credentials 4401, foreign-origin cookies, unknown documents 4404', async () => {
    const meeting = await createMeeting(server, owner);
    const other = await createMeeting(server, owner);
    const doc = meeting.sessions[0]!.doc;
    const cases: Array<[string, ReturnType<typeof connectAs>, { code: number; reason: string }]> = [
      ['nothing presented', connectAs(server.collabUrl, doc, {}), { code: CloseCode.Unauthorized, reason: 'sign in or present a share token' }],
      ['a cookie sent from a foreign page', connectAs(server.collabUrl, doc, { cookie: member.cookie, origin: 'https://evil.example.com' }), { code: CloseCode.Unauthorized, reason: 'sign in or present a share token' }],
      ['another meeting’s link', connectAs(server.collabUrl, doc, { token: linkToken(other, 'notetaker') }), { code: CloseCode.Forbidden, reason: 'this share link is for another meeting' }],
      ['an unknown session', connectAs(server.collabUrl, 'session-AAAAAAAAAAAAAAAAAAAAAA', { cookie: member.cookie }), { code: CloseCode.NotFound, reason: 'unknown document' }],
      ['a document of no meeting', connectAs(server.collabUrl, 'scratch-pad', { cookie: member.cookie }), { code: CloseCode.NotFound, reason: 'unknown document' }],
    ];
    for (const [label, client, expected] of cases) {
      track(client);
      expect(await client.closed, label).toEqual(expected);
      expect(client.messages, label).toEqual([]);
    }
    const sameOrigin = track(connectAs(server.collabUrl, doc, { cookie: member.cookie, origin: server.url }));
    await admitted(sameOrigin);
  });

  it('deleting a meeting closes its live connections', async () => {
    const meeting = await createMeeting(server, owner);
    const client = track(connectAs(server.collabUrl, meeting.sessions[0]!.doc, { token: linkToken(meeting, 'notetaker') }));
    await admitted(client);
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}`, { cookie: owner.cookie })).status).toBe(204);
    expect(await client.closed).toEqual({ code: CloseCode.NotFound, reason: 'meeting deleted' });
  });

  it('keeps a guest’s chosen display name printable and short', () => {
    expect(sanitizeGuestName(null)).toBe('Guest');
    expect(sanitizeGuestName('  \u0000\u202e  ')).toBe('Guest');
    expect(sanitizeGuestName('Fay\n  Follower\u0007')).toBe('Fay Follower');
    expect(sanitizeGuestName('x'.repeat(100))).toHaveLength(60);
  });
});

describe('documents of no meeting', () => {
  it('are open to anyone only with openDocuments (core tests and benchmarks)', async () => {
    const open = await startServer({ openDocuments: true });
    try {
      const client = connectAs(open.collabUrl, 'scratch-pad', {});
      await admitted(client);
      sendEdit(client, 'anyone');
      await waitFor(() => open.app.collab.get('scratch-pad')?.doc.getText('t').toString() === 'anyone');
      client.close();
      const meetingDoc = connectAs(open.collabUrl, 'session-AAAAAAAAAAAAAAAAAAAAAA', {});
      expect((await meetingDoc.closed).code).toBe(CloseCode.Unauthorized);
    } finally {
      await open.close();
    }
  });
});
