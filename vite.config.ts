import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

// The client lives in client/ and is built into dist/client, which the Fastify server serves.
// In `npm run dev` Vite serves the client with hot reload and forwards the API and the
// collaboration WebSocket to the API server (API_PORT, default 3000).
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

/**
 * Refuses to build a client whose @lexical/yjs and yjs lack the caret patch
 * (scripts/patch-lexical-yjs.mjs, applied by npm install): without it, notetakers typing at one
 * spot interleave their letters.
 */
const requireCaretPatch = {
  name: 'quorum:require-lexical-yjs-caret-patch',
  buildStart() {
    execFileSync(process.execPath, [fileURLToPath(new URL('./scripts/patch-lexical-yjs.mjs', import.meta.url)), '--check'], { stdio: 'inherit' });
  },
};

export default defineConfig({
  // Absolute, so builds started from any directory (tests, scripts) find the client.
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react(), requireCaretPatch],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // Built for operators decoding stack traces; not served (server/routes/static.ts) nor referenced.
    sourcemap: 'hidden',
    // Lexical, React and Yjs are one ~770 kB bundle: fine for an app that stays open all meeting.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
      '/collab': { target: apiTarget, ws: true },
    },
  },
});
