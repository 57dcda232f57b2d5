import type { WebsocketProvider } from 'y-websocket';

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

type AwarenessHandler = (changes: AwarenessChanges, origin: unknown) => void;

/**
 * A page sends its own presence at most this often (ms). A key held down moves the caret with
 * every repeat, 30 to 50 times a second: sent as they come, those moves would outrun the server's
 * MAX_PRESENCE_PER_SECOND (30, with a burst of five seconds' worth), which drops what is beyond
 * it, where the caret stopped too. The others see the caret where it is at most this long later.
 */
export const OWN_PRESENCE_INTERVAL_MS = 50;

/**
 * Makes the provider send the server this page's own presence only, and at most every
 * OWN_PRESENCE_INTERVAL_MS.
 *
 * y-websocket's provider sends every change of its awareness to the server, the ones it was sent
 * too (so that a tab linked to the others only by BroadcastChannel reaches the server through
 * them). Every page here has its own connection, so those go back to a server that already has
 * them and drops them (server/collab/room.ts): with ten notetakers typing, some twenty frames a
 * second from each page, for nothing (Hocuspocus's provider sends none of them either). The
 * page's own changes (its caret, its name, its leaving) are sent as before, to the server and to
 * the page's other tabs: the first of a burst at once, the rest as one, the interval after the
 * last sent; its leaving at once.
 *
 * Returns the undoing, for when the session ends. The provider's handler is not public API: if a
 * later y-websocket names it differently, nothing is changed and the page echoes as before.
 */
export function sendOwnPresenceOnly(provider: WebsocketProvider): () => void {
  const send = (provider as unknown as { _awarenessUpdateHandler?: AwarenessHandler })._awarenessUpdateHandler;
  if (typeof send !== 'function') return () => {};
  const awareness = provider.awareness;
  let lastSent = -Infinity;
  let later: ReturnType<typeof setTimeout> | null = null;
  const sendNow = (changes: AwarenessChanges, origin: unknown): void => {
    if (later !== null) clearTimeout(later);
    later = null;
    lastSent = performance.now();
    send(changes, origin);
  };
  const own = ({ added, updated, removed }: AwarenessChanges, origin: unknown): void => {
    const id = awareness.clientID;
    const mine = (ids: number[]) => ids.filter((changed) => changed === id);
    const changes = { added: mine(added), updated: mine(updated), removed: mine(removed) };
    if (changes.added.length + changes.updated.length + changes.removed.length === 0) return;
    const wait = lastSent + OWN_PRESENCE_INTERVAL_MS - performance.now();
    if (changes.removed.length > 0 || wait <= 0) sendNow(changes, origin);
    // The provider encodes the state as it is when sent: the latest change.
    else later ??= setTimeout(() => sendNow({ added: [], updated: [id], removed: [] }, origin), wait);
  };
  awareness.off('update', send);
  awareness.on('update', own);
  return () => {
    awareness.off('update', own);
    if (later !== null) clearTimeout(later);
  };
}

/**
 * Makes the provider's presence, sent again as it reconnects, count as news.
 *
 * When a page's socket drops, the server tells the others it left and forgets its state, but
 * remembers its clock. On reconnecting, y-websocket sends the page's state again with that same
 * clock, and y-protocols takes only a newer clock as news (an equal one could be anyone's echo of
 * the old state), at the server and at every peer: the page stayed hidden until its next change,
 * a caret move or the renewal every 15 s. So its clock moves one on, as a change would, just
 * before the provider sends it (it sends right after saying it is connected).
 *
 * Returns the undoing, for when the session ends.
 */
export function announcePresenceOnReconnect(provider: WebsocketProvider): () => void {
  const awareness = provider.awareness;
  const onStatus = ({ status }: { status: string }): void => {
    const meta = awareness.meta.get(awareness.clientID);
    if (status === 'connected' && meta !== undefined && awareness.getLocalState() !== null) meta.clock += 1;
  };
  provider.on('status', onStatus);
  return () => provider.off('status', onStatus);
}

/** y-protocols renews a page's presence this long after its last change (half of the 30 s after which everyone drops it). */
const RENEW_AFTER_MS = 15_000;

/**
 * Renews the page's presence as the server's messages arrive, not only on a timer.
 *
 * y-protocols renews it from a 3-s interval, and every participant, the server too, drops a
 * presence not renewed for 30 s. A browser runs a hidden tab's timers once a minute at most
 * (Chrome's intensive throttling, after five minutes hidden): a follower watching the call in
 * another window would leave everyone's list every half minute and come back when the server's
 * word of it reached the page. Messages are not held back: in a meeting something arrives every
 * few seconds, and a quiet one still gets the server's keep-alive every 15 s.
 *
 * Returns the undoing, for when the session ends.
 */
export function keepPresenceFresh(provider: WebsocketProvider): () => void {
  const awareness = provider.awareness;
  const renew = (): void => {
    const meta = awareness.meta.get(awareness.clientID);
    const state = awareness.getLocalState();
    if (meta !== undefined && state !== null && Date.now() - meta.lastUpdated >= RENEW_AFTER_MS) awareness.setLocalState(state);
  };
  let socket: WebSocket | null = null;
  const onStatus = ({ status }: { status: string }): void => {
    socket?.removeEventListener('message', renew);
    socket = status === 'connected' ? provider.ws : null;
    socket?.addEventListener('message', renew);
  };
  provider.on('status', onStatus);
  return () => {
    provider.off('status', onStatus);
    socket?.removeEventListener('message', renew);
  };
}

/** All of the above, as the page uses them; returns the undoing of all. */
export function pagePresence(provider: WebsocketProvider): () => void {
  const undo = [sendOwnPresenceOnly(provider), announcePresenceOnReconnect(provider), keepPresenceFresh(provider)];
  return () => {
    for (const step of undo) step();
  };
}
