import type { JSX } from 'react';
import type { ConnectionState } from '../collab/session';
import { useStoreField, type Store } from '../collab/store';

const LABELS: Record<ConnectionState['status'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

/** Connected / reconnecting / offline, and how many of your edits the server has not confirmed yet. */
export function ConnectionIndicator({ store }: { store: Store<ConnectionState> }): JSX.Element {
  const status = useStoreField(store, 'status');
  const unsaved = useStoreField(store, 'unsaved');
  const readOnly = useStoreField(store, 'readOnly');
  const reason = useStoreField(store, 'reason');
  const unsynced = unsaved === 1 ? '1 change not yet saved' : `${unsaved} changes not yet saved`;
  // Nothing unsaved shown while connected can still mean edits on their way (see unsaved.ts).
  const saved = status === 'connected' || status === 'connecting' ? 'changes are saved as you type' : 'all changes saved on the server';
  const title = [LABELS[status], unsaved > 0 ? unsynced : saved, reason].filter(Boolean).join(' · ');
  return (
    <div className={`conn conn-${status}`} role="status" aria-live="polite" title={title} data-testid="connection">
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{LABELS[status]}</span>
      {unsaved > 0 && (
        <span className="conn-pending" data-testid="pending" aria-label={unsynced}>
          {unsaved} unsaved
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
