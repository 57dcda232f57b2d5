// Creating a meeting: details, attendees and agenda (see meeting/MeetingForm.tsx) in one POST
// /api/meetings; the meeting page then opens with its share dialog, the two links to send.
// `/meetings/new?after=<id>` starts from a meeting of a series instead: the next one, with its
// details, attendees and agenda, as far on as the series' meetings are apart (agenda-draft.ts).
import { useEffect, useState, type JSX } from 'react';
import type { CreatedMeeting, Meeting, MeetingList, MeetingSummary, Proposal, ProposalInput } from '../../shared/api/index';
import { MeetingForm } from '../meeting/MeetingForm';
import { bodyOf, emptyDraft, nextDraft, seriesCadence, type MeetingDraft } from '../meeting/agenda-draft';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import { formatDateRange, localToday } from '../dates';

const PRIORITIES = new Set(['low', 'medium', 'high']);

/** A proposal as the new meeting takes it: the same topic, requester, time, priority and notes. */
function proposalInput(proposal: Proposal): ProposalInput {
  return {
    topic: proposal.topic,
    requestedBy: proposal.requestedBy,
    minutes: proposal.minutes,
    priority: PRIORITIES.has(proposal.priority ?? '') ? (proposal.priority as ProposalInput['priority']) : null,
    notes: proposal.notes,
  };
}

export function NewMeetingPage({ after }: { after: string | null }): JSX.Element {
  const [draft, setDraft] = useState<MeetingDraft | null>(() => (after ? null : emptyDraft(Intl.DateTimeFormat().resolvedOptions().timeZone)));
  const [previous, setPrevious] = useState<Meeting | null>(null);
  /** The series' meetings after the one started from: the next may already exist. */
  const [later, setLater] = useState<MeetingSummary[]>([]);
  /** Its topic proposals not scheduled yet, which the new meeting takes over unless told not to. */
  const [unscheduled, setUnscheduled] = useState<Proposal[]>([]);
  /** The agenda items that were scheduled from its proposals, left out of the new one. */
  const [oneOffs, setOneOffs] = useState<string[]>([]);
  const [carry, setCarry] = useState(true);
  /** A meeting without a series joins the new one's, so that its open actions carry over. */
  const [joinSeries, setJoinSeries] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!after) return;
    void (async () => {
      try {
        const meeting = await api<Meeting>('GET', `/api/meetings/${encodeURIComponent(after)}`);
        const series = meeting.series ? (await api<MeetingList>('GET', `/api/meetings?when=all&limit=500&series=${encodeURIComponent(meeting.series)}`)).meetings : [];
        const { proposals } = await api<{ proposals: Proposal[] }>('GET', `/api/meetings/${encodeURIComponent(after)}/proposals`);
        setUnscheduled(proposals.filter((proposal) => proposal.status === 'unscheduled'));
        const scheduled = new Set(proposals.flatMap((proposal) => (proposal.status === 'scheduled' && proposal.itemId ? [proposal.itemId] : [])));
        setOneOffs(meeting.agenda.flatMap((day) => day.blocks.flatMap((block) => block.items.filter((item) => scheduled.has(item.id)).map((item) => item.topic))));
        setPrevious(meeting);
        setLater(series.filter((other) => other.startDate > meeting.startDate).sort((a, b) => a.startDate.localeCompare(b.startDate)));
        const next = nextDraft(meeting, seriesCadence(meeting, series), localToday(), scheduled);
        // A meeting that recurs without a series: its title names the series the two start.
        setDraft(meeting.series || !meeting.access.canManage ? next : { ...next, series: meeting.title });
      } catch (e: unknown) {
        setError(e instanceof ApiError ? e.message : 'Could not load the meeting to start from.');
      }
    })();
  }, [after]);
  /** The series the earlier meeting is to join (it has none, its owner is here, the new one has one). */
  const joining = previous && !previous.series && previous.access.canManage && draft && draft.series.trim() !== '' ? draft.series.trim() : null;
  const carriesOver = previous !== null && (previous.series !== null || (joining !== null && joinSeries));
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>{previous ? `Next meeting after “${previous.title}”` : 'New meeting'}</h1>
      </header>
      {previous && (
        <p className="muted">
          Its details, attendees and agenda, to change as needed.{' '}
          {!carriesOver
            ? 'Give both meetings a series so that open actions carry over to the new one.'
            : previous.closed
              ? 'Its open actions show under Past actions in the new meeting.'
              : `Once “${previous.title}” is closed, its open actions show under Past actions in the new meeting.`}
        </p>
      )}
      {joining !== null && (
        <p>
          <label className="inline-label">
            <input type="checkbox" checked={joinSeries} onChange={(e) => setJoinSeries(e.target.checked)} />
            Put “{previous!.title}” in the {joining} series too, so that its open actions carry over
          </label>
        </p>
      )}
      {previous && later.length > 0 && (
        <p className="notice" role="status">
          The {previous.series} series already has a later meeting: <a href={`/m/${encodeURIComponent(later[0]!.id)}`}>{later[0]!.title}</a>, {formatDateRange(later[0]!.startDate, null)}
          {later.length > 1 ? ` (and ${later.length - 1} more)` : ''}.
        </p>
      )}
      {oneOffs.length > 0 && (
        <p className="muted">
          Left out of the agenda, as topics scheduled from proposals: {oneOffs.map((topic) => `“${topic}”`).join(', ')}.
        </p>
      )}
      {unscheduled.length > 0 && (
        <p>
          <label className="inline-label">
            <input type="checkbox" checked={carry} onChange={(e) => setCarry(e.target.checked)} />
            Propose its {unscheduled.length === 1 ? 'topic' : `${unscheduled.length} topics`} not scheduled yet for the new meeting too: {unscheduled.map((proposal) => `“${proposal.topic}”`).join(', ')}
          </label>
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
            const proposals = carry ? unscheduled.map(proposalInput) : [];
            const join = joining !== null && joinSeries ? api('PATCH', `/api/meetings/${encodeURIComponent(previous!.id)}`, { series: joining }) : Promise.resolve();
            join
              .then(() => api<CreatedMeeting>('POST', '/api/meetings', { ...bodyOf(draft), ...(proposals.length > 0 ? { proposals } : {}) }))
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
