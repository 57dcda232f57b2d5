// Above the notes when the server refused this browser's last changes (the meeting was closed
// while they were on their way): what they held, to copy into a message or the reopened meeting.
import { useState, type JSX } from 'react';
import type { UnsentNotes } from './unsent-notes';

export function UnsentNotesPanel({ unsent, onDismiss }: { unsent: UnsentNotes; onDismiss: () => void }): JSX.Element {
  const [copied, setCopied] = useState(false);
  const lines = unsent.text.split('\n').length;
  return (
    <section className="unsent-notes" role="alert" aria-labelledby="unsent-notes-heading">
      <h2 id="unsent-notes-heading">
        {lines === 1 ? 'A line you typed is not in the notes' : `${lines} lines you typed are not in the notes`}
      </h2>
      <p>
        They did not reach the meeting before it stopped taking changes ({unsent.reason}). They are kept in this browser until you dismiss them:
        copy them into the notes once the meeting is reopened, or send them to its organiser.
      </p>
      <textarea readOnly value={unsent.text} rows={Math.min(8, lines + 1)} aria-label="Your lines not in the notes" onFocus={(event) => event.currentTarget.select()} />
      <div className="unsent-notes-actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            void navigator.clipboard.writeText(unsent.text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
