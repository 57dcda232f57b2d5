// A few routes do not need a router library: the path is matched here, links use navigate().
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'meetings'; series: string | null }
  | { page: 'login' }
  | { page: 'setup' }
  | { page: 'new-meeting'; after: string | null }
  | { page: 'import' }
  | { page: 'actions' }
  | { page: 'members' }
  | { page: 'edit-meeting'; id: string }
  | { page: 'proposals'; id: string; token: string | null }
  | { page: 'invite'; token: string | null }
  | { page: 'reset-password'; token: string | null }
  | { page: 'account' }
  | { page: 'meeting'; id: string; token: string | null; session: string | null; item: string | null; action: string | null }
  | { page: 'search'; q: string; token: string | null; series: string | null; from: string | null; to: string | null }
  | { page: 'doc'; name: string; role: 'notetaker' | 'follower' }
  | { page: 'not-found' };

export function parseRoute(location: Location): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  if (path === '/') return { page: 'meetings', series: query.get('series') };
  if (path === '/login') return { page: 'login' };
  if (path === '/setup') return { page: 'setup' };
  if (path === '/meetings/new') return { page: 'new-meeting', after: query.get('after') };
  if (path === '/meetings/import') return { page: 'import' };
  if (path === '/actions') return { page: 'actions' };
  if (path === '/members') return { page: 'members' };
  if (path === '/invite') return { page: 'invite', token: query.get('token') };
  if (path === '/reset-password') return { page: 'reset-password', token: query.get('token') };
  if (path === '/account') return { page: 'account' };
  const proposals = /^\/m\/([A-Za-z0-9]+)\/proposals$/.exec(path);
  if (proposals) return { page: 'proposals', id: proposals[1]!, token: query.get('token') };
  const edit = /^\/m\/([A-Za-z0-9]+)\/edit$/.exec(path);
  if (edit) return { page: 'edit-meeting', id: edit[1]! };
  const meeting = /^\/m\/([A-Za-z0-9]+)$/.exec(path);
  if (meeting) return { page: 'meeting', id: meeting[1]!, token: query.get('token'), session: query.get('session'), item: query.get('item'), action: query.get('action') };
  if (path === '/search') return { page: 'search', q: query.get('q') ?? '', token: query.get('token'), series: query.get('series'), from: query.get('from'), to: query.get('to') };
  // Development: an open document (server with OPEN_DOCUMENTS=true), /doc/<name>?role=follower
  const doc = /^\/doc\/([A-Za-z0-9][A-Za-z0-9._:-]{0,127})$/.exec(path);
  if (doc) return { page: 'doc', name: doc[1]!, role: query.get('role') === 'follower' ? 'follower' : 'notetaker' };
  return { page: 'not-found' };
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** Navigations so far: going again to the page already shown (a search submitted again) is one too. */
let visits = 0;

export function navigate(to: string, { replace = false } = {}): void {
  // The page already shown is not pushed twice onto the history.
  if (replace || to === location.pathname + location.search) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  visits++;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, () => location.pathname + location.search);
}

/** Changes at every navigation, even to the page already shown: what a page reads its data again on. */
export function useVisit(): number {
  return useSyncExternalStore(subscribe, () => visits);
}
