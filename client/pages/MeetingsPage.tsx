import { useEffect, useMemo, useState, type JSX } from 'react';
import type { MeetingList, MeetingSummary, User } from '../../shared/api/index';
import { api } from '../api';
import { formatDateRange, localToday } from '../dates';
import { AppLink } from '../AppLink';

export function MeetingsPage({ me }: { me: User }): JSX.Element {
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [series, setSeries] = useState<string>('');
  useEffect(() => {
    api<MeetingList>('GET', '/api/meetings?when=all&limit=500')
      .then((list) => setMeetings(list.meetings))
      .catch((e: Error) => setError(e.message));
  }, []);
  const today = localToday();
  const allSeries = useMemo(() => [...new Set((meetings ?? []).map((m) => m.series).filter((s): s is string => !!s))].sort(), [meetings]);
  const shown = (meetings ?? []).filter((m) => series === '' || m.series === series);
  const upcoming = shown.filter((m) => (m.endDate || m.startDate) >= today).sort((a, b) => a.startDate.localeCompare(b.startDate));
  const past = shown.filter((m) => (m.endDate || m.startDate) < today).sort((a, b) => b.startDate.localeCompare(a.startDate));

  const table = (rows: MeetingSummary[], label: string) => (
    <section className="meeting-group" aria-label={label}>
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
              <select value={series} onChange={(e) => setSeries(e.target.value)}>
                <option value="">All series</option>
                {allSeries.map((s) => (
                  <option key={s}>{s}</option>
                ))}
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
      {meetings === null && !error ? (
        <p className="muted">Loading…</p>
      ) : meetings?.length === 0 ? (
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
        <>
          {table(upcoming, 'Upcoming')}
          {table(past, 'Past')}
        </>
      )}
      <p className="muted small">Signed in as {me.email}.</p>
    </div>
  );
}

