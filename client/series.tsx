// The series meetings share, for the pages that name one: the filters offer every series (not
// only those of the meetings a page happened to load), and a series typed into a form is offered
// as it is already spelt, and said to join it (open actions carry only within one series).
import { useEffect, useState, type JSX } from 'react';
import { seriesKey, type SeriesList, type SeriesSummary } from '../shared/api/index';
import { api } from './api';
import { formatDate } from './dates';

/** Every series on the server, by name; empty until loaded (and for guests, who may not list them). */
export function useSeries(): SeriesSummary[] {
  const [series, setSeries] = useState<SeriesSummary[]>([]);
  useEffect(() => {
    let live = true;
    api<SeriesList>('GET', '/api/series')
      .then((list) => live && setSeries(list.series))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
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
