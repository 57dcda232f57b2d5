/**
 * `npm run test:cluster`: the whole service as three processes on one PostgreSQL behind HAProxy
 * (scripts/deploy/haproxy-config.ts), each started as `npm start` starts it. Ten two-day meetings,
 * each with three notetakers typing Lexical paragraphs into its first day and twenty followers,
 * all through HAProxy. An action typed on one process reaches the live panel of a follower of the
 * meeting's other day on another; the process owning the most documents is killed with SIGKILL
 * while the notetakers type, and every client reconnects through HAProxy to a new owner with
 * nothing any client had received lost; a link revoked through one process cuts its sockets on
 * another; a meeting closed through one process turns its sockets read-only on another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { startHaproxy, type HaproxyProcess } from '../../scripts/cluster/haproxy-process.js';
import { ownersOf, startAppProcess, type AppProcess } from '../../scripts/cluster/app-process.js';
import { PostgresDocumentStore } from '../../server/persistence/postgres-document-store.js';
import { closeCodes, connectProvider, type ProviderClient } from '../helpers/clients.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { freePort } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin } from '../server/support/api.js';
import { connectNotetaker, readDocument, type Notetaker } from '../server/notes-support.js';
import { holdsAllOf, readStored } from '../postgres/support/replicas.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import type { ActionRecord } from '../../shared/api/actions.js';
import { CloseCode, MessageType } from '../../shared/protocol/index.js';

const MEETINGS = 10;
const NOTETAKERS = 3;
/** Per meeting: most on its first day, two on its second. */
const FOLLOWERS = 20;
const SECOND_DAY_FOLLOWERS = 2;

let db: TestDatabase;
let haproxy: HaproxyProcess | null = null;
const processes: AppProcess[] = [];
const notetakers: Notetaker[] = [];
const followers: ProviderClient[] = [];

beforeAll(async () => {
  if (!['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].some((path) => existsSync(path))) {
    throw new Error('HAProxy is not installed (Debian: apt-get install haproxy); .ci/run installs it');
  }
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const n of notetakers.splice(0)) n.destroy();
  for (const f of followers.splice(0)) f.destroy();
  haproxy?.stop();
  for (const proc of processes.splice(0)) await proc.kill();
  await db?.drop();
});

interface Meeting {
  created: CreatedMeeting;
  day1: string;
  day2: string;
  typists: Notetaker[];
  /** On the first day: plain Yjs clients, as a reader's page is. */
  watchers: ProviderClient[];
  /** On the second day: clients that record the server's pushes (the actions panel). */
  panels: Notetaker[];
}

const blocksOf = (doc: Y.Doc): string[] => readDocument(Y.encodeStateAsUpdate(doc)).map((b) => b.text);

