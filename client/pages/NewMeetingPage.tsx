// The create-meeting form: attendees pasted one a line (`Robert Lupton (RHL)`), the agenda typed
// as rows per day. Everything goes to the server in one POST /api/meetings.
import { useState, type JSX } from 'react';
import type { AgendaDayInput, CreateMeetingBody, CreatedMeeting } from '../../shared/api/index';
import { parseAttendeeLines } from '../meeting/attendee-lines';
import { api, ApiError } from '../api';
import { navigate } from '../router';

interface Row {
  time: string;
  minutes: string;
  topic: string;
  coordinators: string;
}

const emptyRow = (): Row => ({ time: '', minutes: '', topic: '', coordinators: '' });

function daysBetween(start: string, end: string): string[] {
  if (!start) return [];
  const out: string[] = [];
  const last = end && end >= start ? end : start;
  for (let d = new Date(`${start}T00:00:00Z`); out.length < 31; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > last) break;
    out.push(iso);
  }
  return out;
}

export function NewMeetingPage(): JSX.Element {
  const [title, setTitle] = useState('');
  const [series, setSeries] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [location, setLocation] = useState('');
  const [joinUrl, setJoinUrl] = useState('');
  const [attendeesText, setAttendeesText] = useState('');
  const [agenda, setAgenda] = useState<Record<string, Row[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const days = daysBetween(startDate, endDate);
  const attendees = parseAttendeeLines(attendeesText);
  const rowsOf = (day: string) => agenda[day] ?? [emptyRow()];
  const setRow = (day: string, index: number, patch: Partial<Row>) =>
    setAgenda((current) => {
      const rows = [...(current[day] ?? [emptyRow()])];
      rows[index] = { ...rows[index]!, ...patch };
      // Typing into the last row opens a fresh one: the agenda is typed as rows, no buttons needed.
      if (index === rows.length - 1 && rows[index]!.topic.trim() !== '') rows.push(emptyRow());
      return { ...current, [day]: rows };
    });

  const submit = async () => {
    const agendaDays: AgendaDayInput[] = days
      .map((date) => ({
        date,
        blocks: [
          {
            items: rowsOf(date)
              .filter((row) => row.topic.trim() !== '')
              .map((row) => ({
                time: row.time || null,
                minutes: row.minutes ? Number(row.minutes) : null,
                topic: row.topic.trim(),
                coordinators: row.coordinators
                  .split(/[,;]/)
                  .map((c) => c.trim())
                  .filter(Boolean),
              })),
          },
        ],
      }))
      .filter((day) => day.blocks[0]!.items.length > 0);
    const body: CreateMeetingBody = {
      title: title.trim(),
      series: series.trim() || null,
      startDate,
      endDate: endDate || null,
      timezone: timezone || null,
      location: location.trim() || null,
      joinUrl: joinUrl.trim() || null,
      attendees,
      agenda: agendaDays,
    };
    const created = await api<CreatedMeeting>('POST', '/api/meetings', body);
    navigate(`/m/${created.id}`);
  };

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>New meeting</h1>
      </header>
      <form
        className="form form-wide"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          submit()
            .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not create the meeting.'))
            .finally(() => setBusy(false));
        }}
      >
        <fieldset>
          <legend>Meeting</legend>
          <label>
            Title
            <input required autoFocus value={title} onChange={(e) => setTitle(e.target.value)} placeholder="DM Leadership Team Meeting" />
          </label>
          <div className="form-row">
            <label>
              <span>
                Series <span className="muted">(optional)</span>
              </span>
              <input value={series} onChange={(e) => setSeries(e.target.value)} placeholder="DMLT" />
            </label>
            <label>
              First day
              <input required type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
            </label>
            <label>
              <span>
                Last day <span className="muted">(optional)</span>
              </span>
              <input type="date" value={endDate} min={startDate} onChange={(e) => setEndDate(e.target.value)} />
            </label>
          </div>
          <div className="form-row">
            <label>
              Time zone
              <input value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="America/Los_Angeles" />
            </label>
            <label>
              Location
              <input value={location} onChange={(e) => setLocation(e.target.value)} placeholder="Tucson / online" />
            </label>
            <label>
              Video call link
              <input type="url" value={joinUrl} onChange={(e) => setJoinUrl(e.target.value)} placeholder="https://…" />
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Attendees</legend>
          <label>
            <span>
              One a line: <code>Robert Lupton (RHL)</code>
            </span>
            <textarea rows={6} value={attendeesText} onChange={(e) => setAttendeesText(e.target.value)} aria-describedby="attendee-count" />
          </label>
          <p id="attendee-count" className="muted small">
            {attendees.length === 0
              ? 'No attendees yet.'
              : `${attendees.length} attendee${attendees.length === 1 ? '' : 's'}: ${attendees.map((a) => (a.handle ? `${a.name} (${a.handle})` : a.name)).join(', ')}`}
          </p>
        </fieldset>
        <fieldset>
          <legend>Agenda</legend>
          {days.length === 0 && <p className="muted">Choose the dates first.</p>}
          {days.map((day) => (
            <div key={day} className="agenda-day-form">
              <h3>{new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })}</h3>
              <table className="agenda-rows">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Minutes</th>
                    <th scope="col">Topic</th>
                    <th scope="col">Coordinator(s)</th>
                  </tr>
                </thead>
                <tbody>
                  {rowsOf(day).map((row, index) => (
                    <tr key={index}>
                      <td>
                        <input type="time" aria-label={`Time of item ${index + 1}`} value={row.time} onChange={(e) => setRow(day, index, { time: e.target.value })} />
                      </td>
                      <td>
                        <input type="number" min={0} max={1440} aria-label={`Minutes of item ${index + 1}`} value={row.minutes} onChange={(e) => setRow(day, index, { minutes: e.target.value })} />
                      </td>
                      <td>
                        <input aria-label={`Topic of item ${index + 1}`} value={row.topic} onChange={(e) => setRow(day, index, { topic: e.target.value })} />
                      </td>
                      <td>
                        <input aria-label={`Coordinators of item ${index + 1}`} value={row.coordinators} onChange={(e) => setRow(day, index, { coordinators: e.target.value })} placeholder="RHL, KT" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Create meeting
          </button>
          <button type="button" onClick={() => navigate('/')}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
