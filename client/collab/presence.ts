// Who is in the session, from y-websocket awareness, read through useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';

export interface Participant {
  clientId: number;
  name: string;
  color: string;
  role: 'notetaker' | 'follower';
  /** The agenda item (heading) this notetaker's caret is in, if known. */
  section: { id: string | null; title: string } | null;
  focusing: boolean;
  isSelf: boolean;
}

/** Fields this client publishes besides Lexical's own (name, color, anchorPos, focusPos, focusing). */
export interface PresenceFields {
  role: 'notetaker' | 'follower';
  section: { id: string | null; title: string } | null;
}

function readParticipants(awareness: Awareness): Participant[] {
  const list: Participant[] = [];
  for (const [clientId, raw] of awareness.getStates()) {
    const state = raw as Record<string, unknown>;
    if (typeof state.name !== 'string') continue;
    const data = (state.awarenessData ?? {}) as Record<string, unknown>;
    const section = state.section as Participant['section'] | undefined;
    list.push({
      clientId,
      name: state.name,
      color: typeof state.color === 'string' ? state.color : '#888',
      role: data.role === 'follower' ? 'follower' : 'notetaker',
      section: section && typeof section.title === 'string' ? section : null,
      focusing: state.focusing === true,
      isSelf: clientId === awareness.clientID,
    });
  }
  // Self first, then notetakers, then followers, each by name: a stable order that does not jump.
  return list.sort(
    (a, b) =>
      Number(b.isSelf) - Number(a.isSelf) ||
      Number(a.role === 'follower') - Number(b.role === 'follower') ||
      a.name.localeCompare(b.name) ||
      a.clientId - b.clientId,
  );
}

const cache = new WeakMap<Awareness, { key: string; value: Participant[] }>();

/** A snapshot that keeps its identity while nothing visible changed (cursor moves alone do not re-render). */
function snapshot(awareness: Awareness): Participant[] {
  const value = readParticipants(awareness);
  const key = JSON.stringify(value);
  const cached = cache.get(awareness);
  if (cached && cached.key === key) return cached.value;
  cache.set(awareness, { key, value });
  return value;
}

export function useParticipants(awareness: Awareness): Participant[] {
  return useSyncExternalStore(
    (listener) => {
      awareness.on('change', listener);
      return () => awareness.off('change', listener);
    },
    () => snapshot(awareness),
  );
}

/** Distinct, readable caret colours; a user keeps theirs across reloads (stored with the name). */
// Each at least 4.5:1 against white: initials are written in white on them (WCAG AA).
export const PRESENCE_COLORS = ['#b03a0a', '#1864ab', '#237032', '#9c36b5', '#a34a04', '#0b7285', '#a61e4d', '#5f3dc4', '#4d7c0f', '#862e9c'];

export function pickColor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length]!;
}
