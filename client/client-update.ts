// Whether the server now serves a newer client than this page runs: every API answer names the
// entry script of the client it serves (server/routes/static.ts), and a page loaded before an
// upgrade, still open or reconnected after the restart, offers to reload. An old page may not
// know what the new one writes (a kind of block added to the notes), so it should not stay open
// long. The service worker marks answers it gave from its cache: those say nothing of the server now.
import { createStore } from './collab/store';
import { CACHED_ANSWER_HEADER, CLIENT_BUILD_HEADER } from '../shared/api/common';

/** This page's own entry script as index.html named it (`index-<hash>.js`); null in development. */
function ownBuild(): string | null {
  const src = document.querySelector<HTMLScriptElement>('script[type="module"][src^="/assets/"]')?.getAttribute('src');
  return src ? src.slice('/assets/'.length) : null;
}

export const clientUpdate = createStore({ available: false });

/** Reads an API answer's header: a build other than this page's means a reload gets a newer client. */
export function noteServedBuild(headers: Headers): void {
  const served = headers.get(CLIENT_BUILD_HEADER);
  if (!served || headers.has(CACHED_ANSWER_HEADER)) return;
  const own = ownBuild();
  if (own && served !== own) clientUpdate.set({ available: true });
}
