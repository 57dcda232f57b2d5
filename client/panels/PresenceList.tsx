import type { JSX } from 'react';
import type { Participant } from '../collab/presence';

/** Followers can be dozens: a few faces, then the count (names in the tooltip). */
const MAX_FOLLOWER_AVATARS = 8;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  const letters = parts.length === 1 ? parts[0]!.slice(0, 2) : parts[0]![0]! + parts[parts.length - 1]![0]!;
  return letters.toUpperCase();
}

/** Who is here: notetakers (with the agenda item they are typing in) and followers. */
export function PresenceList({
  participants,
  following,
  onFollow,
}: {
  participants: Participant[];
  /** Client id being followed, when this viewer follows a notetaker. */
  following: number | null;
  onFollow?: (clientId: number | null) => void;
}): JSX.Element {
  const notetakers = participants.filter((p) => p.role === 'notetaker');
  const followers = participants.filter((p) => p.role === 'follower');
  return (
    <div className="presence" role="group" aria-label="People in this session">
      <ul className="presence-list" data-testid="presence">
        {notetakers.map((p) => (
          <li key={p.clientId} className="presence-person" title={`${p.name}${p.isSelf ? ' (you)' : ''} · notetaker${p.section ? ` · in ${p.section.title}` : ''}`}>
            <span className="avatar" style={{ background: p.color }} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span className="presence-name">
              {p.name}
              {p.isSelf && <span className="muted"> (you)</span>}
            </span>
            {p.section && !p.isSelf && <span className="presence-where">in {p.section.title}</span>}
            {onFollow && !p.isSelf && (
              <button
                type="button"
                className="link-button"
                aria-pressed={following === p.clientId}
                onClick={() => onFollow(following === p.clientId ? null : p.clientId)}
              >
                {following === p.clientId ? 'Following' : 'Follow'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {followers.length > 0 && (
        <span className="presence-followers" title={followers.map((f) => (f.isSelf ? `${f.name} (you)` : f.name)).join(', ')} data-testid="followers">
          <span className="follower-avatars" aria-hidden="true">
            {followers.slice(0, MAX_FOLLOWER_AVATARS).map((f) => (
              <span key={f.clientId} className="avatar" style={{ background: f.color }}>
                {initials(f.name)}
              </span>
            ))}
          </span>
          <span>
            {followers.length === 1 ? `1 follower` : `${followers.length} followers`}
            {followers.length <= 3 && `: ${followers.map((f) => (f.isSelf ? `${f.name} (you)` : f.name)).join(', ')}`}
          </span>
        </span>
      )}
    </div>
  );
}
