/**
 * The reference server: @y/websocket-server 0.1.1's `setupWSConnection` on a plain http + ws
 * server, in memory (no YPERSISTENCE), exactly like its own bin/server.js but on a free port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { announceReady, onStop } from './ready.js';

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
});
wss.on('connection', (ws, request) => setupWSConnection(ws, request));
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(0, '127.0.0.1', () => announceReady((server.address() as AddressInfo).port));
onStop(async () => {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
