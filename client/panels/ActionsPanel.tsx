// The meeting's action items as the server extracted them: read by GET /api/meetings/:id/actions
// and kept current by the `actions` control messages the server pushes on every session socket.
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { ActionList, ActionRecord, ActionsPush } from '../../shared/api/index';
import { api } from '../api';
import type { Session } from '../collab/session';
import { useStoreField } from '../collab/store';
import { assigneeLabel } from '../editor/plugins/ActionHighlightPlugin';
import { formatDue } from '../dates';
import { orderActions } from './action-order';
import { AppLink } from '../AppLink';

/**
 * The meeting's actions for a session's panel: read through the API on opening and again on every
 * sync with the server (each is a new connection, and the pushes sent while the socket was down,
 * or before it joined, are lost), kept current in between by the pushes.
 */
export function useMeetingActions(session: Session, load: (() => Promise<ActionRecord[]>) | null): ActionRecord[] {
  const [byId, setById] = useState<ReadonlyMap<string, ActionRecord>>(new Map());
  const syncs = useStoreField(session.state, 'syncs');
  // Pushes received since the latest read began: its answer may predate them, so they are
  // applied again over it, in order.
  const sinceRead = useRef<ActionsPush[] | null>(null);
  useEffect(
    () =>
      session.onControl((message) => {
        if (message.type !== 'actions') return;
        sinceRead.current?.push(message);
        setById((current) => applyPush(current, message));
      }),
    [session],
  );
  useEffect(() => {
    if (!load) return;
    let current = true;
    const pushes: ActionsPush[] = [];
    sinceRead.current = pushes;
    load()
      .then((actions) => {
        if (current) setById(pushes.reduce(applyPush, new Map(actions.map((action) => [action.id, action]))));
      })
      // Offline or refused: the panel keeps what it has, and the next sync reads again.
      .catch(() => undefined)
      .finally(() => {
        if (sinceRead.current === pushes) sinceRead.current = null;
      });
    return () => {
      current = false;
    };
  }, [load, syncs]);
  return useMemo(() => [...byId.values()], [byId]);
}

function applyPush(held: ReadonlyMap<string, ActionRecord>, push: ActionsPush): ReadonlyMap<string, ActionRecord> {
  const next = new Map(held);
  // A complete list replaces what the panel holds for its session; otherwise it merges the changes.
  if (push.complete) for (const [id, action] of held) if (action.sessionId === push.sessionId) next.delete(id);
  for (const id of push.removed) next.delete(id);
  for (const action of push.actions) next.set(action.id, { ...action });
  return next;
}

/**
 * Ticks an action through the API: the server ticks the source line in the notes, and the
 * extraction pushes the new state back to every panel, so the panel never sets `done` itself.
 */
export function tickAction(id: string, done: boolean): Promise<unknown> {
  return api('PATCH', `/api/actions/${encodeURIComponent(id)}`, { done });
}

function TickButton({ action, canTick, onTicked }: { action: ActionRecord; canTick: boolean; onTicked?: () => void }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const label = action.done ? `Mark “${action.description}” open again` : `Mark “${action.description}” done`;
  if (!canTick) {
    return (
      <span className="action-check" role="img" aria-label={action.done ? 'done' : 'open'}>
        {action.done ? '☑' : '☐'}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="action-check action-tick"
      aria-label={label}
      title={action.done ? 'Mark open' : 'Mark done'}
      aria-pressed={action.done}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void tickAction(action.id, !action.done)
          .then(() => onTicked?.())
          .catch(() => undefined)
          .finally(() => setBusy(false));
      }}
    >
      {action.done ? '☑' : '☐'}
    </button>
  );
}

/** Where an action's line is, for an action this page cannot show in its own notes (another day, an earlier meeting). */
export type ActionHref = (action: ActionRecord) => string | null;

/** The page showing an action's line: `session` and `action` on the meeting's address, and the share token if any. */
export function actionLineHref(meetingId: string, action: Pick<ActionRecord, 'id' | 'sessionId'>, token: string | null = null): string {
  const query = new URLSearchParams({ ...(token ? { token } : {}), session: action.sessionId, action: action.id });
  return `/m/${encodeURIComponent(meetingId)}?${query.toString()}`;
}

