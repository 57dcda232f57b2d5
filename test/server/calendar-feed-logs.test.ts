// A calendar feed's token sits in the URL path (calendar apps send no headers): the real server's
// request logs must show the path without it, for good, bad and revoked tokens alike.

import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { tempDataDir } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, setupAdmin } from './support/api.js';

describe('calendar feed logs', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  afterAll(async () => {
    child?.proc.kill('SIGTERM');
    await child?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never contain a feed token', async () => {
    child = await startChildServer(dataDir, { LOG_LEVEL: 'debug' });
    const server = child;
    const admin = await setupAdmin(server);
    const created = await api<{ url: string }>(server, 'POST', '/api/me/calendar-feed', { cookie: admin.cookie });
    const path = new URL(created.body.url).pathname;
    const token = path.slice('/api/calendar/'.length, -'.ics'.length);
    expect((await fetch(`${server.url}${path}?style=todo`)).status).toBe(200);
    await api(server, 'DELETE', '/api/me/calendar-feed', { cookie: admin.cookie });
    expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    const wrong = 'x'.repeat(43);
    expect((await fetch(`${server.url}/api/calendar/${wrong}.ics`)).status).toBe(404);

    await waitFor(() => server.logs.filter((line) => line.includes('/api/calendar/[redacted]')).length >= 3);
    const logs = server.logs.join('\n');
    expect(logs).toContain('/api/calendar/[redacted]?style=todo');
    for (const secret of [token, wrong]) expect(logs).not.toContain(secret);
  });
});
