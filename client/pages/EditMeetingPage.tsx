// Editing a meeting after it was made (owner or admin): the same form as creating one, saved with
// PUT /api/meetings/:id. Blocks and items keep their ids, so notes written under an item stay
// under it; the server updates the agenda headings in the notes of a running meeting for everyone.
import { useEffect, useState, type JSX } from 'react';
import type { Meeting } from '../../shared/api/index';
import { MeetingForm } from '../meeting/MeetingForm';
import { bodyOf, draftOf, type MeetingDraft } from '../meeting/agenda-draft';
import { api, ApiError } from '../api';
import { navigate } from '../router';

export function EditMeetingPage({ id }: { id: string }): JSX.Element {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [draft, setDraft] = useState<MeetingDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Meeting>('GET', `/api/meetings/${encodeURIComponent(id)}`)
      .then((m) => {
        setMeeting(m);
        setDraft(draftOf(m));
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the meeting.'));
  }, [id]);
  const back = () => navigate(`/m/${id}`);
  if (!draft || !meeting) {
    return (
      <div className="page page-narrow">
        <h1>Edit meeting</h1>
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
  if (!meeting.access.canManage) {
    return (
      <div className="page page-narrow">
        <h1>Edit meeting</h1>
        <p>Only the meeting’s owner (or an administrator) can change it.</p>
      </div>
    );
  }
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>Edit “{meeting.title}”</h1>
      </header>
      <MeetingForm
        draft={draft}
        onChange={setDraft}
        savedSeries={meeting.series}
        submitLabel="Save changes"
        busy={busy}
        error={error}
        onCancel={back}
        onSubmit={() => {
          setBusy(true);
          setError(null);
          api<Meeting>('PUT', `/api/meetings/${encodeURIComponent(id)}`, bodyOf(draft))
            .then(back)
            .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not save the meeting.'))
            .finally(() => setBusy(false));
        }}
      />
    </div>
  );
}
