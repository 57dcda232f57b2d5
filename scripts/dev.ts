// `npm run dev`: the API server (restarted by tsx on server/ and shared/ changes) plus Vite's dev
// server with hot reload, which forwards /api and /collab to it. Open the URL Vite prints.
import { spawn } from 'node:child_process';
import { createServer } from 'vite';

const apiPort = process.env.PORT ?? '3000';
const api = spawn(process.execPath, ['--import', 'tsx', '--watch-path=server', '--watch-path=shared', 'server/main.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PORT: apiPort, SERVE_CLIENT: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
});

process.env.API_PORT = apiPort;
const vite = await createServer({ configFile: 'vite.config.ts' });
await vite.listen();
vite.printUrls();

const stop = async () => {
  api.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
api.on('exit', (code) => {
  if (code !== null && code !== 0) process.stderr.write(`quorum dev: API server exited with ${code}\n`);
});
