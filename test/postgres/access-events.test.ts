/**
 * Access changes reach live connections on every server: two servers on one PostgreSQL, clients
 * on both, changes published on one (as Quorum's routes publish them) and applied on the other
 * through LISTEN/NOTIFY.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeCodes, connectProvider, type ProviderClient } from '../helpers/clients.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { scopeOf } from '../../server/plugins/collab-access.js';
import { startCollabNode, type CollabNode } from '../../scripts/cluster/collab-node.js';

let db: TestDatabase;
let here: CollabNode;
let there: CollabNode;
const clients: ProviderClient[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  here = await startCollabNode(db.url);
  there = await startCollabNode(db.url);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await here.close();
  await there.close();
  await db.drop();
});

type Who = { meeting: string; link?: string; user?: string; role?: 'notetaker' | 'follower' };

/** A client of `doc` on `node`, with the close codes its socket gets. */
async function join(node: CollabNode, doc: string, who: Who): Promise<ProviderClient & { codes: number[] }> {
  const params: Record<string, string> = { meeting: who.meeting, role: who.role ?? 'notetaker' };
  if (who.link) params.link = who.link;
  if (who.user) params.user = who.user;
  const client = connectProvider(node.collabUrl, doc, { params });
  clients.push(client);
  const codes = closeCodes(client);
  await client.synced();
  return Object.assign(client, { codes });
}

/** Connections on `node` of `meeting`, by whether they may write. */
function writable(node: CollabNode, meeting: string): { read: number; write: number } {
  const counts = node.registry.countConnections((grant) => (scopeOf(grant).meetingId !== meeting ? 'other' : grant.readOnly ? 'read' : 'write'));
  return { read: counts.get('read') ?? 0, write: counts.get('write') ?? 0 };
}

describe('access changes across servers (PostgreSQL LISTEN/NOTIFY)', () => {
  it('revoking a link on one server cuts the sockets it admitted on another, and only those', async () => {
    const revoked = await join(there, 'm1-s1', { meeting: 'm1', link: 'old-link' });
    const kept = await join(there, 'm1-s1', { meeting: 'm1', link: 'other-link' });
    const local = await join(here, 'm1-s2', { meeting: 'm1', link: 'old-link' });

    expect(here.events.publish({ type: 'link-revoked', linkId: 'old-link', reason: 'link revoked' })).toBe(1);
    await waitFor(() => revoked.codes.includes(4403) && local.codes.includes(4403), { message: 'the link’s sockets were not cut' });
    // The other link's socket saw the same notification and stays.
    await waitFor(() => there.registry.countConnections(() => 'all').get('all') === 1);
    expect(kept.codes).toEqual([]);
    expect(kept.provider.wsconnected).toBe(true);
  });

  it('closing a meeting on one server turns its sockets read-only on the other; reopening gives notetakers back their pen', async () => {
    await join(there, 'm2-s1', { meeting: 'm2', role: 'notetaker' });
    await join(there, 'm2-s1', { meeting: 'm2', role: 'notetaker' });
    await join(there, 'm2-s1', { meeting: 'm2', role: 'follower' });
    const elsewhere = await join(there, 'm3-s1', { meeting: 'm3' });
    expect(writable(there, 'm2')).toEqual({ read: 1, write: 2 });

    here.events.publish({ type: 'meeting-closed', meetingId: 'm2' });
    await waitFor(() => writable(there, 'm2').read === 3);
    expect(writable(there, 'm3')).toEqual({ read: 0, write: 1 });
    // The server holds to it: an edit from a socket of the closed meeting is not applied.
    const before = there.registry.get('m2-s1')!.doc.getText('notes').toString();
    const writer = clients[0]!;
    writer.doc.getText('notes').insert(0, 'after the close');
    elsewhere.doc.getText('notes').insert(0, 'still open');
    await waitFor(() => there.registry.get('m3-s1')?.doc.getText('notes').toString() === 'still open');
    expect(there.registry.get('m2-s1')!.doc.getText('notes').toString()).toBe(before);

    here.events.publish({ type: 'meeting-reopened', meetingId: 'm2' });
    await waitFor(() => writable(there, 'm2').write === 2);
    expect(writable(there, 'm2').read).toBe(1);
  });

  it('after missing the others’ changes (its listening connection cut), a server sends its connections to be admitted afresh', async () => {
    const watched = await join(there, 'm5-s1', { meeting: 'm5', link: 'some-link' });
    // This test's database only: other test files run beside it on the same server.
    const { rowCount } = await db.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN quorum_access'`,
    );
    // Both servers' listeners (once, on a machine under heavy load, a third such session was
    // seen here; applying an event twice changes nothing, every event is idempotent).
    expect(rowCount).toBeGreaterThanOrEqual(2);
    // Both servers lost their listener; whatever was published meanwhile, each admits its
    // connections afresh once it hears again, and they come back.
    await waitFor(() => watched.codes.includes(1013), { message: 'the connection was not sent to be admitted afresh' });
    await watched.synced();
    expect(watched.provider.wsconnected).toBe(true);
  });

  it('removing a member and deleting a meeting reach the other server', async () => {
    const member = await join(there, 'm4-s1', { meeting: 'm4', user: 'u-kim' });
    const guest = await join(there, 'm4-s1', { meeting: 'm4', link: 'guest-link' });
    here.events.publish({ type: 'member-removed', userId: 'u-kim' });
    await waitFor(() => member.codes.includes(4403));
    expect(guest.codes).toEqual([]);

    here.events.publish({ type: 'meeting-deleted', meetingId: 'm4', docs: ['m4-s1'], reason: 'meeting deleted' });
    await waitFor(() => guest.codes.includes(4404));
    await waitFor(() => there.registry.get('m4-s1') === undefined);
  });
});
