// The server under a hostile client or a hostile page: each finding of the abuse probe (issue
// "Faults and abuse") as a test that failed before the fix.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import ical from 'node-ical';
import { startServer, type TestServer } from '../helpers/server.js';
import { closeCodes, connectProvider, connectRaw, type RawClient } from '../helpers/clients.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin } from './support/api.js';
import { admitted, connectAs } from './support/collab.js';
import { encodeAwareness, encodeAwarenessEntries, encodeSyncStep1, encodeUpdate } from '../../shared/protocol/index.js';
import { APP_CSP } from '../../server/plugins/http-hardening.js';

let server: TestServer | null = null;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server?.close();
  server = null;
});

function raw(doc: string, query = ''): RawClient {
  const client = connectRaw(server!.collabUrl, doc, { query });
  cleanups.push(() => client.close());
  return client;
}

function presence(clientId: number, state: string): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries([{ clientId, clock: 1, state }]));
}

describe('sockets', () => {
  it('closes TCP connections that never finish an HTTP request or upgrade', async () => {
    server = await startServer({ handshakeTimeoutMs: 300, openDocuments: true });
    const { port } = new URL(server.url);
    const sockets = Array.from({ length: 30 }, (_, i) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      // Some say nothing at all, some start a request and never finish its headers.
      if (i % 3 === 0) socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      cleanups.push(() => socket.destroy());
      return socket;
    });
    const closed = new Set<net.Socket>();
    for (const socket of sockets) socket.on('close', () => closed.add(socket));
    // Meanwhile an upgraded collaboration socket stays, and requests are answered.
    const client = connectProvider(server.collabUrl, 'kept');
    cleanups.push(() => client.destroy());
    await client.synced();
    await waitFor(() => closed.size === sockets.length, { timeout: 60_000, message: 'every silent socket closed' });
    expect(client.provider.wsconnected).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('refuses collaboration connections past the limit per address and per share link, finally, with a reason', async () => {
    server = await startServer({ maxConnectionsPerAddress: 6, maxConnectionsPerCredential: 3 });
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin);
    const doc = meeting.sessions[0]!.doc;
    const follower = linkToken(meeting, 'follower');
    const withLink = Array.from({ length: 3 }, () => connectAs(server!.collabUrl, doc, { token: follower }));
    for (const client of withLink) cleanups.push(() => client.close());
    await Promise.all(withLink.map(admitted));
    const fourth = connectAs(server.collabUrl, doc, { token: follower });
    cleanups.push(() => fourth.close());
    const refusal = await fourth.closed;
    expect(refusal.code).toBe(4429);
    expect(refusal.reason).toMatch(/too many connections with this link/);
    // Another link still gets in, up to the per-address ceiling.
    const notetaker = linkToken(meeting, 'notetaker');
    const others = Array.from({ length: 3 }, () => connectAs(server!.collabUrl, doc, { token: notetaker }));
    for (const client of others) cleanups.push(() => client.close());
    await Promise.all(others.map(admitted));
    const seventh = connectAs(server.collabUrl, doc, { token: notetaker });
    cleanups.push(() => seventh.close());
    const flood = await seventh.closed;
    expect(flood.code).toBe(4429);
    expect(flood.reason).toMatch(/from your address/);
    // A closed connection frees its place.
    withLink[0]!.close();
    await withLink[0]!.closed;
    await waitFor(async () => {
      const again = connectAs(server!.collabUrl, doc, { token: follower });
      cleanups.push(() => again.close());
      try {
        await admitted(again);
        return true;
      } catch {
        return false;
      }
    }, { message: 'a place is free again' });
  });
});

