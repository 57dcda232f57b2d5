// Share links: an edit link for notetakers and a view link for followers. The owner copies either
// address at any time (the server keeps it sealed; see server/meetings/link-sealer.ts), rotates a
// link (new address, everyone on the old one is cut off) or revokes it.
import { useEffect, useRef, useState, type JSX } from 'react';
import type { Meeting, ShareLink, ShareLinkWithToken } from '../../shared/api/index';
import { api, ApiError } from '../api';
import { shareableUrl } from '../shareable-url';

type Row = ShareLink;

export function ShareDialog({ meeting, onClose, justCreated = false }: { meeting: Meeting; onClose: () => void; justCreated?: boolean }): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [links, setLinks] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const base = `/api/meetings/${encodeURIComponent(meeting.id)}/links`;

  useEffect(() => {
    dialog.current?.showModal();
    api<{ links: ShareLink[] }>('GET', base)
      .then((list) => setLinks(list.links.map((link) => ({ ...link, url: link.url ? shareableUrl(link.url) : null }))))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the links.'));
  }, [base]);

  const withToken = ({ token: _token, ...link }: ShareLinkWithToken) => setLinks((rows) => [...rows.filter((r) => r.id !== link.id), { ...link, url: shareableUrl(link.url) }]);
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'That did not work.'));
  };
  const [copyFailed, setCopyFailed] = useState<string | null>(null);
  const copy = (link: Row, input: HTMLInputElement | null) => {
    if (!link.url) return;
    const url = link.url;
    const done = () => {
      setCopyFailed(null);
      setCopied(link.id);
    };
    // The clipboard API wants a secure context and a focused document; where it refuses, the
    // address is selected and copied the old way, and as a last resort left selected for Ctrl+C.
    const fallback = () => {
      input?.focus();
      input?.select();
      if (document.execCommand('copy')) done();
      else setCopyFailed(link.id);
    };
    if (!navigator.clipboard) return fallback();
    navigator.clipboard.writeText(url).then(done, fallback);
  };

  const active = links.filter((l) => !l.revokedAt).sort((a, b) => a.role.localeCompare(b.role));
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="share-title" onClose={onClose}>
      <header className="dialog-header">
        <h2 id="share-title">Share “{meeting.title}”</h2>
        <button type="button" className="link-button" onClick={() => dialog.current?.close()} aria-label="Close">
          ✕
        </button>
      </header>
      {justCreated && (
        <p className="notice" role="status">
          The meeting is ready. Send the edit link to the notetakers and the view link to everyone who follows along; both stay here to copy again.
        </p>
      )}
      <p className="muted small">
        Anyone with an <b>edit link</b> can take notes; a <b>view link</b> follows live, read-only. Rotating gives a new address and cuts off everyone who used the old one.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="share-links">
        {active.map((link) => (
          <li key={link.id} className="share-link">
            <div className="share-link-head">
              <span className={`badge ${link.role === 'notetaker' ? 'badge-open' : ''}`}>{link.role === 'notetaker' ? 'Edit link' : 'View link'}</span>
              {link.label && <span>{link.label}</span>}
              <span className="muted small">created {new Date(link.rotatedAt ?? link.createdAt).toLocaleString()}</span>
            </div>
            {link.url ? (
              <div className="share-url">
                <input readOnly value={link.url} aria-label={`${link.role === 'notetaker' ? 'Edit' : 'View'} link address`} data-testid={`${link.role}-link`} onFocus={(e) => e.currentTarget.select()} />
                <button type="button" className="primary small-button" onClick={(e) => copy(link, e.currentTarget.parentElement?.querySelector('input') ?? null)} aria-label={`${copied === link.id ? 'Copied' : 'Copy'} the ${link.role === 'notetaker' ? 'edit' : 'view'} link`}>
                  {copied === link.id ? 'Copied' : 'Copy'}
                </button>
                {copyFailed === link.id && (
                  <span className="muted small" role="status">
                    Selected: press Ctrl+C (⌘C) to copy.
                  </span>
                )}
              </div>
            ) : (
              <p className="muted small">This link was made before addresses were kept, or the server's link key was replaced: it still works, but its address can no longer be shown. Rotate it to get one to copy (the old address stops working).</p>
            )}
            <div className="share-link-actions">
              <button
                type="button"
                className="small-button"
                onClick={() => {
                  if (!confirm(`Rotate the ${link.role === 'notetaker' ? 'edit' : 'view'} link? Everyone who opened the current address is cut off and needs the new one.`)) return;
                  run(async () => withToken(await api<ShareLinkWithToken>('POST', `${base}/${link.id}/rotate`)));
                }}
              >
                Rotate
              </button>
              <button
                type="button"
                className="small-button danger"
                onClick={() => {
                  if (!confirm(`Revoke the ${link.role === 'notetaker' ? 'edit' : 'view'} link? Everyone who opened it is cut off at once.`)) return;
                  run(async () => {
                    await api('DELETE', `${base}/${link.id}`);
                    setLinks((rows) => rows.filter((r) => r.id !== link.id));
                  });
                }}
              >
                Revoke
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" onClick={() => run(async () => withToken(await api<ShareLinkWithToken>('POST', base, { role: 'notetaker' })))}>
          New edit link
        </button>
        <button type="button" onClick={() => run(async () => withToken(await api<ShareLinkWithToken>('POST', base, { role: 'follower' })))}>
          New view link
        </button>
      </div>
    </dialog>
  );
}
