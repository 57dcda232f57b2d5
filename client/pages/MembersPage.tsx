// Administrators invite people (the invitation's address is shown to copy and send; it is used
// once), see who is a member, make members administrators and back, give a member who forgot
// their password a link to set a new one (there is no e-mail: the admin sends it), withdraw open
// invitations and remove members.
import { useCallback, useEffect, useState, type JSX } from 'react';
import type { AccountRole, CreatedInvite, CreatedPasswordReset, Invite, Member, User } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { shareableUrl } from '../shareable-url';

function when(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** An address shown once, to copy and send (an invitation, a password link). */
function CopyableAddress({ url, label, testId }: { url: string; label: string; testId: string }): JSX.Element {
  return (
    <div className="share-url">
      <input readOnly value={url} aria-label={label} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="small-button" onClick={() => void navigator.clipboard?.writeText(url).catch(() => undefined)}>
        Copy
      </button>
    </div>
  );
}

export function MembersPage({ me }: { me: User }): JSX.Element {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AccountRole>('member');
  const [made, setMade] = useState<CreatedInvite | null>(null);
  const [resetLink, setResetLink] = useState<(CreatedPasswordReset & { name: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ members: Member[] }>('GET', '/api/members')
      .then((list) => setMembers(list.members))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the members.'));
    api<{ invites: Invite[] }>('GET', '/api/invites')
      .then((list) => setInvites(list.invites.filter((i) => i.acceptedAt === null)))
      .catch(() => setInvites([]));
  }, []);
  useEffect(load, [load]);

  const run = (action: () => Promise<void>) => {
    setError(null);
    action()
      .then(load)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'));
  };

  if (me.role !== 'admin') {
    return (
      <div className="page page-narrow">
        <h1>Members</h1>
        <p>Only administrators manage members.</p>
      </div>
    );
  }
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>Members</h1>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <form
          className="form form-inline"
          onSubmit={(event) => {
            event.preventDefault();
            run(async () => {
              const invite = await api<CreatedInvite>('POST', '/api/invites', { ...(email.trim() ? { email: email.trim() } : {}), role });
              setMade({ ...invite, url: shareableUrl(invite.url) });
              setEmail('');
            });
          }}
        >
          <label>
            <span>
              E-mail <span className="muted">(optional: they give one when joining)</span>
            </span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as AccountRole)}>
              <option value="member">Member</option>
              <option value="admin">Administrator</option>
            </select>
          </label>
          <button type="submit" className="primary">
            Make an invitation
          </button>
        </form>
        {made && (
          <div className="notice" role="status">
            <p>
              Send this address to {made.email ?? 'the person you invite'}. It works once, until {when(made.expiresAt)}, and is shown only now.
            </p>
            <CopyableAddress url={made.url} label="Invitation address" testId="invite-url" />
          </div>
        )}
      </section>
      {invites.length > 0 && (
        <section aria-labelledby="open-invites">
          <h2 id="open-invites">Open invitations</h2>
          <ul className="plain-list">
            {invites.map((invite) => (
              <li key={invite.id}>
                {invite.email ?? 'anyone with the address'} · {invite.role} · until {when(invite.expiresAt)}{' '}
                <button type="button" className="small-button danger" onClick={() => run(() => api('DELETE', `/api/invites/${invite.id}`))}>
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {resetLink && (
          <div className="notice" role="status">
            <p>
              Send this address to {resetLink.name}: it sets a new password once, until {new Date(resetLink.expiresAt).toLocaleString()}, signs them out everywhere, and is
              shown only now. A new link withdraws this one.
            </p>
            <CopyableAddress url={resetLink.url} label="Password link" testId="password-link" />
          </div>
        )}
        {members === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <div className="scroll-box">
            <table className="meetings-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Password link and removal</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.id}>
                    <td>{member.name}</td>
                    <td>{member.email}</td>
                    <td>
                      <select
                        aria-label={`Role of ${member.name}`}
                        value={member.role}
                        onChange={(e) => {
                          const next = e.target.value as AccountRole;
                          run(() => api('PATCH', `/api/members/${member.id}`, { role: next }));
                        }}
                      >
                        <option value="member">Member</option>
                        <option value="admin">Administrator</option>
                      </select>
                    </td>
                    <td>{when(member.createdAt)}</td>
                    <td className="row-actions">
                      {member.id !== me.id && (
                        <button
                          type="button"
                          className="small-button"
                          aria-label={`A password link for ${member.name}`}
                          onClick={() =>
                            run(async () => {
                              const link = await api<CreatedPasswordReset>('POST', `/api/members/${member.id}/password-reset`);
                              setResetLink({ ...link, url: shareableUrl(link.url), name: member.name });
                            })
                          }
                        >
                          Password link
                        </button>
                      )}{' '}
                      {member.id !== me.id && (
                        <button
                          type="button"
                          className="small-button danger"
                          aria-label={`Remove ${member.name}`}
                          onClick={() => {
                            if (confirm(`Remove ${member.name}? They are signed out everywhere at once.`)) run(() => api('DELETE', `/api/members/${member.id}`));
                          }}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