describe('behind a reverse proxy', () => {
  function viaProxy(doc: string, client: string): RawClient {
    const socket = connectRaw(server!.collabUrl, doc, { headers: { 'x-forwarded-for': client } });
    cleanups.push(() => socket.close());
    return socket;
  }

  it('counts sockets per client address the trusted proxy forwards, and ignores the header from anyone else', async () => {
    server = await startServer({ openDocuments: true, maxConnectionsPerAddress: 2, trustProxy: ['127.0.0.1'] });
    // Two people behind the proxy (which is at 127.0.0.1): each gets their own allowance.
    const people = [viaProxy('shared', '203.0.113.7'), viaProxy('shared', '203.0.113.7'), viaProxy('shared', '198.51.100.9'), viaProxy('shared', '198.51.100.9')];
    await Promise.all(people.map(admitted));
    const third = await viaProxy('shared', '203.0.113.7').closed;
    expect(third.code).toBe(4429);
    expect(third.reason).toMatch(/from your address/);
    // The HTTP side reads the same address: the login throttle (20 failures per address) holds
    // back the one guessing, not the other person behind the same proxy.
    const guess = (from: string, n: number) =>
      api(server!, 'POST', '/api/login', { body: { email: `guess${n}@example.org`, password: 'wrong password' }, headers: { 'x-forwarded-for': from } });
    const statuses: number[] = [];
    for (let n = 0; n < 21; n++) statuses.push((await guess('203.0.113.7', n)).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await guess('198.51.100.9', 99)).status).toBe(401);
    await server.close();

    // Without TRUST_PROXY the header means nothing: everyone here is 127.0.0.1.
    server = await startServer({ openDocuments: true, maxConnectionsPerAddress: 2 });
    await Promise.all([viaProxy('shared', '203.0.113.7'), viaProxy('shared', '198.51.100.9')].map(admitted));
    const spoofed = await viaProxy('shared', '192.0.2.1').closed;
    expect(spoofed.code).toBe(4429);
  });
});

describe('presence', () => {
  it('closes a connection that publishes a huge presence state, and relays none of it', async () => {
    server = await startServer({ openDocuments: true });
    const watcher = raw('room');
    const attacker = raw('room');
    await Promise.all([admitted(watcher), admitted(attacker)]);
    attacker.send(presence(4242, JSON.stringify({ user: { name: 'x'.repeat(7 * 1024 * 1024) } })));
    const closed = await attacker.closed;
    expect(closed.code).toBe(4413);
    expect(closed.reason).toMatch(/presence state over/);
    // The watcher was never sent it (a round trip shows everything before it arrived).
    watcher.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(() => watcher.messages.some((m) => m.type === 0 && m.step === 1), { message: 'the round trip' });
    expect(watcher.messages.some((m) => m.type === 1 && m.payload.byteLength > 10_000)).toBe(false);
  });

  it('closes a connection that floods presence updates', async () => {
    server = await startServer({ openDocuments: true, awarenessPerSecond: 5 });
    const attacker = raw('room');
    await admitted(attacker);
    // Far beyond what a page does: past the burst, each is dropped at a tenth, until the debt is
    // five seconds' worth too.
    for (let clock = 1; clock <= 1_000; clock++) {
      attacker.send(encodeAwareness(encodeAwarenessEntries([{ clientId: 77, clock, state: '{"cursor":1}' }])));
    }
    const closed = await attacker.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/presence updates too frequent/);
  });

  it("closes a connection that floods the server with the others' presence sent back", async () => {
    server = await startServer({ openDocuments: true, awarenessPerSecond: 5 });
    const peer = raw('room');
    const attacker = raw('room');
    await Promise.all([admitted(peer), admitted(attacker)]);
    peer.send(presence(55, '{"cursor":1}'));
    await waitFor(() => attacker.messages.some((m) => m.type === 1), { message: "the peer's presence reaches the attacker" });
    // The peer's own state, sent back over and over: never the attacker's, and never news.
    const echo = presence(55, '{"cursor":1}');
    for (let i = 0; i < 2_000; i++) attacker.send(echo);
    const closed = await attacker.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/presence updates too frequent/);
  });

  it("counts only a client's own presence against its limit, not the others' that it sends back", async () => {
    // y-websocket's provider sends the server every presence change it is sent (its awareness
    // handler does not look at where a change came from), so in a meeting each page sends back
    // everyone else's caret moves: with several notetakers typing, far more than its own.
    server = await startServer({ openDocuments: true, awarenessPerSecond: 2 });
    const peers = Array.from({ length: 4 }, () => connectProvider(server!.collabUrl, 'echoes'));
    for (const peer of peers) cleanups.push(() => peer.destroy());
    const codes = peers.map((peer) => closeCodes(peer));
    await Promise.all(peers.map((peer) => peer.synced()));
    // Each moves its caret four times, in turn, every move seen by the others before the next:
    // five messages of its own each (its presence on connecting, then the moves), within the
    // burst of ten, and about fifteen of the others' sent back.
    for (let move = 1; move <= 4; move++) {
      for (const [i, peer] of peers.entries()) {
        peer.provider.awareness.setLocalStateField('caret', move);
        await waitFor(
          () => peers.every((other) => other === peer || (other.provider.awareness.getStates().get(peer.doc.clientID) as { caret?: number } | undefined)?.caret === move),
          { message: `move ${move} of peer ${i} not seen by all` },
        );
      }
    }
    expect(codes.flat()).toEqual([]);
  });
});

