/**
 * A load-generator process. The runner forks a few of these (so their CPU is separate from the
 * server's and measurable) and drives them over IPC: connect clients, type markers at a rate,
 * report delivery latency as a histogram, report digests for the convergence check.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { createFullClient, LightFollower, type FullClient } from './lib/clients.js';
import { Histogram } from './lib/histogram.js';
import { marker, markersInText, now, SeenSet, type Found } from './lib/markers.js';
import { serve } from './lib/rpc.js';
import type { Target } from './lib/targets.js';
import { appendParagraph, caretAtEnd, documentText, insertedStrings, joinPresence, typeAtEnd } from './lib/notes-shape.js';
import { agendaSeed, ATTENDEES } from './lib/meetings.js';

export interface ClientSpec {
  /** Global client number; typers use it in their markers. */
  id: number;
  doc: string;
  kind: 'full' | 'light';
  /** The meeting link's token it joins with (Quorum with meetings). */
  token?: string;
  /** The first client of a document of no meeting: writes the agenda the server would have seeded. */
  seed?: boolean;
}

interface Full {
  spec: ClientSpec;
  client: FullClient;
  received: number;
  seq: number;
  /** The line this typer is typing at the end of. */
  line: Y.XmlText | null;
  lineEdits: number;
  lines: number;
  /** Edits its first line is short of (see `cycleOffset`). */
  skew: number;
}

/** Caret colours, as the page picks one per participant. */
const COLORS = ['#d81b60', '#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#00897b'];

/** A typer presses Enter after this many edits on a line… */
const EDITS_PER_LINE = 8;
/** …and every this-many-th line it types is an action item. */
const ACTION_EVERY = 4;

/**
 * Where in its cycle of lines and action lines a typer starts. People in a meeting are not in
 * step: were every typer to start at the cycle's start, all 200 of scenario 1 would press Enter
 * in the same second and type their action lines in the same four seconds out of sixteen. Spread
 * over the cycle by id (13 is prime to the cycle's 32 edits, so a meeting's consecutive ids land
 * far apart); the same for every server.
 */
function cycleOffset(id: number): { lines: number; skew: number } {
  const into = (id * 13) % (EDITS_PER_LINE * ACTION_EVERY);
  return { lines: Math.floor(into / EDITS_PER_LINE), skew: into % EDITS_PER_LINE };
}

interface Light {
  spec: ClientSpec;
  follower: LightFollower;
  received: number;
  seen: SeenSet;
}

export interface DigestEntry {
  id: number;
  doc: string;
  kind: 'full' | 'light';
  /** sha1 of the text (full clients only). */
  hash: string | null;
  length: number;
  /** Markers received since the counting window began. */
  received: number;
}

// Every y-websocket provider adds a process 'exit' listener; hundreds per worker are expected.
process.setMaxListeners(0);

let target: Target | null = null;
/** Tokens for fresh clients (probes) per document, where documents belong to meetings. */
const access = new Map<string, string>();
const fulls = new Map<number, Full>();
const lights = new Map<number, Light>();
const histogram = new Histogram();
let delivered = 0;
let measureFrom = Infinity;
let measureTo = Infinity;
let countFrom = Infinity;
const sentByDoc = new Map<string, number>();
const typingTimers = new Set<NodeJS.Timeout>();

function onMarker(found: Found, receivedAt: number): boolean {
  if (found.sentAt < countFrom) return false;
  delivered++;
  if (found.sentAt >= measureFrom && found.sentAt < measureTo) histogram.record(receivedAt - found.sentAt);
  return true;
}

function addFull(spec: ClientSpec): Full {
  const entry: Full = { spec, client: createFullClient(target!, spec.doc, spec.token), received: 0, seq: 0, line: null, lineEdits: 0, ...cycleOffset(spec.id) };
  // Only the delta of each remote event is read: no walk over the whole document per edit.
  entry.client.root.observeDeep((events, transaction) => {
    if (transaction.local) return;
    const at = now();
    for (const event of events) {
      insertedStrings(event, (text) =>
        markersInText(text, (found) => {
          if (onMarker(found, at)) entry.received++;
        }),
      );
    }
  });
  fulls.set(spec.id, entry);
  return entry;
}

function addLight(spec: ClientSpec): Light {
  const seen = new SeenSet();
  const entry: Light = {
    spec,
    seen,
    received: 0,
    follower: new LightFollower(target!, spec.doc, spec.token, (found) => {
      if (!seen.add(found.typer, found.seq)) return;
      if (onMarker(found, now())) entry.received++;
    }),
  };
  lights.set(spec.id, entry);
  return entry;
}

