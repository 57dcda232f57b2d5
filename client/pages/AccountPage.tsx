// A member's own account: the name others see (on cursors, in the tracker, on meetings they own)
// and their password, changed with the current one. Changing it signs out every other browser of
// theirs; this one stays signed in.
import { useState, type JSX } from 'react';
import type { User, UserResponse } from '../../shared/api/index';
import { api } from '../api';
import { sentence, useSubmit } from '../forms';

function Outcome({ error, done }: { error: string | null; done: string | null }): JSX.Element | null {
  if (error)
    return (
      <p className="error" role="alert">
        {sentence(error)}
      </p>
    );
  if (done)
    return (
      <p className="notice" role="status">
        {done}
      </p>
    );
  return null;
}

export function AccountPage({ me, onChanged }: { me: User; onChanged: () => void }): JSX.Element {
  const [name, setName] = useState(me.name);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const naming = useSubmit(async () => {
    await api<UserResponse>('PATCH', '/api/me', { name });
    onChanged();
    return 'Your name is changed.';
  });
  const password = useSubmit(async () => {
    await api<UserResponse>('PATCH', '/api/me', { password: { current, next } });
    setCurrent('');
    setNext('');
    return 'Your password is changed. Your other browsers and devices are signed out.';
  });
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>Your account</h1>
      </header>
      <p className="muted">
        Signed in as {me.email}
        {me.role === 'admin' ? ', an administrator' : ''}.
      </p>
      <form className="card form account-form" onSubmit={naming.submit} aria-labelledby="name-heading">
        <h2 id="name-heading">Name</h2>
        <label>
          <span>
            Your name <span className="muted">(on your cursor, your meetings and the tracker)</span>
          </span>
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        <Outcome error={naming.error} done={naming.done} />
        <button type="submit" disabled={naming.busy || name.trim() === '' || name.trim() === me.name}>
          Save name
        </button>
      </form>
      <form className="card form account-form" onSubmit={password.submit} aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        {/* For the browser's password manager: whose password this is. */}
        <input type="email" value={me.email} autoComplete="username" readOnly hidden />
        <label>
          Current password
          <input required type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
        </label>
        <label>
          <span>
            New password <span className="muted">(at least 8 characters)</span>
          </span>
          <input required type="password" minLength={8} value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />
        </label>
        <Outcome error={password.error} done={password.done} />
        <button type="submit" disabled={password.busy}>
          Change password
        </button>
      </form>
    </div>
  );
}
