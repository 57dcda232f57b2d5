import type { WebsocketProvider } from 'y-websocket';

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

type AwarenessHandler = (changes: AwarenessChanges, origin: unknown) => void;

/**
 * Makes the provider send the server this page's own presence only.
 *
 * y-websocket's provider sends every change of its awareness to the server, the ones it was sent
 * too (so that a tab linked to the others only by BroadcastChannel reaches the server through
 * them). Every page here has its own connection, so those go back to a server that already has
 * them and drops them (server/collab/room.ts): with ten notetakers typing, some twenty frames a
 * second from each page, for nothing (Hocuspocus's provider sends none of them either). The
 * page's own changes (its caret, its name, its leaving) are sent as before, to the server and to
 * the page's other tabs.
 *
 * Returns the undoing, for when the session ends. The provider's handler is not public API: if a
 * later y-websocket names it differently, nothing is changed and the page echoes as before.
 */
export function sendOwnPresenceOnly(provider: WebsocketProvider): () => void {
  const send = (provider as unknown as { _awarenessUpdateHandler?: AwarenessHandler })._awarenessUpdateHandler;
  if (typeof send !== 'function') return () => {};
  const awareness = provider.awareness;
  const own = ({ added, updated, removed }: AwarenessChanges, origin: unknown): void => {
    const mine = (ids: number[]) => ids.filter((id) => id === awareness.clientID);
    const changes = { added: mine(added), updated: mine(updated), removed: mine(removed) };
    if (changes.added.length + changes.updated.length + changes.removed.length > 0) send(changes, origin);
  };
  awareness.off('update', send);
  awareness.on('update', own);
  return () => awareness.off('update', own);
}
