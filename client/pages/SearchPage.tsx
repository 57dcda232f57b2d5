// Search across meetings: titles, agendas, running notes, actions and proposals, best match
// first, the matched words marked, each result opening its meeting at the agenda item.
import { useEffect, useState, type JSX } from 'react';
import { SNIPPET_MARKS, type SearchResult, type SearchResults } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { navigate, useVisit } from '../router';
import { formatDue } from '../dates';
import { AppLink } from '../AppLink';

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

export function resultHref(result: SearchResult, token: string | null): string {
  const params = new URLSearchParams();
  if (token) params.set('token', token);
  if (result.sessionId) params.set('session', result.sessionId);
  if (result.agendaItemId) params.set('item', result.agendaItemId);
  const query = params.toString();
  return `/m/${encodeURIComponent(result.meetingId)}${query ? `?${query}` : ''}`;
}

export function searchHref(q: string, token: string | null, filters: { series?: string | null; from?: string | null; to?: string | null } = {}): string {
  const params = new URLSearchParams({ q });
  if (filters.series) params.set('series', filters.series);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (token) params.set('token', token);
  return `/search?${params.toString()}`;
}

export function SearchPage({ q, token, series, from, to }: { q: string; token: string | null; series: string | null; from: string | null; to: string | null }): JSX.Element {
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filters, setFilters] = useState({ series: series ?? '', from: from ?? '', to: to ?? '' });
  // Submitting the same words again searches again: notes typed a moment ago are indexed within seconds.
  const visit = useVisit();

  useEffect(() => {
    if (q.trim() === '') return setResults([]);
    let live = true;
    setError(null);
    const params = new URLSearchParams({ q });
    if (series) params.set('series', series);
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    api<SearchResults>('GET', `/api/search?${params.toString()}`)
      .then((answer) => live && setResults(answer.results))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : 'The search did not work.'));
    return () => {
      live = false;
    };
  }, [q, series, from, to, visit]);

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
            Series <input value={filters.series} onChange={(e) => setFilters({ ...filters, series: e.target.value })} placeholder="any" />
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
            {results.length === 0 ? `Nothing found for “${q}”.` : `${results.length}${results.length === 30 ? '+' : ''} result${results.length === 1 ? '' : 's'} for “${q}”`}
          </p>
          <ol className="search-results">
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
        </>
      )}
    </div>
  );
}
