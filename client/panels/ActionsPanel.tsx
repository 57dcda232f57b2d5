// The meeting's action items as the server extracted them: seeded by GET /api/meetings/:id/actions
// and kept current by the `actions` control messages the server pushes on every session socket.
import { useEffect, useMemo, useState, type JSX } from 'react';
import type { ActionRecord, ActionsControlMessage } from '../../shared/notes/model';
import type { ControlMessage } from '../../shared/protocol/index';
import type { Session } from '../collab/session';
import { assigneeLabel } from '../editor/plugins/ActionHighlightPlugin';

/** The fields the panel shows; GET items and pushed records both carry them. */
export type PanelAction = Pick<ActionRecord, 'id' | 'description' | 'assignees' | 'everyone' | 'due' | 'done' | 'tickets' | 'sessionId'> &
  Partial<Pick<ActionRecord, 'assigneeText' | 'position' | 'doc' | 'removedAt' | 'agendaItemId'>>;

function isActionsMessage(message: ControlMessage): message is ActionsControlMessage & ControlMessage {
  return message.type === 'actions' && Array.isArray((message as { actions?: unknown }).actions);
}

export function useMeetingActions(session: Session | null, initial: PanelAction[] | null): PanelAction[] {
  const [byId, setById] = useState<Map<string, PanelAction>>(new Map());
  useEffect(() => {
    if (!initial) return;
    setById((current) => {
      const next = new Map(current);
      for (const action of initial) if (!next.has(action.id) && !action.removedAt) next.set(action.id, action);
      return next;
    });
  }, [initial]);
  useEffect(() => {
    if (!session) return;
    return session.onControl((message) => {
      if (!isActionsMessage(message)) return;
      setById((current) => {
        const next = new Map(current);
        // The message lists every present action of this document: replace that document's set.
        for (const [id, action] of current) {
          if (action.doc === message.doc || (message.sessionId !== null && action.sessionId === message.sessionId)) next.delete(id);
        }
        for (const id of message.removed) next.delete(id);
        for (const action of message.actions) next.set(action.id, { ...action });
        return next;
      });
    });
  }, [session]);
  return useMemo(
    () => [...byId.values()].sort((a, b) => Number(a.done) - Number(b.done) || (a.position ?? 0) - (b.position ?? 0)),
    [byId],
  );
}

function formatDue(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

export function ActionsPanel({
  actions,
  onReveal,
  exportBase,
}: {
  actions: PanelAction[];
  /** Scrolls the notes to an action's block. */
  onReveal?: (id: string) => void;
  /** `/api/meetings/:id/actions` with the share token, for the export links. */
  exportBase?: string | null;
}): JSX.Element {
  const open = actions.filter((a) => !a.done).length;
  return (
    <section className="panel actions-panel" aria-labelledby="actions-heading">
      <header className="panel-header">
        <h2 id="actions-heading">
          Actions <span className="count" data-testid="actions-count">{actions.length}</span>
        </h2>
        <span className="muted">{open} open</span>
      </header>
      {actions.length === 0 ? (
        <p className="empty">
          Actions typed in the notes appear here: start a line with <kbd>[ ]</kbd>, <kbd>ACTION:</kbd> or <kbd>TODO:</kbd>.
        </p>
      ) : (
        <ul className="actions-list" data-testid="actions-list">
          {actions.map((action) => (
            <li key={action.id} className={`action-item${action.done ? ' done' : ''}`} data-action-id={action.id}>
              <button type="button" className="action-main" onClick={() => onReveal?.(action.id)} title="Show in the notes">
                <span className="action-check" aria-label={action.done ? 'done' : 'open'}>
                  {action.done ? '☑' : '☐'}
                </span>
                <span className="action-desc">{action.description || '(no description)'}</span>
              </button>
              <div className="action-meta">
                <span className={`chip chip-assignee${action.assignees.length === 0 && !action.everyone ? ' chip-muted' : ''}`}>
                  {assigneeLabel({ everyone: action.everyone, assignees: action.assignees, assigneeText: action.assigneeText ?? [] })}
                </span>
                {action.due && <span className="chip chip-due">{formatDue(action.due)}</span>}
                {action.tickets.map((ticket) => (
                  <span key={ticket} className="chip chip-ticket">
                    {ticket}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
      {exportBase && actions.length > 0 && (
        <footer className="panel-footer">
          Export:{' '}
          {(['csv', 'md', 'json', 'ics'] as const).map((format) => (
            <a key={format} href={`${exportBase}${exportBase.includes('?') ? '&' : '?'}format=${format}`} download>
              {format.toUpperCase()}
            </a>
          ))}
        </footer>
      )}
    </section>
  );
}
