// `npm start`: build the client when its build is missing or older than its sources, then run
// the service (UI, API and collaboration on one port).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const builtIndex = join(repo, 'dist/client/index.html');
/** Everything the client bundle is made from. */
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function clientBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(repo, source)) > built);
}

if (process.env.SERVE_CLIENT !== 'false' && clientBuildIsStale()) {
  process.stdout.write('quorum: building the client (dist/client is missing or stale)…\n');
  const { build } = await import('vite');
  // Always the production bundle (Vite would follow an inherited NODE_ENV=development or test).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({ configFile: join(repo, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
}

await import('../server/main.js');
