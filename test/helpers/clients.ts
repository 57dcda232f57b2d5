import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { decodeMessage, encodeSyncStep1, MessageType, type IncomingMessage } from '../../shared/protocol/index.js';
import { waitFor } from './wait.js';

// Each WebsocketProvider in Node adds a process 'exit' listener; tests run dozens of them.
process.setMaxListeners(0);

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the provider has completed the sync handshake. */
  synced(): Promise<void>;
  destroy(): void;
}

/** The stock y-websocket client, as browsers use it (BroadcastChannel off so only the server syncs). */
export function connectProvider(
  collabUrl: string,
  docName: string,
  options: { params?: Record<string, string>; doc?: Y.Doc; connect?: boolean; socket?: typeof WebSocket } = {},
): ProviderClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(collabUrl, docName, doc, {
    WebSocketPolyfill: (options.socket ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
    connect: options.connect ?? true,
    maxBackoffTime: 500,
  });
  return {
    doc,
    provider,
    synced: () => waitFor(() => provider.synced, { message: `${docName} did not sync` }).then(() => undefined),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The close codes a provider's socket gets, as they come (it reconnects after most). */
export function closeCodes(client: ProviderClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event: { code: number } | null) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

export interface RawClient {
  ws: WebSocket;
  messages: IncomingMessage[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array): void;
  /** Sends sync step 1 with an empty state vector, as a brand-new client does. */
  handshake(): void;
  close(): void;
}

/** A bare `ws` socket speaking the protocol by hand: for hostile frames and exact assertions. */
export function connectRaw(collabUrl: string, docName: string, options: { headers?: Record<string, string>; query?: string } = {}): RawClient {
  const ws = new WebSocket(`${collabUrl}/${docName}${options.query ?? ''}`, { headers: options.headers });
  ws.binaryType = 'nodebuffer';
  const messages: IncomingMessage[] = [];
  ws.on('message', (data: Buffer) => {
    try {
      messages.push(decodeMessage(new Uint8Array(data)));
    } catch {
      // Tests assert on what they expect; anything undecodable is simply not collected.
    }
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return {
    ws,
    messages,
    opened,
    closed,
    send: (frame) => ws.send(frame),
    handshake: () => ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))),
    close: () => ws.close(),
  };
}

export function syncPayloads(client: RawClient): Uint8Array[] {
  return client.messages.flatMap((m) => (m.type === MessageType.Sync && m.step !== 0 ? [m.payload] : []));
}
