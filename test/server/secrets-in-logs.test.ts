import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { tempDataDir } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin } from './support/api.js';
import { admitted, connectAs } from './support/collab.js';

describe('logs', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  afterAll(async () => {
    child?.proc.kill('SIGTERM');
    await child?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never contain share tokens, invite tokens, password links, session cookies or passwords', async () => {
    child = await startChildServer(dataDir, { LOG_LEVEL: 'debug' });
    const server = child;
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin);
    const follower = linkToken(meeting, 'follower');
    const notetaker = linkToken(meeting, 'notetaker');
    await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: follower });
    await api(server, 'GET', `/api/meetings/${meeting.id}`, { bearer: notetaker });
    await api(server, 'GET', `/api/meetings/${meeting.id}`, { token: 'a-wrong-token-value' });
    await api(server, 'POST', '/api/login', { body: { email: 'admin@example.org', password: 'a wrong password' } });
    const invite = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: {} });
    await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'New', password: 'the new password', email: 'new@example.org' } });
    // A password link made, its page opened, used; a password changed.
    const reset = await api(server, 'POST', `/api/members/${admin.user.id}/password-reset`, { cookie: admin.cookie });
    const resetToken = new URL(reset.body.url).searchParams.get('token')!;
    await fetch(`${server.url}/reset-password?token=${resetToken}`);
    await api(server, 'POST', '/api/password-resets/lookup', { body: { token: resetToken } });
    const reset2 = await api(server, 'POST', '/api/password-resets/accept', { body: { token: resetToken, password: 'the reset password' } });
    const resetCookie = reset2.headers.get('set-cookie')!.split(';', 1)[0]!;
    await api(server, 'PATCH', '/api/me', { cookie: resetCookie, body: { password: { current: 'a wrong current one', next: 'the next password' } } });
    await api(server, 'PATCH', '/api/me', { cookie: resetCookie, body: { password: { current: 'the reset password', next: 'the changed password' } } });
    const socket = connectAs(server.collabUrl, meeting.sessions[0]!.doc, { token: follower });
    await admitted(socket);
    socket.close();
    const refused = connectAs(server.collabUrl, meeting.sessions[0]!.doc, { token: 'another-wrong-token' });
    await refused.closed;
    await waitFor(() => server.logs.some((line) => line.includes('connection refused')));
    // Routes that match nothing, and calendar-feed paths however they are spelled.
    await api(server, 'GET', '/api/nope?token=a-token-on-a-404');
    for (const path of ['//api/calendar/feedsecret1.ics', '/API/calendar/feedsecret2.ics', '/api//calendar/feedsecret3.ics', '/api%2Fcalendar%2Ffeedsecret4.ics']) {
      await fetch(`${server.url}${path}`);
    }
    await waitFor(() => server.logs.filter((line) => line.includes('request completed')).length > 17);

    const logs = server.logs.join('\n');
    expect(logs).toContain('token=[redacted]');
    const secrets = [
      follower,
      notetaker,
      'a-wrong-token-value',
      'another-wrong-token',
      'a-token-on-a-404',
      'feedsecret1',
      'feedsecret2',
      'feedsecret3',
      'feedsecret4',
      invite.body.token,
      admin.cookie.split('=')[1]!,
      admin.password,
      'a wrong password',
      'the new password',
      resetToken,
      resetCookie.split('=')[1]!,
      'the reset password',
      'a wrong current one',
      'the next password',
      'the changed password',
    ];
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
