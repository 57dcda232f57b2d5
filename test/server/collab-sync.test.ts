import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closeCodes, connectProvider, connectRaw, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { decodeAwarenessEntries, decodeMessage, MessageType } from '../../shared/protocol/index.js';
import { announcePresenceOnReconnect, keepPresenceFresh, sendOwnPresenceOnly } from '../../client/collab/own-presence.js';
import WebSocket from 'ws';
import type { Duplex } from 'node:stream';

/** Deterministic PRNG so a failing interleaving can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEdit(doc: Y.Doc, random: () => number, label: string): void {
  const text = doc.getText('notes');
  const list = doc.getArray<string>('items');
  const roll = random();
  if (roll < 0.55 || text.length === 0) {
    text.insert(Math.floor(random() * (text.length + 1)), `${label}${Math.floor(random() * 100)} `);
  } else if (roll < 0.75) {
    const at = Math.floor(random() * text.length);
    text.delete(at, Math.min(3, text.length - at));
  } else if (roll < 0.92 || list.length === 0) {
    list.insert(Math.floor(random() * (list.length + 1)), [label]);
  } else {
    list.delete(Math.floor(random() * list.length), 1);
  }
}

const content = (doc: Y.Doc) => JSON.stringify({ notes: doc.getText('notes').toString(), items: doc.getArray('items').toJSON() });

describe('collaboration: sync and presence', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  const client = (doc: string) => {
    const c = connectProvider(server.collabUrl, doc);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startServer({ openDocuments: true });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
  });

  it.each([3, 5])('%i clients making concurrent random edits converge; a late joiner gets the full state', async (count) => {
    const random = prng(count * 7919);
    const peers = Array.from({ length: count }, () => client('converge'));
    await Promise.all(peers.map((p) => p.synced()));
    for (let round = 0; round < 40; round++) {
      peers.forEach((peer, i) => randomEdit(peer.doc, random, `c${i}r${round}`));
      if (round % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => peers.every((p) => content(p.doc) === content(peers[0]!.doc)), { message: 'clients did not converge' });
    expect(peers[0]!.doc.getText('notes').length).toBeGreaterThan(0);

    const late = client('converge');
    await late.synced();
    await waitFor(() => content(late.doc) === content(peers[0]!.doc), { message: 'late joiner lacks state' });
    // The server's own copy is the same content too.
    const room = server.app.collab.get('converge')!;
    expect(content(room.doc)).toBe(content(peers[0]!.doc));
  });

  it('sends a client reconnecting to a long meeting with all but its last edits less than 1 KB', async () => {
    const typist = client('long');
    await typist.synced();
    const text = typist.doc.getText('notes');
    const prose = 'the vendor confirmed delivery of the validation kits by the end of the month; ';
    // Keystroke by keystroke, with a backspace now and then: a delete set of many ranges.
    for (let i = 0; i < 6_000; i++) {
      if (i % 9 === 8) text.delete(text.length - 1, 1);
      else text.insert(text.length, prose[i % prose.length]!);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const served = () => server.app.collab.get('long')!.doc.getText('notes').toString();
    await waitFor(() => served() === text.toString(), { message: 'the typing did not reach the server' });
    const held = new Y.Doc();
    Y.applyUpdate(held, Y.encodeStateAsUpdate(typist.doc));
    // While the other client is away: five keystrokes and a phrase deleted mid-notes.
    for (const letter of 'ACTN!') text.insert(text.length, letter);
    text.delete(2_000, 30);
    await waitFor(() => served() === text.toString(), { message: 'the last edits did not reach the server' });
    const standard = Y.encodeStateAsUpdate(server.app.collab.get('long')!.doc, Y.encodeStateVector(held));
    expect(standard.byteLength).toBeGreaterThan(1_500);

    let received = 0;
    class CountingSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.on('message', (data: Buffer) => (received += data.byteLength));
      }
    }
    const back = connectProvider(server.collabUrl, 'long', { doc: held, socket: CountingSocket as unknown as typeof WebSocket });
    clients.push(back);
    await back.synced();
    await waitFor(() => held.getText('notes').toString() === text.toString(), { message: 'the reconnected client lacks the last edits' });
    expect(received).toBeLessThan(1024);
  });

  it('shows presence to others and removes it for everyone when a client disconnects', async () => {
    const alice = client('presence');
    const bob = client('presence');
    await Promise.all([alice.synced(), bob.synced()]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    const aliceId = alice.doc.clientID;
    await waitFor(() => (bob.provider.awareness.getStates().get(aliceId) as { user?: { name: string } } | undefined)?.user?.name === 'Alice');

    // A newcomer sees existing presence straight away, and the server itself is not a participant.
    const carol = client('presence');
    await carol.synced();
    await waitFor(() => carol.provider.awareness.getStates().has(aliceId));
    const serverRoom = server.app.collab.get('presence')!;
    expect(serverRoom.awareness.getStates().has(serverRoom.doc.clientID)).toBe(false);

    alice.provider.disconnect();
    await waitFor(() => !bob.provider.awareness.getStates().has(aliceId) && !carol.provider.awareness.getStates().has(aliceId), {
      message: 'awareness not removed on disconnect',
    });
  });

  it('shows a client that reconnects again, though the others sent its removal back to the server', async () => {
    const [alice, bob, carol] = [client('back'), client('back'), client('back')];
    await Promise.all([alice.synced(), bob.synced(), carol.synced()]);
    const aliceId = alice.doc.clientID;
    const aliceSeenAs = (peer: ProviderClient) => (peer.provider.awareness.getStates().get(aliceId) as { user?: { name: string } } | undefined)?.user?.name;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => aliceSeenAs(bob) === 'Alice' && aliceSeenAs(carol) === 'Alice', { message: 'Alice never shown' });

    // A network blip: Alice's socket dies (no goodbye of hers), the server tells the others she
    // left, and their providers send that removal back (y-websocket sends the server every
    // presence change it gets). Her provider waits to reconnect until told to, below.
    alice.provider.shouldConnect = false;
    (alice.provider.ws as unknown as WebSocket).terminate();
    await waitFor(() => aliceSeenAs(bob) === undefined && aliceSeenAs(carol) === undefined, { message: 'Alice never removed' });
    // Whatever Bob and Carol sent before an edit of theirs has reached the server once the edit has.
    bob.doc.getText('t').insert(0, 'bob ');
    carol.doc.getText('t').insert(0, 'carol ');
    await waitFor(() => /bob/.test(server.app.collab.get('back')!.doc.getText('t').toString()) && /carol/.test(server.app.collab.get('back')!.doc.getText('t').toString()));

    // Same page, same Yjs client id: her presence is hers again, not whoever sent back her removal.
    alice.provider.connect();
    await alice.synced();
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice, back' });
    await waitFor(() => aliceSeenAs(bob) === 'Alice, back' && aliceSeenAs(carol) === 'Alice, back', { timeout: 15_000, message: 'Alice not shown after reconnecting' });
  });

  it("shows a page that reconnects at once, before its presence changes", async () => {
    const [alice, bob] = [client('blip'), client('blip')];
    for (const peer of [alice, bob]) {
      sendOwnPresenceOnly(peer.provider);
      announcePresenceOnReconnect(peer.provider);
    }
    // No renewal of her presence every 15 s either: only the reconnect can show her again.
    clearInterval((alice.provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    await Promise.all([alice.synced(), bob.synced()]);
    const aliceId = alice.doc.clientID;
    const aliceSeen = () => bob.provider.awareness.getStates().get(aliceId) as { user?: { name: string } } | undefined;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => aliceSeen()?.user?.name === 'Alice', { message: 'Alice never shown' });

    // A network blip: the server tells Bob she left.
    alice.provider.shouldConnect = false;
    (alice.provider.ws as unknown as WebSocket).terminate();
    await waitFor(() => aliceSeen() === undefined, { message: 'Alice never removed' });

    // Back, with the presence she had: no caret moved, no name changed.
    alice.provider.connect();
    await alice.synced();
    await waitFor(() => aliceSeen()?.user?.name === 'Alice', { message: 'Alice not shown after reconnecting' });
  });

  it("shows a page back on a new connection while its old one is silent, not yet closed by the server", async () => {
    // The server's heartbeat would drop the silent connection within a minute; here it never
    // does, so only the server's own check of the contested presence can end it.
    const quiet = await startServer({ openDocuments: true }, undefined, { heartbeatMs: 3_600_000 });
    const [alice, bob] = [connectProvider(quiet.collabUrl, 'roam'), connectProvider(quiet.collabUrl, 'roam')];
    let oldSocket: Duplex | null = null;
    try {
      for (const peer of [alice, bob]) {
        sendOwnPresenceOnly(peer.provider);
        announcePresenceOnReconnect(peer.provider);
      }
      clearInterval((alice.provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
      await Promise.all([alice.synced(), bob.synced()]);
      const aliceSeen = () => bob.provider.awareness.getStates().get(alice.doc.clientID) as { caret?: string } | undefined;
      alice.provider.awareness.setLocalStateField('caret', 'before');
      await waitFor(() => aliceSeen()?.caret === 'before', { message: 'Alice never shown' });

      // Her laptop changes networks: the old connection goes silent both ways (the server is told
      // nothing, and gets no answer to its pings), and her page dials a new one.
      const old = alice.provider.ws as unknown as WebSocket & { _socket: Duplex & { cork(): void } };
      oldSocket = old._socket;
      old._socket.pause();
      old._socket.cork();
      old.close = () => {};
      (old as unknown as { onclose: (event: { code: number; reason: string }) => void }).onclose({ code: 1006, reason: '' });
      await waitFor(() => alice.provider.wsconnected && alice.provider.ws !== (old as unknown), { message: 'Alice never reconnected' });
      await alice.synced();
      alice.provider.awareness.setLocalStateField('caret', 'after');
      await waitFor(() => aliceSeen()?.caret === 'after', { message: "Alice's caret frozen as her old connection left it" });
    } finally {
      alice.destroy();
      bob.destroy();
      oldSocket?.destroy();
      await quiet.close();
    }
  });

  it("keeps a page shown while its timers barely run (a hidden tab), renewing its presence as the server's messages come", async () => {
    const [follower, notetaker] = [client('hidden'), client('hidden')];
    keepPresenceFresh(follower.provider);
    await Promise.all([follower.synced(), notetaker.synced()]);
    follower.provider.awareness.setLocalStateField('user', { name: 'Finn' });
    const room = await waitFor(() => server.app.collab.get('hidden'));
    const clock = () => room.awareness.meta.get(follower.doc.clientID)?.clock ?? -1;
    await waitFor(() => room.awareness.getStates().has(follower.doc.clientID), { message: 'Finn never shown' });
    const before = clock();
    let removed = false;
    room.awareness.on('update', ({ removed: ids }: { removed: number[] }) => (removed ||= ids.includes(follower.doc.clientID)));

    // A browser runs a hidden tab's timers once a minute at most (Chrome's intensive throttling,
    // after five minutes hidden): the renewal every 15 s never comes, and every other
    // participant drops a state not renewed for 30 s. Here: no timer at all, and the last
    // renewal 20 s ago.
    const awareness = follower.provider.awareness;
    clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    awareness.meta.get(awareness.clientID)!.lastUpdated -= 20_000;
    // What the page still gets is the server's messages: a notetaker's keystroke, here.
    notetaker.doc.getText('t').insert(0, 'typed');
    await waitFor(() => clock() > before, { message: "Finn's presence not renewed" });
    // Renewed by the page, not put back after the server dropped it as outdated (which a
    // provider answers by sending its state anew: everyone would have seen Finn leave).
    expect(removed).toBe(false);
    expect((room.awareness.getStates().get(follower.doc.clientID) as { user: { name: string } }).user.name).toBe('Finn');
  });

  it("shows where a page's caret stopped when it moved faster than the presence limit (a key held down)", async () => {
    const [page, other] = [client('held'), client('held')];
    sendOwnPresenceOnly(page.provider);
    // No renewal every 15 s: only what the page sends as the caret moves can show where it stopped.
    clearInterval((page.provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    const closes = closeCodes(page);
    await Promise.all([page.synced(), other.synced()]);
    // Backspace held for a while: a caret move per repeat, and repeats come faster than
    // MAX_PRESENCE_PER_SECOND allows for long (its burst is five seconds' worth); here all at once.
    // Sent as they came, the server would drop those beyond the burst, the last one too.
    const moves = 200;
    for (let move = 1; move <= moves; move++) page.provider.awareness.setLocalStateField('caret', move);
    const seen = () => (other.provider.awareness.getStates().get(page.doc.clientID) as { caret?: number } | undefined)?.caret;
    await waitFor(() => seen() === moves, { message: 'the last caret never arrived' });
    expect(closes).toEqual([]);
  });

  it("drops a stock page's presence beyond the limit, and keeps the page connected", async () => {
    // A stock y-websocket provider sends every caret move as it comes: a key held down outruns
    // MAX_PRESENCE_PER_SECOND (30, with a burst of 150).
    const [page, other] = [client('stock-held'), client('stock-held')];
    const closes = closeCodes(page);
    await Promise.all([page.synced(), other.synced()]);
    for (let move = 1; move <= 400; move++) page.provider.awareness.setLocalStateField('caret', move);
    // Sent after them all, an edit reaches the server after them all.
    page.doc.getText('t').insert(0, 'after the moves');
    await waitFor(() => server.app.collab.get('stock-held')?.doc.getText('t').toString() === 'after the moves', { message: 'the edit after the moves never arrived' });
    expect(closes).toEqual([]);
    // The burst's worth went through.
    await waitFor(() => ((other.provider.awareness.getStates().get(page.doc.clientID) as { caret?: number } | undefined)?.caret ?? 0) >= 150, { message: 'the moves within the limit never arrived' });
  });

  it("sends the server a page's own presence only, where a stock provider sends back everyone's", async () => {
    const [page, other, stock] = [client('own'), client('own'), client('own')];
    for (const peer of [page, other]) sendOwnPresenceOnly(peer.provider);
    await Promise.all([page, other, stock].map((peer) => peer.synced()));
    /** The client ids in the presence frames a client sends from now on. */
    const sentIds = (peer: ProviderClient): Set<number> => {
      const ids = new Set<number>();
      const ws = peer.provider.ws!;
      const send = ws.send.bind(ws);
      ws.send = (data: ArrayBufferLike | ArrayBufferView | Blob | string) => {
        const message = decodeMessage(new Uint8Array(data as ArrayBuffer));
        if (message.type === MessageType.Awareness) for (const entry of decodeAwarenessEntries(message.payload)) ids.add(entry.clientId);
        send(data as ArrayBuffer);
      };
      return ids;
    };
    const [pageSent, otherSent, stockSent] = [page, other, stock].map(sentIds) as [Set<number>, Set<number>, Set<number>];
    // Each moves its caret in turn, each move seen by the two others before the next.
    for (let move = 1; move <= 3; move++) {
      for (const peer of [page, other, stock]) {
        peer.provider.awareness.setLocalStateField('caret', move);
        await waitFor(
          () => [page, other, stock].every((p) => p === peer || (p.provider.awareness.getStates().get(peer.doc.clientID) as { caret?: number } | undefined)?.caret === move),
          { message: `move ${move} not seen by all` },
        );
      }
    }
    expect([...pageSent]).toEqual([page.doc.clientID]);
    expect([...otherSent]).toEqual([other.doc.clientID]);
    expect(stockSent.has(page.doc.clientID)).toBe(true);
  });

  it('answers an awareness query with everyone present', async () => {
    const alice = client('query');
    await alice.synced();
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => server.app.collab.get('query')?.awareness.getStates().has(alice.doc.clientID));
    const raw = connectRaw(server.collabUrl, 'query');
    await raw.opened;
    raw.send(new Uint8Array([MessageType.QueryAwareness]));
    await waitFor(() => raw.messages.filter((m) => m.type === MessageType.Awareness).length >= 1);
    raw.close();
  });

  it('does not let one connection overwrite presence owned by another', async () => {
    const alice = client('spoof');
    await alice.synced();
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    const room = await waitFor(() => server.app.collab.get('spoof'));
    await waitFor(() => room.awareness.getStates().has(alice.doc.clientID));

    const impostor = new Y.Doc();
    impostor.clientID = alice.doc.clientID;
    const mallory = connectProvider(server.collabUrl, 'spoof', { doc: impostor });
    clients.push(mallory);
    await mallory.synced();
    mallory.provider.awareness.setLocalStateField('user', { name: 'Mallory' });
    // Something else Mallory sends goes through, so the spoofed state has been processed by then.
    const probe = connectProvider(server.collabUrl, 'spoof');
    clients.push(probe);
    await probe.synced();
    await waitFor(() => probe.provider.awareness.getStates().has(alice.doc.clientID));
    const seen = probe.provider.awareness.getStates().get(alice.doc.clientID) as { user: { name: string } };
    expect(seen.user.name).toBe('Alice');
  });

  it('only asks a client that is there whether it is, when another connection claims its presence with a newer state', async () => {
    // No heartbeat pings here: any ping Alice gets is the server asking because of the claim.
    const quiet = await startServer({ openDocuments: true }, undefined, { heartbeatMs: 3_600_000 });
    const alice = connectProvider(quiet.collabUrl, 'claimed');
    let mallory: ProviderClient | null = null;
    try {
      await alice.synced();
      let pinged = 0;
      (alice.provider.ws as unknown as WebSocket).on('ping', () => pinged++);
      alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
      const room = await waitFor(() => quiet.app.collab.get('claimed'));
      await waitFor(() => room.awareness.getStates().has(alice.doc.clientID));
      const aliceConnection = [...room.connections].find((c) => c.awarenessIds.has(alice.doc.clientID))!;

      // Mallory's copy of Alice's id claims it with a newer clock than the room has.
      mallory = connectProvider(quiet.collabUrl, 'claimed', { doc: Object.assign(new Y.Doc(), { clientID: alice.doc.clientID }) });
      await mallory.synced();
      for (let move = 0; move < 5; move++) mallory.provider.awareness.setLocalStateField('user', { name: `Mallory ${move}` });
      await waitFor(() => pinged > 0, { message: 'Alice was never asked' });
      // Her socket answers at once: she stays connected, and herself.
      await waitFor(() => (aliceConnection.socket as unknown as { probing: unknown }).probing === null, { message: 'the question never settled' });
      expect(aliceConnection.isClosed).toBe(false);
      expect((room.awareness.getStates().get(alice.doc.clientID) as { user: { name: string } }).user.name).toBe('Alice');
    } finally {
      alice.destroy();
      mallory?.destroy();
      await quiet.close();
    }
  });

  it('keeps a lone writer connected: idle connections get a keep-alive before the client gives up', async () => {
    await server.close();
    server = await startServer({ openDocuments: true, keepAliveMs: 100 });
    const lone = client('lone');
    await lone.synced();
    let closes = 0;
    lone.provider.on('connection-close', () => closes++);
    // Typing alone is never echoed back; only the keep-alive tells the client the server is there.
    for (let keystroke = 0; keystroke < 10; keystroke++) {
      const before = lone.provider.wsLastMessageReceived;
      lone.doc.getText('t').insert(0, 'x');
      await waitFor(() => lone.provider.wsLastMessageReceived > before, { message: 'no keep-alive arrived' });
    }
    expect(closes).toBe(0);
    expect(lone.provider.wsconnected).toBe(true);
  });
});