function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Runs `work` over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

/** One edit as the page makes it: typing at the end of the typer's line, or Enter and a new line. */
function type(entry: Full): void {
  entry.seq++;
  const sentAt = now();
  const text = `${marker(entry.spec.id, entry.seq, sentAt)} `;
  if (entry.line === null || entry.lineEdits >= EDITS_PER_LINE) {
    entry.lines++;
    const action = entry.lines % ACTION_EVERY === 0 ? `ACTION: @${ATTENDEES[entry.spec.id % ATTENDEES.length]!.handle} follow up on line ${entry.lines} ` : '';
    entry.line = appendParagraph(entry.client.root, action + text);
    entry.lineEdits = 1 + entry.skew;
    entry.skew = 0;
  } else {
    typeAtEnd(entry.line, text);
    entry.lineEdits++;
  }
  caretAtEnd(entry.client.awareness, entry.line);
  // Counted like receivers count: only edits sent inside the counting window are owed.
  if (sentAt >= countFrom) sentByDoc.set(entry.spec.doc, (sentByDoc.get(entry.spec.doc) ?? 0) + 1);
}

serve({
  init(args: { target: Target }) {
    target = args.target;
  },

  access(args: { tokens: Record<string, string> }) {
    for (const [doc, token] of Object.entries(args.tokens)) access.set(doc, token);
  },

  async connect(args: { clients: ClientSpec[]; concurrency: number; timeoutMs: number }) {
    const started = now();
    await pool(args.clients, args.concurrency, async (spec) => {
      if (spec.kind === 'full') {
        const entry = addFull(spec);
        await entry.client.whenSynced(args.timeoutMs);
        if (spec.seed) Y.applyUpdate(entry.client.doc, agendaSeed());
        const attendee = ATTENDEES[spec.id % ATTENDEES.length]!;
        joinPresence(entry.client.awareness, attendee.name, COLORS[spec.id % COLORS.length]!);
      } else await addLight(spec).follower.whenSynced(args.timeoutMs);
    });
    return { ms: now() - started };
  },

  /** Each typer appends a marker `rate` times a second, phases spread, until `until`. */
  type(args: { typers: number[]; rate: number; until: number }) {
    const period = 1000 / args.rate;
    for (const id of args.typers) {
      const entry = fulls.get(id);
      if (!entry) throw new Error(`no full client ${id}`);
      const start = now() + Math.random() * period;
      let k = 0;
      const tick = (): void => {
        if (now() >= args.until) return;
        type(entry);
        k++;
        const timer = setTimeout(tick, Math.max(0, start + k * period - now()));
        typingTimers.add(timer);
        timer.unref();
      };
      const timer = setTimeout(tick, start - now());
      typingTimers.add(timer);
    }
  },

  stopTyping() {
    for (const timer of typingTimers) clearTimeout(timer);
    typingTimers.clear();
  },

  typed() {
    return Object.fromEntries(sentByDoc);
  },

  /** Starts a counting window: markers sent from `countFrom` count; latencies from `from` to `to`. */
  window(args: { countFrom: number; from: number; to: number }) {
    countFrom = args.countFrom;
    measureFrom = args.from;
    measureTo = args.to;
    histogram.reset();
    delivered = 0;
    sentByDoc.clear();
    for (const entry of fulls.values()) entry.received = 0;
    for (const entry of lights.values()) entry.received = 0;
  },

  stats() {
    return { histogram: histogram.toData(), delivered };
  },

  digest(): DigestEntry[] {
    const out: DigestEntry[] = [];
    for (const { spec, client, received } of fulls.values()) {
      const text = documentText(client.root);
      out.push({ id: spec.id, doc: spec.doc, kind: 'full', hash: textHash(text), length: text.length, received });
    }
    for (const { spec, received } of lights.values()) {
      out.push({ id: spec.id, doc: spec.doc, kind: 'light', hash: null, length: 0, received });
    }
    return out;
  },

  /** A fresh client: time to synced, and what the server holds. */
  async probe(args: { doc: string; timeoutMs: number }) {
    const started = now();
    const client = createFullClient(target!, args.doc, access.get(args.doc));
    try {
      await client.whenSynced(args.timeoutMs);
      const ms = now() - started;
      const text = documentText(client.root);
      return { ms, hash: textHash(text), length: text.length, bytes: client.received };
    } finally {
      client.destroy();
    }
  },

  /** A client that already holds `state` (base64) reconnects: time to synced and bytes received. */
  async rejoin(args: { doc: string; state: string; timeoutMs: number }) {
    const started = now();
    const client = createFullClient(target!, args.doc, access.get(args.doc), Buffer.from(args.state, 'base64'));
    try {
      await client.whenSynced(args.timeoutMs);
      const text = documentText(client.root);
      return { ms: now() - started, bytes: client.received, hash: textHash(text), length: text.length };
    } finally {
      client.destroy();
    }
  },

  /** Appends `bytes` characters to each client's document as `chunk`-sized lines; answers each document's text length. */
  async fill(args: { ids: number[]; bytes: number; chunk: number; pauseMs: number }) {
    const filler = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; '.repeat(Math.ceil(args.chunk / 56) + 1);
    for (let written = 0; written < args.bytes; written += args.chunk) {
      for (const id of args.ids) appendParagraph(fulls.get(id)!.client.root, filler.slice(0, args.chunk));
      await sleep(args.pauseMs);
    }
    return Object.fromEntries(args.ids.map((id) => [fulls.get(id)!.spec.doc, documentText(fulls.get(id)!.client.root).length]));
  },

  /** What one client holds (base64), as a reconnecting client would hold it. */
  stateOf(args: { id: number }) {
    return Buffer.from(Y.encodeStateAsUpdate(fulls.get(args.id)!.client.doc)).toString('base64');
  },

  /** `count` edits by one typer, at once. */
  typeNow(args: { id: number; count: number }) {
    for (let i = 0; i < args.count; i++) type(fulls.get(args.id)!);
  },

  /** Applies a prepared update to one client's document: it reaches the server as one update. */
  seed(args: { id: number; update: string }) {
    Y.applyUpdate(fulls.get(args.id)!.client.doc, Buffer.from(args.update, 'base64'));
  },

  /** Reconnect storm, part 1: every full client drops its socket and types one edit offline. */
  drop() {
    for (const entry of fulls.values()) entry.client.disconnect();
    for (const entry of fulls.values()) type(entry);
  },

  /**
   * Part 2: all reconnect at `at`. Resolves with the time until every client was synced, and
   * until every client had `expect` offline edits of others.
   */
  async reconnect(args: { at: number; expect: number; timeoutMs: number }) {
    await sleep(args.at - now());
    const started = now();
    const entries = [...fulls.values()];
    for (const entry of entries) entry.client.connect();
    const syncedMs = Promise.all(entries.map((e) => e.client.whenSynced(args.timeoutMs))).then(() => now() - started);
    const deadline = started + args.timeoutMs;
    while (entries.some((e) => e.received < args.expect)) {
      if (now() > deadline) {
        const behind = entries.filter((e) => e.received < args.expect).length;
        throw new Error(`${behind} clients lack offline edits after ${args.timeoutMs} ms`);
      }
      await sleep(5);
    }
    const convergedMs = now() - started;
    return { syncedMs: await syncedMs, convergedMs };
  },

  /**
   * A server was killed at `at`: waits until every full client that lost its connection (seen
   * unsynced after `at`) is synced again; resolves with how many and the time from `at` until
   * the last one was. Clients whose server lived on never drop and are not counted.
   */
  async failover(args: { at: number; timeoutMs: number }) {
    const lost = new Map<Full, number | null>();
    const deadline = args.at + args.timeoutMs;
    // The kill closes every socket of the dead server at once; their close events arrive within
    // milliseconds. Watch a second for drops, then until every dropped client is back.
    for (;;) {
      const t = now();
      for (const entry of fulls.values()) {
        if (!entry.client.synced) lost.set(entry, null);
        else if (lost.has(entry) && lost.get(entry) === null) lost.set(entry, t - args.at);
      }
      if (t > args.at + 1_000 && [...lost.values()].every((ms) => ms !== null)) break;
      if (t > deadline) throw new Error(`${[...lost.values()].filter((ms) => ms === null).length} clients not synced again after ${args.timeoutMs} ms`);
      await sleep(2);
    }
    return { lost: lost.size, syncedMs: Math.max(0, ...[...lost.values()].map((ms) => ms ?? 0)) };
  },

  closeAll() {
    for (const timer of typingTimers) clearTimeout(timer);
    typingTimers.clear();
    for (const entry of fulls.values()) entry.client.destroy();
    for (const entry of lights.values()) entry.follower.close();
    fulls.clear();
    lights.clear();
  },

  exit() {
    setImmediate(() => process.exit(0));
  },
});