describe('the whole service on three processes behind HAProxy', () => {
  it('keeps every meeting going through a SIGKILL, and carries actions, revocations and closes across processes', async () => {
    const linkKey = randomBytes(32).toString('base64');
    // HAProxy's port first: every process names it as its public address.
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    const first = await startAppProcess({ databaseUrl: db.url, linkKey, publicUrl: 'http://127.0.0.1', port: ports[0] });
    processes.push(first);
    processes.push(...(await Promise.all(ports.slice(1).map((port) => startAppProcess({ databaseUrl: db.url, linkKey, publicUrl: 'http://127.0.0.1', port })))));
    // Checks as in production (a refused connection marks a server down at once anyway): on a
    // busy machine, a reconnect storm makes a 200 ms check time out on a healthy process.
    haproxy = await startHaproxy(ports, { checkIntervalMs: 1_000, maxConnections: 2_000 });
    const front = { url: `http://127.0.0.1:${haproxy.port}` };
    const collab = haproxy.collabUrl;

    const admin = await setupAdmin(front);
    const meetings: Meeting[] = [];
    for (let i = 0; i < MEETINGS; i++) {
      const created = await createMeeting(front, admin, {
        title: `Meeting ${i}`,
        startDate: '2026-12-07',
        endDate: '2026-12-08',
        attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }],
        agenda: [{ date: '2026-12-07', blocks: [{ items: [{ topic: `Topic ${i}` }] }] }],
      });
      const [day1, day2] = created.sessions.map((s) => s.doc) as [string, string];
      const typists = Array.from({ length: NOTETAKERS }, () => connectNotetaker(collab, day1, linkToken(created, 'notetaker')));
      const watchers = Array.from({ length: FOLLOWERS - SECOND_DAY_FOLLOWERS }, () => {
        const watcher = connectProvider(collab, day1, { params: { token: linkToken(created, 'follower') } });
        // The server's pushes (actions, access) are the page's business, not this reader's.
        watcher.provider.messageHandlers[MessageType.Control] = () => {};
        return watcher;
      });
      const panels = Array.from({ length: SECOND_DAY_FOLLOWERS }, () => connectNotetaker(collab, day2, linkToken(created, 'follower')));
      notetakers.push(...typists, ...panels);
      followers.push(...watchers);
      meetings.push({ created, day1, day2, typists, watchers, panels });
    }
    await Promise.all([...notetakers.map((n) => n.synced()), ...followers.map((f) => f.synced())]);

    const placement = async () => ownersOf(db.url, meetings.flatMap((m) => [m.day1, m.day2]));
    const before = await placement();
    // One owner per document, and the ring spreads them over the processes.
    for (const m of meetings) for (const doc of [m.day1, m.day2]) expect(processes.map((p) => p.pid)).toContain(before.get(doc));
    expect(new Set(before.values()).size).toBeGreaterThan(1);

    // An action typed on one process reaches the panel of a follower of the other day, on another.
    const spread = meetings.find((m) => before.get(m.day1) !== before.get(m.day2));
    if (!spread) throw new Error('no meeting has its two days on different processes');
    spread.typists[0]!.edit(() => {
      $getRoot().append($createParagraphNode().append($createTextNode('ACTION: KTL drain the old queue by 2026-12-14')));
    });
    for (const panel of spread.panels) {
      await waitFor(
        () => panel.controls.some((c) => c.type === 'actions' && c.doc === spread.day1 && (c.actions as ActionRecord[]).some((a) => a.description === 'drain the old queue')),
        { message: 'the action never reached the panel on the other process' },
      );
    }

    // Everyone types; each word waits for a follower of its meeting to have it.
    let typing = true;
    const typed = meetings.flatMap((m) =>
      m.typists.map(async (n, t) => {
        for (let k = 0; typing; k++) {
          const line = `m${meetings.indexOf(m)} n${t} line ${k}`;
          n.edit(() => {
            $getRoot().append($createParagraphNode().append($createTextNode(line)));
          });
          await waitFor(() => !typing || m.watchers.some((w) => blocksOf(w.doc).includes(line)), { timeout: 120_000 });
        }
      }),
    );
    await waitFor(() => meetings.every((m) => m.watchers.every((w) => blocksOf(w.doc).filter((text) => text.includes(' line ')).length >= 3 * NOTETAKERS)), {
      message: 'the typing never got going',
    });

    // The process owning the most documents dies in the middle of it.
    const count = (pid: number) => [...before.values()].filter((owner) => owner === pid).length;
    const doomed = processes.reduce((most, p) => (count(p.pid) > count(most.pid) ? p : most));
    const moving = meetings.filter((m) => before.get(m.day1) === doomed.pid);
    expect(moving.length).toBeGreaterThan(0);
    await doomed.kill();
    processes.splice(processes.indexOf(doomed), 1);
    // What every follower had received when it died.
    const received = meetings.flatMap((m) => m.watchers.map((w) => ({ doc: m.day1, seen: Y.encodeStateAsUpdate(w.doc) })));
    // Typing goes on until the moved meetings have been typed into on their new owners.
    await waitFor(async () => {
      const now = await placement();
      return moving.every((m) => now.get(m.day1) !== undefined && now.get(m.day1) !== doomed.pid);
    }, { message: 'the killed process’s meetings never found a new owner', timeout: 120_000 });
    const typedAfter = moving.map((m) => `m${meetings.indexOf(m)} after the failover`);
    moving.forEach((m, i) => m.typists[0]!.edit(() => $getRoot().append($createParagraphNode().append($createTextNode(typedAfter[i]!)))));
    typing = false;
    await Promise.all(typed);

    // Every client of every meeting converges, through HAProxy, on one document.
    for (const m of meetings) {
      const docs = [...m.typists.map((n) => n.client.doc), ...m.watchers.map((w) => w.doc)];
      await waitFor(() => docs.every((d) => JSON.stringify(blocksOf(d)) === JSON.stringify(blocksOf(docs[0]!))), { message: `meeting ${meetings.indexOf(m)} did not converge`, timeout: 120_000 });
    }
    for (const [i, m] of moving.entries()) expect(blocksOf(m.watchers[0]!.doc)).toContain(typedAfter[i]);
    const after = await placement();
    for (const m of meetings) expect(processes.map((p) => p.pid)).toContain(after.get(m.day1));

    // Nothing any follower had received is missing from the stored documents.
    const store = await PostgresDocumentStore.open({ url: db.url, poolSize: 2 });
    try {
      for (const { doc, seen } of received) {
        const seenDoc = new Y.Doc();
        Y.applyUpdate(seenDoc, seen);
        expect(holdsAllOf(readStored(await store.load(doc)), seenDoc), doc).toBe(true);
      }
    } finally {
      await store.close();
    }

    // A link revoked through one process cuts its sockets on another.
    const [survivorA, survivorB] = processes as [AppProcess, AppProcess];
    const elsewhere = (m: Meeting) => (after.get(m.day1) === survivorA.pid ? survivorB : survivorA);
    const revoked = meetings[0]!;
    const codes = revoked.watchers.map((w) => closeCodes(w));
    const link = revoked.created.links.find((l) => l.role === 'follower')!;
    expect((await api(elsewhere(revoked), 'DELETE', `/api/meetings/${revoked.created.id}/links/${link.id}`, { cookie: admin.cookie })).status).toBe(204);
    await waitFor(() => codes.every((c) => c.includes(CloseCode.Forbidden)), { message: 'the revoked link kept sockets on another process' });

    // A meeting closed through one process turns its sockets read-only on another.
    const closing = meetings[1]!;
    expect((await api(elsewhere(closing), 'POST', `/api/meetings/${closing.created.id}/close`, { cookie: admin.cookie })).status).toBe(200);
    for (const n of closing.typists) {
      await waitFor(() => n.controls.some((c) => c.type === 'access' && c.readOnly === true), { message: 'a notetaker of the closed meeting can still write' });
    }
  });
});
