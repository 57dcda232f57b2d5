// The explicit, stable id of an action block (paragraph or list item), kept in Lexical NodeState.
// Lexical node keys exist only inside one editor and Yjs item ids change when a block moves, so
// an action's identity across clients, the server and the database is this value alone.
// In the Yjs document it is the 'actionId' entry of the block's `__state` Y.Map.

import { $getState, $setState, createState, type LexicalNode } from 'lexical';

/** Key of the NodeState entry; also the key inside the block's `__state` Y.Map. */
export const ACTION_ID_KEY = 'actionId';

/** Ids are opaque to everyone but must be URL- and SQL-safe and bounded. */
const ACTION_ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;

export function isValidActionId(value: unknown): value is string {
  return typeof value === 'string' && ACTION_ID_PATTERN.test(value);
}

/**
 * `resetOnCopyNode`: Enter splits a block with `$copyNode`, and the new half is a new block, so it
 * must not inherit the id. A paste still duplicates ids (it goes through JSON): whoever sees the
 * duplicate gives the newer block a fresh id (client mutation listener, and the server in any case).
 */
export const actionIdState = createState(ACTION_ID_KEY, {
  parse: (value: unknown): string | null => (isValidActionId(value) ? value : null),
  resetOnCopyNode: true,
});

export function $getActionId(node: LexicalNode): string | null {
  return $getState(node, actionIdState);
}

export function $setActionId<T extends LexicalNode>(node: T, id: string | null): T {
  return $setState(node, actionIdState, id);
}

/** Web Crypto, a global in browsers and Node 20 alike, though neither platform's types are in scope here. */
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(array: Uint8Array): Uint8Array } }).crypto;

/** A fresh id: 'a' + 20 random base-36 characters (~103 bits). */
export function newActionId(): string {
  const bytes = new Uint8Array(20);
  webCrypto.getRandomValues(bytes);
  let out = 'a';
  for (const byte of bytes) out += (byte % 36).toString(36);
  return out.slice(0, 21);
}
