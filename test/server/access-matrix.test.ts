/**
 * Who gets what: every role against every API route and the collaboration endpoint, each with the
 * exact answer it must get. Rows that change state run against a fresh meeting per role, so one
 * role's success cannot change what the next role sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startServer, type TestServer } from '../helpers/server.js';
import { CloseCode, MessageType, SyncStep } from '../../shared/protocol/index.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import { addMember, api, createMeeting, linkToken, setupAdmin, type Account, type Credentials } from './support/api.js';
import { connectAs, replicaOf, roundTrip, sendEdit } from './support/collab.js';
import { waitFor } from '../helpers/wait.js';

const ROLES = ['anonymous', 'wrongToken', 'revokedToken', 'otherMeetingLink', 'follower', 'notetaker', 'member', 'owner', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Expected<T> = Record<Role, T>;

/** Columns in ROLES order, so each row of the table reads left to right. */
function row<T>(...values: T[]): Expected<T> {
  expect(values).toHaveLength(ROLES.length);
  return Object.fromEntries(ROLES.map((role, i) => [role, values[i]])) as Expected<T>;
}

interface Route {
  method: string;
  /** The path, given the meeting the row works on (fresh per role for state-changing rows). */
  path: (meeting: CreatedMeeting, extra: string) => string;
  body?: unknown | ((extra: string) => unknown);
  /** Makes a fresh meeting (owned by `owner`) for each role, plus whatever id the row needs. */
  fresh?: (meeting: CreatedMeeting) => Promise<string>;
  expected: Expected<number>;
}

