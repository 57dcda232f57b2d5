import { useEffect, useState, type JSX } from 'react';
import type { Invite, PasswordResetInfo } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import { sentence, useSubmit } from '../forms';

function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  // Only local paths: never bounce a user to another site after signing in.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SetupPage({ onDone }: { onDone: () => void }): JSX.Element {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/api/setup', { name, email, password });
    await api('POST', '/api/login', { email, password });
    onDone();
    navigate('/');
  });
  return (
    <div className="center-card">
      <form className="card form" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to Quorum</h1>
        <p className="muted">Create the administrator account. You can invite your team afterwards.</p>
        <label>
          Your name
          <input required autoFocus value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        <label>
          E-mail
          <input required type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          <span>
            Password <span className="muted">(at least 8 characters)</span>
          </span>
          <input required type="password" minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Create account
        </button>
      </form>
    </div>
  );
}

export function LoginPage({ onDone, setupNeeded }: { onDone: () => void; setupNeeded: boolean }): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/api/login', { email, password });
    onDone();
    navigate(nextPath());
  });
  if (setupNeeded) {
    navigate('/setup', { replace: true });
  }
  return (
    <div className="center-card">
      <form className="card form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Quorum</h1>
        <label>
          E-mail
          <input required autoFocus type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" />
        </label>
        <label>
          Password
          <input required type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
        <p className="muted small">Forgot your password? An administrator of your Quorum can give you a link to set a new one.</p>
      </form>
    </div>
  );
}

/** Where an invite URL lands (`/invite?token=…`): name and password make the account, signed in. */
export function InvitePage({ token, onDone }: { token: string | null; onDone: () => void }): JSX.Element {
  const [invite, setInvite] = useState<Invite | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : 'This invitation link is incomplete: open the whole address from the invitation.');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  useEffect(() => {
    if (!token) return;
    api<Invite>('POST', '/api/invites/lookup', { token })
      .then(setInvite)
      .catch((e: unknown) => setProblem(e instanceof ApiError ? `${sentence(e.message)} Ask an administrator for a new invitation.` : 'The invitation could not be checked; try again.'));
  }, [token]);
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/api/invites/accept', { token, name, password, ...(invite?.email ? {} : { email }) });
    onDone();
    navigate('/', { replace: true });
  });
  if (problem) {
    return (
      <div className="center-card">
        <div className="card">
          <h1>This invitation cannot be used</h1>
          <p role="alert">{problem}</p>
        </div>
      </div>
    );
  }
  if (!invite) return <div className="center-card" aria-busy="true" />;
  return (
    <div className="center-card">
      <form className="card form" onSubmit={submit} aria-labelledby="invite-title">
        <h1 id="invite-title">Join Quorum</h1>
        <p className="muted">
          You were invited {invite.role === 'admin' ? 'as an administrator ' : ''}to your team’s meeting notes
          {invite.email ? (
            <>
              {' '}
              as <b>{invite.email}</b>
            </>
          ) : null}
          . Choose how you appear to others and a password.
        </p>
        <label>
          Your name
          <input required autoFocus value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        {!invite.email && (
          <label>
            <span>
              E-mail <span className="muted">(you sign in with it)</span>
            </span>
            <input required type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
          </label>
        )}
        <label>
          <span>
            Password <span className="muted">(at least 8 characters)</span>
          </span>
          <input required type="password" minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Join
        </button>
      </form>
    </div>
  );
}

/** Where a password link lands (`/reset-password?token=…`): a new password, then signed in. */
export function ResetPasswordPage({ token, onDone }: { token: string | null; onDone: () => void }): JSX.Element {
  const [account, setAccount] = useState<PasswordResetInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : 'This link is incomplete: open the whole address you were given.');
  const [password, setPassword] = useState('');
  useEffect(() => {
    if (!token) return;
    api<PasswordResetInfo>('POST', '/api/password-resets/lookup', { token })
      .then(setAccount)
      .catch((e: unknown) => setProblem(e instanceof ApiError ? `${sentence(e.message)} Ask an administrator for a new one.` : 'The link could not be checked; try again.'));
  }, [token]);
  const { busy, error, submit } = useSubmit(async () => {
    await api('POST', '/api/password-resets/accept', { token, password });
    onDone();
    navigate('/', { replace: true });
  });
  if (problem) {
    return (
      <div className="center-card">
        <div className="card">
          <h1>This link cannot be used</h1>
          <p role="alert">{problem}</p>
        </div>
      </div>
    );
  }
  if (!account) return <div className="center-card" aria-busy="true" />;
  return (
    <div className="center-card">
      <form className="card form" onSubmit={submit} aria-labelledby="reset-title">
        <h1 id="reset-title">Set a new password</h1>
        <p className="muted">
          For {account.name}, <b>{account.email}</b>. Every browser signed in as you is signed out; this one is signed in.
        </p>
        <input type="email" value={account.email} autoComplete="username" readOnly hidden />
        <label>
          <span>
            New password <span className="muted">(at least 8 characters)</span>
          </span>
          <input required autoFocus type="password" minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Set password
        </button>
      </form>
    </div>
  );
}
