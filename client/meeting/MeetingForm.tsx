// The meeting's details, attendees and agenda as one form, for creating a meeting and for editing
// it later. The agenda is days → blocks (title, moderator, notetaker) → items (time, minutes,
// topic, coordinators, pre-meeting notes). Items move with the ↑/↓ buttons, Alt+↑/↓ from any of
// their fields, or by dragging their handle; they cross into the neighbouring block at its edge.
import { useRef, useState, type DragEvent, type JSX, type KeyboardEvent } from 'react';
import { parseAttendeeLines } from './attendee-lines';
import { daysBetween, emptyBlock, emptyItem, moveBlockBy, moveItemBy, moveItemTo, type BlockDraft, type ItemDraft, type MeetingDraft, type Place } from './agenda-draft';
import { formatDate } from '../dates';
import { SeriesHint, SeriesSuggestions, useSeries } from '../series';

const dayTitle = (day: string): string => formatDate(day, { weekday: 'long', day: 'numeric', month: 'long' });

/** After a keyboard move React re-inserts the row: focus goes back to the field that moved it. */
function refocus(itemKey: string, field: string | undefined): void {
  requestAnimationFrame(() => {
    const row = document.querySelector(`[data-item="${itemKey}"]`);
    const target = (field ? row?.querySelector<HTMLElement>(`[data-field="${field}"]`) : null) ?? row?.querySelector<HTMLElement>('input, button');
    target?.focus();
  });
}

