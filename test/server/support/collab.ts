/** Raw collaboration clients for access tests: connect with a cookie or token, wait, probe. */
import * as Y from 'yjs';
import { connectRaw, syncPayloads, type RawClient } from '../../helpers/clients.js';
import { waitFor } from '../../helpers/wait.js';
import { encodeSyncStep1, encodeUpdate, MessageType, SyncStep, type ControlMessage } from '../../../shared/protocol/index.js';

export interface Presented {
  cookie?: string;
  token?: string;
  bearer?: string;
  origin?: string;
}

export function connectAs(collabUrl: string, doc: string, credentials: Presented): RawClient {
  const headers: Record<string, string> = {};
  if (credentials.cookie) headers.cookie = credentials.cookie;
  if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
  if (credentials.origin) headers.origin = credentials.origin;
  const query = credentials.token !== undefined ? `?token=${encodeURIComponent(credentials.token)}` : '';
  return connectRaw(collabUrl, doc, { headers, query });
}

/** Admitted: the server's opening sync step 1 arrived. */
export async function admitted(client: RawClient): Promise<void> {
  await client.opened;
  await waitFor(() => client.messages.some((m) => m.type === MessageType.Sync && m.step === SyncStep.Step1), { message: 'not admitted' });
}

/**
 * Frames of one connection are handled in order, and the server answers sync step 1 with one
 * step 2: once that answer arrives, everything sent before it has been processed.
 */
export async function roundTrip(client: RawClient): Promise<void> {
  const step2s = () => client.messages.filter((m) => m.type === MessageType.Sync && m.step === SyncStep.Step2).length;
  const before = step2s();
  client.send(encodeSyncStep1(new Uint8Array([0])));
  await waitFor(() => step2s() > before, { message: 'no answer to sync step 1' });
}

/** What the client has been sent, applied to a fresh document. */
export function replicaOf(client: RawClient): Y.Doc {
  const doc = new Y.Doc();
  for (const payload of syncPayloads(client)) Y.applyUpdate(doc, payload);
  return doc;
}

/** Sends an edit built on what the client has received, so it would apply cleanly if allowed. */
export function sendEdit(client: RawClient, text: string): void {
  const replica = replicaOf(client);
  const before = Y.encodeStateVector(replica);
  const type = replica.getText('t');
  type.insert(type.length, text);
  client.send(encodeUpdate(Y.encodeStateAsUpdate(replica, before)));
}

export function denials(client: RawClient): string[] {
  return client.messages.flatMap((m) => (m.type === MessageType.Auth ? [m.reason] : []));
}

export function controls(client: RawClient): ControlMessage[] {
  return client.messages.flatMap((m) => (m.type === MessageType.Control ? [m.message] : []));
}

export const isOpen = (client: RawClient): boolean => client.ws.readyState === client.ws.OPEN;
