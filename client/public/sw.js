// Quorum's service worker: lets a notetaker reload the meeting page while offline. Their edits
// are already kept in IndexedDB; this keeps the app shell and the meeting's details loadable.
//  - pages: network first, else the cached app shell (index.html);
//  - /assets/*: fingerprinted, cache first;
//  - GET /api/me, /api/setup, /api/meetings/*: network first, else the last answer.
// The collaboration WebSocket never passes through here.
const CACHE = 'quorum-v1';

async function precacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/index.html', { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/index.html', response);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, fallbackKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallbackKey ?? request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(fallbackKey ?? request);
    // Marked as the cache's: the client build it names is not what the server serves now.
    if (cached) return markCached(cached);
    throw error;
  }
}

function markCached(response) {
  const headers = new Headers(response.headers);
  headers.set('x-quorum-cached', '1');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && !url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request, '/index.html'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === '/api/me' || url.pathname === '/api/setup' || /^\/api\/meetings\/[^/]+(\/actions)?$/.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});
