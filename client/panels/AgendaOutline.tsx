// The session's agenda items as the notes hold them (added items included), with a dot for each
// notetaker typing under an item, the files and links attached to it, and a "now" mark on the
// item whose time slot the meeting's clock is in (agenda-clock.ts), and each item's time on the
// reader's own clock when they are elsewhere. Choosing an item scrolls the notes to it; dropping
// files onto it attaches them.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { Attachment } from '../../shared/api/index';
import { attachFiles, ItemAttachments, type AttachmentsApi } from '../meeting/ItemAttachments';
import { $getRoot, type LexicalEditor } from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import { $getAgendaItemId, $getAgendaKind } from '../../shared/notes/agenda-state';
import type { Participant } from '../collab/presence';
import { nowOnDay, readerStarts, type DaySchedule, type NowOn } from '../meeting/agenda-clock';

/** How often the clock is read again: the mark counts whole minutes. */
const CLOCK_READ_MS = 5_000;

/** The item on now, read again as the clock moves; a render only when what it shows changes. */
function useNowOn(schedule: DaySchedule | undefined): NowOn | null {
  const [now, setNow] = useState<NowOn | null>(null);
  useEffect(() => {
    if (!schedule || schedule.slots.length === 0) {
      setNow(null);
      return;
    }
    const read = () => {
      const next = nowOnDay(schedule, new Date());
      setNow((shown) => (shown?.itemId === next?.itemId && shown?.minutesLeft === next?.minutesLeft ? shown : next));
    };
    read();
    const timer = setInterval(read, CLOCK_READ_MS);
    return () => clearInterval(timer);
  }, [schedule]);
  return now;
}

interface OutlineItem {
  key: string;
  id: string | null;
  title: string;
  kind: 'block' | 'item';
}

function readOutline(editor: LexicalEditor): OutlineItem[] {
  return editor.getEditorState().read(() =>
    $getRoot()
      .getChildren()
      .filter($isHeadingNode)
      .map((heading) => ({
        key: heading.getKey(),
        id: $getAgendaItemId(heading),
        title: heading.getTextContent(),
        kind: $getAgendaKind(heading) === 'block' || heading.getTag() === 'h2' || heading.getTag() === 'h1' ? 'block' : 'item',
      })),
  );
}

export interface OutlineAttachments {
  ctx: AttachmentsApi;
  byItem: ReadonlyMap<string, Attachment[]>;
}

export function AgendaOutline({ editor, participants, attachments, schedule }: { editor: LexicalEditor | null; participants: Participant[]; attachments?: OutlineAttachments; schedule?: DaySchedule }): JSX.Element | null {
  const [items, setItems] = useState<OutlineItem[]>([]);
  const now = useNowOn(schedule);
  const yours = useMemo(() => (schedule ? readerStarts(schedule) : new Map<string, string>()), [schedule]);
  // The list scrolls in its own box (a day of many items): when the mark moves to an item out of
  // sight there, the box brings it up. Only then, so as not to fight a reader scrolling it.
  const list = useRef<HTMLOListElement>(null);
  const marked = now?.itemId ?? null;
  const broughtUp = useRef<string | null>(null);
  useEffect(() => {
    const box = list.current;
    const item = marked === null || broughtUp.current === marked ? null : box?.querySelector('li[aria-current="time"]');
    if (!box || !item) return;
    broughtUp.current = marked;
    const shown = box.getBoundingClientRect();
    const at = item.getBoundingClientRect();
    if (at.top < shown.top || at.bottom > shown.bottom) box.scrollTop += at.top - shown.top - 8;
  }, [marked, items]);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!editor) return;
    let last = '';
    const update = () => {
      const next = readOutline(editor);
      const key = JSON.stringify(next.map((i) => [i.key, i.id, i.title, i.kind]));
      if (key !== last) {
        last = key;
        setItems(next);
      }
    };
    update();
    return editor.registerUpdateListener(update);
  }, [editor]);
  if (!editor || items.length === 0) return null;

  const here = (item: OutlineItem) =>
    participants.filter((p) => p.role === 'notetaker' && p.section && (item.id !== null ? p.section.id === item.id : p.section.id === null && p.section.title === item.title));

  return (
    <details className="panel outline" open>
      <summary className="panel-header">
        <h2>Agenda</h2>
      </summary>
      <ol className="outline-list" data-testid="outline" ref={list}>
        {items.map((item) => {
          const id = item.id;
          const canDrop = !!attachments?.ctx.canWrite && id !== null;
          const dropProps = canDrop
            ? {
                onDragOver: (event: React.DragEvent) => {
                  if (![...event.dataTransfer.types].includes('Files')) return;
                  event.preventDefault();
                  setDropTarget(id);
                },
                onDragLeave: () => setDropTarget(null),
                onDrop: (event: React.DragEvent) => {
                  event.preventDefault();
                  setDropTarget(null);
                  const files = [...event.dataTransfer.files];
                  if (files.length > 0) void attachFiles(attachments.ctx, id, files).then((error) => setErrors((all) => ({ ...all, [id]: error })));
                },
              }
            : {};
          return (
          <li
            key={item.key}
            className={`outline-${item.kind}${dropTarget === id && id !== null ? ' drop-target' : ''}`}
            aria-current={id !== null && now?.itemId === id ? 'time' : undefined}
            {...dropProps}
          >
            <button
              type="button"
              onClick={() => editor.getElementByKey(item.key)?.scrollIntoView({ block: 'start', behavior: 'smooth' })}
              title={`Go to ${item.title}`}
            >
              <span className="outline-text">
                <span className="outline-title">{item.title}</span>
                {id !== null && yours.has(id) && <span className="outline-yours">{yours.get(id)} your time</span>}
              </span>
              {id !== null && now?.itemId === id && <span className="outline-now">now · {now.minutesLeft} min left</span>}
              <span className="outline-here">
                {here(item).map((p) => (
                  <span key={p.clientId} className="dot" style={{ background: p.color }} title={`${p.name}${p.isSelf ? ' (you)' : ''} is here`} />
                ))}
              </span>
            </button>
            {attachments && id !== null && item.kind === 'item' && (
              <ItemAttachments
                ctx={attachments.ctx}
                itemId={id}
                topic={item.title}
                attachments={attachments.byItem.get(id) ?? []}
                error={errors[id] ?? null}
                onError={(error) => setErrors((all) => ({ ...all, [id]: error }))}
              />
            )}
          </li>
          );
        })}
      </ol>
    </details>
  );
}
