// The tracker: actions across meetings with the API's filters (assignee, status, series, due
// before), "My actions", overdue highlighting, exports and the private calendar feed. A page of
// actions at a time: years of a team's done actions are thousands of rows.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { ActionList, ActionRecord, CalendarFeed } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { assigneeLabel } from '../editor/plugins/ActionHighlightPlugin';
import { formatDue, localToday } from '../dates';
import { AppLink } from '../AppLink';
import { tickAction } from '../panels/ActionsPanel';
import { useSeries } from '../series';
import { useFocusOnMore } from '../more';

interface Filters {
  assignee: string;
  mine: boolean;
  status: 'open' | 'done' | 'all';
  series: string;
  dueBefore: string;
}

function queryOf(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  const assignee = filters.mine ? 'me' : filters.assignee.trim();
  if (assignee) query.set('assignee', assignee);
  query.set('status', filters.status);
  if (filters.series) query.set('series', filters.series);
  if (filters.dueBefore) query.set('due_before', filters.dueBefore);
  return query;
}

function readFilters(): Filters {
  const q = new URLSearchParams(location.search);
  const status = q.get('status');
  return {
    assignee: q.get('assignee') && q.get('assignee') !== 'me' ? q.get('assignee')! : '',
    mine: q.get('assignee') === 'me',
    status: status === 'done' || status === 'all' ? status : 'open',
    series: q.get('series') ?? '',
    dueBefore: q.get('due_before') ?? '',
  };
}

/** Actions shown at first, and added by each "Show more actions". */
export const ACTIONS_PAGE = 200;

export function ActionsPage(): JSX.Element {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [items, setItems] = useState<ActionRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const series = useSeries();
  const [tick, setTick] = useState(0);
  const [wanted, setWanted] = useState(ACTIONS_PAGE);
  const [more, setMore] = useState(false);
  const [feed, setFeed] = useState<string | null>(null);
  const today = localToday();
  const query = useMemo(() => queryOf(filters).toString(), [filters]);

  useEffect(() => {
    history.replaceState(null, '', `/actions?${query}`);
    let live = true;
    // As many as are shown, read again (after a tick, too), and one more to know there are more.
    api<ActionList>('GET', `/api/actions?${query}&limit=${wanted + 1}`)
      .then((list) => {
        if (!live) return;
        setItems(list.items.slice(0, wanted));
        setMore(list.items.length > wanted);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Could not load the actions.'));
    return () => {
      live = false;
    };
  }, [query, tick, wanted]);

  const set = (patch: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setWanted(ACTIONS_PAGE);
  };
  const tableBox = useRef<HTMLDivElement>(null);
  const focusOnMore = useFocusOnMore(items?.length ?? 0, tableBox, 'tbody tr');
  const overdue = (a: ActionRecord) => !a.done && a.due !== null && a.due < today;

  return (
    <div className="page page-narrow page-wide">
      <header className="page-header">
        <h1>Actions</h1>
        <div className="page-actions">
          <button type="button" aria-pressed={filters.mine} onClick={() => set({ mine: !filters.mine })}>
            My actions
          </button>
          <button
            type="button"
            aria-pressed={filters.dueBefore === today && filters.status === 'open'}
            onClick={() => set(filters.dueBefore === today ? { dueBefore: '' } : { dueBefore: today, status: 'open' })}
          >
            Overdue
          </button>
        </div>
      </header>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Assignee
          <input value={filters.assignee} disabled={filters.mine} placeholder={filters.mine ? 'me' : 'RHL, name or e-mail'} onChange={(e) => set({ assignee: e.target.value })} />
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })}>
            <option value="open">Open</option>
            <option value="done">Done</option>
            <option value="all">All</option>
          </select>
        </label>
        <label>
          Series
          <select value={filters.series} onChange={(e) => set({ series: e.target.value })}>
            <option value="">All series</option>
            {series.map((s) => (
              <option key={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
        <label>
          Due before
          <input type="date" value={filters.dueBefore} onChange={(e) => set({ dueBefore: e.target.value })} />
        </label>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error ? (
        <p className="muted">Loading…</p>
      ) : items && items.length === 0 ? (
        <p className="muted">No actions match.</p>
      ) : (
        items && (
          <div className="scroll-box" ref={tableBox}>
            <table className="meetings-table actions-table" data-testid="tracker">
              <thead>
                <tr>
                  <th scope="col" aria-label="Done" />
                  <th scope="col">Description</th>
                  <th scope="col">Assignee</th>
                  <th scope="col">Due</th>
                  <th scope="col">Appears on</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} className={`${a.done ? 'done' : ''}${overdue(a) ? ' overdue' : ''}`}>
                    <td>
                      <button
                        type="button"
                        className="action-tick"
                        aria-pressed={a.done}
                        aria-label={a.done ? `Mark “${a.description}” open again` : `Mark “${a.description}” done`}
                        onClick={() => void tickAction(a.id, !a.done).then(() => setTick((t) => t + 1), () => undefined)}
                      >
                        {a.done ? '☑' : '☐'}
                      </button>
                    </td>
                    <td className="action-desc">
                      {a.description}
                      {a.tickets.map((t) => (
                        <span key={t} className="chip chip-ticket">
                          {t}
                        </span>
                      ))}
                    </td>
                    <td>{assigneeLabel({ everyone: a.everyone, assignees: a.assignees, assigneeText: [] })}</td>
                    <td>{a.due ? <span className={overdue(a) ? 'overdue-date' : undefined}>{formatDue(a.due)}{overdue(a) ? ' · overdue' : ''}</span> : <span className="muted">—</span>}</td>
                    <td>
                      <AppLink to={`/m/${encodeURIComponent(a.meetingId)}?session=${encodeURIComponent(a.sessionId)}&action=${encodeURIComponent(a.id)}`} title="Open the notes at this action">
                        {a.meetingTitle ?? 'meeting'}
                      </AppLink>
                      {a.sessionDate && <span className="muted small"> · {formatDue(a.sessionDate)}</span>}
                      {a.agendaItemTitle && <span className="muted small"> · {a.agendaItemTitle}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {items && more && (
        <p>
          <button
            type="button"
            onClick={() => {
              focusOnMore();
              setWanted((shown) => shown + ACTIONS_PAGE);
            }}
          >
            Show more actions
          </button>{' '}
          <span className="muted small">{items.length} shown</span>
        </p>
      )}
      <footer className="tracker-footer">
        <span className="muted">
          Export these:{' '}
          {(['csv', 'md', 'json', 'ics'] as const).map((format) => (
            <a key={format} href={`/api/actions?${query}&format=${format}`} download>
              {format.toUpperCase()}
            </a>
          ))}
        </span>
        <span className="muted">
          Calendar feed of my open actions:{' '}
          {feed ? (
            <input readOnly value={feed} aria-label="Calendar feed address" onFocus={(e) => e.currentTarget.select()} size={40} />
          ) : null}{' '}
          <button type="button" className="small-button" onClick={() => void api<CalendarFeed>('POST', '/api/me/calendar-feed').then((f) => setFeed(f.url))}>
            {feed ? 'New address' : 'Get address'}
          </button>{' '}
          <button type="button" className="small-button" onClick={() => void api('DELETE', '/api/me/calendar-feed').then(() => setFeed(null), () => setFeed(null))}>
            Revoke
          </button>
        </span>
      </footer>
    </div>
  );
}
