// The meeting page: logistics and attendees, one tab per session (day), and the live session
// (notes, presence, Actions panel). Opened by members (cookie) or by share link (`?token=`).
import { useCallback, useEffect, useMemo, useState, type JSX } from 'react';
import type { LexicalEditor } from 'lexical';
import type { ActionList, AgendaDay, Attachment, Meeting } from '../../shared/api/index';
import type { Attendee as GrammarAttendee } from '../../shared/actions/index';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import { AppLink } from '../AppLink';
import { guestIdentity, memberIdentity, storedGuestName } from '../identity';
import type { Me } from '../App';
import { GuestNamePrompt } from '../meeting/GuestName';
import { SessionView } from '../meeting/SessionView';
import { ShareDialog } from '../meeting/ShareDialog';
import { AddAgendaItem } from '../meeting/AddAgendaItem';
import { HistoryPanel } from '../meeting/HistoryPanel';
import { dayStarts, daySlots, type DaySchedule } from '../meeting/agenda-clock';
import { formatDateRange, formatDay, wallClock } from '../dates';

export function MeetingPage({
  id,
  token,
  sessionParam,
  itemParam,
  actionParam,
  me,
}: {
  id: string;
  token: string | null;
  sessionParam: string | null;
  itemParam: string | null;
  actionParam: string | null;
  me: Me;
}): JSX.Element {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [guestName, setGuestName] = useState(storedGuestName());
  // Right after "Create meeting" the share dialog opens by itself: the two links are what the
  // organiser needs next.
  const [justCreated] = useState(() => new URLSearchParams(location.search).get('share') === 'new');
  const [shareOpen, setShareOpen] = useState(justCreated);
  useEffect(() => {
    if (!justCreated) return;
    const url = new URL(location.href);
    url.searchParams.delete('share');
    history.replaceState(null, '', url.pathname + url.search);
  }, [justCreated]);
  const [showDetails, setShowDetails] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);

  const load = useCallback(() => {
    const cacheKey = `quorum:meeting:${id}`;
    api<Meeting>('GET', `/api/meetings/${encodeURIComponent(id)}`)
      .then((m) => {
        setMeeting(m);
        setError(null);
        // Kept for reloads while offline: the notes come from IndexedDB, the frame from here.
        localStorage.setItem(cacheKey, JSON.stringify(m));
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError) {
          localStorage.removeItem(cacheKey);
          setError({ status: e.status, message: e.message });
          return;
        }
        const cached = localStorage.getItem(cacheKey);
        if (cached) setMeeting(JSON.parse(cached) as Meeting);
        else setError({ status: 0, message: 'The meeting could not be loaded: you seem to be offline.' });
      });
  }, [id]);
  useEffect(load, [load]);
  const loadActions = useCallback(
    () =>
      api<ActionList>('GET', `/api/meetings/${encodeURIComponent(id)}/actions`).then((list) =>
        list.items.filter((a) => !a.removed).map((a) => ({ ...a, doc: undefined })),
      ),
    [id],
  );

  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const loadAttachments = useCallback(() => {
    api<{ attachments: Attachment[] }>('GET', `/api/meetings/${encodeURIComponent(id)}/attachments`)
      .then((list) => setAttachments(list.attachments))
      .catch(() => undefined);
  }, [id]);
  useEffect(loadAttachments, [loadAttachments]);
  const reread = useCallback(
    (changed: 'details' | 'attachments' | 'all') => {
      if (changed !== 'attachments') load();
      if (changed !== 'details') loadAttachments();
    },
    [load, loadAttachments],
  );
  const attachmentsByItem = useMemo(() => {
    const byItem = new Map<string, Attachment[]>();
    for (const a of attachments) byItem.set(a.agendaItemId, [...(byItem.get(a.agendaItemId) ?? []), a]);
    return byItem;
  }, [attachments]);

  const sessions = meeting?.sessions ?? [];
  // Today where the meeting is held: an afternoon in California is already tomorrow in UTC.
  const today = wallClock(new Date(), meeting?.timezone ?? null).date;
  const current = sessions.find((s) => s.id === sessionParam) ?? sessions.find((s) => s.date === today) ?? sessions[0] ?? null;
  // Kept while the day's agenda and zone are unchanged, as the meeting is read again for other changes.
  const scheduleKey = JSON.stringify([current?.date ?? null, meeting?.timezone ?? null, meeting?.agenda.find((day) => day.date === current?.date) ?? null]);
  const schedule = useMemo<DaySchedule | null>(() => {
    const [date, timeZone, day] = JSON.parse(scheduleKey) as [string | null, string | null, AgendaDay | null];
    return date && day ? { date, timeZone, slots: daySlots(day), starts: dayStarts(day) } : null;
  }, [scheduleKey]);

  // The same list keeps its identity when the meeting is read again for another change: a new
  // list makes the highlighting read every block again.
  const attendeesKey = JSON.stringify((meeting?.attendees ?? []).map((a) => [a.name, a.handle]));
  const attendees = useMemo<GrammarAttendee[]>(
    () => (JSON.parse(attendeesKey) as [string, string | null][]).map(([name, handle]) => ({ id: handle ?? name, name, handle })),
    [attendeesKey],
  );

  if (error) {
    const signIn = error.status === 401 && !token;
    return (
      <div className="center-card">
        <div className="card">
          <h1>{error.status === 404 ? 'Meeting not found' : error.status === 401 || error.status === 403 ? 'No access' : 'Something went wrong'}</h1>
          <p>{signIn ? 'Sign in to open this meeting, or ask its owner for a link.' : error.message}</p>
          {signIn && (
            <button type="button" className="primary" onClick={() => navigate(`/login?next=${encodeURIComponent(`/m/${id}`)}`)}>
              Sign in
            </button>
          )}
        </div>
      </div>
    );
  }
  if (!meeting) return <div className="loading" aria-busy="true">Loading the meeting…</div>;

  // Presence role from the grant; a closed meeting makes even owners read-only until reopened.
  const role = meeting.access.role === 'follower' ? 'follower' : 'notetaker';
  const isMember = me?.kind === 'member';
  if (!isMember && !guestName) return <GuestNamePrompt role={role} onDone={setGuestName} />;
  const identity = isMember ? memberIdentity(me.user.name) : guestIdentity(guestName ?? 'Guest');
  const exportBase = `/api/meetings/${encodeURIComponent(meeting.id)}/actions${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const dates = formatDateRange(meeting.startDate, meeting.endDate);

  const selectSession = (sessionId: string) => {
    const params = new URLSearchParams(location.search);
    params.set('session', sessionId);
    // The item or action the page was opened at belongs to the day it was opened on.
    params.delete('item');
    params.delete('action');
    navigate(`/m/${meeting.id}?${params.toString()}`, { replace: true });
  };

  return (
    <div className="page page-meeting">
      <header className="meeting-header">
        <div className="meeting-title">
          <h1>{meeting.title}</h1>
          <div className="meeting-logistics">
            <span>{dates}</span>
            {meeting.timezone && <span>{meeting.timezone}</span>}
            {meeting.location && <span>{meeting.location}</span>}
            {meeting.joinUrl && (
              <a href={meeting.joinUrl} target="_blank" rel="noreferrer noopener">
                Join call
              </a>
            )}
            {meeting.series &&
              (isMember ? (
                <AppLink to={`/?series=${encodeURIComponent(meeting.series)}`} className="badge badge-link" title={`All meetings of the series ${meeting.series}`}>
                  {meeting.series}
                </AppLink>
              ) : (
                <span className="badge">{meeting.series}</span>
              ))}
            {meeting.closed && <span className="badge badge-closed">closed · minutes locked</span>}
            <button type="button" className="link-button" aria-expanded={showDetails} onClick={() => setShowDetails((v) => !v)}>
              {meeting.attendees.length} attendees
            </button>
          </div>
        </div>
        <div className="meeting-actions">
          <span className="export-links muted small">
            Notes:{' '}
            {(['md', 'html'] as const).map((format) => (
              <a key={format} href={`/api/meetings/${encodeURIComponent(meeting.id)}/notes?format=${format}${token ? `&token=${encodeURIComponent(token)}` : ''}`} download>
                {format === 'md' ? 'Markdown' : 'HTML'}
              </a>
            ))}
          </span>
          {meeting.access.canManage && (
            <button type="button" onClick={() => setShareOpen(true)}>
              Share
            </button>
          )}
          {meeting.access.canManage && me?.kind === 'member' && (
            <button type="button" onClick={() => navigate(`/m/${encodeURIComponent(meeting.id)}/edit`)}>
              Edit meeting
            </button>
          )}
          {me?.kind === 'member' && (
            <button type="button" onClick={() => navigate(`/meetings/new?after=${encodeURIComponent(meeting.id)}`)} title="A new meeting with this one’s details, attendees and agenda">
              Next meeting
            </button>
          )}
          <button type="button" onClick={() => navigate(`/m/${encodeURIComponent(meeting.id)}/proposals${token ? `?token=${encodeURIComponent(token)}` : ''}`)}>
            Proposals
          </button>
          {current && (
            <button type="button" onClick={() => setHistoryOpen(true)}>
              History
            </button>
          )}
          {meeting.access.canManage && (
            <button
              type="button"
              onClick={() => {
                const path = `/api/meetings/${encodeURIComponent(meeting.id)}/${meeting.closed ? 'reopen' : 'close'}`;
                if (meeting.closed || window.confirm('Close the meeting? Its notes become read-only for everyone.')) {
                  void api('POST', path).then(load);
                }
              }}
            >
              {meeting.closed ? 'Reopen' : 'Close meeting'}
            </button>
          )}
        </div>
      </header>
      {meeting.closed && (meeting.seals?.length ?? 0) > 0 && (
        <section className="seals" aria-label="Sealed minutes">
          {meeting.seals!.map((seal) => {
            const day = sessions.find((s) => s.id === seal.sessionId)?.date;
            return (
              <p key={seal.versionId} className="small">
                <span className="badge badge-sealed">Sealed</span> {sessions.length > 1 && day ? `${formatDay(day)}: ` : ''}minutes sealed
                {seal.by ? ` by ${seal.by}` : ''} on {new Date(seal.at).toLocaleString()} · SHA-256 <code className="seal-hash">{seal.sha256}</code>
              </p>
            );
          })}
        </section>
      )}
      {/* Printed minutes list who attended, whether or not the list is open on screen. */}
      <section className={`meeting-details${showDetails ? '' : ' print-only'}`} aria-label="Logistics and attendees">
        {meeting.joinText && <p className="join-text">{meeting.joinText}</p>}
        <ul className="attendee-list">
          {meeting.attendees.map((a) => (
            <li key={`${a.name}-${a.handle ?? ''}`}>
              {a.name}
              {a.handle && <span className="handle">{a.handle}</span>}
            </li>
          ))}
        </ul>
      </section>
      {sessions.length > 1 && (
        <div className="tabs" role="tablist" aria-label="Sessions">
          {sessions.map((s) => (
            <button key={s.id} type="button" role="tab" aria-selected={s.id === current?.id} onClick={() => selectSession(s.id)}>
              {formatDay(s.date)}
            </button>
          ))}
        </div>
      )}
      {current ? (
        <SessionView
          key={current.doc}
          docName={current.doc}
          token={token}
          role={role}
          detailsReadOnly={!meeting.access.canWrite}
          onMeetingChange={reread}
          identity={identity}
          attendees={attendees}
          sessionDate={current.date}
          {...(meeting.ticketProjects ? { ticketProjects: meeting.ticketProjects } : {})}
          loadActions={loadActions}
          exportBase={exportBase}
          meetingId={meeting.id}
          sessionId={current.id}
          revealItem={itemParam}
          revealAction={actionParam}
          sessionDates={Object.fromEntries(sessions.map((s) => [s.id, s.date]))}
          {...(schedule ? { schedule } : {})}
          renderTools={(editor: LexicalEditor | null, editable: boolean) =>
            editable && editor ? <AddAgendaItem editor={editor} meeting={meeting} sessionDate={current.date} onMeeting={setMeeting} /> : null
          }
          attachments={{ ctx: { meetingId: meeting.id, token, canWrite: meeting.access.canWrite, changed: loadAttachments }, byItem: attachmentsByItem }}
        />
      ) : (
        <p className="muted">This meeting has no sessions.</p>
      )}
      {historyOpen && current && (
        <HistoryPanel meetingId={meeting.id} sessionId={current.id} canWrite={meeting.access.canWrite} token={token} onClose={() => setHistoryOpen(false)} />
      )}
      {shareOpen && meeting.access.canManage && <ShareDialog meeting={meeting} justCreated={justCreated} onClose={() => setShareOpen(false)} />}
    </div>
  );
}