describe('access matrix', () => {
  let server: TestServer;
  let admin: Account;
  let owner: Account;
  let member: Account;
  let meeting: CreatedMeeting;
  let otherMeeting: CreatedMeeting;
  let revokedToken: string;
  let proposalId: string;

  const credentialsFor = (role: Role, target: CreatedMeeting): Credentials => {
    switch (role) {
      case 'anonymous':
        return {};
      case 'wrongToken':
        return { token: randomBytes(32).toString('base64url') };
      case 'revokedToken':
        return { token: revokedToken };
      case 'otherMeetingLink':
        return { token: linkToken(otherMeeting, 'notetaker') };
      case 'follower':
        return { token: linkToken(target, 'follower') };
      case 'notetaker':
        return { bearer: linkToken(target, 'notetaker') };
      case 'member':
        return { cookie: member.cookie };
      case 'owner':
        return { cookie: owner.cookie };
      case 'admin':
        return { cookie: admin.cookie };
    }
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await setupAdmin(server);
    owner = await addMember(server, admin, 'owner@example.org', 'Olivia Owner');
    member = await addMember(server, admin, 'member@example.org', 'Mia Member');
    meeting = await createMeeting(server, owner, { title: 'Matrix', startDate: '2030-03-03' });
    otherMeeting = await createMeeting(server, owner, { title: 'Other' });
    const link = await api(server, 'POST', `/api/meetings/${meeting.id}/links`, { cookie: owner.cookie, body: { role: 'notetaker' } });
    await api(server, 'DELETE', `/api/meetings/${meeting.id}/links/${link.body.id}`, { cookie: owner.cookie });
    revokedToken = link.body.token;
    proposalId = (await api(server, 'POST', `/api/meetings/${meeting.id}/proposals`, { cookie: owner.cookie, body: { topic: 'Standing item' } })).body.proposal.id;
  });
  afterAll(async () => {
    await server.close();
  });

  const propose = async (target: CreatedMeeting, topic: string) =>
    (await api(server, 'POST', `/api/meetings/${target.id}/proposals`, { cookie: owner.cookie, body: { topic } })).body.proposal.id as string;

  //                                         anon wrong revoked other follower notetaker member owner admin
  const routes: Record<string, Route> = {
    'GET /api/setup': { method: 'GET', path: () => '/api/setup', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
    'GET /api/openapi.json': { method: 'GET', path: () => '/api/openapi.json', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
    'GET /api/me': { method: 'GET', path: () => '/api/me', expected: row(401, 403, 403, 200, 200, 200, 200, 200, 200) },
    'GET /api/meetings': { method: 'GET', path: () => '/api/meetings', expected: row(401, 403, 403, 403, 403, 403, 200, 200, 200) },
    'POST /api/meetings': {
      method: 'POST',
      path: () => '/api/meetings',
      body: { title: 'New', startDate: '2030-04-04', attendees: [] },
      expected: row(401, 403, 403, 403, 403, 403, 201, 201, 201),
    },
    'GET /api/meetings/:id': { method: 'GET', path: (m) => `/api/meetings/${m.id}`, expected: row(401, 403, 403, 403, 200, 200, 200, 200, 200) },
    'GET /api/meetings/:id (unknown id)': {
      method: 'GET',
      path: () => '/api/meetings/AAAAAAAAAAAAAAAAAAAAAA',
      expected: row(401, 403, 403, 403, 403, 403, 404, 404, 404),
    },
    'PATCH /api/meetings/:id': {
      method: 'PATCH',
      path: (m) => `/api/meetings/${m.id}`,
      body: { location: 'Room 101' },
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'PUT /api/meetings/:id': {
      method: 'PUT',
      path: (m) => `/api/meetings/${m.id}`,
      body: { title: 'Matrix', startDate: '2030-03-03', attendees: [] },
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'DELETE /api/meetings/:id': {
      method: 'DELETE',
      path: (m) => `/api/meetings/${m.id}`,
      fresh: async () => '',
      expected: row(401, 403, 403, 403, 403, 403, 403, 204, 204),
    },
    'POST /api/meetings/:id/close': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/close`,
      fresh: async () => '',
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'POST /api/meetings/:id/reopen': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/reopen`,
      fresh: async (m) => {
        await api(server, 'POST', `/api/meetings/${m.id}/close`, { cookie: owner.cookie });
        return '';
      },
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'GET /api/meetings/:id/links': { method: 'GET', path: (m) => `/api/meetings/${m.id}/links`, expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200) },
    'POST /api/meetings/:id/links': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/links`,
      body: { role: 'follower' },
      expected: row(401, 403, 403, 403, 403, 403, 403, 201, 201),
    },
    'POST /api/meetings/:id/links/:linkId/rotate': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/links/${m.links[1]!.id}/rotate`,
      fresh: async () => '',
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'DELETE /api/meetings/:id/links/:linkId': {
      method: 'DELETE',
      path: (m) => `/api/meetings/${m.id}/links/${m.links[1]!.id}`,
      fresh: async () => '',
      expected: row(401, 403, 403, 403, 403, 403, 403, 204, 204),
    },
    'GET /api/meetings/:id/proposals': {
      method: 'GET',
      path: (m) => `/api/meetings/${m.id}/proposals`,
      expected: row(401, 403, 403, 403, 200, 200, 200, 200, 200),
    },
    'POST /api/meetings/:id/proposals': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/proposals`,
      body: { topic: 'A topic', minutes: 10 },
      expected: row(401, 403, 403, 403, 201, 201, 201, 201, 201),
    },
    'PATCH /api/meetings/:id/proposals/:proposalId': {
      method: 'PATCH',
      path: (m) => `/api/meetings/${m.id}/proposals/${proposalId}`,
      body: { priority: 'high' },
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'DELETE /api/meetings/:id/proposals/:proposalId': {
      method: 'DELETE',
      path: (m, extra) => `/api/meetings/${m.id}/proposals/${extra}`,
      fresh: (m) => propose(m, 'to delete'),
      expected: row(401, 403, 403, 403, 403, 403, 403, 204, 204),
    },
    'POST /api/meetings/:id/proposals/:proposalId/schedule': {
      method: 'POST',
      path: (m, extra) => `/api/meetings/${m.id}/proposals/${extra}/schedule`,
      body: { date: '2030-01-07', time: '10:00' },
      fresh: (m) => propose(m, 'to schedule'),
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'POST /api/meetings/:id/proposals/:proposalId/merge': {
      method: 'POST',
      path: (m, extra) => `/api/meetings/${m.id}/proposals/${extra.split(' ')[0]}/merge`,
      body: (extra: string) => ({ into: { kind: 'proposal', id: extra.split(' ')[1] } }),
      fresh: async (m) => `${await propose(m, 'to merge')} ${await propose(m, 'merge target')}`,
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'POST /api/meetings/:id/proposals/:proposalId/unschedule': {
      method: 'POST',
      path: (m) => `/api/meetings/${m.id}/proposals/${proposalId}/unschedule`,
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    'POST /api/invites': { method: 'POST', path: () => '/api/invites', body: {}, expected: row(401, 403, 403, 403, 403, 403, 403, 403, 201) },
    'GET /api/invites': { method: 'GET', path: () => '/api/invites', expected: row(401, 403, 403, 403, 403, 403, 403, 403, 200) },
    'GET /api/members': { method: 'GET', path: () => '/api/members', expected: row(401, 403, 403, 403, 403, 403, 403, 403, 200) },
    'GET /api/series': { method: 'GET', path: () => '/api/series', expected: row(401, 403, 403, 403, 403, 403, 200, 200, 200) },
    // A series of the owner's meetings only: its owner may rename it, as may an admin.
    'PATCH /api/series/:name': {
      method: 'PATCH',
      path: (_m, series) => `/api/series/${encodeURIComponent(series)}`,
      body: (series: string) => ({ name: `${series} renamed` }),
      fresh: async (m) => {
        const series = `Matrix / series ${randomBytes(4).toString('hex')}`;
        await api(server, 'PATCH', `/api/meetings/${m.id}`, { cookie: owner.cookie, body: { series } });
        return series;
      },
      expected: row(401, 403, 403, 403, 403, 403, 403, 200, 200),
    },
    // One's own account: members only (guests have none).
    'PATCH /api/me': { method: 'PATCH', path: () => '/api/me', body: { name: 'Matrix Reader' }, expected: row(401, 403, 403, 403, 403, 403, 200, 200, 200) },
    'PATCH /api/members/:id': {
      method: 'PATCH',
      path: () => `/api/members/${member.user.id}`,
      body: { role: 'member' },
      expected: row(401, 403, 403, 403, 403, 403, 403, 403, 200),
    },
    'POST /api/members/:id/password-reset': {
      method: 'POST',
      path: () => `/api/members/${member.user.id}/password-reset`,
      expected: row(401, 403, 403, 403, 403, 403, 403, 403, 201),
    },
  };

  for (const [name, route] of Object.entries(routes)) {
    it(name, async () => {
      const actual = {} as Expected<number>;
      for (const role of ROLES) {
        const target = route.fresh ? await createMeeting(server, owner) : meeting;
        const extra = route.fresh ? await route.fresh(target) : '';
        const body = typeof route.body === 'function' ? route.body(extra) : route.body;
        const response = await api(server, route.method, route.path(target, extra), { ...credentialsFor(role, target), body });
        actual[role] = response.status;
        if (response.status >= 400) expect(response.body, `${role}: ${name}`).toMatchObject({ error: expect.any(String), statusCode: response.status });
      }
      expect(actual).toEqual(route.expected);
    });
  }

  it('DELETE /api/members/:id', async () => {
    const actual = {} as Expected<number>;
    for (const role of ROLES) {
      const target = await addMember(server, admin, `leaving-${role}@example.org`, `Leaving ${role}`);
      actual[role] = (await api(server, 'DELETE', `/api/members/${target.user.id}`, credentialsFor(role, meeting))).status;
    }
    expect(actual).toEqual(row(401, 403, 403, 403, 403, 403, 403, 403, 204));
  });

  it('POST /api/logout and POST /api/login answer everyone the same way', async () => {
    for (const role of ROLES) {
      expect((await api(server, 'POST', '/api/login', { ...credentialsFor(role, meeting), body: { email: `nobody-${role}@example.org`, password: 'x' } })).status).toBe(401);
    }
    // Logging out is always allowed (it only ends the caller's own session); use a throwaway session.
    const login = await api(server, 'POST', '/api/login', { body: { email: 'member@example.org', password: member.password } });
    expect(login.status).toBe(200);
    expect((await api(server, 'POST', '/api/logout', {})).status).toBe(204);
  });

  it('lists every API route in this matrix', () => {
    const covered = new Set([...Object.keys(routes).map((n) => n.replace(/ \(.*\)$/, '')), 'DELETE /api/members/:id', 'POST /api/logout', 'POST /api/login']);
    // Setup, invite acceptance and invite revocation are covered in auth.test.ts.
    const elsewhere = new Set(['POST /api/setup', 'POST /api/invites/accept', 'DELETE /api/invites/:id']);
    const mine = server.app.apiRoutes
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => /^\w+ \/api\/(setup|login|logout|me|invites|members(\/:id(\/password-reset)?)?|series(\/:name)?|meetings(\/:id(\/(links|proposals|close|reopen).*)?)?|openapi\.json)$/.test(r));
    const missing = mine.filter((r) => !covered.has(r) && !elsewhere.has(r));
    expect(missing).toEqual([]);
  });

  /** What a connection to the meeting's first session is allowed: refused with a code, or admitted read-only or read-write. */
  async function collabOutcome(role: Role, target: CreatedMeeting): Promise<string> {
    const credentials = credentialsFor(role, target);
    const client = connectAs(server.collabUrl, target.sessions[0]!.doc, credentials);
    try {
      let closedWith: string | null = null;
      void client.closed.then((close) => {
        closedWith = `${close.code}`;
      });
      const opening = () => client.messages.some((m) => m.type === MessageType.Sync && m.step === SyncStep.Step1);
      const outcome = await waitFor(() => closedWith ?? (opening() ? 'admitted' : null));
      if (outcome !== 'admitted') return outcome;
      const marker = ` ${role}-${randomBytes(4).toString('hex')}`;
      sendEdit(client, marker);
      await roundTrip(client);
      const text = () => server.app.collab.get(target.sessions[0]!.doc)?.doc.getText('t').toString() ?? '';
      if (text().includes(marker)) return 'read-write';
      // Applied updates are relayed back only to others; check the sender's replica was not echoed a change.
      await waitFor(() => client.messages.some((m) => m.type === MessageType.Auth));
      expect(replicaOf(client).getText('t').toString()).not.toContain(marker);
      return 'read-only';
    } finally {
      client.close();
    }
  }

  it('collaboration endpoint, open meeting', async () => {
    const actual = {} as Expected<string>;
    for (const role of ROLES) actual[role] = await collabOutcome(role, meeting);
    const [u, f] = [`${CloseCode.Unauthorized}`, `${CloseCode.Forbidden}`];
    expect(actual).toEqual(row(u, f, f, f, 'read-only', 'read-write', 'read-write', 'read-write', 'read-write'));
  });

  it('collaboration endpoint, closed meeting', async () => {
    const closed = await createMeeting(server, owner);
    await api(server, 'POST', `/api/meetings/${closed.id}/close`, { cookie: owner.cookie });
    const actual = {} as Expected<string>;
    for (const role of ROLES) actual[role] = await collabOutcome(role, closed);
    const [u, f] = [`${CloseCode.Unauthorized}`, `${CloseCode.Forbidden}`];
    expect(actual).toEqual(row(u, f, f, f, 'read-only', 'read-only', 'read-only', 'read-only', 'read-only'));
  });
});