describe('memory', () => {
  it('drops readers that stopped reading before their unsent data outgrows the ceiling', async () => {
    const ceiling = 24 * 1024 * 1024;
    server = await startServer({ openDocuments: true, maxBufferedTotalBytes: ceiling, maxBufferedBytes: 8 * 1024 * 1024 });
    // A big document: 6 MB of text.
    const writer = connectProvider(server.collabUrl, 'big');
    cleanups.push(() => writer.destroy());
    await writer.synced();
    writer.doc.getText('t').insert(0, 'x'.repeat(6 * 1024 * 1024));
    await waitFor(() => (server!.app.collab.get('big')?.doc.getText('t').length ?? 0) > 0, { message: 'the server has it' });
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, server!.app.collab.bufferedBytes)), 5);
    cleanups.push(() => clearInterval(watch));
    // Twelve readers join, ask for the document as any client does, and never read a byte.
    const paused = Array.from({ length: 12 }, () => {
      const ws = new WebSocket(`${server!.collabUrl}/big`);
      ws.on('open', () => {
        ws.send(encodeSyncStep1(new Uint8Array([0])));
        (ws as unknown as { _socket: net.Socket })._socket.pause();
      });
      cleanups.push(() => ws.terminate());
      return ws;
    });
    const closed = paused.map((ws) => new Promise<void>((resolve) => ws.on('close', () => resolve())));
    // The writer keeps typing: every relay finds the paused readers stalled.
    for (let i = 0; i < 20; i++) writer.doc.getText('t').insert(0, `line ${i}\n`);
    const reader = connectProvider(server.collabUrl, 'big');
    cleanups.push(() => reader.destroy());
    await reader.synced();
    // Sizeable edits: the kernel's socket buffers can take a paused reader's first megabytes
    // (how many depends on the machine's load), so only what lands past them proves anything.
    const chunk = 'y'.repeat(256 * 1024);
    await waitFor(async () => {
      writer.doc.getText('t').insert(0, chunk);
      return server!.app.collab.stats().connections <= 2;
    }, { timeout: 120_000, interval: 200, message: 'the paused readers are dropped' });
    clearInterval(watch);
    // Never much over the ceiling (one document's worth at most) while they were held.
    expect(peak).toBeLessThanOrEqual(ceiling + 8 * 1024 * 1024);
    void closed;
    // A reader that reads got everything.
    await waitFor(() => reader.doc.getText('t').toString() === writer.doc.getText('t').toString(), { message: 'the reading client is in step' });
  });

  it('refuses an update that would take a document past its size limit, and the document stays usable', async () => {
    server = await startServer({ openDocuments: true, maxDocumentBytes: 256 * 1024 });
    const writer = raw('capped');
    const reader = connectProvider(server.collabUrl, 'capped');
    cleanups.push(() => reader.destroy());
    await Promise.all([admitted(writer), reader.synced()]);
    const big = new Y.Doc();
    big.getText('t').insert(0, 'y'.repeat(400 * 1024));
    writer.send(encodeUpdate(Y.encodeStateAsUpdate(big)));
    const closed = await writer.closed;
    expect(closed.code).toBe(4413);
    expect(closed.reason).toMatch(/size limit/);
    expect(server.app.collab.get('capped')!.doc.getText('t').length).toBe(0);
    reader.doc.getText('t').insert(0, 'small edits still work');
    await waitFor(() => server!.app.collab.get('capped')!.doc.getText('t').toString() === 'small edits still work', { message: 'a small edit is taken' });
  });
});

