// Creating a meeting: details, attendees and agenda (see meeting/MeetingForm.tsx) in one POST
// /api/meetings; the meeting page then opens with its share dialog, the two links to send.
// `/meetings/new?after=<id>` starts from a meeting of a series instead: the next one, with its
// details, attendees and agenda, as far on as the series' meetings are apart (agenda-draft.ts).
import { useEffect, useState, type JSX } from 'react';
import type { CreatedMeeting, Meeting, MeetingList, MeetingSummary } from '../../shared/api/index';
import { MeetingForm } from '../meeting/MeetingForm';
import { bodyOf, emptyDraft, nextDraft, seriesCadence, type MeetingDraft } from '../meeting/agenda-draft';
import { api, ApiError } from '../api';
import { navigate } from '../router';

const dayLabel = (date: string): string => new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function NewMeetingPage({ after }: { after: string | null }): JSX.Element {
  const [draft, setDraft] = useState<MeetingDraft | null>(() => (after ? null : emptyDraft(Intl.DateTimeFormat().resolvedOptions().timeZone)));
  const [previous, setPrevious] = useState<Meeting | null>(null);
  /** The series' meetings after the one started from: the next may already exist. */
  const [later, setLater] = useState<MeetingSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!after) return;
    void (async () => {
      try {
        const meeting = await api<Meeting>('GET', `/api/meetings/${encodeURIComponent(after)}`);
        const series = meeting.series ? (await api<MeetingList>('GET', `/api/meetings?when=all&limit=500&series=${encodeURIComponent(meeting.series)}`)).meetings : [];
        setPrevious(meeting);
        setLater(series.filter((other) => other.startDate > meeting.startDate).sort((a, b) => a.startDate.localeCompare(b.startDate)));
        setDraft(nextDraft(meeting, seriesCadence(meeting, series), new Date().toISOString().slice(0, 10)));
      } catch (e: unknown) {
        setError(e instanceof ApiError ? e.message : 'Could not load the meeting to start from.');
      }
    })();
  }, [after]);
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>{previous ? `Next meeting after “${previous.title}”` : 'New meeting'}</h1>
      </header>
      {previous && (
        <p className="muted">
          Its details, attendees and agenda, to change as needed.{' '}
          {!previous.series
            ? 'Give both meetings a series so that open actions carry over to the new one.'
            : previous.closed
              ? 'Its open actions show under Past actions in the new meeting.'
              : `Once “${previous.title}” is closed, its open actions show under Past actions in the new meeting.`}
        </p>
      )}
      {previous && later.length > 0 && (
        <p className="notice" role="status">
          The {previous.series} series already has a later meeting: <a href={`/m/${encodeURIComponent(later[0]!.id)}`}>{later[0]!.title}</a>, {dayLabel(later[0]!.startDate)}
          {later.length > 1 ? ` (and ${later.length - 1} more)` : ''}.
        </p>
      )}
      {draft ? (
        <MeetingForm
          draft={draft}
          onChange={setDraft}
          submitLabel="Create meeting"
          busy={busy}
          error={error}
          onCancel={() => navigate(previous ? `/m/${encodeURIComponent(previous.id)}` : '/')}
          onSubmit={() => {
            setBusy(true);
            setError(null);
            api<CreatedMeeting>('POST', '/api/meetings', bodyOf(draft))
              .then((created) => navigate(`/m/${created.id}?share=new`))
              .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not create the meeting.'))
              .finally(() => setBusy(false));
          }}
        />
      ) : error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </div>
  );
}
