// Topic proposals of a meeting: anyone with access proposes a topic while the meeting is open; the
// owner schedules one into a day and time (it becomes an agenda item, and its heading appears in
// that day's notes), merges it into another proposal or an agenda item, or takes it off the
// agenda again.
import { useCallback, useEffect, useRef, useState, type JSX } from 'react';
import type { Meeting, Proposal } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import { storedGuestName } from '../identity';
import { formatDate } from '../dates';

const dayLabel = (date: string): string => formatDate(date, { weekday: 'long', day: 'numeric', month: 'short' });

type Priority = 'low' | 'medium' | 'high' | '';

function ProposeForm({ meetingId, defaultName, onDone }: { meetingId: string; defaultName: string; onDone: () => void }): JSX.Element {
  const [topic, setTopic] = useState('');
  const [requestedBy, setRequestedBy] = useState(defaultName);
  const [minutes, setMinutes] = useState('');
  const [priority, setPriority] = useState<Priority>('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  return (
    <form
      className="form"
      aria-labelledby="propose-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (sending) return; // a second Enter or click while the first is on its way proposes nothing twice
        setError(null);
        setSending(true);
        api('POST', `/api/meetings/${encodeURIComponent(meetingId)}/proposals`, {
          topic: topic.trim(),
          requestedBy: requestedBy.trim() || null,
          minutes: minutes ? Number(minutes) : null,
          priority: priority || null,
          notes: notes.trim() || null,
        })
          .then(() => {
            setTopic('');
            setMinutes('');
            setPriority('');
            setNotes('');
            onDone();
          })
          .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not propose the topic.'))
          .finally(() => setSending(false));
      }}
    >
      <h2 id="propose-heading">Propose a topic</h2>
      <label>
        Topic
        <input required value={topic} onChange={(e) => setTopic(e.target.value)} />
      </label>
      <div className="form-row">
        <label>
          Requested by
          <input value={requestedBy} onChange={(e) => setRequestedBy(e.target.value)} />
        </label>
        <label>
          Minutes
          <input type="number" min={0} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        <label>
          Priority
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            <option value="">—</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
          </select>
        </label>
      </div>
      <label>
        <span>
          Notes <span className="muted">(optional)</span>
        </span>
        <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" aria-disabled={sending}>
          Propose
        </button>
      </div>
    </form>
  );
}

