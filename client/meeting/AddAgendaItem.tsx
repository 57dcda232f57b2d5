// Adding an agenda item during the call: the meeting's agenda gets the item (when this user may
// change the meeting), and the notes get its heading at the end, carrying the item's id so
// actions typed under it are attributed to it.
import { useState, type JSX } from 'react';
import { $createParagraphNode, $createTextNode, $getRoot, type LexicalEditor } from 'lexical';
import { $createHeadingNode } from '@lexical/rich-text';
import type { AgendaDayInput, Meeting } from '../../shared/api/index';
import { $getAgendaItemId, $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state';
import { api, ApiError } from '../api';

function agendaInput(meeting: Meeting): AgendaDayInput[] {
  return meeting.agenda.map((day) => ({
    date: day.date,
    blocks: day.blocks.map((block) => ({
      id: block.id,
      title: block.title,
      moderator: block.moderator,
      notetaker: block.notetaker,
      items: block.items.map((item) => ({
        id: item.id,
        time: item.time,
        minutes: item.minutes,
        topic: item.topic,
        coordinators: item.coordinators,
        preNotes: item.preNotes,
      })),
    })),
  }));
}

export function AddAgendaItem({
  editor,
  meeting,
  sessionDate,
  onMeeting,
}: {
  editor: LexicalEditor;
  meeting: Meeting;
  sessionDate: string;
  onMeeting: (meeting: Meeting) => void;
}): JSX.Element {
  const [open, setOpen] = useState(false);
  const [topic, setTopic] = useState('');
  const [coordinator, setCoordinator] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    const text = [topic.trim(), coordinator.trim()].filter(Boolean).join(' · ');
    let itemId: string | null = null;
    if (meeting.access.canManage) {
      const agenda = agendaInput(meeting);
      let day = agenda.find((d) => d.date === sessionDate);
      if (!day) {
        day = { date: sessionDate, blocks: [] };
        agenda.push(day);
      }
      if (day.blocks.length === 0) day.blocks.push({ items: [] });
      day.blocks[day.blocks.length - 1]!.items.push({ topic: topic.trim(), coordinators: coordinator.trim() ? [coordinator.trim()] : [] });
      const updated = await api<Meeting>('PATCH', `/api/meetings/${encodeURIComponent(meeting.id)}`, { agenda });
      const before = new Set(meeting.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items.map((i) => i.id))));
      itemId = updated.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items.map((i) => i.id))).find((id) => !before.has(id)) ?? null;
      onMeeting(updated);
    }
    editor.update(() => {
      const root = $getRoot();
      // The server may already have added the heading for this item to the notes.
      if (itemId !== null && root.getChildren().some((node) => $getAgendaItemId(node) === itemId)) return;
      const heading = $createHeadingNode('h3').append($createTextNode(text));
      $setAgendaKind(heading, 'item');
      if (itemId !== null) $setAgendaItemId(heading, itemId);
      const paragraph = $createParagraphNode();
      root.append(heading, paragraph);
      paragraph.select();
    });
    setTopic('');
    setCoordinator('');
    setOpen(false);
  };

  if (!open) {
    return (
      <button type="button" className="small-button" onClick={() => setOpen(true)}>
        + Agenda item
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      aria-label="Add an agenda item"
      onSubmit={(event) => {
        event.preventDefault();
        if (!topic.trim()) return;
        setError(null);
        add().catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not add the item.'));
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setOpen(false);
      }}
    >
      <input autoFocus required aria-label="Topic" placeholder="Topic" value={topic} onChange={(e) => setTopic(e.target.value)} />
      <input aria-label="Coordinator" placeholder="Coordinator" value={coordinator} onChange={(e) => setCoordinator(e.target.value)} size={10} />
      <button type="submit" className="primary small-button">
        Add
      </button>
      <button type="button" className="small-button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
