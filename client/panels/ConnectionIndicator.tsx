import type { JSX } from 'react';
import type { ConnectionState } from '../collab/session';
import { useStore, type Store } from '../collab/store';

const LABELS: Record<ConnectionState['status'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

/** Connected / reconnecting / offline, and how many of your edits the server has not confirmed yet. */
export function ConnectionIndicator({ store }: { store: Store<ConnectionState> }): JSX.Element {
  // Its own subscription: the count of unconfirmed edits moves at every keystroke, and only this shows it.
  const { status, pending, readOnly, reason } = useStore(store);
  const unsynced = pending === 1 ? '1 change not yet saved' : `${pending} changes not yet saved`;
  const title = [LABELS[status], pending > 0 ? unsynced : 'all changes saved on the server', reason].filter(Boolean).join(' · ');
  return (
    <div className={`conn conn-${status}`} role="status" aria-live="polite" title={title} data-testid="connection">
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{LABELS[status]}</span>
      {pending > 0 && (
        <span className="conn-pending" data-testid="pending" aria-label={unsynced}>
          {pending} unsaved
        </span>
      )}
      {readOnly && <span className="conn-ro">{status === 'closed' && reason ? reason : 'read-only'}</span>}
      {status === 'closed' && !readOnly && reason && <span className="conn-ro">{reason}</span>}
      {status === 'reconnecting' && reason && (
        <span className="conn-ro" data-testid="connection-reason">
          {reason}
        </span>
      )}
    </div>
  );
}
