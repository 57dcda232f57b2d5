/**
 * Extraction lag as a notetaker sees it: a stock y-websocket client with the meeting's edit link
 * (in the runner process) types an action line, shaped as the editor makes it, and waits for the
 * record to reach it in the server's action push (sent after the pass's transaction committed, so
 * the API lists it from that moment; polling the API instead would load the server under test
 * with the bench's own requests). At the end every line is checked in the API. Also reads the
 * server's own per-pass timing from /metrics.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import { Histogram } from './histogram.js';
import { now } from './markers.js';
import { appendParagraph, rootOf } from './notes-shape.js';
import { sleep } from './harness.js';
import type { DocumentAccess } from './meetings.js';
import { newDoc } from '../../../shared/notes/client-id.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!(await check())) {
    if (now() > deadline) throw new Error(message);
    await sleep(10);
  }
}

export async function listActions(base: string, meetingId: string, token: string): Promise<string> {
  const response = await fetch(`${base}/api/meetings/${meetingId}/actions?token=${encodeURIComponent(token)}`);
  return response.ok ? response.text() : '';
}

/**
 * Types `items` action lines (plus one warm-up), each `pauseMs` and a random further 0–500 ms after
 * the last was pushed; the histogram of their lag. The random part matters: at a fixed pace every
 * line would land at the same point of a busy meeting's pass schedule (Quorum reads a document at
 * most every 250 ms while people type) and the probe would measure one lag twenty times.
 */
export async function measureLag(port: number, access: DocumentAccess, items: number, pauseMs = 300): Promise<Histogram> {
  const base = `http://127.0.0.1:${port}`;
  const doc = newDoc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, access.doc, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token: access.notetaker! },
  });
  // Quorum pushes action records as control messages (type 4: a JSON string).
  const pushed = new Map<string, number>();
  (provider as unknown as { messageHandlers: Array<(encoder: unknown, decoder: decoding.Decoder) => void> }).messageHandlers[4] = (_encoder, decoder) => {
    const at = now();
    const message = JSON.parse(decoding.readVarString(decoder)) as { type: string; actions?: Array<{ sourceText: string }> };
    for (const action of message.actions ?? []) {
      const label = /bench item \S+/.exec(action.sourceText)?.[0];
      if (label && !pushed.has(label)) pushed.set(label, at);
    }
  };
  const histogram = new Histogram();
  const labels: string[] = [];
  try {
    await until(() => provider.synced && rootOf(doc).length > 0, 60_000, 'session document never synced and seeded');
    for (let n = 0; n <= items; n++) {
      const label = `bench item ${n}-${Math.random().toString(36).slice(2, 8)}`;
      labels.push(label);
      const sentAt = now();
      appendParagraph(rootOf(doc), `ACTION: @KTL review ${label}`);
      await until(() => pushed.has(label), 60_000, `action "${label}" was never pushed`);
      // The first line only shows the pipeline is warm.
      if (n > 0) histogram.record(pushed.get(label)! - sentAt);
      await sleep(pauseMs + Math.random() * 500);
    }
    const listed = await listActions(base, access.meetingId!, access.notetaker!);
    const missing = labels.filter((label) => !listed.includes(label));
    if (missing.length > 0) throw new Error(`pushed but not in the API: ${missing.join(', ')}`);
  } finally {
    provider.destroy();
    doc.destroy();
  }
  return histogram;
}

/** Reads unlabelled figures of a Quorum server's /metrics (NaN for one it does not report). */
export async function serverMetrics(port: number, ...names: string[]): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return names.map((name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN));
}

/** The server's extraction passes so far: how many, and their total seconds (from /metrics). */
export async function passTotals(port: number): Promise<{ count: number; seconds: number }> {
  const [count, seconds] = await serverMetrics(port, 'quorum_extraction_pass_seconds_count', 'quorum_extraction_pass_seconds_sum');
  return { count: count!, seconds: seconds! };
}
