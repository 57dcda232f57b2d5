import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectRaw } from '../helpers/clients.js';
import { CloseCode } from '../../shared/protocol/index.js';
import { addMember, api, createMeeting, sessionCookie, setupAdmin, type Account } from './support/api.js';

describe('accounts', () => {
  let server: TestServer;
  let admin: Account;

  beforeAll(async () => {
    // The login throttle's clock stands still: its delays never pass between two attempts of a test.
    server = await startServer({}, undefined, { loginClock: () => 1_000_000 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('offers setup on a fresh data directory, creates the first admin once, and never again', async () => {
    expect((await api(server, 'GET', '/api/setup')).body).toEqual({ needed: true });
    const invalid = await api(server, 'POST', '/api/setup', { body: { email: 'admin@example.org', password: 'short', name: 'Ada' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/password/);

    admin = await setupAdmin(server);
    expect(admin.user).toMatchObject({ email: 'admin@example.org', name: 'Ada Admin', role: 'admin' });
    expect((await api(server, 'GET', '/api/setup')).body).toEqual({ needed: false });

    const again = await api(server, 'POST', '/api/setup', { body: { email: 'mallory@example.org', password: 'long enough pw', name: 'Mallory' } });
    expect(again.status).toBe(403);
    expect(again.body.error).toMatch(/already exists/);
  });

  it('stores passwords as salted scrypt hashes, never in clear', () => {
    const rows = server.app.db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(rows[0]!.password_hash).not.toContain(admin.password);
  });

  it('logs in with a httpOnly, SameSite=Lax session cookie (Secure only over HTTPS) and logs out', async () => {
    const login = await api(server, 'POST', '/api/login', { body: { email: 'ADMIN@example.org', password: admin.password } });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^quorum_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = sessionCookie(login);

    const me = await api(server, 'GET', '/api/me', { cookie });
    expect(me.body).toEqual({ kind: 'member', user: admin.user });
    // The database holds only a hash of the session token.
    const token = cookie.split('=')[1]!;
    expect(JSON.stringify(server.app.db.prepare('SELECT * FROM login_sessions').all())).not.toContain(token);

    const logout = await api(server, 'POST', '/api/logout', { cookie });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/quorum_session=;/);
    expect((await api(server, 'GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('marks the cookie Secure when served over HTTPS (a PUBLIC_URL of https, as behind a TLS proxy)', async () => {
    const https = await startServer({ publicUrl: 'https://notes.example.org' });
    try {
      const setup = await api(https, 'POST', '/api/setup', { body: { email: 'a@example.org', password: 'long enough pw', name: 'A' } });
      expect(setup.status).toBe(201);
      expect(setup.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it('answers a wrong password with 401 and a clear message, and an unknown e-mail the same way', async () => {
    const wrong = await api(server, 'POST', '/api/login', { body: { email: 'admin@example.org', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'wrong e-mail or password', statusCode: 401 });
    const unknown = await api(server, 'POST', '/api/login', { body: { email: 'nobody@example.org', password: 'whatever pw' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('wrong e-mail or password');
  });

  it('slows down repeated failed logins with 429 and Retry-After, even for the right password', async () => {
    const email = 'target@example.org';
    await addMember(server, admin, email, 'Target');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api(server, 'POST', '/api/login', { body: { email, password: `guess ${i}` } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await api(server, 'POST', '/api/login', { body: { email, password: 'pw-Target-secret' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(blocked.body.error).toMatch(/too many failed logins/);
    // Other accounts are not locked out by someone guessing this one.
    expect((await api(server, 'POST', '/api/login', { body: { email: 'admin@example.org', password: admin.password } })).status).toBe(200);
  });

  it('refuses cookie-authenticated state changes from a foreign Origin, accepts its own', async () => {
    const foreign = await api(server, 'POST', '/api/meetings', {
      cookie: admin.cookie,
      headers: { origin: 'https://evil.example.com' },
      body: { title: 'Forged', startDate: '2030-01-01', attendees: [] },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('cross-origin request refused');
    const loginForged = await api(server, 'POST', '/api/login', {
      headers: { origin: 'https://evil.example.com' },
      body: { email: 'admin@example.org', password: admin.password },
    });
    expect(loginForged.status).toBe(403);

    const own = await api(server, 'POST', '/api/meetings', {
      cookie: admin.cookie,
      headers: { origin: server.url },
      body: { title: 'Same origin', startDate: '2030-01-01', attendees: [] },
    });
    expect(own.status).toBe(201);
    // Reads are not state changes.
    expect((await api(server, 'GET', '/api/me', { cookie: admin.cookie, headers: { origin: 'https://evil.example.com' } })).status).toBe(200);
  });

  it('invites members with a one-time link; only admins invite', async () => {
    const invite = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: { email: 'new@example.org' } });
    expect(invite.status).toBe(201);
    expect(invite.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite.body.url).toBe(`${server.app.config.publicUrl}/invite?token=${invite.body.token}`);
    expect(JSON.stringify(server.app.db.prepare('SELECT * FROM invites').all())).not.toContain(invite.body.token);

    const tooShort = await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'New', password: 'x' } });
    expect(tooShort.status).toBe(400);
    const accepted = await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'New Member', password: 'a fine password' } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'new@example.org', name: 'New Member', role: 'member' });
    const member = sessionCookie(accepted);
    expect((await api(server, 'GET', '/api/me', { cookie: member })).body.user.email).toBe('new@example.org');

    const reused = await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'Again', password: 'a fine password' } });
    expect(reused.status).toBe(403);
    expect((await api(server, 'POST', '/api/invites', { cookie: member, body: {} })).status).toBe(403);
    expect((await api(server, 'POST', '/api/invites', { body: {} })).status).toBe(401);

    const listed = await api(server, 'GET', '/api/invites', { cookie: admin.cookie });
    expect(listed.body.invites.find((i: { email: string }) => i.email === 'new@example.org').acceptedAt).not.toBeNull();
  });

  it('an invite without an e-mail asks for one; a revoked invite is refused', async () => {
    const open = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: {} });
    const noEmail = await api(server, 'POST', '/api/invites/accept', { body: { token: open.body.token, name: 'X', password: 'a fine password' } });
    expect(noEmail.status).toBe(403);
    expect(noEmail.body.error).toMatch(/give one/);
    expect((await api(server, 'DELETE', `/api/invites/${open.body.id}`, { cookie: admin.cookie })).status).toBe(204);
    const revoked = await api(server, 'POST', '/api/invites/accept', { body: { token: open.body.token, name: 'X', password: 'a fine password', email: 'x@example.org' } });
    expect(revoked.status).toBe(403);
  });

  it('removing a member signs them out everywhere and closes their live connections at once', async () => {
    const member = await addMember(server, admin, 'leaving@example.org', 'Leaving');
    const meeting = await createMeeting(server, admin);
    const socket = connectRaw(server.collabUrl, meeting.sessions[0]!.doc, { headers: { cookie: member.cookie } });
    await socket.opened;
    socket.handshake();
    await expect.poll(() => socket.messages.length).toBeGreaterThan(0);

    const removed = await api(server, 'DELETE', `/api/members/${member.user.id}`, { cookie: admin.cookie });
    expect(removed.status).toBe(204);
    expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'member removed' });
    expect((await api(server, 'GET', '/api/me', { cookie: member.cookie })).status).toBe(401);
    expect((await api(server, 'POST', '/api/login', { body: { email: 'leaving@example.org', password: member.password } })).status).toBe(401);
    const members = await api(server, 'GET', '/api/members', { cookie: admin.cookie });
    expect(members.body.members.map((m: { email: string }) => m.email)).not.toContain('leaving@example.org');
    expect((await api(server, 'DELETE', `/api/members/${admin.user.id}`, { cookie: admin.cookie })).status).toBe(400);
  });

  it('a member changes their own name and password: the current one is asked for, their other sessions end, this one stays', async () => {
    const member = await addMember(server, admin, 'renamer@example.org', 'Renée');
    const laptop = sessionCookie(await api(server, 'POST', '/api/login', { body: { email: 'renamer@example.org', password: member.password } }));
    const renamed = await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { name: '  Renée Martin ' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.user).toMatchObject({ email: 'renamer@example.org', name: 'Renée Martin', role: 'member' });
    expect((await api(server, 'GET', '/api/me', { cookie: laptop })).body.user.name).toBe('Renée Martin');
    expect((await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { name: '   ' } })).status).toBe(400);

    const wrong = await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { password: { current: 'not my password', next: 'a new long password' } } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('the current password is wrong');
    const short = await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { password: { current: member.password, next: 'short' } } });
    expect(short.status).toBe(400);
    expect((await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: {} })).status).toBe(400);
    expect((await api(server, 'GET', '/api/me', { cookie: laptop })).status).toBe(200);

    const changed = await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { password: { current: member.password, next: 'a new long password' } } });
    expect(changed.status).toBe(200);
    expect((await api(server, 'GET', '/api/me', { cookie: member.cookie })).status).toBe(200);
    expect((await api(server, 'GET', '/api/me', { cookie: laptop })).status).toBe(401);
    expect((await api(server, 'POST', '/api/login', { body: { email: 'renamer@example.org', password: member.password } })).status).toBe(401);
    expect((await api(server, 'POST', '/api/login', { body: { email: 'renamer@example.org', password: 'a new long password' } })).status).toBe(200);
    // A session left open does not let anyone guess the password faster than signing in does.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10 && !statuses.includes(429); attempt++) {
      statuses.push((await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { password: { current: `guess ${attempt}`, next: 'a new long password' } } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([403]));
    // Guests have no account to change.
    const meeting = await createMeeting(server, admin);
    const token = meeting.links.find((l) => l.role === 'notetaker')!.token;
    expect((await api(server, 'PATCH', '/api/me', { token, body: { name: 'Guest' } })).status).toBe(403);
    expect((await api(server, 'PATCH', '/api/me', { body: { name: 'Nobody' } })).status).toBe(401);
  });

  it('an admin makes a member an admin and back; the last admin stays one; members cannot', async () => {
    const member = await addMember(server, admin, 'promoted@example.org', 'Pro Moted');
    expect((await api(server, 'PATCH', `/api/members/${admin.user.id}`, { cookie: member.cookie, body: { role: 'member' } })).status).toBe(403);
    const promoted = await api(server, 'PATCH', `/api/members/${member.user.id}`, { cookie: admin.cookie, body: { role: 'admin' } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.user.role).toBe('admin');
    expect((await api(server, 'GET', '/api/members', { cookie: member.cookie })).status).toBe(200);
    // Two admins: one may step down; then the other is the last, and may not.
    expect((await api(server, 'PATCH', `/api/members/${member.user.id}`, { cookie: member.cookie, body: { role: 'member' } })).body.user.role).toBe('member');
    const last = await api(server, 'PATCH', `/api/members/${admin.user.id}`, { cookie: admin.cookie, body: { role: 'member' } });
    expect(last.status).toBe(400);
    expect(last.body.error).toBe('the last admin cannot stop being one');
    expect((await api(server, 'GET', '/api/members', { cookie: member.cookie })).status).toBe(403);
    expect((await api(server, 'PATCH', '/api/members/nosuchmember', { cookie: admin.cookie, body: { role: 'admin' } })).status).toBe(404);
    expect((await api(server, 'PATCH', `/api/members/${member.user.id}`, { cookie: admin.cookie, body: { role: 'owner' } })).status).toBe(400);
  });

  it('a member who forgot their password gets a one-time link from an admin: it sets it once, every session ends, a new link withdraws the last', async () => {
    const member = await addMember(server, admin, 'forgetful@example.org', 'For Getful');
    expect((await api(server, 'POST', `/api/members/${admin.user.id}/password-reset`, { cookie: member.cookie })).status).toBe(403);
    const first = await api(server, 'POST', `/api/members/${member.user.id}/password-reset`, { cookie: admin.cookie });
    expect(first.status).toBe(201);
    const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
    expect(first.body.url).toMatch(new RegExp(`^${server.app.config.publicUrl}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
    expect(JSON.stringify(server.app.db.prepare('SELECT * FROM password_resets').all())).not.toContain(tokenOf(first.body.url));
    const second = await api(server, 'POST', `/api/members/${member.user.id}/password-reset`, { cookie: admin.cookie });
    const withdrawn = await api(server, 'POST', '/api/password-resets/lookup', { body: { token: tokenOf(first.body.url) } });
    expect(withdrawn.status).toBe(403);
    expect(withdrawn.body.error).toBe('this password link is unknown, used, withdrawn or expired');

    const token = tokenOf(second.body.url);
    expect((await api(server, 'POST', '/api/password-resets/lookup', { body: { token } })).body).toEqual({ email: 'forgetful@example.org', name: 'For Getful' });
    expect((await api(server, 'POST', '/api/password-resets/accept', { body: { token, password: 'short' } })).status).toBe(400);
    const used = await api(server, 'POST', '/api/password-resets/accept', { body: { token, password: 'remembered at last' } });
    expect(used.status).toBe(200);
    expect(used.body.user.email).toBe('forgetful@example.org');
    expect((await api(server, 'GET', '/api/me', { cookie: sessionCookie(used) })).body.user.name).toBe('For Getful');
    expect((await api(server, 'GET', '/api/me', { cookie: member.cookie })).status).toBe(401);
    expect((await api(server, 'POST', '/api/login', { body: { email: 'forgetful@example.org', password: 'remembered at last' } })).status).toBe(200);
    expect((await api(server, 'POST', '/api/password-resets/accept', { body: { token, password: 'a second try here' } })).status).toBe(403);
    expect((await api(server, 'POST', '/api/members/nosuchmember/password-reset', { cookie: admin.cookie })).status).toBe(404);
  });

  it('a removed member invited again comes back as themselves: the meetings they own are theirs again', async () => {
    const member = await addMember(server, admin, 'returning@example.org', 'Re Turning');
    const owned = await createMeeting(server, member, { title: 'Returning’s meeting' });
    expect((await api(server, 'DELETE', `/api/members/${member.user.id}`, { cookie: admin.cookie })).status).toBe(204);
    const invite = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: { email: 'Returning@example.org' } });
    const back = await api(server, 'POST', '/api/invites/accept', { body: { token: invite.body.token, name: 'Re Turning', password: 'back again, hello' } });
    expect(back.status).toBe(201);
    expect(back.body.user).toEqual({ ...member.user, name: 'Re Turning' });
    const cookie = sessionCookie(back);
    const meeting = await api(server, 'GET', `/api/meetings/${owned.id}`, { cookie });
    expect(meeting.body.access.canManage).toBe(true);
    // Their address names one account: a second invite for it finds it taken.
    const again = await api(server, 'POST', '/api/invites', { cookie: admin.cookie, body: { email: 'returning@example.org' } });
    const taken = await api(server, 'POST', '/api/invites/accept', { body: { token: again.body.token, name: 'Someone', password: 'another password' } });
    expect(taken.status).toBe(409);
    expect((await api(server, 'GET', '/api/members', { cookie: admin.cookie })).body.members.filter((m: { email: string }) => m.email.toLowerCase() === 'returning@example.org')).toHaveLength(1);
  });

  it('a password changed, or set with a link, closes the live connections of the sessions it ends, not those of the session that changed it', async () => {
    const member = await addMember(server, admin, 'connected@example.org', 'Con Nected');
    const laptop = sessionCookie(await api(server, 'POST', '/api/login', { body: { email: 'connected@example.org', password: member.password } }));
    const meeting = await createMeeting(server, admin);
    const doc = meeting.sessions[0]!.doc;
    const open = async (cookie: string) => {
      const socket = connectRaw(server.collabUrl, doc, { headers: { cookie } });
      await socket.opened;
      socket.handshake();
      await expect.poll(() => socket.messages.length).toBeGreaterThan(0);
      return socket;
    };
    const here = await open(member.cookie);
    const there = await open(laptop);
    const changed = await api(server, 'PATCH', '/api/me', { cookie: member.cookie, body: { password: { current: member.password, next: 'a changed password' } } });
    expect(changed.status).toBe(200);
    expect(await there.closed).toEqual({ code: CloseCode.Forbidden, reason: 'signed out: the password was changed' });
    // The page that changed it stays connected: a round trip still answers.
    const before = here.messages.length;
    here.handshake();
    await expect.poll(() => here.messages.length).toBeGreaterThan(before);

    // A password link ends every session, this one's connections too.
    const link = await api(server, 'POST', `/api/members/${member.user.id}/password-reset`, { cookie: admin.cookie });
    const token = new URL(link.body.url).searchParams.get('token')!;
    expect((await api(server, 'POST', '/api/password-resets/accept', { body: { token, password: 'a password set anew' } })).status).toBe(200);
    expect(await here.closed).toEqual({ code: CloseCode.Forbidden, reason: 'signed out: the password was changed' });
  });
});