describe('HTTP', () => {
  it('counts every login attempt before checking it: a hundred at once do not all get a guess', async () => {
    // The throttle's clock stands still: however long a busy machine takes over the hundred, its delay does not pass.
    server = await startServer({}, undefined, { loginClock: () => 1_000_000 });
    const admin = await setupAdmin(server);
    const attempts = Array.from({ length: 100 }, () => api(server!, 'POST', '/api/login', { body: { email: admin.user.email, password: 'guess' } }));
    attempts.push(api(server, 'POST', '/api/login', { body: { email: admin.user.email, password: admin.password } }));
    const answers = await Promise.all(attempts);
    const statuses = answers.map((a) => a.status);
    // Five free attempts for one e-mail, then 429: the right password sent among them is refused too.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses[statuses.length - 1]).toBe(429);
  });

  it('escapes the meeting title in iCalendar exports: a title cannot add events', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const title = 'Evil\r\nBEGIN:VEVENT\r\nUID:fake@evil\r\nSUMMARY:Wire money\r\nDTSTART:20301010T100000Z\r\nEND:VEVENT\r\nX-A:';
    const created = await api(server, 'POST', '/api/meetings', { cookie: admin.cookie, body: { title: 'placeholder', startDate: '2030-01-07', attendees: [] } });
    // The title goes in through PATCH too (some routes trim, none strips line breaks).
    await api(server, 'PATCH', `/api/meetings/${created.body.id}`, { cookie: admin.cookie, body: { title } });
    for (const path of [`/api/meetings/${created.body.id}/actions?format=ics`, `/api/meetings/${created.body.id}/past-actions?format=ics`]) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: admin.cookie } });
      const text = await response.text();
      if (response.status !== 200) continue;
      const parsed = ical.sync.parseICS(text);
      expect(Object.values(parsed).filter((c) => (c as { type?: string }).type === 'VEVENT')).toEqual([]);
      expect(text).not.toMatch(/\r\nBEGIN:VEVENT/);
    }
  });

  it('refuses deeply nested JSON and oversized agendas with a 400 that names the limit, without stalling', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const deep = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(999_990) });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: string }).error).toMatch(/nested deeper than 32/);
    const items = Array.from({ length: 100 }, (_, i) => ({ topic: `item ${i}` }));
    const agenda = Array.from({ length: 11 }, (_, d) => ({ date: `2030-01-${String(7 + d).padStart(2, '0')}`, blocks: [{ items }] }));
    const huge = await api(server, 'POST', '/api/meetings', { cookie: admin.cookie, body: { title: 'huge', startDate: '2030-01-07', endDate: '2030-01-17', attendees: [], agenda } });
    expect(huge.status).toBe(400);
    expect(huge.body.error).toMatch(/at most 1000 items/);
    const tooManyItems = await api(server, 'POST', '/api/meetings', { cookie: admin.cookie, body: { title: 'wide', startDate: '2030-01-07', attendees: [], agenda: [{ date: '2030-01-07', blocks: [{ items: Array.from({ length: 101 }, (_, i) => ({ topic: `t${i}` })) }] }] } });
    expect(tooManyItems.status).toBe(400);
    expect(tooManyItems.body.error).toMatch(/items/);
    // The server answers at once afterwards.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('sends security headers, serves only its own host names, answers a bad path with 400 and no source maps', async () => {
    server = await startServer({ serveClient: true });
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    if ((page.headers.get('content-type') ?? '').startsWith('text/html')) expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toContain("script-src 'self' 'unsafe-inline'");
    const api404 = await fetch(`${server.url}/api/nothing-here`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get('x-content-type-options')).toBe('nosniff');

    // A DNS-rebinding page: its own name in Host (and a matching Origin).
    const rebound = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ email: 'x@evil.example', password: 'long enough password', name: 'X' });
      const request = http.request(`${server!.url}/api/setup`, { method: 'POST', headers: { host: 'evil.example', origin: 'http://evil.example', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(rebound).toBe(421);
    expect((await api(server, 'GET', '/api/setup')).body.needed).toBe(true);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(server!.url).port), '127.0.0.1', () => {
        socket.write('GET /collab/x HTTP/1.1\r\nHost: evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => {
        expect(answer).toMatch(/^HTTP\/1\.1 421/);
        resolve();
      });
      cleanups.push(() => socket.destroy());
    });

    const nul = await fetch(`${server.url}/a%00b`);
    expect(nul.status).toBe(400);
    const mapPath = /src="\/(assets\/[^"]+\.js)"/.exec(await page.text().catch(() => ''))?.[1];
    if (mapPath) expect((await fetch(`${server.url}/${mapPath}.map`)).status).toBe(404);
  });
});