/** The owner's controls for one open proposal: schedule into a slot, or merge into another topic. */
function Arrange({ meeting, proposal, others, run }: { meeting: Meeting; proposal: Proposal; others: Proposal[]; run: (path: string, body: unknown) => void }): JSX.Element {
  const days = meeting.sessions.map((s) => s.date);
  const [date, setDate] = useState(days[0] ?? '');
  const [time, setTime] = useState('');
  const [into, setInto] = useState('');
  const items = meeting.agenda.flatMap((day) => day.blocks.flatMap((block) => block.items.map((item) => ({ day: day.date, item }))));
  const base = `/api/meetings/${encodeURIComponent(meeting.id)}/proposals/${proposal.id}`;
  return (
    <div className="proposal-arrange">
      <div className="form-inline">
        <label>
          Day
          <select value={date} onChange={(e) => setDate(e.target.value)} aria-label={`Day to schedule ${proposal.topic}`}>
            {days.map((d) => (
              <option key={d} value={d}>
                {dayLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} aria-label={`Time to schedule ${proposal.topic}`} />
        </label>
        <button type="button" className="small-button primary" onClick={() => run(`${base}/schedule`, { date, time: time || null })}>
          Schedule
        </button>
      </div>
      <div className="form-inline">
        <label>
          Merge into
          <select value={into} onChange={(e) => setInto(e.target.value)} aria-label={`Merge ${proposal.topic} into`}>
            <option value="">—</option>
            <optgroup label="Other proposals">
              {others.map((other) => (
                <option key={other.id} value={`proposal:${other.id}`}>
                  {other.topic}
                </option>
              ))}
            </optgroup>
            <optgroup label="Agenda items">
              {items.map(({ day, item }) => (
                <option key={item.id} value={`item:${item.id}`}>
                  {dayLabel(day)} {item.time ?? ''} {item.topic}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button
          type="button"
          className="small-button"
          disabled={into === ''}
          onClick={() => {
            const [kind, id] = into.split(':') as ['proposal' | 'item', string];
            run(`${base}/merge`, { into: { kind, id } });
          }}
        >
          Merge
        </button>
      </div>
    </div>
  );
}

export function ProposalsPage({ id, token, memberName }: { id: string; token: string | null; memberName: string | null }): JSX.Element {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [proposals, setProposals] = useState<Proposal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Loads overlap (the page's first load, then one after every change); only the latest may land,
  // or a slow early answer would put a scheduled topic back under "Not scheduled yet".
  const generation = useRef(0);
  const load = useCallback(() => {
    const current = ++generation.current;
    const latest = <T,>(apply: (value: T) => void) => (value: T) => {
      if (current === generation.current) apply(value);
    };
    api<Meeting>('GET', `/api/meetings/${encodeURIComponent(id)}`)
      .then(latest(setMeeting))
      .catch(latest((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the meeting.')));
    api<{ proposals: Proposal[] }>('GET', `/api/meetings/${encodeURIComponent(id)}/proposals`)
      .then(latest((list: { proposals: Proposal[] }) => setProposals(list.proposals)))
      .catch(latest(() => setProposals([])));
  }, [id]);
  useEffect(load, [load]);
  const run = (path: string, body?: unknown) => {
    setError(null);
    api('POST', path, body)
      .then(load)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'));
  };

  const back = `/m/${encodeURIComponent(id)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  if (!meeting || !proposals) {
    return (
      <div className="page page-narrow">
        <h1>Topic proposals</h1>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
    );
  }
  const manage = meeting.access.canManage && !meeting.closed;
  const topicOf = (kind: 'proposal' | 'item', target: string): string =>
    kind === 'proposal'
      ? (proposals.find((p) => p.id === target)?.topic ?? 'another proposal')
      : (meeting.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items)).find((i) => i.id === target)?.topic ?? 'an agenda item');
  const slotOf = (itemId: string | null): string => {
    for (const day of meeting.agenda) {
      for (const block of day.blocks) {
        const item = block.items.find((i) => i.id === itemId);
        if (item) return `${dayLabel(day.date)}${item.time ? ` at ${item.time}` : ''}`;
      }
    }
    return 'the agenda';
  };
  const open = proposals.filter((p) => p.status === 'unscheduled');
  const scheduled = proposals.filter((p) => p.status === 'scheduled');
  const merged = proposals.filter((p) => p.status === 'merged');
  const describe = (p: Proposal) => (
    <>
      <b>{p.topic}</b>
      <span className="muted small">
        {[p.requestedBy ? `requested by ${p.requestedBy}` : null, p.minutes ? `${p.minutes} min` : null, p.priority ? `${p.priority} priority` : null].filter(Boolean).join(' · ')}
      </span>
      {p.notes && <p className="small">{p.notes}</p>}
    </>
  );

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>Topic proposals · {meeting.title}</h1>
        <button type="button" onClick={() => navigate(back)}>
          Back to the meeting
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Not scheduled yet</h2>
        {open.length === 0 && <p className="muted">None.</p>}
        <ul className="proposal-list">
          {open.map((p) => (
            <li key={p.id} className="proposal" data-testid="proposal">
              {describe(p)}
              {manage && (
                <Arrange
                  meeting={meeting}
                  proposal={p}
                  others={open.filter((o) => o.id !== p.id)}
                  run={(path, body) => run(path, body)}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="scheduled-heading">
        <h2 id="scheduled-heading">Scheduled</h2>
        {scheduled.length === 0 && <p className="muted">None.</p>}
        <ul className="proposal-list">
          {scheduled.map((p) => (
            <li key={p.id} className="proposal" data-testid="proposal">
              {describe(p)}
              <span className="small">On {slotOf(p.itemId)}.</span>
              {manage && (
                <button type="button" className="small-button" onClick={() => run(`/api/meetings/${encodeURIComponent(meeting.id)}/proposals/${p.id}/unschedule`)}>
                  Unschedule
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {merged.length > 0 && (
        <section aria-labelledby="merged-heading">
          <h2 id="merged-heading">Merged</h2>
          <ul className="proposal-list">
            {merged.map((p) => (
              <li key={p.id} className="proposal" data-testid="proposal">
                {describe(p)}
                <span className="small">Merged into “{p.mergedInto ? topicOf(p.mergedInto.kind, p.mergedInto.id) : '?'}”.</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!meeting.closed && <ProposeForm meetingId={meeting.id} defaultName={memberName ?? storedGuestName() ?? ''} onDone={load} />}
    </div>
  );
}
