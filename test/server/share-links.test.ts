// The owner can copy a meeting's links at any time: the addresses come back from the server
// (sealed under DATA_DIR's key), never from a copy the page kept. Rotating still cuts off the old
// address; a revoked link keeps no address; a database without its key keeps every link working.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.js';
import { LINK_KEY_FILE } from '../../server/meetings/link-sealer.js';
import type { Meeting, ShareLink } from '../../shared/api/index.js';
import { addMember, api, createMeeting, linkToken, setupAdmin } from './support/api.js';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const tokenOf = (url: string | null | undefined): string | null => (url ? new URL(url).searchParams.get('token') : null);

async function links(target: TestServer, cookie: string, meetingId: string): Promise<ShareLink[]> {
  const response = await api<{ links: ShareLink[] }>(target, 'GET', `/api/meetings/${meetingId}/links`, { cookie });
  expect(response.status).toBe(200);
  return response.body.links;
}

describe('share links the owner can copy again', () => {
  it('gives the owner both addresses after creation, in the links list and the meeting', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const owner = await addMember(server, admin, 'owner@example.org', 'Olivia Owner');
    const meeting = await createMeeting(server, owner);
    const listed = await links(server, owner.cookie, meeting.id);
    for (const role of ['notetaker', 'follower'] as const) {
      expect(tokenOf(listed.find((l) => l.role === role)!.url)).toBe(linkToken(meeting, role));
    }
    const read = await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { cookie: owner.cookie });
    expect(read.body.links!.map((l) => tokenOf(l.url)).sort()).toEqual([linkToken(meeting, 'notetaker'), linkToken(meeting, 'follower')].sort());
    // Only a manager sees links at all: a guest, or another member, does not.
    const other = await addMember(server, admin, 'other@example.org', 'Otto Other');
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}/links`, { cookie: other.cookie })).status).toBe(403);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}/links`, { token: linkToken(meeting, 'notetaker') })).status).toBe(403);
    const asGuest = await api<Meeting>(server, 'GET', `/api/meetings/${meeting.id}`, { token: linkToken(meeting, 'notetaker') });
    expect(asGuest.body).not.toHaveProperty('links');
    // The database never holds a token in the clear.
    const dump = JSON.stringify(server.app.db.prepare('SELECT * FROM share_links').all());
    for (const role of ['notetaker', 'follower'] as const) expect(dump).not.toContain(linkToken(meeting, role));
    // The key is the data directory's own, readable by the server's user only.
    expect(statSync(join(server.dataDir, LINK_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('shows the new address after a rotation, and none for a revoked link; the old address opens nothing', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin);
    const edit = meeting.links.find((l) => l.role === 'notetaker')!;
    const rotated = await api<ShareLink & { token: string }>(server, 'POST', `/api/meetings/${meeting.id}/links/${edit.id}/rotate`, { cookie: admin.cookie });
    expect(rotated.status).toBe(200);
    const after = await links(server, admin.cookie, meeting.id);
    expect(tokenOf(after.find((l) => l.id === edit.id)!.url)).toBe(rotated.body.token);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: edit.token })).status).toBe(403);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: rotated.body.token })).status).toBe(200);

    const view = meeting.links.find((l) => l.role === 'follower')!;
    expect((await api(server, 'DELETE', `/api/meetings/${meeting.id}/links/${view.id}`, { cookie: admin.cookie })).status).toBe(204);
    const revoked = (await links(server, admin.cookie, meeting.id)).find((l) => l.id === view.id)!;
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.url).toBeNull();
    const row = server.app.db.prepare('SELECT token_sealed FROM share_links WHERE id = ?').get(view.id) as { token_sealed: string | null };
    expect(row.token_sealed).toBeNull();
  });

  it('keeps the addresses across a restart, and keeps links working when the key is lost', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin);
    const key = readFileSync(join(server.dataDir, LINK_KEY_FILE), 'utf8');
    server = await server.restart();
    expect((await links(server, admin.cookie, meeting.id)).map((l) => tokenOf(l.url)).sort()).toEqual(meeting.links.map((l) => l.token).sort());

    // A database restored without its key file: a new key is made, every link still opens the
    // meeting, the owner sees no address until rotating.
    await server.stop();
    rmSync(join(server.dataDir, LINK_KEY_FILE));
    server = await server.restart();
    expect(readFileSync(join(server.dataDir, LINK_KEY_FILE), 'utf8')).not.toBe(key);
    const unsealed = await links(server, admin.cookie, meeting.id);
    expect(unsealed.map((l) => l.url)).toEqual([null, null]);
    expect((await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: linkToken(meeting, 'follower') })).status).toBe(200);
    const edit = unsealed.find((l) => l.role === 'notetaker')!;
    const rotated = await api<ShareLink & { token: string }>(server, 'POST', `/api/meetings/${meeting.id}/links/${edit.id}/rotate`, { cookie: admin.cookie });
    expect(tokenOf((await links(server, admin.cookie, meeting.id)).find((l) => l.id === edit.id)!.url)).toBe(rotated.body.token);
  });

  it('refuses to start on a damaged key file, saying which file and what to do', async () => {
    server = await startServer();
    await server.stop();
    const file = join(server.dataDir, LINK_KEY_FILE);
    rmSync(file);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'not a key\n');
    await expect(server.restart()).rejects.toThrow(/link-tokens\.key does not hold a 256-bit key/);
  });
});
