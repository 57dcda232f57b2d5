/**
 * Scenario 6: extraction lag, from an action-item edit to the record being visible through the
 * API, under scenario 1's load (20 documents × 10 clients typing 2 edits/s). Quorum only; runs
 * only when the API exposes GET /api/meetings/:id/actions (checked by creating a meeting).
 *
 * A notetaker (stock y-websocket client with the meeting's edit link, in the runner process)
 * appends "ACTION: …" paragraphs made by a headless Lexical editor, as the real editor would;
 * the runner polls the actions API every 10 ms until each appears.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { createWriter } from '../../../shared/notes/headless.js';
import { Histogram } from '../lib/histogram.js';
import { now } from '../lib/markers.js';
import { latencyMetrics, layout, ServerWatch, sleep, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';

export const extractionLag: Scenario = {
  id: 's6',
  title: '6. Extraction lag (action-item edit → visible through the API, under 1a’s load)',
  run: runExtraction,
};

interface Meeting {
  id: string;
  sessions: Array<{ doc: string }>;
  links: Array<{ role: string; token: string }>;
}

async function runExtraction(ctx: RunContext): Promise<Metric[]> {
  if (ctx.kind !== 'quorum') return [{ key: 'lag.p50', label: 'p50', unit: 'ms', value: null, note: 'n/a (no extraction)' }];
  const items = ctx.options.quick ? 5 : 20;
  return withRig(ctx, async ({ server, generator }) => {
    const base = `http://127.0.0.1:${server.target.port}`;
    const meeting = await createMeeting(base, ctx);
    if (!meeting) return [];
    const token = meeting.links.find((l) => l.role === 'notetaker')!.token;

    // Scenario 1a's load, for as long as the items take.
    const { clients, typers } = layout(Array.from({ length: 20 }, (_, i) => ({ name: `bench-extract-load-${i}`, typers: 10, fullFollowers: 0, lightFollowers: 0 })));
    await generator.connect(clients);
    await generator.type(typers, 2, now() + 3_600_000);
    await sleep(2_000);

    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${server.target.port}/collab`, meeting.sessions[0]!.doc, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token: token },
    });
    // Quorum pushes action lists as control messages (type 4); the stock client would log each.
    (provider as unknown as { messageHandlers: Array<() => void> }).messageHandlers[4] = () => {};
    const histogram = new Histogram();
    const watch = new ServerWatch(server, generator);
    try {
      await until(() => provider.synced && doc.get('root', Y.XmlText).length > 0, 30_000, 'session document never synced and seeded');
      // Item 0 warms up the notes worker (its first pass loads the headless editor): not recorded.
      for (let n = 0; n <= items; n++) {
        const label = `bench item ${n}-${Math.random().toString(36).slice(2, 8)}`;
        const writer = createWriter(Y.encodeStateAsUpdate(doc));
        writer.editor.update(() => $getRoot().append($createParagraphNode().append($createTextNode(`ACTION: review ${label}`))), { discrete: true });
        const diff = writer.diff();
        writer.dispose();
        const sentAt = now();
        Y.applyUpdate(doc, diff);
        await until(async () => (await listActions(base, meeting.id, token)).includes(label), 30_000, `action "${label}" never appeared in the API`);
        if (n > 0) histogram.record(now() - sentAt);
        await sleep(300);
      }
    } finally {
      provider.destroy();
      doc.destroy();
      await generator.all('stopTyping');
    }
    const usage = watch.finish();
    return [
      ...latencyMetrics('lag', histogram),
      { key: 'serverCpu', label: 'server CPU', unit: '%', value: usage.cpu },
      { key: 'generatorCpu', label: 'generator CPU', unit: '%', value: usage.generatorCpu },
    ];
  });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!(await check())) {
    if (now() > deadline) throw new Error(message);
    await sleep(10);
  }
}

async function listActions(base: string, meetingId: string, token: string): Promise<string> {
  const response = await fetch(`${base}/api/meetings/${meetingId}/actions?token=${encodeURIComponent(token)}`);
  return response.ok ? response.text() : '';
}

/** Signs up the first admin on the fresh server and creates a meeting; null (logged) when the API lacks a piece. */
async function createMeeting(base: string, ctx: RunContext): Promise<Meeting | null> {
  const post = (path: string, body: unknown, cookie = ''): Promise<Response | null> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) }).catch(() => null);
  const setup = await post('/api/setup', { email: 'bench@example.org', password: 'bench-password', name: 'Bench' });
  const cookie = setup?.headers.get('set-cookie')?.split(';', 1)[0] ?? '';
  if (!setup?.ok || !cookie) {
    ctx.log(`extraction not available (POST /api/setup → ${setup ? setup.status : 'no answer'})`);
    return null;
  }
  const created = await post('/api/meetings', { title: 'Bench meeting', startDate: new Date().toISOString().slice(0, 10), attendees: [] }, cookie);
  if (!created?.ok) {
    ctx.log(`extraction not available (POST /api/meetings → ${created ? created.status : 'no answer'})`);
    return null;
  }
  const meeting = (await created.json()) as Meeting;
  const actions = await fetch(`${base}/api/meetings/${meeting.id}/actions`, { headers: { cookie } }).catch(() => null);
  if (!actions?.ok) {
    ctx.log(`extraction not available (GET /api/meetings/:id/actions → ${actions ? actions.status : 'no answer'})`);
    return null;
  }
  return meeting;
}
