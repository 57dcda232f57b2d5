// Creating a meeting: details, attendees and agenda (see meeting/MeetingForm.tsx) in one POST
// /api/meetings; the meeting page then opens with its share dialog, the two links to send.
import { useState, type JSX } from 'react';
import type { CreatedMeeting } from '../../shared/api/index';
import { MeetingForm } from '../meeting/MeetingForm';
import { bodyOf, emptyDraft } from '../meeting/agenda-draft';
import { api, ApiError } from '../api';
import { navigate } from '../router';

export function NewMeetingPage(): JSX.Element {
  const [draft, setDraft] = useState(() => emptyDraft(Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="page page-narrow">
      <header className="page-header">
        <h1>New meeting</h1>
      </header>
      <MeetingForm
        draft={draft}
        onChange={setDraft}
        submitLabel="Create meeting"
        busy={busy}
        error={error}
        onCancel={() => navigate('/')}
        onSubmit={() => {
          setBusy(true);
          setError(null);
          api<CreatedMeeting>('POST', '/api/meetings', bodyOf(draft))
            .then((created) => navigate(`/m/${created.id}?share=new`))
            .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not create the meeting.'))
            .finally(() => setBusy(false));
        }}
      />
    </div>
  );
}
