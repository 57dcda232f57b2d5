// Adding an agenda item during the call. When this user may change the meeting, the agenda gets
// the item and the server writes its heading (carrying the item's id, so actions typed under it
// are attributed to it) into every session's notes; otherwise the heading goes into the notes only.
import { useState, type JSX } from 'react';
import { $createParagraphNode, $createTextNode, $getRoot, $isParagraphNode, type LexicalEditor } from 'lexical';
import { $createHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import type { AgendaDayInput, Meeting } from '../../shared/api/index';
import { $getAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state';
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
    if (itemId !== null) {
      // The server writes the new item's heading into the notes (for everyone): the caret goes
      // to the line under it when it arrives.
      const id = itemId;
      const place = (): boolean => {
        let placed = false;
        editor.update(() => {
          const heading = $getRoot()
            .getChildren()
            .find((node) => $getAgendaItemId(node) === id);
          if (!heading) return;
          placed = true;
          let line = heading.getNextSibling();
          while (line && $isQuoteNode(line)) line = line.getNextSibling();
          if (line && $isParagraphNode(line)) line.selectEnd();
        });
        return placed;
      };
      if (!place()) {
        const stop = editor.registerUpdateListener(() => {
          if (place()) stop();
        });
        setTimeout(stop, 10_000);
      }
    } else {
      // Without the right to change the agenda, the heading is a plain one in the notes only.
      editor.update(() => {
        const heading = $createHeadingNode('h3').append($createTextNode(text));
        $setAgendaKind(heading, 'item');
        const paragraph = $createParagraphNode();
        $getRoot().append(heading, paragraph);
        paragraph.select();
      });
    }
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