function ActionRow({
  action,
  canTick,
  onReveal,
  href,
  onTicked,
  context,
  referenceDate,
}: {
  action: ActionRecord;
  canTick: boolean;
  onReveal?: (id: string) => void;
  href?: string | null;
  onTicked?: () => void;
  context?: string | null;
  /** The session's date: a due date in its year is written without the year, as in the notes' margin. */
  referenceDate?: string | undefined;
}): JSX.Element {
  return (
    <li className={`action-item${action.done ? ' done' : ''}`} data-action-id={action.id}>
      <div className="action-line">
        <TickButton action={action} canTick={canTick} onTicked={onTicked} />
        {onReveal ? (
          <button type="button" className="action-main" onClick={() => onReveal(action.id)} title="Show in the notes">
            <span className="action-desc">{action.description || '(no description)'}</span>
          </button>
        ) : href ? (
          <AppLink to={href} className="action-main" title="Show in the notes">
            <span className="action-desc">{action.description || '(no description)'}</span>
          </AppLink>
        ) : (
          <span className="action-desc">{action.description || '(no description)'}</span>
        )}
      </div>
      <div className="action-meta">
        <span className={`chip chip-assignee${action.assignees.length === 0 && !action.everyone ? ' chip-muted' : ''}`}>
          {assigneeLabel({ everyone: action.everyone, assignees: action.assignees, assigneeText: action.assigneeText ?? [] })}
        </span>
        {action.due && <span className="chip chip-due">{formatDue(action.due, referenceDate)}</span>}
        {action.tickets.map((ticket) => (
          <span key={ticket} className="chip chip-ticket">
            {ticket}
          </span>
        ))}
        {context && <span className="muted small">{context}</span>}
      </div>
    </li>
  );
}

/**
 * Open actions of earlier, closed meetings of the series, reviewed at the start of this one. Read
 * again whenever the server says they changed (an earlier meeting closed or reopened, a carried
 * action ticked, by anyone, anywhere) and on every sync with the server, since what it said while
 * the socket was down is lost.
 */
export function PastActions({
  session,
  meetingId,
  canTick,
  hrefOf,
  referenceDate,
}: {
  session: Session;
  meetingId: string;
  canTick: boolean;
  hrefOf?: ActionHref;
  referenceDate?: string;
}): JSX.Element | null {
  const [items, setItems] = useState<(ActionRecord & { meetingTitle?: string; sessionDate?: string | null })[] | null>(null);
  const syncs = useStoreField(session.state, 'syncs');
  // Answers arrive in the order asked only by chance: only the latest read may set the list.
  const reads = useRef(0);
  const load = useCallback(() => {
    const read = ++reads.current;
    api<ActionList>('GET', `/api/meetings/${encodeURIComponent(meetingId)}/past-actions?status=all`)
      .then((list) => read === reads.current && setItems(list.items.filter((a) => !a.removed)))
      // Offline or refused: the panel keeps what it has, and the next sync reads again.
      .catch(() => undefined);
  }, [meetingId]);
  useEffect(load, [load, syncs]);
  // What the series carries changed, or this meeting's details did: its series or start date
  // decide which earlier meetings it carries.
  useEffect(
    () => session.onControl((message) => (message.type === 'past-actions' || (message.type === 'meeting' && message.changed === 'details')) && load()),
    [session, load],
  );
  if (!items || items.length === 0) return null;
  const open = items.filter((a) => !a.done).length;
  return (
    <section className="panel past-actions" aria-labelledby="past-actions-heading">
      <header className="panel-header">
        <h2 id="past-actions-heading">
          Past actions <span className="count">{items.length}</span>
        </h2>
        <span className="muted">{open} open</span>
      </header>
      <ul className="actions-list" data-testid="past-actions">
        {items.map((action) => (
          <ActionRow key={action.id} action={action} canTick={canTick} onTicked={load} href={hrefOf?.(action) ?? null} context={action.meetingTitle ?? null} referenceDate={referenceDate} />
        ))}
      </ul>
    </section>
  );
}

export function ActionsPanel({
  actions,
  onReveal,
  exportBase,
  canTick = false,
  sessionId,
  sessionDates,
  hrefOf,
}: {
  actions: ActionRecord[];
  /** Scrolls the notes to an action's block. */
  onReveal?: (id: string) => void;
  /** Where the line of an action typed on another day is. */
  hrefOf?: ActionHref;
  /** `/api/meetings/:id/actions` with the share token, for the export links. */
  exportBase?: string | null;
  /** Notetakers may tick actions here (the server ticks the notes). */
  canTick?: boolean;
  /** The session on screen: its actions come first; others are labelled with their day. */
  sessionId?: string | null;
  sessionDates?: Readonly<Record<string, string>>;
}): JSX.Element {
  const open = actions.filter((a) => !a.done).length;
  const elsewhere = (a: ActionRecord) => sessionId != null && a.sessionId != null && a.sessionId !== sessionId;
  const ordered = orderActions(actions, sessionId, sessionDates);
  const referenceDate = sessionId ? sessionDates?.[sessionId] : undefined;
  const dayOf = (a: ActionRecord) => {
    const date = a.sessionId ? sessionDates?.[a.sessionId] : undefined;
    return elsewhere(a) && date ? `from ${formatDue(date, referenceDate)}` : null;
  };
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
          {ordered.map((action) => (
            <ActionRow
              key={action.id}
              action={action}
              canTick={canTick}
              onReveal={elsewhere(action) ? undefined : onReveal}
              href={elsewhere(action) ? (hrefOf?.(action) ?? null) : null}
              context={dayOf(action)}
              referenceDate={referenceDate}
            />
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
