// The series meetings share, for the pages that name one: the filters offer every series (not
// only those of the meetings a page happened to load), and a series typed into a form is offered
// as it is already spelt, and said to join it (open actions carry only within one series).
import { useEffect, useId, useRef, useState, type JSX } from 'react';
import { seriesKey, tidySeries, type RenamedSeries, type SeriesList, type SeriesSummary } from '../shared/api/index';
import { api } from './api';
import { formatDate } from './dates';
import { sentence, useSubmit } from './forms';

/**
 * Every series on the server, by name; empty until loaded (and for guests, who may not list them).
 * Read again whenever `reads` changes.
 */
export function useSeries(reads = 0): SeriesSummary[] {
  const [series, setSeries] = useState<SeriesSummary[]>([]);
  useEffect(() => {
    let live = true;
    api<SeriesList>('GET', '/api/series')
      .then((list) => live && setSeries(list.series))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [reads]);
  return series;
}

const meetingsOf = (series: SeriesSummary): string => `${series.meetings} ${series.meetings === 1 ? 'meeting' : 'meetings'}`;

/** The options of a series input (`<input list={id}>`): each series with how many meetings it has. */
export function SeriesSuggestions({ id, series }: { id: string; series: SeriesSummary[] }): JSX.Element {
  return (
    <datalist id={id}>
      {series.map((s) => (
        <option key={s.name} value={s.name}>
          {meetingsOf(s)}
        </option>
      ))}
    </datalist>
  );
}

/** What a typed series name will be: the series it joins, or a new one. */
export function SeriesHint({ typed, series, ownSeries }: { typed: string; series: SeriesSummary[]; ownSeries?: string | null }): JSX.Element | null {
  if (typed.trim() === '' || series.length === 0) return null;
  const joined = series.find((s) => seriesKey(s.name) === seriesKey(typed));
  if (joined && ownSeries != null && seriesKey(ownSeries) === seriesKey(typed)) return null;
  return (
    <span className="field-hint muted small" role="status">
      {joined
        ? `Joins the series ${joined.name}: ${meetingsOf(joined)}, the last on ${formatDate(joined.last, { day: 'numeric', month: 'short', year: 'numeric' })}. Open actions carry from each of its meetings to the next.`
        : 'A new series.'}
    </span>
  );
}

/**
 * Renaming a whole series (its meetings all take the new name), for whoever may: a name that
 * another series goes by joins the two, which the hint says before it is done.
 */
export function RenameSeries({ series, all, onRenamed }: { series: SeriesSummary; all: SeriesSummary[]; onRenamed: (name: string, said: string) => void }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(series.name);
  const listId = useId();
  // Cancelled, the keyboard is back on the button that opened the form.
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const joins = all.find((s) => s.name !== series.name && seriesKey(s.name) === seriesKey(name));
  const unchanged = tidySeries(name) === series.name || tidySeries(name) === '';
  const renaming = useSubmit(async () => {
    const renamed = await api<RenamedSeries>('PATCH', `/api/series/${encodeURIComponent(series.name)}`, { name });
    setOpen(false);
    onRenamed(
      renamed.series.name,
      renamed.merged
        ? `${series.name} joined the series ${renamed.series.name}: ${meetingsOf(renamed.series)} now.`
        : `The series is renamed ${renamed.series.name}: ${meetingsOf(renamed.series)}.`,
    );
  });
  if (!open)
    return (
      <button
        type="button"
        ref={button}
        onClick={() => {
          setName(series.name);
          setOpen(true);
        }}
      >
        Rename series
      </button>
    );
  return (
    <form className="card form rename-series" onSubmit={renaming.submit} aria-label={`Rename the series ${series.name}`}>
      <label>
        <span>
          New name for the series <span className="muted">({meetingsOf(series)} take it)</span>
        </span>
        <input required maxLength={100} value={name} list={listId} onChange={(e) => setName(e.target.value)} autoFocus />
        <SeriesSuggestions id={listId} series={all.filter((s) => s.name !== series.name)} />
        {joins && <SeriesHint typed={name} series={all} />}
      </label>
      {renaming.error && (
        <p className="error" role="alert">
          {sentence(renaming.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={renaming.busy || unchanged}>
          {joins ? `Join ${joins.name}` : 'Rename'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