export function MeetingForm({
  draft,
  onChange,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
  savedSeries = null,
}: {
  draft: MeetingDraft;
  onChange: (draft: MeetingDraft) => void;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
  onCancel: () => void;
  /** The series the meeting is in, when editing it: typing it again is no news. */
  savedSeries?: string | null;
}): JSX.Element {
  const [oneName, setOneName] = useState('');
  const [oneHandle, setOneHandle] = useState('');
  const [dragging, setDragging] = useState<{ day: string; key: string } | null>(null);
  const [openNotes, setOpenNotes] = useState<ReadonlySet<string>>(new Set());
  const set = (patch: Partial<MeetingDraft>) => onChange({ ...draft, ...patch });
  const allSeries = useSeries();
  const days = daysBetween(draft.startDate, draft.endDate);
  const attendees = parseAttendeeLines(draft.attendeesText);
  // Moderators and notetakers are chosen from the attendees, by handle where they have one.
  const people = attendees.map((a) => ({ value: a.handle ?? a.name, label: a.handle ? `${a.name} (${a.handle})` : a.name }));

  // A day nobody has typed into yet shows one empty block, the same one on every render (its
  // keys must not change under the cursor).
  const untouched = useRef(new Map<string, BlockDraft[]>());
  const blocksOf = (day: string): BlockDraft[] => {
    const typed = draft.agenda[day];
    if (typed) return typed;
    let fresh = untouched.current.get(day);
    if (!fresh) untouched.current.set(day, (fresh = [emptyBlock()]));
    return fresh;
  };
  const setBlocks = (day: string, blocks: BlockDraft[]) => onChange({ ...draft, agenda: { ...draft.agenda, [day]: blocks } });
  const setBlock = (day: string, index: number, patch: Partial<BlockDraft>) => setBlocks(day, blocksOf(day).map((b, i) => (i === index ? { ...b, ...patch } : b)));
  const setItem = (day: string, place: Place, patch: Partial<ItemDraft>) =>
    setBlocks(
      day,
      blocksOf(day).map((b, i) => {
        if (i !== place.block) return b;
        const items = b.items.map((it, j) => (j === place.item ? { ...it, ...patch } : it));
        // Typing a topic into a block's last row opens a fresh one: the agenda is typed as rows.
        if (place.item === items.length - 1 && (patch.topic ?? '').trim() !== '') items.push(emptyItem());
        return { ...b, items };
      }),
    );
  const placeOf = (day: string, key: string): Place | null => {
    const blocks = blocksOf(day);
    for (let b = 0; b < blocks.length; b++) {
      const i = blocks[b]!.items.findIndex((it) => it.key === key);
      if (i >= 0) return { block: b, item: i };
    }
    return null;
  };
  const moveKey = (day: string, key: string, delta: -1 | 1, field?: string) => {
    const place = placeOf(day, key);
    if (!place) return;
    setBlocks(day, moveItemBy(blocksOf(day), place, delta));
    refocus(key, field);
  };
  const onRowKey = (day: string, key: string) => (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    moveKey(day, key, event.key === 'ArrowUp' ? -1 : 1, (event.target as HTMLElement).dataset.field);
  };
  const dropOn = (day: string, to: Place) => (event: DragEvent) => {
    event.preventDefault();
    if (!dragging || dragging.day !== day) return;
    const from = placeOf(day, dragging.key);
    setDragging(null);
    if (from) setBlocks(day, moveItemTo(blocksOf(day), from, to));
  };
  const addAttendee = () => {
    if (oneName.trim() === '') return;
    const line = oneHandle.trim() ? `${oneName.trim()} (${oneHandle.trim().replace(/\s+/g, '')})` : oneName.trim();
    set({ attendeesText: draft.attendeesText.trim() === '' ? line : `${draft.attendeesText.replace(/\s+$/, '')}\n${line}` });
    setOneName('');
    setOneHandle('');
  };
  const personSelect = (label: string, value: string, onPick: (value: string) => void) => (
    <label>
      {label}
      <select value={value} onChange={(e) => onPick(e.target.value)}>
        <option value="">—</option>
        {people.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
        {value !== '' && !people.some((p) => p.value === value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );

  return (
    <form
      className="form form-wide"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <fieldset>
        <legend>Meeting</legend>
        <label>
          Title
          <input required autoFocus value={draft.title} onChange={(e) => set({ title: e.target.value })} placeholder="DM Leadership Team Meeting" />
        </label>
        <div className="form-row">
          <label>
            <span>
              Series <span className="muted">(optional)</span>
            </span>
            <input value={draft.series} onChange={(e) => set({ series: e.target.value })} placeholder="DMLT" list="series-names" autoComplete="off" />
            <SeriesSuggestions id="series-names" series={allSeries} />
            <SeriesHint typed={draft.series} series={allSeries} ownSeries={savedSeries} />
          </label>
          <label>
            First day
            <input required type="date" value={draft.startDate} onChange={(e) => set({ startDate: e.target.value })} />
          </label>
          <label>
            <span>
              Last day <span className="muted">(optional)</span>
            </span>
            <input type="date" value={draft.endDate} min={draft.startDate} onChange={(e) => set({ endDate: e.target.value })} />
          </label>
        </div>
        <div className="form-row">
          <label>
            Time zone
            <input value={draft.timezone} onChange={(e) => set({ timezone: e.target.value })} placeholder="America/Los_Angeles" />
          </label>
          <label>
            Location
            <input value={draft.location} onChange={(e) => set({ location: e.target.value })} placeholder="Tucson / online" />
          </label>
          <label>
            Video call link
            <input type="url" value={draft.joinUrl} onChange={(e) => set({ joinUrl: e.target.value })} placeholder="https://…" />
          </label>
        </div>
        <label>
          <span>
            Joining instructions <span className="muted">(meeting id, passcode, dial-in)</span>
          </span>
          <textarea rows={2} value={draft.joinText} onChange={(e) => set({ joinText: e.target.value })} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Attendees</legend>
        <label>
          <span>
            Paste a list, one a line: <code>Robert Lupton (RHL)</code>
          </span>
          <textarea rows={6} value={draft.attendeesText} onChange={(e) => set({ attendeesText: e.target.value })} aria-describedby="attendee-count" />
        </label>
        <div className="form-inline">
          <label>
            Name
            <input value={oneName} onChange={(e) => setOneName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), addAttendee())} />
          </label>
          <label>
            <span>
              Handle <span className="muted">(optional)</span>
            </span>
            <input value={oneHandle} onChange={(e) => setOneHandle(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), addAttendee())} />
          </label>
          <button type="button" onClick={addAttendee}>
            Add attendee
          </button>
        </div>
        <p id="attendee-count" className="muted small">
          {attendees.length === 0
            ? 'No attendees yet.'
            : `${attendees.length} attendee${attendees.length === 1 ? '' : 's'}: ${attendees.map((a) => (a.handle ? `${a.name} (${a.handle})` : a.name)).join(', ')}`}
        </p>
      </fieldset>
      <fieldset>
        <legend>Agenda</legend>
        {days.length === 0 && <p className="muted">Choose the dates first.</p>}
        {days.length > 0 && (
          <p className="muted small">
            Move an item with its ↑ ↓ buttons, <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> from any of its fields, or drag it by ⠿. Items keep their notes wherever they move.
          </p>
        )}
        {days.map((day) => {
          const blocks = blocksOf(day);
          return (
            <section key={day} className="agenda-day-form" aria-label={dayTitle(day)}>
              <h3>{dayTitle(day)}</h3>
              {blocks.map((block, b) => {
                const blockName = block.title.trim() || `Block ${b + 1}`;
                return (
                  <fieldset key={block.key} className="agenda-block-form" data-testid="agenda-block">
                    <legend>{blockName}</legend>
                    <div className="form-row">
                      <label>
                        <span>
                          Block title <span className="muted">(optional)</span>
                        </span>
                        <input value={block.title} onChange={(e) => setBlock(day, b, { title: e.target.value })} placeholder="Session 1" />
                      </label>
                      {personSelect('Moderator', block.moderator, (moderator) => setBlock(day, b, { moderator }))}
                      {personSelect('Notetaker', block.notetaker, (notetaker) => setBlock(day, b, { notetaker }))}
                    </div>
                    <div className="scroll-box">
                      <table className="agenda-rows">
                        <thead>
                          <tr>
                            <th scope="col">
                              <span className="visually-hidden">Drag</span>
                            </th>
                            <th scope="col">Time</th>
                            <th scope="col">Minutes</th>
                            <th scope="col">Topic</th>
                            <th scope="col">Coordinator(s)</th>
                            <th scope="col">
                              <span className="visually-hidden">Item actions</span>
                            </th>
                          </tr>
                        </thead>
                        {block.items.map((item, i) => {
                          const place = { block: b, item: i };
                          // Inputs are labelled by place (a label must not change while typing into
                          // it); buttons by topic.
                          const where = `item ${i + 1} in block ${b + 1}`;
                          const name = item.topic.trim() || where;
                          const notesOpen = openNotes.has(item.key) || item.preNotes !== '';
                          return (
                            <tbody
                              key={item.key}
                              data-item={item.key}
                              className={dragging?.key === item.key ? 'dragging' : undefined}
                              onDragOver={(e) => dragging?.day === day && e.preventDefault()}
                              onDrop={dropOn(day, place)}
                            >
                              <tr onKeyDown={onRowKey(day, item.key)}>
                                <td>
                                  <span
                                    className="drag-handle"
                                    draggable
                                    aria-hidden="true"
                                    title="Drag to move"
                                    onDragStart={(e) => {
                                      e.dataTransfer.effectAllowed = 'move';
                                      e.dataTransfer.setData('text/plain', item.topic);
                                      setDragging({ day, key: item.key });
                                    }}
                                    onDragEnd={() => setDragging(null)}
                                  >
                                    ⠿
                                  </span>
                                </td>
                                <td>
                                  <input type="time" data-field="time" aria-label={`Time of ${where}`} value={item.time} onChange={(e) => setItem(day, place, { time: e.target.value })} />
                                </td>
                                <td>
                                  <input type="number" data-field="minutes" min={0} max={1440} aria-label={`Minutes of ${where}`} value={item.minutes} onChange={(e) => setItem(day, place, { minutes: e.target.value })} />
                                </td>
                                <td>
                                  <input data-field="topic" aria-label={`Topic of ${where}`} value={item.topic} onChange={(e) => setItem(day, place, { topic: e.target.value })} />
                                </td>
                                <td>
                                  <input data-field="coordinators" aria-label={`Coordinators of ${where}`} value={item.coordinators} list="attendee-handles" onChange={(e) => setItem(day, place, { coordinators: e.target.value })} placeholder="RHL, KT" />
                                </td>
                                <td className="row-buttons">
                                  <button type="button" className="icon-button" data-field="up" aria-label={`Move ${name} up`} onClick={() => moveKey(day, item.key, -1, 'up')}>
                                    ↑
                                  </button>
                                  <button type="button" className="icon-button" data-field="down" aria-label={`Move ${name} down`} onClick={() => moveKey(day, item.key, 1, 'down')}>
                                    ↓
                                  </button>
                                  <button
                                    type="button"
                                    className="icon-button"
                                    aria-expanded={notesOpen}
                                    aria-label={`Show pre-meeting notes of ${name}`}
                                    onClick={() => setOpenNotes((open) => new Set(open.has(item.key) ? [...open].filter((k) => k !== item.key) : [...open, item.key]))}
                                  >
                                    ✎
                                  </button>
                                  <button
                                    type="button"
                                    className="icon-button danger"
                                    aria-label={`Remove ${name}`}
                                    onClick={() => setBlocks(day, blocks.map((bl, j) => (j === b ? { ...bl, items: bl.items.filter((it) => it.key !== item.key) } : bl)))}
                                  >
                                    ✕
                                  </button>
                                </td>
                              </tr>
                              {notesOpen && (
                                <tr>
                                  <td />
                                  <td colSpan={5}>
                                    <textarea rows={2} aria-label={`Pre-meeting notes of ${where}`} value={item.preNotes} placeholder="Pre-meeting notes, links to slides…" onChange={(e) => setItem(day, place, { preNotes: e.target.value })} />
                                  </td>
                                </tr>
                              )}
                            </tbody>
                          );
                        })}
                      </table>
                    </div>
                    {/* Dropping at the end of a block (also an empty one). */}
                    <div className="form-actions" onDragOver={(e) => dragging?.day === day && e.preventDefault()} onDrop={dropOn(day, { block: b, item: block.items.length })}>
                      <button type="button" className="small-button" onClick={() => setBlock(day, b, { items: [...block.items, emptyItem()] })}>
                        + Item in {blockName}
                      </button>
                      <button type="button" className="small-button" aria-label={`Move block ${blockName} up`} onClick={() => setBlocks(day, moveBlockBy(blocks, b, -1))}>
                        Block ↑
                      </button>
                      <button type="button" className="small-button" aria-label={`Move block ${blockName} down`} onClick={() => setBlocks(day, moveBlockBy(blocks, b, 1))}>
                        Block ↓
                      </button>
                      {blocks.length > 1 && (
                        <button type="button" className="small-button danger" onClick={() => setBlocks(day, blocks.filter((_, j) => j !== b))}>
                          Remove block
                        </button>
                      )}
                    </div>
                  </fieldset>
                );
              })}
              <button type="button" className="small-button" onClick={() => setBlocks(day, [...blocks, emptyBlock()])}>
                + Block on {dayTitle(day)}
              </button>
            </section>
          );
        })}
        <datalist id="attendee-handles">
          {people.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </datalist>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
