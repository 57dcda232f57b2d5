import { useState, type JSX } from 'react';
import { storeGuestName } from '../identity';

/** Asked once per browser when a share link opens a meeting without an account. */
export function GuestNamePrompt({ onDone, role }: { onDone: (name: string) => void; role: string }): JSX.Element {
  const [name, setName] = useState('');
  return (
    <div className="center-card">
      <form
        className="card form"
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = name.trim();
          if (!trimmed) return;
          storeGuestName(trimmed);
          onDone(trimmed);
        }}
      >
        <h1>Join the meeting notes</h1>
        <p className="muted">You were invited as a {role}. Others will see this name beside your {role === 'follower' ? 'presence' : 'cursor'}.</p>
        <label>
          Your name
          <input autoFocus required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" placeholder="e.g. Robert Lupton" />
        </label>
        <button type="submit" className="primary">
          Join
        </button>
      </form>
    </div>
  );
}
