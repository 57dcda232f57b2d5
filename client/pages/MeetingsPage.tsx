// The meetings list: those to come, soonest first (the next 499: no team plans further ahead); the
// past ones most recent first, a page at a time (a team's weekly meetings run into the hundreds);
// and a series' meetings by the series filter, asked of the server so that its oldest meetings are
// there too, where the series can be renamed as a whole.
import { useCallback, useEffect, useRef, useState, type JSX, type RefObject } from 'react';
import type { MeetingList, MeetingSummary, User } from '../../shared/api/index';
import { api } from '../api';
import { formatDateRange, localToday } from '../dates';
import { AppLink } from '../AppLink';
import { RenameSeries, useSeries } from '../series';
import { useFocusOnMore } from '../more';

/** Upcoming meetings shown: the most the API answers at once, less the one that tells of more. */
const UPCOMING_SHOWN = 499;

/** Past meetings shown at first, and added by each "Show older meetings". */
export const PAST_PAGE = 50;

/** A page of the list: its meetings, and whether the server has more after them. */
interface Listed {
  meetings: MeetingSummary[];
  more: boolean;
}

async function listPage(when: 'upcoming' | 'past', series: string, offset: number, size: number): Promise<Listed> {
  const query = new URLSearchParams({ when, today: localToday(), limit: String(size + 1), offset: String(offset) });
  if (series !== '') query.set('series', series);
  const { meetings } = await api<MeetingList>('GET', `/api/meetings?${query}`);
  return { meetings: meetings.slice(0, size), more: meetings.length > size };
}

export function MeetingsPage({ me, initialSeries }: { me: User; initialSeries: string }): JSX.Element {
  const [upcoming, setUpcoming] = useState<Listed | null>(null);
  const [past, setPast] = useState<Listed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [series, setSeries] = useState<string>(initialSeries);
  // The series chosen is in the address: kept on reload and Back, and a meeting's series badge links here.
  useEffect(() => {
    history.replaceState(history.state, '', series ? `/?series=${encodeURIComponent(series)}` : '/');
  }, [series]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [seriesReads, setSeriesReads] = useState(0);
  const allSeries = useSeries(seriesReads);
  const chosen = allSeries.find((s) => s.name === series);
  const [renamed, setRenamed] = useState<string | null>(null);
  // Renamed, the form is gone: the keyboard goes to what was done.
  const renamedNotice = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (renamed) renamedNotice.current?.focus();
  }, [renamed]);
  useEffect(() => {
    let live = true;
    setError(null);
    Promise.all([listPage('upcoming', series, 0, UPCOMING_SHOWN), listPage('past', series, 0, PAST_PAGE)])
      .then(([soon, before]) => {
        if (!live) return;
        setUpcoming(soon);
        setPast(before);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [series]);
  const pastList = useRef<HTMLElement>(null);
  const focusOnMore = useFocusOnMore(past?.meetings.length ?? 0, pastList, 'tbody tr');
  const older = useCallback(() => {
    if (!past) return;
    focusOnMore();
    setLoadingOlder(true);
    listPage('past', series, past.meetings.length, PAST_PAGE)
      // Unless the list was read anew meanwhile (another series chosen).
      .then((page) => setPast((shown) => (shown === past ? { meetings: [...past.meetings, ...page.meetings], more: page.more } : shown)))
      .catch((e: Error) => setError(e.message))
      .finally(() => setLoadingOlder(false));
  }, [past, series, focusOnMore]);
  const loaded = upcoming !== null && past !== null;
  const none = loaded && series === '' && upcoming.meetings.length === 0 && past.meetings.length === 0;

  const table = (rows: MeetingSummary[], label: string, ref?: RefObject<HTMLElement | null>) => (
    <section className="meeting-group" aria-label={label} ref={ref}>
      <h2>{label}</h2>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <div className="scroll-box">
          <table className="meetings-table">
            <thead>
              <tr>
                <th scope="col">Meeting</th>
                <th scope="col">Dates</th>
                <th scope="col">Series</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td>
                    <AppLink to={`/m/${m.id}`}>{m.title}</AppLink>
                  </td>
                  <td>{formatDateRange(m.startDate, m.endDate)}</td>
                  <td>{m.series ?? <span className="muted">—</span>}</td>
                  <td>{m.closed ? <span className="badge">closed</span> : <span className="badge badge-open">open</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>Meetings</h1>
        <div className="page-actions">
          {allSeries.length > 0 && (
            <label className="inline-label">
              Series
              <select
                value={series}
                onChange={(e) => {
                  setRenamed(null);
                  setSeries(e.target.value);
                }}
              >
                <option value="">All series</option>
                {allSeries.map((s) => (
                  <option key={s.name}>{s.name}</option>
                ))}
                {/* Chosen before the list of series has it (just renamed, or from the address). */}
                {series !== '' && !allSeries.some((s) => s.name === series) && <option>{series}</option>}
              </select>
            </label>
          )}
          <AppLink to="/meetings/import" className="button">
            Import minutes
          </AppLink>
          <AppLink to="/meetings/new" className="button primary">
            New meeting
          </AppLink>
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {renamed && (
        <p className="notice" role="status" tabIndex={-1} ref={renamedNotice}>
          {renamed}
        </p>
      )}
      {chosen?.canRename && (
        <div className="series-tools">
          <RenameSeries
            key={chosen.name}
            series={chosen}
            all={allSeries}
            onRenamed={(name, said) => {
              setRenamed(said);
              setSeriesReads((n) => n + 1);
              setSeries(name);
            }}
          />
        </div>
      )}
      {!loaded && !error ? (
        <p className="muted">Loading…</p>
      ) : none ? (
        <section className="empty-state" aria-labelledby="empty-state-heading">
          <h2 id="empty-state-heading">Getting started</h2>
          <ol>
            <li>
              <AppLink to="/meetings/new">Create a meeting</AppLink>: its days, attendees and agenda. It comes with two links to send: an edit link for the
              notetakers and a view link for everyone who follows along; nobody needs an account.
            </li>
            <li>
              During the call, notetakers type under each agenda item, several at once. A line that starts with <kbd>[ ]</kbd>, <kbd>ACTION:</kbd> or{' '}
              <kbd>TODO:</kbd> is an action, with whoever is named after it and any date in it.
            </li>
            <li>
              Close the meeting to lock its minutes; its open actions show in the next meeting of its series, and under <AppLink to="/actions">Actions</AppLink>.
            </li>
          </ol>
          <p className="muted">
            Minutes kept elsewhere (a wiki page, HedgeDoc, Etherpad) come in with <AppLink to="/meetings/import">Import minutes</AppLink>
            {me.role === 'admin' ? (
              <>
                ; invite the team from <AppLink to="/members">Members</AppLink>.
              </>
            ) : (
              '.'
            )}
          </p>
        </section>
      ) : (
        loaded && (
          <>
            {table(upcoming.meetings, 'Upcoming')}
            {table(past.meetings, 'Past', pastList)}
            {past.more && (
              <p>
                <button type="button" onClick={older} disabled={loadingOlder}>
                  {loadingOlder ? 'Loading…' : 'Show older meetings'}
                </button>
              </p>
            )}
          </>
        )
      )}
      <p className="muted small">Signed in as {me.email}.</p>
    </div>
  );
}

