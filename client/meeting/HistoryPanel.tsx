// The history of one session's notes: every version (kept while people type, named, sealed at a
// close, restores), the notes as they were at any of them with each author's text in their
// colour, what changed since another version, and restoring one as a new live edit.
import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { diffArrays } from 'diff';
import type { AttributedBlock, Version, VersionContent, VersionList } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { pickColor } from '../collab/presence';
import { tableCells, type Run } from './table-runs';

const KIND_LABEL: Record<Version['kind'], string> = { auto: 'Autosave', named: 'Named', sealed: 'Sealed', restore: 'Restore' };

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function label(version: Version): string {
  return version.name ?? `${KIND_LABEL[version.kind]} · ${when(version.at)}`;
}

/** One line of a version as the diff compares it: the block's kind and text. */
function lineOf(block: AttributedBlock): string {
  const marker = block.type === 'listitem' ? `${'  '.repeat(block.depth)}${block.listType === 'check' ? (block.checked ? '☑ ' : '☐ ') : '• '}` : block.type === 'heading' ? '# ' : '';
  return `${marker}${block.text}`;
}

export function HistoryPanel({
  meetingId,
  sessionId,
  canWrite,
  token,
  onClose,
}: {
  meetingId: string;
  sessionId: string;
  canWrite: boolean;
  /** A share link's token, for the download link (API calls send it as Bearer). */
  token: string | null;
  onClose: () => void;
}): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const base = `/api/meetings/${encodeURIComponent(meetingId)}/sessions/${encodeURIComponent(sessionId)}/versions`;
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [compareTo, setCompareTo] = useState<string>('');
  const [content, setContent] = useState<VersionContent | null>(null);
  const [compared, setCompared] = useState<VersionContent | null>(null);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cache = useRef(new Map<string, VersionContent>());

  const read = useCallback(
    async (id: string): Promise<VersionContent> => {
      const hit = cache.current.get(id);
      if (hit) return hit;
      const loaded = await api<VersionContent>('GET', `${base}/${encodeURIComponent(id)}?format=json`);
      cache.current.set(id, loaded);
      return loaded;
    },
    [base],
  );

  const load = useCallback(
    (select?: string) =>
      api<VersionList>('GET', base)
        .then((list) => {
          const newestFirst = [...list.versions].reverse();
          setVersions(newestFirst);
          setSelected((current) => select ?? current ?? newestFirst[0]?.id ?? null);
        })
        .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'The history could not be loaded.')),
    [base],
  );

  useEffect(() => {
    dialog.current?.showModal();
    void load();
  }, [load]);

  useEffect(() => {
    if (!selected) return;
    let live = true;
    setContent(null);
    read(selected)
      .then((c) => live && setContent(c))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : 'This version could not be read.'));
    return () => {
      live = false;
    };
  }, [selected, read]);

  // The notes with their authors by default; or what changed since the version before, or any other.
  const index = versions?.findIndex((v) => v.id === selected) ?? -1;
  const previous = versions && index >= 0 ? (versions[index + 1] ?? null) : null;
  const compareId = compareTo === '' ? null : compareTo === 'previous' ? (previous?.id ?? null) : compareTo;
  useEffect(() => {
    if (!compareId) return setCompared(null);
    let live = true;
    read(compareId)
      .then((c) => live && setCompared(c))
      .catch(() => live && setCompared(null));
    return () => {
      live = false;
    };
  }, [compareId, read]);

  const run = (work: () => Promise<void>) => {
    setError(null);
    setStatus(null);
    work().catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'));
  };

  const saveNamed = () =>
    run(async () => {
      const made = await api<Version>('POST', base, { name: name.trim() });
      setName('');
      setStatus(`Saved “${made.name ?? ''}”.`);
      await load(made.id);
    });

  const restore = (version: Version) =>
    run(async () => {
      if (!window.confirm(`Restore “${label(version)}”? Everyone connected sees the notes as they were then; the current notes stay in the history.`)) return;
      const made = await api<Version>('POST', `${base}/${encodeURIComponent(version.id)}/restore`);
      setStatus(`Restored “${label(version)}” for everyone.`);
      await load(made.id);
    });

  const current = versions?.find((v) => v.id === selected) ?? null;
  const diff = useMemo(() => (content && compared ? diffArrays(compared.blocks.map(lineOf), content.blocks.map(lineOf)) : null), [content, compared]);

  return (
    <dialog ref={dialog} className="dialog dialog-wide history" aria-labelledby="history-title" onClose={onClose}>
      <header className="dialog-header">
        <h2 id="history-title">History of these notes</h2>
        <button type="button" className="link-button" onClick={() => dialog.current?.close()} aria-label="Close">
          ✕
        </button>
      </header>
      {canWrite && (
        <form
          className="history-name"
          onSubmit={(event) => {
            event.preventDefault();
            if (name.trim() !== '') saveNamed();
          }}
        >
          <label htmlFor="version-name">Name this version</label>
          <input id="version-name" value={name} maxLength={120} placeholder="before the break" onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={name.trim() === ''}>
            Save version
          </button>
        </form>
      )}
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {versions && versions.length === 0 && <p className="muted">No versions yet: one is kept after a pause in typing, and when the meeting closes.</p>}
      {versions && versions.length > 0 && (
        <div className="history-body">
          <nav className="history-list" aria-label="Versions">
            {versions.length > 1 && (
              <label className="small muted" htmlFor="history-slider">
                Slide through {versions.length} versions
              </label>
            )}
            <input
              hidden={versions.length < 2}
              id="history-slider"
              type="range"
              min={0}
              max={versions.length - 1}
              // Left is oldest, right newest.
              value={versions.length - 1 - Math.max(0, index)}
              onChange={(e) => setSelected(versions[versions.length - 1 - Number(e.target.value)]!.id)}
              aria-valuetext={current ? label(current) : undefined}
            />
            <ol>
              {versions.map((version) => (
                <li key={version.id}>
                  <button type="button" className="history-item" aria-current={version.id === selected ? 'true' : undefined} onClick={() => setSelected(version.id)}>
                    <span className={`badge badge-${version.kind}`}>{KIND_LABEL[version.kind]}</span>
                    <span className="history-item-name">{version.name ?? when(version.at)}</span>
                    {version.name && <span className="small muted">{when(version.at)}</span>}
                    {version.authors.length > 0 && <span className="small muted">{version.authors.map((a) => a.name).join(', ')}</span>}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <section className="history-view" aria-label="Version" aria-busy={content === null}>
            {current && (
              <header className="history-view-header">
                <div>
                  <strong>{label(current)}</strong>
                  {current.by && <span className="muted small"> · {current.kind === 'sealed' ? 'sealed' : current.kind === 'restore' ? 'restored' : 'saved'} by {current.by}</span>}
                  {current.sha256 && (
                    <div className="small muted seal-hash">
                      SHA-256 of these notes as Markdown: <code>{current.sha256}</code>
                    </div>
                  )}
                </div>
                <div className="history-view-actions">
                  <a className="button small-button" href={`${base}/${encodeURIComponent(current.id)}?format=md${token ? `&token=${encodeURIComponent(token)}` : ''}`} download>
                    Markdown
                  </a>
                  {canWrite && (
                    <button type="button" className="small-button" onClick={() => restore(current)}>
                      Restore this version
                    </button>
                  )}
                </div>
              </header>
            )}
            {content && (
              <>
                <ul className="history-authors" aria-label="Authors">
                  {content.authors.map((author) => (
                    <li key={author.name}>
                      <span className="author-swatch" style={{ background: pickColor(author.name) }} aria-hidden="true" />
                      {author.name}
                    </li>
                  ))}
                </ul>
                <label className="small history-compare">
                  Show changes since{' '}
                  <select value={compareTo} onChange={(e) => setCompareTo(e.target.value)}>
                    <option value="">nothing: show who wrote what</option>
                    {previous && <option value="previous">the version before</option>}
                    {versions
                      .filter((v) => v.id !== selected)
                      .map((v) => (
                        <option key={v.id} value={v.id}>
                          {label(v)}
                        </option>
                      ))}
                  </select>
                </label>
                {diff ? <DiffView parts={diff} /> : <VersionNotes content={content} />}
              </>
            )}
          </section>
        </div>
      )}
    </dialog>
  );
}

/** The notes of a version, each run of text marked with its author's colour. */
function VersionNotes({ content }: { content: VersionContent }): JSX.Element {
  if (content.blocks.length === 0) return <p className="muted">No notes.</p>;
  const span = (run: Run, j: number) => {
    const author = run.author === null ? null : (content.authors[run.author]?.name ?? null);
    return author ? (
      <span key={j} className="authored" data-author={author} title={author} style={{ borderBottomColor: pickColor(author), backgroundColor: `${pickColor(author)}26` }}>
        {run.text}
      </span>
    ) : (
      <span key={j}>{run.text}</span>
    );
  };
  return (
    <div className="history-notes" data-testid="version-notes">
      {content.blocks.map((block, i) => {
        if (block.type === 'table') {
          return (
            <table key={i} className="history-block history-table">
              <tbody>
                {tableCells(block.runs).map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c}>{cell.map(span)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }
        const Tag = block.type === 'heading' ? 'h4' : block.type === 'quote' ? 'blockquote' : 'p';
        const prefix = block.type === 'listitem' ? (block.listType === 'check' ? (block.checked ? '☑ ' : '☐ ') : block.listType === 'number' ? '1. ' : '• ') : '';
        return (
          <Tag key={i} className={`history-block history-${block.type}`} style={block.depth > 0 ? { marginLeft: `${block.depth * 1.5}em` } : undefined}>
            {prefix}
            {block.runs.map(span)}
          </Tag>
        );
      })}
    </div>
  );
}

/** Block by block: what the selected version added (green) and removed (struck through) since the other. */
function DiffView({ parts }: { parts: ReturnType<typeof diffArrays<string>> }): JSX.Element {
  const changed = parts.some((part) => part.added || part.removed);
  return (
    <div className="history-notes history-diff" data-testid="version-diff">
      {!changed && <p className="muted">No changes.</p>}
      {parts.map((part, i) =>
        part.value.map((line, j) =>
          part.added ? (
            <ins key={`${i}-${j}`} className="diff-line diff-added">
              {line}
            </ins>
          ) : part.removed ? (
            <del key={`${i}-${j}`} className="diff-line diff-removed">
              {line}
            </del>
          ) : (
            <p key={`${i}-${j}`} className="diff-line">
              {line}
            </p>
          ),
        ),
      )}
    </div>
  );
}
