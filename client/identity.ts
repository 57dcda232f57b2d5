// Who this browser is in a session: a signed-in member (name from the server) or a guest who
// typed a display name once (kept in localStorage). The colour follows the name.
import { pickColor } from './collab/presence';

export interface Identity {
  kind: 'member' | 'guest';
  name: string;
  color: string;
}

const GUEST_NAME_KEY = 'quorum:guest-name';

export function storedGuestName(): string | null {
  const name = localStorage.getItem(GUEST_NAME_KEY);
  return name && name.trim() !== '' ? name : null;
}

export function storeGuestName(name: string): void {
  localStorage.setItem(GUEST_NAME_KEY, name.trim());
}

export function memberIdentity(name: string): Identity {
  return { kind: 'member', name, color: pickColor(name) };
}

export function guestIdentity(name: string): Identity {
  return { kind: 'guest', name, color: pickColor(name) };
}
