// Search across meetings: titles, agendas, running notes, actions and proposals, best match
// first, the matched words marked, each result opening its meeting at the agenda item.
import { useCallback, useEffect, useRef, useState, type JSX } from 'react';
import { MAX_SEARCH_OFFSET, SNIPPET_MARKS, type SearchResult, type SearchResults } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { navigate, useVisit } from '../router';
import { formatDue } from '../dates';
import { AppLink } from '../AppLink';
import { useFocusOnMore } from '../more';
import { SeriesSuggestions, useSeries } from '../series';

const KIND_LABEL: Record<SearchResult['kind'], string> = { note: 'Notes', action: 'Action', agenda: 'Agenda item', meeting: 'Meeting', proposal: 'Proposal' };

/** The snippet's marked words as <mark> elements: the text itself is never parsed as markup. */
export function Snippet({ text }: { text: string }): JSX.Element {
  const parts: JSX.Element[] = [];
  let rest = text;
  let key = 0;
  while (rest.length > 0) {
    const open = rest.indexOf(SNIPPET_MARKS.open);
    if (open < 0) break;
    const close = rest.indexOf(SNIPPET_MARKS.close, open);
    if (close < 0) break;
    if (open > 0) parts.push(<span key={key++}>{rest.slice(0, open)}</span>);
    parts.push(<mark key={key++}>{rest.slice(open + 1, close)}</mark>);
    rest = rest.slice(close + 1);
  }
  if (rest.length > 0) parts.push(<span key={key}>{rest.replaceAll(SNIPPET_MARKS.open, '').replaceAll(SNIPPET_MARKS.close, '')}</span>);
  return <>{parts}</>;
}

/** Results shown at first, and added by each "Show more results". */
export const SEARCH_PAGE = 30;

/** A page of results, and whether the server has more after them. */
interface Found {
  results: SearchResult[];
  more: boolean;
}

type Filters = { series?: string | null; from?: string | null; to?: string | null };

async function searchPage(q: string, filters: Filters, offset: number): Promise<Found> {
  const params = new URLSearchParams({ q, limit: String(SEARCH_PAGE + 1), offset: String(offset) });
  if (filters.series) params.set('series', filters.series);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  const { results } = await api<SearchResults>('GET', `/api/search?${params.toString()}`);
  return { results: results.slice(0, SEARCH_PAGE), more: results.length > SEARCH_PAGE && offset + SEARCH_PAGE < MAX_SEARCH_OFFSET };
}

/** The series filter, offering every series (members only: a guest's search has no filters). */
function SeriesInput({ value, onChange }: { value: string; onChange: (value: string) => void }): JSX.Element {
  const series = useSeries();
  return (
    <>
      <input value={value} list="search-series" onChange={(e) => onChange(e.target.value)} placeholder="any" />
      <SeriesSuggestions id="search-series" series={series} />
    </>
  );
}

export function resultHref(result: SearchResult, token: string | null): string {
  const params = new URLSearchParams();
  if (token) params.set('token', token);
  if (result.sessionId) params.set('session', result.sessionId);
  if (result.agendaItemId) params.set('item', result.agendaItemId);
  const query = params.toString();
  return `/m/${encodeURIComponent(result.meetingId)}${query ? `?${query}` : ''}`;
}

export function searchHref(q: string, token: string | null, filters: Filters = {}): string {
  const params = new URLSearchParams({ q });
  if (filters.series) params.set('series', filters.series);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (token) params.set('token', token);
  return `/search?${params.toString()}`;
}

export function SearchPage({ q, token, series, from, to }: { q: string; token: string | null; series: string | null; from: string | null; to: string | null }): JSX.Element {
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filters, setFilters] = useState({ series: series ?? '', from: from ?? '', to: to ?? '' });
  const [loadingMore, setLoadingMore] = useState(false);
  // Submitting the same words again searches again: notes typed a moment ago are indexed within seconds.
  const visit = useVisit();

  useEffect(() => {
    if (q.trim() === '') return setFound({ results: [], more: false });
    let live = true;
    setError(null);
    searchPage(q, { series, from, to }, 0)
      .then((page) => live && setFound(page))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : 'The search did not work.'));
    return () => {
      live = false;
    };
  }, [q, series, from, to, visit]);
  const list = useRef<HTMLOListElement>(null);
  const focusOnMore = useFocusOnMore(found?.results.length ?? 0, list, '.search-result');
  const showMore = useCallback(() => {
    if (!found) return;
    focusOnMore();
    setLoadingMore(true);
    searchPage(q, { series, from, to }, found.results.length)
      // Unless the search was made anew meanwhile (other words, other filters).
      .then((page) => setFound((shown) => (shown === found ? { results: [...found.results, ...page.results], more: page.more } : shown)))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'The search did not work.'))
      .finally(() => setLoadingMore(false));
  }, [found, q, series, from, to, focusOnMore]);
  const results = found?.results ?? null;

  return (
    <div className="page page-narrow page-search">
      <header className="page-header">
        <h1>Search</h1>
      </header>
      {!token && (
        <form
          className="search-filters"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(searchHref(q, token, filters), { replace: true });
          }}
        >
          <label>
            Series <SeriesInput value={filters.series} onChange={(value) => setFilters({ ...filters, series: value })} />
          </label>
          <label>
            From <input type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
          </label>
          <label>
            To <input type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
          </label>
          <button type="submit">Filter</button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {q.trim() === '' && <p className="muted">Type in the search box above: titles, agendas, notes, actions and proposals are searched.</p>}
      {results && q.trim() !== '' && (
        <>
          <p className="muted small" role="status">
            {results.length === 0 ? `Nothing found for “${q}”.` : `${results.length}${found?.more ? '+' : ''} result${results.length === 1 ? '' : 's'} for “${q}”`}
          </p>
          <ol className="search-results" ref={list}>
            {results.map((result, i) => (
              <li key={`${result.kind}-${result.meetingId}-${result.agendaItemId ?? ''}-${i}`} className="search-result">
                <AppLink to={resultHref(result, token)}>
                  <span className={`badge badge-kind-${result.kind}`}>{KIND_LABEL[result.kind]}</span> <strong>{result.title}</strong>
                </AppLink>
                <div className="small muted">
                  {result.meetingTitle}
                  {result.date ? ` · ${formatDue(result.date)}` : ''}
                </div>
                {result.snippet && (
                  <p className="snippet">
                    <Snippet text={result.snippet} />
                  </p>
                )}
              </li>
            ))}
          </ol>
          {found?.more && (
            <p>
              <button type="button" onClick={showMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Show more results'}
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}
