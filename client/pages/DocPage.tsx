// Development page: an open document (server started with OPEN_DOCUMENTS=true), no meeting.
import { useState, type JSX } from 'react';
import { guestIdentity, storedGuestName } from '../identity';
import { GuestNamePrompt } from '../meeting/GuestName';
import { SessionView } from '../meeting/SessionView';
import { localToday } from '../dates';

export function DocPage({ name, role }: { name: string; role: 'notetaker' | 'follower' }): JSX.Element {
  const [guest, setGuest] = useState(storedGuestName());
  if (!guest) return <GuestNamePrompt role={role} onDone={setGuest} />;
  return (
    <div className="page page-meeting">
      <header className="meeting-header">
        <h1>{name}</h1>
      </header>
      <SessionView
        docName={name}
        token={null}
        role={role}
        identity={guestIdentity(guest)}
        attendees={[]}
        sessionDate={localToday()}
        loadActions={null}
      />
    </div>
  );
}
