/**
 * Clients the load generator drives: full Yjs clients (the stock provider of each server, and for
 * Quorum the provider as its page sets it up) and light followers (raw sockets that never build a
 * Y.Doc).
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import { providerUrl, socketUrl, usesPagePresence, type Target } from './targets.js';
import { markersInBytes, type Found } from './markers.js';
import { rootOf } from './notes-shape.js';
import { newDoc } from '../../../shared/notes/client-id.js';
import { pagePresence } from '../../../client/collab/own-presence.js';

export interface FullClient {
  readonly doc: Y.Doc;
  /** The notes' Lexical root (shared/notes/README.md): every edit is shaped as the editor makes it. */
  readonly root: Y.XmlText;
  /** The provider's presence (what Lexical's collaboration plugin publishes the caret through). */
  readonly awareness: Awareness;
  readonly synced: boolean;
  /** Bytes received over the socket so far. */
  readonly received: number;
  /** Resolves on the next "synced" (immediately when already synced). */
  whenSynced(timeoutMs: number): Promise<void>;
  disconnect(): void;
  connect(): void;
  destroy(): void;
}

/** ws's WebSocket, counting the bytes each socket receives. */
function countingSocket(onBytes: (n: number) => void): typeof WebSocket {
  return class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('message', (data: Buffer) => onBytes(data.byteLength));
    }
  } as typeof WebSocket;
}

function waitForSync(isSynced: () => boolean, on: (cb: () => void) => () => void, timeoutMs: number, what: string): Promise<void> {
  if (isSynced()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${what}: not synced within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = on(() => {
      if (!isSynced()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

class YWebsocketClient implements FullClient {
  readonly root: Y.XmlText;
  received = 0;
  private readonly provider: WebsocketProvider;

  constructor(target: Target, private readonly name: string, token: string | undefined, readonly doc: Y.Doc) {
    this.root = rootOf(doc);
    this.provider = new WebsocketProvider(providerUrl(target), name, this.doc, {
      // ws's WebSocket is what y-websocket expects of a browser WebSocket, close enough.
      WebSocketPolyfill: countingSocket((n) => (this.received += n)) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      ...(token ? { params: { token } } : {}),
    });
    // Quorum pushes action lists as control messages (type 4); the stock client would log each.
    (this.provider as unknown as { messageHandlers: Array<() => void> }).messageHandlers[4] = () => {};
    // As Quorum's page does (client/collab/own-presence.ts), by default for Quorum only.
    if (usesPagePresence(target)) pagePresence(this.provider);
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  whenSynced(timeoutMs: number): Promise<void> {
    return waitForSync(
      () => this.provider.synced,
      (cb) => {
        this.provider.on('sync', cb);
        return () => this.provider.off('sync', cb);
      },
      timeoutMs,
      this.name,
    );
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  connect(): void {
    void this.provider.connect();
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

class HocuspocusClient implements FullClient {
  readonly root: Y.XmlText;
  received = 0;
  private readonly provider: HocuspocusProvider;

  constructor(target: Target, private readonly name: string, readonly doc: Y.Doc) {
    this.root = rootOf(doc);
    // Node 20 has no global WebSocket. The provider hands its whole configuration to the socket
    // it creates, which takes `WebSocketPolyfill`, but the provider's type does not list it.
    const configuration = { url: providerUrl(target), name, document: this.doc, WebSocketPolyfill: countingSocket((n) => (this.received += n)) };
    this.provider = new HocuspocusProvider(configuration as ConstructorParameters<typeof HocuspocusProvider>[0]);
  }

  get awareness(): Awareness {
    // Created by the provider unless it is given `awareness: null`, which this client never does.
    return this.provider.awareness!;
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  whenSynced(timeoutMs: number): Promise<void> {
    return waitForSync(
      () => this.provider.synced,
      (cb) => {
        this.provider.on('synced', cb);
        return () => this.provider.off('synced', cb);
      },
      timeoutMs,
      this.name,
    );
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  connect(): void {
    void this.provider.connect();
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** A full client of `doc`; `state` is what it holds before connecting (a reconnecting client). */
export function createFullClient(target: Target, doc: string, token?: string, state?: Uint8Array): FullClient {
  const ydoc = newDoc();
  if (state) Y.applyUpdate(ydoc, state);
  return target.kind === 'hocuspocus' ? new HocuspocusClient(target, doc, ydoc) : new YWebsocketClient(target, doc, token, ydoc);
}

function readVarUint(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) return [-1, at];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

function frame(target: Target, doc: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  if (target.kind === 'hocuspocus') encoding.writeVarString(e, doc);
  write(e);
  return encoding.toUint8Array(e);
}

/**
 * A follower that does the sync handshake with an empty state vector and then only scans the
 * bytes of incoming update frames for markers. For Hocuspocus every frame starts with the
 * document name, and a token message (empty, no auth extension) must come first.
 */
export class LightFollower {
  private readonly ws: WebSocket;
  private syncedFlag = false;
  private readonly ready: Promise<void>;
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(private readonly target: Target, readonly doc: string, token: string | undefined, private readonly onMarker: (m: Found) => void) {
    this.ws = new WebSocket(socketUrl(target, doc, token), { perMessageDeflate: false });
    this.ready = new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('close', (code) => reject(new Error(`light follower closed before sync (${code})`)));
      this.ws.on('message', (data: Buffer) => {
        if (this.receive(data) && !this.syncedFlag) {
          this.syncedFlag = true;
          resolve();
        }
      });
    });
    // whenSynced() reports a failure; a follower nobody waits on must not crash the worker.
    this.ready.catch(() => {});
    this.ws.once('open', () => {
      if (target.kind === 'hocuspocus') {
        // Auth: type 2, token sub-type 0, empty token, provider version.
        this.ws.send(
          frame(target, doc, (e) => {
            encoding.writeVarUint(e, 2);
            encoding.writeVarUint(e, 0);
            encoding.writeVarString(e, '');
            encoding.writeVarString(e, '4.7.0');
          }),
        );
        // Hocuspocus drops sockets silent for 60 s; ask for presence now and then.
        this.keepAlive = setInterval(() => this.ws.send(frame(target, doc, (e) => encoding.writeVarUint(e, 3))), 20_000);
      }
      // Sync step 1 with the empty state vector [0].
      this.ws.send(
        frame(target, doc, (e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint8Array(e, new Uint8Array([0]));
        }),
      );
    });
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  whenSynced(timeoutMs: number): Promise<void> {
    return Promise.race([
      this.ready,
      new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`${this.doc}: light follower not synced in ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  /** Returns true for the sync step 2 frame (the handshake's answer). */
  private receive(data: Buffer): boolean {
    let at = 0;
    if (this.target.kind === 'hocuspocus') {
      const [length, next] = readVarUint(data, 0);
      at = next + length;
    }
    const [type, afterType] = readVarUint(data, at);
    if (type !== 0) return false;
    const [step, afterStep] = readVarUint(data, afterType);
    if (step === 1) return true;
    // Markers in step 2 are the document's history, not deliveries; only updates count.
    if (step === 2) markersInBytes(data, afterStep, this.onMarker);
    return false;
  }

  close(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.ws.removeAllListeners('close');
    this.ws.on('error', () => {});
    this.ws.terminate();
  }
}
