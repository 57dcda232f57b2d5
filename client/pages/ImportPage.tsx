// Old minutes in: paste a wiki page or drop its export, see the meeting it makes (days, agenda,
// notes under each item, actions with assignee, due date and state, proposals, warnings and
// guesses), then import it. POST /api/meetings/import with dryRun for the preview.
import { useState, type DragEvent, type JSX } from 'react';
import type { CreatedMeeting, ImportPreview } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { navigate } from '../router';
import { SeriesHint, SeriesSuggestions, useSeries } from '../series';

type Line = ImportPreview['days'][number]['notes'][number];

/** A line of notes as it will be written: a task, a heading, a quote, an item nested under another. */
const lineClass = (line: Line): string | undefined =>
  [line.task ? 'import-task' : '', line.heading ? 'import-heading' : '', line.quote ? 'import-quote' : '', line.level > 1 ? 'import-nested' : '']
    .filter(Boolean)
    .join(' ') || undefined;

function NoteLines({ lines }: { lines: Line[] }): JSX.Element | null {
  if (lines.length === 0) return null;
  return (
    <ul className="import-notes">
      {lines.map((line, i) =>
        line.table ? (
          <li key={i} className="import-table">
            <table>
              <tbody>
                {line.table.rows.map((row, r) => {
                  const Cell = line.table!.header && r === 0 ? 'th' : 'td';
                  return (
                    <tr key={r}>
                      {row.map((cell, c) => (
                        <Cell key={c}>{cell}</Cell>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </li>
        ) : (
          <li key={i} className={lineClass(line)}>
            {line.task ? (line.checked ? '☑ ' : '☐ ') : ''}
            {line.text}
          </li>
        ),
      )}
    </ul>
  );
}

export function ImportPage(): JSX.Element {
  const [content, setContent] = useState('');
  const [filename, setFilename] = useState<string | null>(null);
  const [series, setSeries] = useState('');
  const allSeries = useSeries();
  const [keepOpen, setKeepOpen] = useState(false);
  const [replace, setReplace] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const body = (dryRun: boolean) => ({ content, filename, series: series.trim() === '' ? null : series.trim(), open: keepOpen, replace, dryRun });
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    work()
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'))
      .finally(() => setBusy(false));
  };
  const showPreview = () => run(async () => setPreview(await api<ImportPreview>('POST', '/api/meetings/import', body(true))));
  const confirm = () =>
    run(async () => {
      const created = await api<CreatedMeeting>('POST', '/api/meetings/import', body(false));
      navigate(`/m/${created.id}`);
    });
  const load = (file: File) => {
    void file.text().then((text) => {
      setContent(text);
      setFilename(file.name);
      setPreview(null);
    });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) load(file);
  };

  return (
    <div className="page page-narrow page-import">
      <header className="page-header">
        <h1>Import old minutes</h1>
      </header>
      <p className="muted">
        Paste a meeting page (Markdown, a wiki page's text, HTML or Confluence storage format) or drop its export. You see the meeting it makes before
        anything is created; its action items become tracked actions.
      </p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          showPreview();
        }}
      >
        <label htmlFor="import-content">The page{filename ? ` (${filename})` : ''}</label>
        <textarea
          id="import-content"
          className="import-content"
          rows={12}
          value={content}
          onDragOver={(event) => event.preventDefault()}
          onDrop={onDrop}
          onChange={(event) => {
            setContent(event.target.value);
            setPreview(null);
          }}
          placeholder="Paste the page here, or drop its file"
        />
        <div className="form-row">
          <label>
            Or choose a file{' '}
            <input type="file" accept=".md,.markdown,.txt,.html,.htm,.xml" onChange={(event) => event.target.files?.[0] && load(event.target.files[0])} />
          </label>
        </div>
        <div className="form-row">
          <label>
            Series <input value={series} onChange={(event) => setSeries(event.target.value)} placeholder="e.g. DMLT" list="series-names" autoComplete="off" />
            <SeriesSuggestions id="series-names" series={allSeries} />
            <SeriesHint typed={series} series={allSeries} />
          </label>
          <label className="inline-label">
            <input type="checkbox" checked={keepOpen} onChange={(event) => setKeepOpen(event.target.checked)} /> Keep a past meeting open
          </label>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy || content.trim() === ''}>
            Preview
          </button>
          {preview && (
            <button type="button" className="primary" disabled={busy || (preview.duplicateOf !== null && !replace)} onClick={confirm}>
              {preview.duplicateOf && replace ? 'Replace the meeting' : 'Import'}
            </button>
          )}
        </div>
      </form>
      {preview && (
        <section className="import-preview" aria-label="Preview">
          {preview.duplicateOf && (
            <div className="notice" role="status">
              This page was imported before as <a href={`/m/${preview.duplicateOf}`}>another meeting</a>.{' '}
              <label>
                <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} /> Replace it
              </label>
            </div>
          )}
          <h2>{preview.title}</h2>
          <p className="muted">
            {preview.startDate}
            {preview.endDate !== preview.startDate ? ` to ${preview.endDate}` : ''} · {preview.format}
            {preview.series && series.trim() === '' ? ` · series ${preview.series}` : ''}
            {preview.timezone ? ` · ${preview.timezone}` : ''}
            {preview.location ? ` · ${preview.location}` : ''}
            {preview.joinUrl ? ` · ${preview.joinUrl}` : ''} · {preview.closed ? 'created closed (its minutes are history)' : 'created open'}
          </p>
          {(preview.warnings.length > 0 || preview.guesses.length > 0) && (
            <ul className="import-warnings">
              {preview.warnings.map((w, i) => (
                <li key={`w${i}`}>⚠ {w}</li>
              ))}
              {preview.guesses.map((g, i) => (
                <li key={`g${i}`}>Guessed: {g}</li>
              ))}
            </ul>
          )}
          <h3>Attendees ({preview.attendees.length})</h3>
          <p>{preview.attendees.map((a) => (a.handle && a.handle !== a.name ? `${a.name} (${a.handle})` : a.name)).join(', ') || 'none found'}</p>
          <h3>Actions ({preview.actions.length})</h3>
          <div className="scroll-box">
            <table className="meetings-table import-actions">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Action</th>
                  <th>Assignee</th>
                  <th>Due</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {preview.actions.map((a, i) => (
                  <tr key={i}>
                    <td>{a.date}</td>
                    <td>{a.description}</td>
                    <td>{a.everyone ? 'All' : a.assignees.join(', ') || '—'}</td>
                    <td>{a.due ?? '—'}</td>
                    <td>{a.done ? 'done' : 'open'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.days.map((day) => (
            <section key={day.date} className="import-day">
              <h3>{day.date}</h3>
              <NoteLines lines={day.notes} />
              {day.blocks.map((block, b) => (
                <div key={b} className="import-block">
                  {(block.title || block.moderator || block.notetaker) && (
                    <h4>
                      {block.title ?? `Block ${b + 1}`}
                      {block.moderator ? ` · moderator ${block.moderator}` : ''}
                      {block.notetaker ? ` · notetaker ${block.notetaker}` : ''}
                    </h4>
                  )}
                  {block.items.map((item, i) => (
                    <div key={i} className="import-item">
                      <strong>
                        {item.time ? `${item.time} · ` : ''}
                        {item.topic}
                      </strong>
                      {item.coordinators.length > 0 && <span className="muted"> · {item.coordinators.join(', ')}</span>}
                      {item.preNotes && <p className="muted small">{item.preNotes}</p>}
                      <NoteLines lines={item.notes} />
                    </div>
                  ))}
                </div>
              ))}
              <NoteLines lines={day.closing} />
            </section>
          ))}
          {preview.proposals.length > 0 && (
            <>
              <h3>Topic proposals ({preview.proposals.length})</h3>
              <ul>
                {preview.proposals.map((p, i) => (
                  <li key={i}>
                    {p.topic}
                    {p.requestedBy ? ` — ${p.requestedBy}` : ''}
                    {p.priority ? ` (${p.priority} priority)` : ''}
                    {p.notes ? <span className="muted"> · {p.notes}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}
